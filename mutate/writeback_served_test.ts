// The campaign judge's writeback_requests scenario (mutate/scenarios/, session 20 gap list W,
// docs/mutation.md) and the service obligation it feeds, writeback-served
// (properties/writeback_served.ts): a writeback service asked, again and again, to write back
// pages two threads write (its timer never fires) must query every VMO that was dirty at the
// request (W1), begin writing back each page dirty then (W2) and end every writeback it began
// (W2). Before, a writeback service that stopped writing back broke no checker: its pages merely
// stayed Dirty.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "writeback_requests";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

Deno.test(`${NAME}: a writeback service that stops writing back breaks writeback-served`, async () => {
  const m = await mutantMirror("services/writeback.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel+service");
    assert.equal((run(NAME, 0) as Any).kind, "pass");
    for (
      const [key, code] of [
        // Returns after the size query: never queries the dirty ranges.
        ["services/writeback.ts:144:7:ConditionalExpression:true", "W1"],
        // `passing` starts true: no pass ever runs.
        ["services/writeback.ts:208:69:BooleanLiteral:true", "W1"],
        // `passing` stays true after the first pass: later requests are dropped.
        ["services/writeback.ts:229:25:BooleanLiteral:true", "W1"],
        // Queries, then begins nothing: no range loop, or a buffer too small for one range.
        ["services/writeback.ts:153:27:BlockStatement:{}", "W2"],
        ["services/writeback.ts:150:5:ArithmeticOperator:64 / ZX_VMO_DIRTY_RANGE_SIZE", "W2"],
        // `supplying` never comes back to 0: every pass leaves its first range AwaitingClean.
        ["services/writeback.ts:129:5:UpdateOperator:state.supplying++", "W2"],
        ["services/writeback.ts:128:13:BlockStatement:{}", "W2"],
        // Always returns before persisting: BEGIN, never END.
        ["services/writeback.ts:175:11:ConditionalExpression:true", "W2"],
      ] as const
    ) {
      const v: Any = m.withMutant(key, () => run(NAME, 0));
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "writeback-served", key);
      assert.match(v.message, new RegExp(`^${code}: `), key);
    }
  } finally {
    m.dispose();
  }
});
