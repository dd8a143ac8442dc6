// The campaign judge's `program:supply-contiguous-aux` probe (`supplyContiguousAuxProgram`):
// zx_pager_supply_pages from an aux VMO zx_vmo_create_contiguous made. It passes unmutated (every
// supply NOT_SUPPORTED, as `VmObjectPaged::TakePages` refuses a contiguous VMO first), and a kernel
// that takes a contiguous aux's pages (`kernel.ts:233:9` false, a blind spot of the fresh shard 5
// of 8 on 2e0fdd0; docs/mutation.md, helper lever24b) fails the contract.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_NOT_SUPPORTED, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("supplyContiguousAuxProgram passes unmutated; a supply that takes a contiguous aux's pages fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { supplyContiguousAuxProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(supplyContiguousAuxProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].slice(5).map((r: Any) => r.status), [
      ZX_OK,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_NOT_SUPPORTED,
      ZX_OK,
    ]);
    const v = m.withMutant(
      "kernel/kernel.ts:242:9:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.notEqual(v.kind, "pass", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(v.message, /zx_pager_supply_pages/);
  } finally {
    m.dispose();
  }
});
