// The campaign judge's released_overlap_waiter scenario
// (mutate/scenarios/released_overlap_waiter.json): three readers of page 0 wait in one READ
// request while a fourth, a thread whose faults fail instead of blocking, joins it and leaves
// (`PageSource.release`, kernel/page_source.ts). Leaving must take only that waiter off the
// request: the others wake when the page is supplied. Before it, 3 campaign probes reached
// `release` of an overlap waiter and none had another overlap waiter beside it, so a release that
// dropped every overlap waiter passed (fresh shard 1 of 8 on db8cb50: docs/mutation.md, helper
// triage25); now the dropped readers wait for ever: the supply that completes the request leaves
// them parked, syscall-contract's complete-wakes at that step (before it, no-lost-requests' hang
// at the run's end; helper kfix26b).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "released_overlap_waiter";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

Deno.test(`${NAME}: a release that drops the request's other overlap waiters strands them`, async () => {
  const m = await mutantMirror("kernel/page_source.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const key = "kernel/page_source.ts:282:39:ArrowFunction:() => undefined";
    assert.equal((run(NAME, 2) as Any).kind, "pass", "seed 2 unmutated");
    const v: Any = m.withMutant(key, () => run(NAME, 2));
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /^complete-wakes: request #\d+ of vmo\d+ \[0,1\) completed at step \d+/,
    );
  } finally {
    m.dispose();
  }
});
