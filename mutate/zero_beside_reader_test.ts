// The campaign judge's zero_beside_reader scenario (mutate/scenarios/zero_beside_reader.json): a
// ZERO of pages 2-4 of a pager VMO, whose page 2 a first ZERO made a zero interval, while a reader
// waits on page 1 and another on page 5. `ZeroPagesLocked` resolves the READ requests of the gaps
// it zeroes only (`InvalidateReadRequestsLocked`, vm_cow_pages.cc @ misttech/fuchsia 030dcba0),
// so the reader of page 1 waits on. wake-discipline (K11, properties/_zero_wakes.ts) reports a
// reader a ZERO woke whose request it zeroed none of. Before it no checker judged which waiters
// a ZERO woke (full run on 212f0dc, shard 2: gap list Z, docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("zero_beside_reader passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("zero_beside_reader"), 100);
});

Deno.test("zero_beside_reader: a ZERO that resolves the READs before its range wakes a reader it zeroed nothing of", async () => {
  const m = await mutantMirror("kernel/vmo_pages.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const key = "kernel/vmo_pages.ts:917:11:LogicalOperator:s !== undefined || gap >= 0";
    let killer: Any;
    for (let seed = 0; seed < 100 && killer === undefined; seed++) {
      const v: Any = m.withMutant(key, () => run("zero_beside_reader", seed));
      if (v.kind !== "invariant" || v.invariant !== "wake-discipline") continue;
      assert.equal((run("zero_beside_reader", seed) as Any).kind, "pass", `seed ${seed} unmutated`);
      killer = v;
    }
    assert.ok(killer !== undefined, `no seed fails wake-discipline with ${key}`);
    assert.match(killer.message, /^K11: t\d+'s READ \[1,2\) of vmo\d+ resolved by zx_vmo_op_range/);
  } finally {
    m.dispose();
  }
});
