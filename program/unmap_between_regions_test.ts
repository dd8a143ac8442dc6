// The campaign judge's `program:unmap-between-regions` probe (`unmapBetweenRegionsProgram`): an
// unmap of exactly a mapping that lies flush between two sub-regions. It passes unmutated (the
// contract: no sub-region in the range, one mapping exactly it: ZX_OK), and a kernel that counts
// a sub-region ending where the range begins, or beginning where it ends, as overlapping it
// (`kernel_vmar.ts:161:68` `<=`, open since gap lists P and R; `:161:52` `<=`; docs/mutation.md,
// helper lever24b) refuses the unmap with INVALID_ARGS and fails the contract.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_INVALID_ARGS, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("unmapBetweenRegionsProgram passes unmutated; a sub-region touching the range counted as overlapping fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel_vmar.ts"]);
  try {
    const { unmapBetweenRegionsProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(unmapBetweenRegionsProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].slice(5).map((r: Any) => r.status), [
      ZX_OK,
      ZX_OK,
      ZX_ERR_INVALID_ARGS,
    ]);
    for (
      const key of [
        "kernel/kernel_vmar.ts:161:68:EqualityOperator:addr <= x.base + x.size",
        "kernel/kernel_vmar.ts:161:52:EqualityOperator:x.base <= end",
      ]
    ) {
      const v = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", JSON.stringify(v));
      assert.match(
        v.message,
        /zx_vmar_unmap returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK/,
      );
    }
  } finally {
    m.dispose();
  }
});
