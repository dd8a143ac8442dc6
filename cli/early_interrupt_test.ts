import { strict as assert } from "node:assert";

// Ctrl-C while a long job is still setting up (reading the corpus, checking a service) ends it with
// a line saying nothing ran and exit 130 (SIGTERM: 143); before, `fuzz` exited with no output.
const child = new URL("./testdata/early_interrupt_child.ts", import.meta.url).pathname;

/** Runs `script`, sends `signal` once it printed "ready", and gives its exit code and stderr. */
async function signalWhenReady(
  script: string,
  signal: Deno.Signal,
): Promise<{ code: number; err: string }> {
  const p = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = p.stdout.getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  p.kill(signal);
  const r = await p.output();
  return { code: r.code, err: new TextDecoder().decode(r.stderr) };
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} during set-up: one line and exit ${code}`, async () => {
    const { code: got, err } = await signalWhenReady(child, signal);
    assert.equal(got, code, err);
    assert.equal(
      err.trim(),
      `fuzz: stopped by ${signal} before it started: nothing ran, nothing was written`,
    );
  });
}

// Ctrl-C once the campaign ran but before any run finished (a user at 0.7 s): one line, not a
// 45-line summary of `runs 0`; exit 130 as before (fuzz's main returns it for an interrupt).
Deno.test("a campaign interrupted before any run finished is one line naming the corpus", async () => {
  const { interruptedBeforeAnyRun } = await import("./fuzz.ts");
  assert.equal(
    interruptedBeforeAnyRun({ interrupted: true, runs: 0, failingRuns: 0 }, "corpus"),
    "fuzz: interrupted before any run finished: nothing was found, nothing was written (the " +
      "corpus is corpus)",
  );
  assert.equal(interruptedBeforeAnyRun({ interrupted: true, runs: 3, failingRuns: 0 }, "c"), null);
  assert.equal(interruptedBeforeAnyRun({ interrupted: false, runs: 0, failingRuns: 0 }, "c"), null);
});

// Ctrl-C at 0.4 s, while fuzz's modules were still loading, ended it silently.
const startup = new URL("./testdata/startup_signal_child.ts", import.meta.url).pathname;
Deno.test("SIGINT while a command's modules load: one line and exit 130", async () => {
  const { code, err } = await signalWhenReady(startup, "SIGINT");
  assert.equal(code, 130, err);
  assert.equal(
    err.trim(),
    "startup_signal_child: stopped by SIGINT while starting: nothing ran, nothing was written",
  );
});
