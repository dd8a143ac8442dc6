// The campaign judge's evict_below_overlap_wake scenario (mutate/scenarios/
// evict_below_overlap_wake.json): a pager (mutate/scenario_services.ts `prefixResupply`) that
// answers page by page and, before each new page, supplies every earlier page of the packet again,
// so a page the kernel evicted while the request is outstanding is filled again. Ten eviction
// events then, on some seeds, evict the primary's next page after an overlap waiter copied it:
// the primary waits below the overlap waiter's wake page, and the refill is a run from the
// primary's wake page that ends at the overlap waiter's. `EarlyWakeRequestLocked` signals an
// overlap waiter only when the run starts past its wake page or covers it (`overlap_start <=
// overlap.wake_offset_ && overlap_end > overlap.wake_offset_`, page_source.cc @ misttech/mist-os
// 9da14a83); syscall-contract's early-wake "never" rule judges a waiter woken otherwise. No probe
// of the judge made that state before (docs/mutation.md, triage26a and triage27a's open rows
// `page_source.ts:371:18`, `:372:31`, `:372:11`).
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("evict_below_overlap_wake passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("evict_below_overlap_wake"), 100);
});

Deno.test("evict_below_overlap_wake: an overlap waiter woken by a refill below its wake page is early-wake's finding", async () => {
  const keys = [
    "kernel/page_source.ts:497:11:ConditionalExpression:true @end+0:46",
    "kernel/page_source.ts:497:31:EqualityOperator:oe >= o.wakePage",
    "kernel/page_source.ts:496:18:MethodExpression:Math.max(hi, o.end)",
  ];
  const m = await mutantMirror(["kernel/page_source.ts"]);
  try {
    const { checkCase } = await m.load("properties/check_case.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const { SCENARIO_SERVICES } = await m.load("mutate/scenario_services.ts") as Any;
    const scenario = judgeScenario("evict_below_overlap_wake");
    // Seed 12 reaches the state: t2 (the overlap waiter from page 1) waits at page 2 when the
    // kernel evicts page 1 before t3 (the primary) copied it; t3 waits at page 1 again.
    const run = () =>
      checkCase({ scenario, decisions: [], seed: 12 }, {
        monitors: checkersOf("kernel"),
        services: SCENARIO_SERVICES,
      }).verdict;
    assert.equal(run().kind, "pass");
    for (const key of keys) {
      const v = m.withMutant(key, run);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "syscall-contract", key);
      assert.match(
        v.message,
        /^K11e: t2 zx_vmo_read parked at page 2 of request #1 was woken early by a supply, but t3's early wake over pages \[1,2\) neither covers nor passes it/,
        key,
      );
    }
  } finally {
    m.dispose();
  }
});
