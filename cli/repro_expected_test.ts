import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const root = new URL("../", import.meta.url).pathname;

/** `deno task repro FILE --trace none` as the task runs it; its exit code and output. */
async function repro(file: string): Promise<{ code: number; text: string }> {
  const r = await denoOutput(
    ["run", "--allow-read", "cli/repro.ts", file, "--trace", "none"],
    root,
  );
  return { code: r.code, text: r.out + r.err };
}

Deno.test("repro's expected line names the recorded signature with its checker's sub-code", async () => {
  const { code, text } = await repro("corpus/zoo-duplicate-read.json");
  assert.equal(code, 0, text);
  assert.match(text, /^signature: invariant:packet-discipline:K4$/m);
  assert.match(text, /^expected: invariant:packet-discipline:K4: reproduced$/m);
});

Deno.test("repro says how many decisions the case records when the run made more (corpus list counts the case's)", async () => {
  const { code, text } = await repro("corpus/invariant-answers-every-read-a5fa80391644d297.json");
  assert.equal(code, 0, text);
  assert.match(text, /^steps: 11 {2}decisions: 4$/m);
  assert.match(
    text,
    /^case decision-list: 0 entries \(empty: all 4 of the run's picks follow from the case's seed\)$/m,
  );
  // userS26s: "decision-list: 0" below "decisions: 1" read as a count; the list says its size.
  assert.match(text, /^decision-list \(4 entries\): \d+,\d+,\d+,\d+$/m);
});
