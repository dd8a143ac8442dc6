// tools/idle_cpu.ts's probe: run after a test file in the same `deno test` process, it waits 5 s
// and prints the process's CPU time meanwhile. A test file that left a worker busy (Deno 2.9.6's
// Worker.terminate() does not stop a worker in a loop) shows seconds of it; a clean one ~0.
Deno.test("idle probe: CPU while nothing of ours runs", async () => {
  const u0 = Deno.cpuUsage();
  await new Promise((r) => setTimeout(r, 5000));
  const u1 = Deno.cpuUsage();
  const s = (u1.user - u0.user + u1.system - u0.system) / 1e6;
  console.log(`idle-probe-cpu ${s.toFixed(2)}`);
});
