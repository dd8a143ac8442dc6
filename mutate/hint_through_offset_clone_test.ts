// The campaign judge's hint_through_offset_clone scenario (mutate/scenarios/
// hint_through_offset_clone.json): a pager (mutate/scenario_services.ts `hintTailThroughClone`)
// that supplies a 6-page file whole and hints its last two pages ALWAYS_NEED through an
// at-least-on-write clone made at page 2, as the clone's pages [2, 4), while the kernel evicts
// (two service threads: the hint's commit may wait for a page evicted since the supply).
// The hint protects root pages [4, 6) and no other (spec 2.8.2, 6.1): page-state's eviction
// oracle (properties/_evictable.ts) leaves only the root pages under a hint through a child
// unjudged, so a kernel that protects the pages the clone's own offsets name, [0, 2) (db8cb50's
// `vmo_pages.ts:937:59` `p - shift`), fails K26 when an eviction looks. Before, the oracle left
// the whole root unjudged after any hint through a child, and no probe of the judge hinted
// through a clone at an offset and then evicted (docs/mutation.md, triage27a's open row).
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("hint_through_offset_clone passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("hint_through_offset_clone"), 100);
});

Deno.test("hint_through_offset_clone: a hint through the clone that protects root pages outside its window is K26's finding", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { checkCase } = await m.load("properties/check_case.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const { SCENARIO_SERVICES } = await m.load("mutate/scenario_services.ts") as Any;
    const scenario = judgeScenario("hint_through_offset_clone");
    // Seed 3: an eviction looks after the hint, with root page 0 present and Clean.
    const run = () =>
      checkCase({ scenario, decisions: [], seed: 3 }, {
        monitors: checkersOf("kernel"),
        services: SCENARIO_SERVICES,
      }).verdict;
    assert.equal(run().kind, "pass");
    const v = m.withMutant("kernel/vmo_pages.ts:963:59:ArithmeticOperator:p - shift", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "page-state");
    assert.match(
      v.message,
      /^K26: vmo\d+ page 0 \(clean, unpinned, no ALWAYS_NEED\) is not offered for eviction/,
    );
  } finally {
    m.dispose();
  }
});
