import { strict as assert } from "node:assert";

const root = new URL("../", import.meta.url).pathname;

Deno.test("repro's expected line names the recorded signature with its checker's sub-code", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "cli/repro.ts",
      "corpus/zoo-duplicate-read.json",
      "--trace",
      "none",
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  assert.match(text, /^signature: invariant:packet-discipline:K4$/m);
  assert.match(text, /^expected: invariant:packet-discipline:K4: reproduced$/m);
});
