// tools/idle_cpu.ts's probe: run after a test file in the same `deno test` process, it waits 5 s
// and prints the process's CPU time meanwhile. A test file that left a worker busy (Deno 2.9.6's
// Worker.terminate() does not stop a worker in a loop) shows seconds of it; a clean one ~0.

/**
 * The process's CPU time in microseconds. Deno 2.9.6 has `Deno.cpuUsage` at run time but not in
 * its types; node:process `cpuUsage()` there reads this thread only, so it misses the workers.
 */
function processCpu(): number {
  const u = (Deno as unknown as { cpuUsage(): { user: number; system: number } }).cpuUsage();
  return u.user + u.system;
}

Deno.test("idle probe: CPU while nothing of ours runs", async () => {
  const t0 = processCpu();
  await new Promise((r) => setTimeout(r, 5000));
  console.log(`idle-probe-cpu ${((processCpu() - t0) / 1e6).toFixed(2)}`);
});
