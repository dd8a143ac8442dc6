// userS32a (finding 13): the README's corpus_test.ts (`replayProblem(c, file)`) refused every case
// after any edit of the user's service ("not replaying it against different code"), so it could
// not catch a regression (their bug B2) without `corpus accept` of every case first. The hash
// rule stays the default (a case replays only the code it was recorded against); the user's own
// regression test opts in with `{ currentCode: true }`, judged by verdict and signature.
//
// The files are the user's (imports rewritten to this checkout): wb.ts (their correct service),
// wb_bugA.ts (bug A: WRITEBACK_END before the copy), wb_bugA_edited.ts (an edit that keeps bug A),
// wb_bugB2.ts (bug B2: only a range's first page persisted). An edit of the module at a case's path
// is the case naming the edited file: its content hash differs from the recorded one either way.
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import type { CaseEnvelope } from "./envelope.ts";
import { readCaseFile, replayProblem } from "./store.ts";

const DATA = "case/testdata/userS32a_reg/";
/** Found against bug A: expects invariant:data-integrity (recorded against wb_bugA.ts). */
const BUG_A = `${DATA}corpus/invariant-data-integrity-wb-buga-713f1d25.json`;
/** Bug B2's case after the user's fix was accepted: expects pass (recorded against wb.ts). */
const PASS = `${DATA}corpus/invariant-data-integrity-wb-af6a3921.json`;
const CURRENT = { currentCode: true };

/** The case with its service module edited: the module at its path is now `module`. */
function editedTo(c: CaseEnvelope, module: string): CaseEnvelope {
  assert.ok(c.service !== undefined);
  return { ...c, service: { ...c.service, path: `../${module}` } };
}

Deno.test("userS32a: unedited, both cases replay as recorded, by default and with currentCode", async () => {
  for (const file of [BUG_A, PASS]) {
    const c = await readCaseFile(file);
    assert.equal(await replayProblem(c, file), null);
    assert.equal(await replayProblem(c, file, CURRENT), null);
  }
});

Deno.test("userS32a: the default still refuses an edited module; currentCode replays it and judges the run", async () => {
  const a = await readCaseFile(BUG_A);
  // The default: the content-hash rule for corpora you did not write.
  assert.match(
    await replayProblem(editedTo(a, "wb_bugA_edited.ts"), BUG_A) ?? "",
    /changed since the case was written .*not replaying it against different code/,
  );
  // An edit that keeps the bug: it still fails with its signature (the trace may move).
  assert.equal(await replayProblem(editedTo(a, "wb_bugA_edited.ts"), BUG_A, CURRENT), null);
  // An edit that fixes it: it passes now, to be accepted.
  const fixed = await replayProblem(editedTo(a, "wb.ts"), BUG_A, CURRENT) ?? "";
  assert.match(fixed, /expected invariant:data-integrity:lost-write, but the code as it is now/);
  assert.match(fixed, /passes it: fixed\? accept it with deno task corpus accept /);
  assert.ok(fixed.includes(`deno task corpus accept ${BUG_A}`), fixed);
});

Deno.test("userS32a: currentCode catches a regression of a passing case (bug B2), naming its signature", async () => {
  const p = await readCaseFile(PASS);
  // Edits that keep the pass case passing (bug A does not reach this case's failure).
  assert.equal(await replayProblem(editedTo(p, "wb_bugA_edited.ts"), PASS, CURRENT), null);
  const why = await replayProblem(editedTo(p, "wb_bugB2.ts"), PASS, CURRENT) ?? "";
  assert.match(why, /REGRESSION: the case expects pass/);
  assert.match(why, /fails it: invariant:data-integrity:lost-write: lost-write: vmo1012 page 3/);
  assert.ok(why.includes(`deno task repro ${PASS} --current-code`), why);
});

Deno.test("userS32a: currentCode says a failure that moved to another signature fails differently", async () => {
  const a = await readCaseFile(BUG_A);
  const other = {
    ...a,
    expected: "invariant:no-lost-requests",
    signature: "invariant:no-lost-requests:K29",
  };
  const why = await replayProblem(other, BUG_A, CURRENT) ?? "";
  assert.match(
    why,
    /expected invariant:no-lost-requests:K29, but the code fails differently: invariant:data-integrity:lost-write: lost-write/,
  );
  // A case recorded before signatures were is held to its verdict label.
  const { signature: _s, ...unsigned } = a;
  assert.equal(await replayProblem(unsigned, BUG_A, CURRENT), null);
});

Deno.test("userS32a: currentCode keeps the project-tree rule (a module outside the tree is refused)", async () => {
  const a = await readCaseFile(BUG_A);
  // The tree is the corpus folder: the case's ../wb_bugA.ts lies outside it.
  const why =
    await replayProblem(a, BUG_A, { currentCode: true, tree: resolve(`${DATA}corpus`) }) ?? "";
  assert.match(why, /refusing its service module \.\.\/wb_bugA\.ts: outside the project tree/);
});
