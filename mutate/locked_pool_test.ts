// The campaign judge's locked_pool scenario (mutate/scenarios/locked_pool.json, service
// `locked-pool` in mutate/scenario_services.ts): two pager threads supplying under one futex mutex,
// one waiting on a condition variable. Every seed passes unmutated under the kernel and service
// checkers and contends the futex (a zx_futex_wait in every run); a futex that wakes nobody
// hangs the readers, which the checkers report. Before the scenario no probe of the judge took a
// lock: `deno task mutate --files '{kernel/futex.ts,services/sync.ts}' --only` killed 10 of 262,
// with it 86 (docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const SCENARIO = judgeScenario("locked_pool");

Deno.test("locked_pool passes every seed of the judge unmutated, and every seed waits on the futex", () => {
  assertEverySeedPasses(SCENARIO, 100, (seed) => {
    const text = runScenario(SCENARIO, { seed, services: SCENARIO_SERVICES, keepTrace: true })
      .trace.text();
    assert.match(text, /zx_futex_wait/, `seed ${seed} never contends the mutex`);
  });
});

Deno.test("locked_pool: a zx_futex_wake that wakes nobody leaves the readers waiting, and the checkers say so", async () => {
  const m = await mutantMirror("kernel/futex.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("locked_pool", 0);
    assert.equal(verdict().kind, "pass");
    // 136:48 leaves the futex's owner in place as well: futex-discipline's futex-owner rule
    // (session 22, gapO22) says so at the wake's step, before the readers' wait is judged.
    for (
      const [key, invariant] of [
        ["kernel/futex.ts:153:48:BlockStatement:{}", "futex-discipline"],
        ["kernel/futex.ts:161:17:BooleanLiteral:false", "no-lost-requests"],
      ]
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, invariant, `${key}: ${JSON.stringify(v)}`);
    }
  } finally {
    m.dispose();
  }
});
