// The campaign judge's `program:shrink-over-pin` probe (`shrinkOverPinProgram`) and the contract's
// BAD_STATE for a shrink of a resizable plain VMO over a page a pin surely holds: it passes
// unmutated, and a kernel that lets a shrink cut the pinned page at the new end
// (`kernel.ts:780:47` `q > keep`, a blind spot of the fresh shard 5 of 8 on 2e0fdd0;
// docs/mutation.md, helper gap23) fails the contract; so does one that refuses every shrink of a
// pinned VMO (the ZX_OK of a shrink that cuts no page a pin may hold).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("shrinkOverPinProgram passes unmutated; a shrink that cuts the pinned page at the new end fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { shrinkOverPinProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(shrinkOverPinProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(
      base.results[0].map((r: Any) => r.status),
      [ZX_OK, ZX_OK, ZX_OK, ZX_ERR_BAD_STATE, ZX_OK, ZX_OK, ZX_OK],
    );
    for (
      const key of [
        "kernel/kernel.ts:790:47:EqualityOperator:q > keep",
        "kernel/kernel.ts:790:47:ConditionalExpression:false",
        "kernel/kernel.ts:790:47:ConditionalExpression:true",
      ]
    ) {
      const v = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", JSON.stringify(v));
      assert.match(v.message, /zx_vmo_set_size/);
    }
  } finally {
    m.dispose();
  }
});
