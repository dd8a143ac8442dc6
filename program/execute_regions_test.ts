// The campaign judge's `program:execute-regions` probe (`executeRegionsProgram`): a sub-region
// asking for CAN_MAP_EXECUTE in a region made with it (ZX_OK) and in one made without it
// (ACCESS_DENIED). A kernel that gives a new region the EXECUTE flag and right exactly when it was
// not asked for (`kernel_vmar.ts:208:16`, a blind spot of the fresh shard 1 of 8 on db8cb50;
// docs/mutation.md, helper triage25) refuses the first, which the contract predicts from the
// region's own zx_vmar_allocate.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_ACCESS_DENIED, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("executeRegionsProgram passes unmutated; a region's EXECUTE inverted fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel_vmar.ts"]);
  try {
    const { executeRegionsProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(executeRegionsProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].map((r: Any) => r.status), [
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_ERR_ACCESS_DENIED,
    ]);
    const v: Any = m.withMutant(
      "kernel/kernel_vmar.ts:208:16:EqualityOperator:(options & ZX_VM_CAN_MAP_EXECUTE) === 0",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_vmar_allocate returned ZX_ERR_ACCESS_DENIED; the handle model says ZX_OK/,
    );
  } finally {
    m.dispose();
  }
});
