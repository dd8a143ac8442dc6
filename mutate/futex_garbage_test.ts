// The campaign judge's futex_garbage scenario (mutate/scenarios/futex_garbage.json, service
// `futex-garbage` in mutate/scenario_services.ts): a pager that first waits on its futex word
// with deadlines that are no number and names a closed thread handle as the new owner. Every
// seed passes unmutated under the kernel and service checkers; futex-discipline's `futex-args`
// holds a garbage deadline to INVALID_ARGS, and a bad owner handle that crashes the kernel ends
// the run. Before it no probe of the judge made such a call (sample 9c15424, docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const SCENARIO = judgeScenario("futex_garbage");

Deno.test("futex_garbage passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(SCENARIO, 100);
});

Deno.test("futex_garbage: a garbage deadline accepted, or a bad owner handle looked at, fails the run", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const key of [
        "kernel/kernel.ts:476:9:ConditionalExpression:false @end+0:63",
        "kernel/kernel.ts:476:9:ConditionalExpression:false @end+0:37",
      ]
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "futex-discipline", `${key}: ${JSON.stringify(v)}`);
    }
    const owner: Any = m.withMutant("kernel/kernel.ts:463:9:BooleanLiteral:o.ok", verdict);
    assert.notEqual(owner.kind, "pass", JSON.stringify(owner));
  } finally {
    m.dispose();
  }
});
