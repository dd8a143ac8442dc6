import { strict as assert } from "node:assert";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { fail, runChecked, type TestBody } from "./harness.ts";

Deno.test("runChecked: a case's own expectation failing is not a verdict; what the checkers see is", () => {
  const expectsWrongly: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    const reader = t.reader(vmo, 0, 1, "vmo");
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(reader, vmo, 0, 1);
    fail("an expectation the model does not meet");
  };
  const ok = runChecked(expectsWrongly, 1, kernelInvariants());
  assert.equal(ok.verdict.kind, "pass");
  // A reader the case never serves: the run hangs, and that is a verdict whatever the case says.
  const strands: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    t.reader(vmo, 0, 1, "vmo");
    yield* t.waitForPageRead(vmo, 0, 1);
  };
  const hang = runChecked(strands, 1, kernelInvariants());
  assert.notEqual(hang.verdict.kind, "pass", JSON.stringify(hang.verdict));
});
