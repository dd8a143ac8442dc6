// owner_signal (mutate/scenarios/owner_signal.json, service `owner-signal`): requeues naming a
// thread that waits on neither futex (and the caller) are ZX_OK upstream, and a thread parked in
// zx_object_wait_one wakes when another thread's zx_object_signal clears one user signal and sets
// the one it waits for. Seed 0 passes unmutated; the kernel mistakes of the fresh shard's
// futex-owner class fail it (kernel/kernel.ts:541:7 `||`, :542:8 true: such owners refused, the
// futex-args check; :414:23 `&&`: the parked wait never wakes, the pager polls for it: no-lost-requests' hang).
// A killed futex waiter woken in a live one's place (futex.ts:143:11 false) and a timed-out waiter
// whose leave drops its whole queue (futex.ts:128:9 true) hang a live waiter; a wait naming an
// owner that the trace does not name (kernel.ts:492:46) and a wait_one whose trace names no object
// type (kernel.ts:876:29) fail `wait-text` (properties/_sync_wait_text.ts). A CondVar.wait that
// returns ZX_OK at its deadline (services/sync.ts:188:12) or a Mutex.held that answers nothing
// (:130:27) faults the pager (libsync's condition.h contract). A requeue futex left without the
// owner the requeue named (futex.ts:187:9, :187:27) and an owner kept by a futex whose waiters
// all died (:213:12) fail futex-owner (properties/_futex_owner.ts; the zx_futex_get_owner reads of
// the service's last phase and the owner the kernel reports after each step).
import { strict as assert } from "node:assert";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
import { mirrorScenarioRun, sharedMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror(["kernel/kernel.ts", "kernel/futex.ts", "services/sync.ts"]);

const CASES: readonly [key: string, kind: string, message: RegExp][] = [
  [
    "kernel/kernel.ts:570:7:LogicalOperator:ownerThread !== null || futexes.waitsOn(valuePtr, ownerThread) || futexes.waitsOn(requeuePtr, ownerThread)",
    "invariant",
    /every argument is valid, yet it returned ZX_ERR_INVALID_ARGS/,
  ],
  [
    "kernel/kernel.ts:571:8:ConditionalExpression:true",
    "invariant",
    /every argument is valid, yet it returned ZX_ERR_INVALID_ARGS/,
  ],
  [
    "kernel/kernel.ts:424:23:LogicalOperator:(active() & want) !== 0 && closed()",
    "invariant",
    /K29: hang at step \d+: .*"vmo-waiter\\" waits on signals 0x2000000/,
  ],
  // Dead and timed-out futex waiters, owned waits (session 21, gapT21).
  [
    "kernel/futex.ts:160:11:ConditionalExpression:false",
    "invariant",
    /K29: hang at step \d+: .*"owned-waiter\\" waits on futex/,
  ],
  [
    "kernel/futex.ts:145:9:ConditionalExpression:true",
    "invariant",
    /K29: hang at step \d+: .*"late-waiter\\" waits on futex/,
  ],
  [
    "kernel/kernel.ts:505:46:ConditionalExpression:true",
    "invariant",
    /wait-text: t\d+ parked on futex 0x[0-9a-f]+ naming t1 its owner, but the trace says futex/,
  ],
  [
    'kernel/kernel.ts:905:29:StringLiteral:""',
    "invariant",
    /wait-text: t\d+ parked in zx_object_wait_one for signals 0x2000000 of vmo \d+, but the trace says signals 0x2000000 of {2}\d+/,
  ],
  // Futex owners (session 22, gapO22): a requeue that does not hand the requeue futex to its new
  // owner, and a futex whose killed waiters keep its owner, fail futex-owner.
  [
    "kernel/futex.ts:204:9:ConditionalExpression:false",
    "invariant",
    /futex-owner: .*has no owner, but the futex calls leave koid \d+ its owner/,
  ],
  [
    "kernel/futex.ts:204:27:BlockStatement:{}",
    "invariant",
    /futex-owner: .*has no owner, but the futex calls leave koid \d+ its owner/,
  ],
  [
    "kernel/futex.ts:230:12:MethodExpression:f.waiters.every(w => w.thread.alive)",
    "invariant",
    /futex-owner: /,
  ],
  // The service library's CondVar: a wait nobody signals is ZX_OK, a mutex never held.
  [
    "services/sync.ts:188:12:ConditionalExpression:false",
    "thread-fault",
    /a CondVar.wait nobody signals returned 0, upstream -21/,
  ],
  [
    "services/sync.ts:130:27:BlockStatement:{}",
    "thread-fault",
    /CondVar.wait timed out without the mutex held again/,
  ],
];

Deno.test("owner_signal: every seed of the judge (0-99) passes under the kernel and service checkers", () => {
  assertEverySeedPasses(judgeScenario("owner_signal"), 100);
});

Deno.test("owner_signal: requeue owners refused, a parked wait_one never woken, a dead or timed-out futex waiter woken or left queued in a live one's place, and a misdescribed wait fail seed 0", async () => {
  const m = await mirror();
  const run = await mirrorScenarioRun(m, "kernel");
  assert.equal((run("owner_signal", 0) as Any).kind, "pass");
  for (const [key, kind, message] of CASES) {
    const v: Any = m.withMutant(key, () => run("owner_signal", 0));
    assert.equal(v.kind, kind, `${key}: ${JSON.stringify(v)}`);
    assert.match(JSON.stringify(v), message, key);
  }
});
