import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { caseDecisionsLine } from "./repro.ts";

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

// userS32a: `repro --current-code` of a 53-entry case whose run, against the edited service, made
// 37 picks printed "its other -16 follow from the case's seed".
Deno.test("repro's case decision-list line says a run that made fewer picks left the case's last entries unused", () => {
  assert.equal(
    caseDecisionsLine(53, 37),
    "case decision-list: 53 entries (the run made 37 picks and ended: the case's last 16 entries went unused)",
  );
  assert.equal(
    caseDecisionsLine(2, 1),
    "case decision-list: 2 entries (the run made 1 pick and ended: the case's last entry went unused)",
  );
  assert.equal(
    caseDecisionsLine(0, 4),
    "case decision-list: 0 entries (empty: all 4 of the run's picks follow from the case's seed)",
  );
  assert.equal(
    caseDecisionsLine(3, 5),
    "case decision-list: 3 entries (the run's first 3 picks; its other 2 follow from the case's seed)",
  );
  assert.equal(caseDecisionsLine(4, 4), null);
});
