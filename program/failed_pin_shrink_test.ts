// The campaign judge's `program:failed-pin-shrink` probe (`failedPinShrinkProgram`): a pin of a
// resizable pager VMO that pins page 0 and then fails SHOULD_WAIT at absent page 1 must unpin
// page 0, so the shrink to nothing that follows is ZX_OK (the contract, from `PinHolds`: a failed
// pin pins nothing). A failed pin that keeps what it pinned (`vmo_pages.ts:711:11`
// `pinned <= start`, open since helper triage25; docs/mutation.md, helper lever25) leaves page 0
// pinned for good and the shrink BAD_STATE.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_SHOULD_WAIT, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("failedPinShrinkProgram passes unmutated; a failed pin that keeps its pages fails the contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { failedPinShrinkProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(failedPinShrinkProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const statuses = base.results[0].map((r: Any) => r.status);
    assert.deepEqual(statuses.slice(-2), [ZX_ERR_SHOULD_WAIT, ZX_OK], JSON.stringify(statuses));
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:737:11:EqualityOperator:pinned <= start",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(v.message, /zx_vmo_set_size returned ZX_ERR_BAD_STATE; .* ZX_OK/);
  } finally {
    m.dispose();
  }
});
