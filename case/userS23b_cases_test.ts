// userS23b's blobfs-like service (case/testdata/userS23b): what its accepted cases told it.
import { strict as assert } from "node:assert";
import { projectRoot, readCaseFile, replayProblem } from "./store.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const Q2 = "case/testdata/userS23b/corpus/invariant-quiescent-end-q2-blobby-0ce6cd1f.json";

Deno.test("userS23b: an accepted fix (expects pass) whose module changed is refused as a possible regression", async () => {
  // Was: "changed since the case was written ... (does your fix make it pass?)", after the user
  // had reverted the fix the case records.
  const c = await readCaseFile(Q2);
  assert.equal(c.expected, "pass");
  const changed = { ...c, service: { path: c.service?.path ?? "", sha256: "0".repeat(64) } };
  const why = await replayProblem(changed, Q2, TREE) ?? "";
  assert.match(why, /its service module \.\.\/blobby\.ts changed since the fix was accepted/);
  assert.match(why, /regression/);
  assert.doesNotMatch(why, /does your fix make it pass/);
  assert.match(why, new RegExp(`deno task repro ${Q2} --current-code`));
  // A case still expecting its failure keeps the words of a fix to try.
  const open = { ...changed, expected: "invariant:quiescent-end" };
  assert.match(await replayProblem(open, Q2, TREE) ?? "", /does your fix make it pass\?/);
});
