// The campaign judge's `program:region-remnants` probe (`regionRemnantsProgram`): a mapping
// overwritten over its second page only keeps its first page (upstream splits it; the model
// refuses NOT_SUPPORTED), and a sub-region is destroyed with its parent region. A kernel that
// replaces the whole mapping an overwrite covers the head of (`objects.ts:723:42` false) or destroys only the region itself
// (`objects.ts:768:44`, the walk into its sub-regions dropped) passed every campaign probe: blind
// spots of the fresh shard 2 of 8 on db8cb50 (docs/mutation.md, helper triage26b). The contract
// predicts ALREADY_EXISTS for a map at the kept first page and BAD_STATE in the destroyed
// sub-region, from the VMAR picture (program/vmar_model.ts), not the kernel's regions.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import {
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OK,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("regionRemnantsProgram passes unmutated; a whole mapping replaced or a sub-region left alive fails the contract", async () => {
  const m = await mutantMirror(["kernel/objects.ts"]);
  try {
    const { regionRemnantsProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(regionRemnantsProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].map((r: Any) => r.status), [
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_ALREADY_EXISTS,
      ZX_ERR_ALREADY_EXISTS,
      ZX_OK,
      ZX_OK,
      ZX_OK,
      ZX_ERR_BAD_STATE,
      ZX_ERR_BAD_STATE,
    ]);
    for (
      const [key, message] of [
        [
          "kernel/objects.ts:723:42:ConditionalExpression:false",
          /t0#7 zx_vmar_map returned ZX_OK; the handle model says ZX_ERR_ALREADY_EXISTS/,
        ],
        [
          "kernel/objects.ts:768:44:CallExpression:;",
          /t0#11 zx_vmar_map returned ZX_OK; the handle model says ZX_ERR_BAD_STATE/,
        ],
      ] as const
    ) {
      const v: Any = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, message, key);
    }
  } finally {
    m.dispose();
  }
});
