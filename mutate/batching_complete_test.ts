// The campaign judge's batching_complete_mid_batch scenario (mutate/scenarios/, session 20 gap
// list W, docs/mutation.md): READs of one VMO wait in the batching service's batch when the
// COMPLETE of another VMO (detached, or its last handle closed) arrives. COMPLETE is the named
// VMO's last packet ("The final request the pager service will receive is a
// ZX_PAGER_VMO_COMPLETE request", docs/reference/syscalls/pager_detach_vmo.md @ gnoliyil/fuchsia
// 3a0300d1), so only that VMO's batched READs are stale; a service that drops the others leaves
// their readers waiting forever (answers-every-read P1).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "batching_complete_mid_batch";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

Deno.test(`${NAME}: a COMPLETE that drops another VMO's batched READs strands a reader`, async () => {
  const m = await mutantMirror("services/batching.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel+service");
    assert.equal((run(NAME, 0) as Any).kind, "pass");
    // 76 of seeds 0-99 fail with each.
    for (
      const key of [
        "services/batching.ts:47:64:ConditionalExpression:false",
        "services/batching.ts:47:64:EqualityOperator:b.key === packet.key",
      ]
    ) {
      const v: Any = m.withMutant(key, () => run(NAME, 0));
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "answers-every-read", key);
      assert.match(
        v.message,
        /^P1: .* took a READ for vmo\d+ page \d+ \(READ #\d+ \[\d+,\d+\), taken at step \d+\) and never answered it/,
        key,
      );
    }
  } finally {
    m.dispose();
  }
});
