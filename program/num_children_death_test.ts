// The campaign judge's `program:num-children-death` probe (`numChildrenDeathProgram`) and the
// program contract's bounds on ZX_INFO_VMO `num_children` across a child's death
// (program/child_count.ts). The probe passes unmutated; a kernel that leaves a dead VMO in its
// parent's child list (`objects.ts:497:20` `{}`) or does not hand a dead middle VMO's children to
// its parent (`objects.ts:503:22` `;`), blind spots of shards 4 and 5 (docs/mutation.md, helpers
// gapX22, gap23, lever24b), fails the contract.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ChildCount } from "./child_count.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("numChildrenDeathProgram passes unmutated; a dead child kept, or its children dropped, fails the contract", async () => {
  const m = await mutantMirror(["kernel/objects.ts"]);
  try {
    const { numChildrenDeathProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(numChildrenDeathProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const counts = base.results[0].filter((r: Any) => r.info !== undefined)
      .map((r: Any) => r.info.numChildren);
    assert.deepEqual(counts, [2, 2, 1, 0]);
    for (
      const [key, said] of [
        ["kernel/objects.ts:497:20:BlockStatement:{}", "3 children"],
        ["kernel/objects.ts:503:22:CallExpression:;", "1 children"],
      ]
    ) {
      const v = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", JSON.stringify(v));
      assert.match(v.message, new RegExp(`zx_object_get_info reports ${said}; by the children`));
    }
  } finally {
    m.dispose();
  }
});

Deno.test("ChildCount: bounds across deaths, holds and calls in flight", () => {
  const made = new Map([[1, [2, 4]], [2, [3]]]);
  const c = new ChildCount();
  // Everything open: the two children made of 1.
  assert.deepEqual(c.bounds(1, made, new Set([1, 2, 3, 4]), 0), { low: 2, high: 2 });
  // Middle 2 closed, never mapped: dead, its child 3 counts on 1.
  assert.deepEqual(c.bounds(1, made, new Set([1, 3, 4]), 0), { low: 2, high: 2 });
  // 4 closed too, and 3: nothing left.
  assert.deepEqual(c.bounds(1, made, new Set([1]), 0), { low: 0, high: 0 });
  // A call of another thread in flight on 3 (made of 1's child): not judged.
  c.start("zx_vmo_read", [3], 7);
  assert.equal(c.bounds(1, made, new Set([1, 3, 4]), 0), null);
  c.end("zx_vmo_read", 0, true, 7);
  // 2 was mapped: alive or dead, one child or its one child; 4 closed never mapped: gone.
  c.start("zx_vmar_map", [9, 2], 7);
  c.end("zx_vmar_map", 0, true, 7);
  assert.deepEqual(c.bounds(1, made, new Set([1, 3]), 0), { low: 1, high: 1 });
  assert.deepEqual(c.bounds(1, made, new Set([1]), 0), { low: 0, high: 1 });
  // A child made of a VMO the model did not know: no upper bound.
  c.end("zx_vmo_create_child", 0, false, 7);
  assert.deepEqual(c.bounds(1, made, new Set([1, 3]), 0), { low: 1, high: Infinity });
});
