// The campaign judge's `program:query-dirty-edges` probe (`queryDirtyEdgesProgram`):
// zx_pager_query_dirty_ranges over page 1 alone of a pager VMO whose page 1 is Dirty (one range),
// then with an offset, a length and a buffer size that are each no u64 (INVALID_ARGS each). No
// campaign probe queried from a nonzero offset or passed such garbage with a valid pager and VMO,
// so a query that started at page `offset * pageSize`, or checked the garbage only all together,
// passed (fresh shard 1 of 8 on db8cb50, `kernel.ts:269:9`, `:271:30`; docs/mutation.md, helper
// triage25). dirty-state K19 judges the ranges against the page states; the contract the statuses.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_INVALID_ARGS, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("queryDirtyEdgesProgram passes unmutated; a query from the wrong page or with garbage fails", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { queryDirtyEdgesProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(queryDirtyEdgesProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].slice(7).map((r: Any) => r.status), [
      ZX_OK,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_INVALID_ARGS,
    ]);
    for (
      const [key, invariant] of [
        // The argument checks skipped, or made only when the buffer size is garbage too.
        ["kernel/kernel.ts:278:9:ConditionalExpression:false @end+0:63", "program-contract"],
        [
          "kernel/kernel.ts:278:9:LogicalOperator:(!isU64(offset) || !isU64(length)) && !isU64(bufferSize)",
          "program-contract",
        ],
        // The first page queried is `offset * pageSize`: past every page, so no range.
        ["kernel/kernel.ts:280:30:ArithmeticOperator:offset * this.pageSize", "dirty-state"],
      ] as const
    ) {
      const v: Any = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, invariant, `${key}: ${JSON.stringify(v)}`);
    }
  } finally {
    m.dispose();
  }
});
