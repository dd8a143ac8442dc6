// The campaign judge's zero_first_gaps scenario (mutate/scenarios/zero_first_gaps.json): a ZERO
// of a pager VMO from page 0 over absent pages while one reader waits on page 0 and another on
// pages 1-2. The ZERO turns the gaps into zero intervals and resolves the READ requests over
// each gap it zeroed, the one starting at page 0 too (spec: ZERO over gaps wakes their readers,
// who read zeros). Every seed passes unmutated; a ZERO that loses the gap at page 0 leaves the
// first reader's request unresolved, which no-lost-requests reports. Before it no probe of the
// judge zeroed from page 0 under a waiting reader (sample db479d7, gap list C, docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("zero_first_gaps passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("zero_first_gaps"), 100);
});

Deno.test("zero_first_gaps: a ZERO that drops the gap at page 0 loses the waiting reader's request", async () => {
  const m = await mutantMirror("kernel/vmo_pages.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const key = "kernel/vmo_pages.ts:916:30:EqualityOperator:gap <= 0";
    const seeds = Array.from({ length: 100 }, (_, k) => k);
    const killer = seeds.find((seed) => {
      assert.equal((run("zero_first_gaps", seed) as Any).kind, "pass", `seed ${seed} unmutated`);
      const v: Any = m.withMutant(key, () => run("zero_first_gaps", seed));
      return v.kind === "invariant" && v.invariant === "no-lost-requests";
    });
    assert.ok(killer !== undefined, `no seed fails no-lost-requests with ${key}`);
  } finally {
    m.dispose();
  }
});
