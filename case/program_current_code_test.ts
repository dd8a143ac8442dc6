/**
 * A current-code replay signs a program case as a `--mode programs` campaign does, promise words
 * included (session 33: `replayProblem(c, file, { currentCode: true })` held program cases to
 * their verdict label, because the campaign's signer lived in fuzz/, which case/ cannot import).
 */
import { strict as assert } from "node:assert";
import { readCaseFile, replayCase, replayProblem, replaySignature } from "./store.ts";
import { signProgramRun } from "../fuzz/engine.ts";

// An existing program case, replayed against the zoo's program mutant that leaks the handle
// zx_handle_replace consumes: the program's lifetime oracle fails it.
const FILE = "corpus/programs/regress-vmar-map-destroyed-bad-state.json";
const LEAKS = "invariant:program-lifetime:handles left open after cleanup";

Deno.test("a current-code replay of a program case signs it as a campaign would", async () => {
  const c = { ...(await readCaseFile(FILE)), bug: "replace-leaks" };
  const r = await replayCase(c, FILE);
  assert.equal(r.verdict, "invariant:program-lifetime");
  // The campaign's signer and the replay's agree, promise words and all.
  assert.equal(signProgramRun(r.run), LEAKS);
  assert.equal(replaySignature(r, "program"), LEAKS);
  // Recorded with that signature: it reproduces.
  const recorded = { ...c, expected: "invariant:program-lifetime", signature: LEAKS };
  assert.equal(await replayProblem(recorded, FILE, { currentCode: true }), null);
  // Recorded with another promise of the same oracle: another finding, not "as recorded".
  const other = { ...recorded, signature: "invariant:program-lifetime:threads still wait" };
  const problem = await replayProblem(other, FILE, { currentCode: true }) ?? "";
  assert.match(problem, /fails differently: invariant:program-lifetime:handles left open after/);
  // A case that expects pass names the regression by the campaign's signature.
  const regression = await replayProblem(c, FILE, { currentCode: true }) ?? "";
  assert.match(regression, /REGRESSION: .* fails it: invariant:program-lifetime:handles left open/);
});
