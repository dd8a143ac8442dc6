// owner_signal (mutate/scenarios/owner_signal.json, service `owner-signal`): requeues naming a
// thread that waits on neither futex (and the caller) are ZX_OK upstream, and a thread parked in
// zx_object_wait_one wakes when another thread's zx_object_signal clears one user signal and sets
// the one it waits for. Seed 0 passes unmutated; the kernel mistakes of the fresh shard's
// futex-owner class fail it (kernel/kernel.ts:541:7 `||`, :542:8 true: such owners refused, the
// futex-args check; :414:23 `&&`: the parked wait never wakes, the pager polls for it: no-lost-requests' hang).
import { strict as assert } from "node:assert";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
import { mirrorScenarioRun, sharedMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/kernel.ts");

const CASES: readonly [key: string, kind: string, message: RegExp][] = [
  [
    "kernel/kernel.ts:541:7:LogicalOperator:ownerThread !== null || futexes.waitsOn(valuePtr, ownerThread) || futexes.waitsOn(requeuePtr, ownerThread)",
    "invariant",
    /every argument is valid, yet it returned ZX_ERR_INVALID_ARGS/,
  ],
  [
    "kernel/kernel.ts:542:8:ConditionalExpression:true",
    "invariant",
    /every argument is valid, yet it returned ZX_ERR_INVALID_ARGS/,
  ],
  [
    "kernel/kernel.ts:414:23:LogicalOperator:(active() & want) !== 0 && closed()",
    "invariant",
    /hang: .*"vmo-waiter\\" waits on signals 0x2000000/,
  ],
];

Deno.test("owner_signal: every seed of the judge (0-99) passes under the kernel and service checkers", () => {
  assertEverySeedPasses(judgeScenario("owner_signal"), 100);
});

Deno.test("owner_signal: requeue owners refused and a parked wait_one never woken fail seed 0", async () => {
  const m = await mirror();
  const run = await mirrorScenarioRun(m, "kernel");
  assert.equal((run("owner_signal", 0) as Any).kind, "pass");
  for (const [key, kind, message] of CASES) {
    const v: Any = m.withMutant(key, () => run("owner_signal", 0));
    assert.equal(v.kind, kind, `${key}: ${JSON.stringify(v)}`);
    assert.match(JSON.stringify(v), message, key);
  }
});
