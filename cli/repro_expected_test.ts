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

// userS31a: a case filed as `dropped-after-error:zx_pager_supply_pages:...` (its signature, its
// file name) replayed as `expected: invariant:quiescent-end: reproduced`, the check alone. Where the
// signature does not extend the verdict, the line names both, as `corpus list` does.
Deno.test("repro's expected line names the signature a case is filed under beside the check", async () => {
  const file = "corpus/invariant-quiescent-end-q2-01bde2a7.json";
  const c = JSON.parse(await Deno.readTextFile(`${root}${file}`));
  assert.equal(c.expected, "invariant:quiescent-end");
  assert.equal(c.signature, "invariant:answers-every-read");
  const { code, text } = await repro(file);
  assert.equal(code, 0, text);
  assert.match(
    text,
    /^expected: invariant:quiescent-end \(signature invariant:answers-every-read\): reproduced$/m,
  );
});
