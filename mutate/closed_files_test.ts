// The campaign judge's closed_files_batching_writeback scenario (mutate/scenarios/, full-run
// gap list S, docs/mutation.md): files that come and go (open, close, three times) under the
// batching and the writeback services while a reader of each reads them. A READ the service
// dequeues after its file was closed names a key the service no longer serves: the packet is a
// stale hint (spec 7.2 P3), and a service that looks the VMO up anyway faults. Before it only
// the detacher met such a packet in the judge (detacher_closed_file).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "closed_files_batching_writeback";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

for (
  const [file, key, seed] of [
    // 7 of seeds 0-99 fail with it.
    ["services/batching.ts", "services/batching.ts:51:11:ConditionalExpression:false", 12],
    // 8 of seeds 0-99 (seed 11 until an op looked its file's handle up when it runs: fx22).
    [
      "services/writeback.ts",
      "services/writeback.ts:221:13:ConditionalExpression:true @end+0:30",
      9,
    ],
  ] as const
) {
  Deno.test(`${NAME}: seed ${seed} faults the service with ${key}`, async () => {
    const m = await mutantMirror(file);
    try {
      const run = await mirrorScenarioRun(m, "kernel+service");
      assert.equal((run(NAME, seed) as Any).kind, "pass");
      const v: Any = m.withMutant(key, () => run(NAME, seed));
      assert.equal(v.kind, "thread-fault", JSON.stringify(v));
      assert.match(v.message, /^TypeError: Cannot read properties of undefined/);
    } finally {
      m.dispose();
    }
  });
}
