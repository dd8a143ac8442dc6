// The campaign judge's shrink_mid_supply scenario (mutate/scenarios/shrink_mid_supply.json): a
// reader of pages 1-3 of a 4-page file while another thread shrinks it to 2 pages, so in about
// half the seeds the pager's supply of [1, 4) fails ZX_ERR_OUT_OF_RANGE and `withinSize`
// (services/service.ts) must ask the size again and supply what still fits, page 1, from a
// refilled aux VMO. Before it, 3 campaign probes reached that retry and none raced, so a service
// that stopped after the first OUT_OF_RANGE, supplied past the new end, skipped the supply after
// the refill, or supplied the consumed aux unrefilled broke no checker (fresh shard 1 of 8 on
// db8cb50: docs/mutation.md, helper triage25). The reader's page 1 is then never answered
// (answers-every-read P1, from the trace) or answered with zeros (data-integrity, against the
// backing store).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "shrink_mid_supply";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

Deno.test(`${NAME}: a withinSize that does not supply what still fits after a shrink fails seed 0`, async () => {
  const m = await mutantMirror("services/service.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel+service");
    assert.equal((run(NAME, 0) as Any).kind, "pass");
    for (
      const [key, invariant] of [
        // fits = min(length, size + offset): the retry asks past the new end again.
        ["services/service.ts:471:35:ArithmeticOperator:size + offset", "answers-every-read"],
        // Stops when something still fits, or when the size query succeeded.
        ["services/service.ts:472:25:EqualityOperator:fits > 0", "answers-every-read"],
        ["services/service.ts:472:9:EqualityOperator:gs === ZX_OK", "answers-every-read"],
        // A refill that returned ZX_OK is taken for the retry's status: nothing supplied.
        [
          'services/service.ts:535:7:LogicalOperator:typeof st === "number" || st !== ZX_OK',
          "answers-every-read",
        ],
        // Refills before the first supply and not before a retry: the retry supplies zeros.
        ["services/service.ts:519:12:EqualityOperator:tries++ !== 0", "data-integrity"],
      ] as const
    ) {
      const v: Any = m.withMutant(key, () => run(NAME, 0));
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, invariant, `${key}: ${JSON.stringify(v)}`);
    }
  } finally {
    m.dispose();
  }
});
