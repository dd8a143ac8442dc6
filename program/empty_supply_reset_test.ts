// The pin layout's `emptySuppliesAndReset` tail (program/generate.ts) and the rule that judges
// its queries (dirty-state K25: a query with ZX_PAGER_RESET_VMO_STATS clears the modified flag):
// each mutant below survived every campaign probe on 8c22820 (docs/mutation.md, "Empty supplies
// and the resetting query (session 21, helper gapQ21)"), and fails program 0 of the judge, whose
// pin layout ends with the tail, as the case says. Program 0 passes unmutated.
import { strict as assert } from "node:assert";
import { sharedProgramMirror } from "./testdata/program_verdict.ts";

const mirror = sharedProgramMirror(["kernel/kernel.ts"]);

/** The judge's program with the tail that each case's mutant fails. */
const PROGRAM = 0;

const CASES: readonly [key: string, what: string, invariant: string, message: RegExp][] = [
  [
    "kernel/kernel.ts:246:30:ConditionalExpression:false",
    "zx_pager_supply_pages: an empty supply past the VMO's end ZX_OK, not OUT_OF_RANGE",
    "program-contract",
    /zx_pager_supply_pages returned ZX_OK; the handle model says ZX_ERR_OUT_OF_RANGE/,
  ],
  [
    "kernel/kernel.ts:296:9:ConditionalExpression:false",
    "zx_pager_query_vmo_stats: RESET leaves the VMO modified",
    "dirty-state",
    /K25: vmo\d+ is still modified after a query of it with RESET/,
  ],
  [
    "kernel/kernel.ts:294:26:ConditionalExpression:true",
    "zx_pager_query_vmo_stats: ZX_PAGER_RESET_VMO_STATS refused as INVALID_ARGS",
    "program-contract",
    /zx_pager_query_vmo_stats returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK/,
  ],
  [
    "kernel/kernel.ts:294:9:ConditionalExpression:false",
    "zx_pager_query_vmo_stats: options the page does not name accepted",
    "program-contract",
    /zx_pager_query_vmo_stats returned ZX_OK; the handle model says ZX_ERR_INVALID_ARGS/,
  ],
];

Deno.test("the empty-supply and resetting-query tail kills its kernel.ts mutants", async (t) => {
  const { verdict } = await mirror();
  assert.equal(verdict(PROGRAM).kind, "pass", `program ${PROGRAM} passes unmutated`);
  for (const [key, what, invariant, message] of CASES) {
    await t.step(what, () => {
      const v = verdict(PROGRAM, key);
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      assert.equal(v.invariant, invariant, JSON.stringify(v));
      assert.match(v.message, message);
    });
  }
});
