// The campaign judge's `program:contiguous-zero-lent` probe (`contiguousZeroLentProgram`): a
// contiguous VMO ZEROed over a page a DECOMMIT lent. It passes unmutated, and a kernel that ZEROs
// the absent page as if present (`vmo_pages.ts:959:13` false, a blind spot of the fresh shard 5 of
// 8 on 2e0fdd0; docs/mutation.md, helper gap23) faults, as the probe reports it.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("contiguousZeroLentProgram passes unmutated and faults under a ZERO that writes a lent page", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { contiguousZeroLentProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(contiguousZeroLentProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    // Every call succeeds: the DECOMMIT (loaning on), the ZERO over the lent page, the read.
    assert.deepEqual(base.results[0].map((r: Any) => r.status), [
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_OK,
    ]);
    const v = m.withMutant(
      "kernel/vmo_pages.ts:985:13:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(v.kind, "thread-fault", JSON.stringify(v));
  } finally {
    m.dispose();
  }
});
