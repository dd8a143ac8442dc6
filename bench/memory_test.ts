// Memory follows what a run touches: the 8 x 4096 x 64 KiB scenario (2 GiB declared, a few
// pages of each VMO touched) stays under 512 MB under every kernel checker. A subprocess, so the
// peak is this run's alone.
import { strict as assert } from "node:assert";

Deno.test("8 VMOs x 4096 pages x 64 KiB, sparsely touched, peaks under 512 MB with every kernel checker", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", new URL("./memory_probe.ts", import.meta.url).pathname, "sparse"],
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  const m = text.match(/^sparse: verdict pass after \d+ steps; peak RSS: (\d+) MiB$/m);
  assert.ok(m !== null, text);
  assert.ok(Number(m[1]) < 488, `peak ${m[1]} MiB is not under 512 MB`);
});
