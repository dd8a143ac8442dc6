import { strict as assert } from "node:assert";

// Ctrl-C while a long job is still setting up (reading the corpus, checking a service) ends it with
// a line saying nothing ran and exit 130 (SIGTERM: 143); before, `fuzz` exited with no output.
const child = new URL("./testdata/early_interrupt_child.ts", import.meta.url).pathname;

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} during set-up: one line and exit ${code}`, async () => {
    const p = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", child],
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
    const err = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, code, err);
    assert.equal(
      err.trim(),
      `fuzz: stopped by ${signal} before it started: nothing ran, nothing was written`,
    );
  });
}
