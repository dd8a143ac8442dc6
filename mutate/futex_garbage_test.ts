// The campaign judge's futex_garbage scenario (mutate/scenarios/futex_garbage.json, service
// `futex-garbage` in mutate/scenario_services.ts): a pager that first waits on its futex word
// with deadlines that are no number and names a closed thread handle as the new owner. Every
// seed passes unmutated under the kernel and service checkers; futex-discipline's `futex-args`
// holds a garbage deadline to INVALID_ARGS, and a bad owner handle that crashes the kernel ends
// the run. Before it no probe of the judge made such a call (sample 9c15424, docs/mutation.md).
// Its owner round (gap list D of sample db479d7) parks helper threads on futex words and a
// condition variable, names a bystander and a waiter as new owners, and wakes one at a time.
// Its queue round (gap list B of sample d8197e4) times a wait out, then requeues and wakes by count.
// Its edge round (full-run gap list S) passes pointers into and just past the words, requeues
// from a futex nobody waits on and onto one a helper waits on.
// Its wakeup round (the same list) races a condition variable's broadcast with a wait's unlock.
import { strict as assert } from "node:assert";
import { NIGHTLY } from "../tools/nightly.ts";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const SCENARIO = judgeScenario("futex_garbage");

Deno.test("futex_garbage passes every seed of the judge unmutated", () => {
  // Its service passes closed handles on purpose (garbage arguments): the judge exempts it from
  // P17 alone (mut29), as here.
  assertEverySeedPasses(SCENARIO, 100, undefined, ["uses-no-closed-handle"]);
});

Deno.test("futex_garbage: a garbage deadline accepted, or a bad owner handle looked at, fails the run", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const key of [
        "kernel/kernel.ts:486:9:ConditionalExpression:false @end+0:63",
        "kernel/kernel.ts:486:9:ConditionalExpression:false @end+0:37",
      ]
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "futex-discipline", `${key}: ${JSON.stringify(v)}`);
    }
    const owner: Any = m.withMutant("kernel/kernel.ts:473:9:BooleanLiteral:o.ok", verdict);
    assert.notEqual(owner.kind, "pass", JSON.stringify(owner));
  } finally {
    m.dispose();
  }
});

// Gap list D of sample db479d7 (docs/mutation.md): the owner round. A wake that wakes every
// waiter (futex.ts:140), an owner refused for any futex with waiters (futex.ts:201), and a
// condition variable's signal that wakes nobody (sync.ts:192, the pager then polls forever and
// its readers go unserved).
Deno.test({
  name:
    "futex_garbage's owner round: a wake of more than wake_count, a bystander owner refused, a lost signal",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async (t) => {
  for (
    const [file, key, invariant, rule] of [
      [
        "kernel/futex.ts",
        "kernel/futex.ts:157:36:ConditionalExpression:true",
        "futex-discipline",
        /^futex-wake: t\d+ zx_futex_wait\(0x[0-9a-f]+\) returned ZX_OK, but the wakes of that futex since it parked had all been taken by other waiters$/,
      ],
      [
        "kernel/futex.ts",
        "kernel/futex.ts:248:57:ConditionalExpression:true",
        "futex-discipline",
        /^futex-args: t1 zx_futex_wait\(.*\): every argument is valid, yet it returned ZX_ERR_INVALID_ARGS$/,
      ],
      ["services/sync.ts", "services/sync.ts:192:36:BlockStatement:{}", "no-lost-requests", /./],
    ] as const
  ) {
    await t.step(key, async () => {
      const m = await mutantMirror(file);
      try {
        const run = await mirrorScenarioRun(m, "kernel");
        const verdict = (): Any => run("futex_garbage", 0);
        assert.equal(verdict().kind, "pass");
        const v: Any = m.withMutant(key, verdict);
        assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
        assert.equal(v.invariant, invariant, `${key}: ${JSON.stringify(v)}`);
        assert.match(v.message, rule);
      } finally {
        m.dispose();
      }
    });
  }
});

// Gap list B of sample d8197e4 (docs/mutation.md): the queue round. A requeue that moves one
// waiter more than requeue_count (futex.ts:177), and a timed-out wait left in the futex's queue
// (kernel.ts:506: a later requeue moves it instead of a helper): a helper is stranded, the pager
// polls for it forever and its readers go unserved (a hang). One mirror of both files.
Deno.test({
  name: "futex_garbage's queue round: a requeue of one too many, a timed-out waiter left queued",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async () => {
  const m = await mutantMirror(["kernel/futex.ts", "kernel/kernel.ts"]);
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const key of [
        "kernel/futex.ts:194:41:EqualityOperator:moved <= requeueCount",
        "kernel/kernel.ts:520:5:CallExpression:;",
      ]
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "no-lost-requests", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, /^K29: hang at step \d+: .*waits on futex/);
    }
  } finally {
    m.dispose();
  }
});

// Full-run gap list S (shards 1-2 on 620eaba, docs/mutation.md): the edge round. A pointer into
// a word, or just past the last word, taken for a futex (futex.ts:93: BAD_STATE where upstream
// says INVALID_ARGS), a requeue of a futex nobody waits on crashing the kernel (futex.ts:175),
// a requeue that takes more waiters than the queue holds (futex.ts:177),
// and a requeue that replaces the target's queue instead of joining it (futex.ts:176: the
// target's own waiter is stranded, a hang).
Deno.test({
  name:
    "futex_garbage's edge round: bad pointers taken for words, a requeue from an empty futex or onto a waited one",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async () => {
  const m = await mutantMirror("kernel/futex.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const [key, invariant, rule] of [
        ...[
          "kernel/futex.ts:110:12:ConditionalExpression:true @end+0:89",
          "kernel/futex.ts:110:12:ConditionalExpression:true @end+0:41",
        ].map((key) =>
          [
            key,
            "futex-discipline",
            /^futex-args: t1 zx_futex_wait\(0x[0-9a-f]*[26ae], .*returned ZX_ERR_BAD_STATE$/,
          ] as const
        ),
        [
          "kernel/futex.ts:110:45:EqualityOperator:(addr - FUTEX_BASE) / 4 <= this.#words.length",
          "futex-discipline",
          /^futex-args: t1 zx_futex_wait\(.*returned ZX_ERR_BAD_STATE$/,
        ],
        [
          "kernel/futex.ts:193:11:ConditionalExpression:true",
          "no-lost-requests",
          /^K29: hang at step \d+: .*edge-b/,
        ],
      ] as const
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, invariant, `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, rule, key);
    }
    for (
      const key of [
        "kernel/futex.ts:192:9:ConditionalExpression:true @end+0:47",
        "kernel/futex.ts:192:9:ConditionalExpression:true @end+0:27",
        // A requeue asked to move two with one waiter: the loop runs on into the empty queue.
        "kernel/futex.ts:194:14:ConditionalExpression:true",
        "kernel/futex.ts:194:14:EqualityOperator:from.waiters.length >= 0",
      ]
    ) {
      const empty: Any = m.withMutant(key, verdict);
      assert.notEqual(empty.kind, "pass", `${key}: ${JSON.stringify(empty)}`);
    }
  } finally {
    m.dispose();
  }
});

// Full-run gap list S: the wakeup round. A condition variable's broadcast or signal that wakes
// without moving its word first (sync.ts:199, :193) loses the wakeup of a helper between its
// unlock and its futex wait; seed 0 of the judge runs the pager into that window (39 of seeds
// 0-99 do, for each). A hang. And CondVar.wait's own status (sync.ts:188): the round's service
// throws on a status its doc does not allow.
Deno.test({
  name:
    "futex_garbage's wakeup round: a broadcast or signal that does not move the condition variable's word",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async () => {
  const m = await mutantMirror("services/sync.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const [key, how] of [
        ["services/sync.ts:199:5:CallExpression:;", "broadcast"],
        ["services/sync.ts:193:5:CallExpression:;", "signal"],
      ] as const
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "no-lost-requests", `${key}: ${JSON.stringify(v)}`);
      assert.match(
        v.message,
        new RegExp(`^K29: hang at step \\d+: .*${how}-\\d.*condvar wakeup ${how}`),
        key,
      );
    }
    // CondVar.wait's own status: TIMED_OUT for the wait nobody signals, ZX_OK for a woken one.
    for (
      const key of [
        "services/sync.ts:188:12:ConditionalExpression:true",
        "services/sync.ts:188:12:ConditionalExpression:false",
        "services/sync.ts:188:12:EqualityOperator:st !== ZX_ERR_TIMED_OUT",
      ]
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "thread-fault", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, /CondVar\.wait .*returned/, key);
    }
  } finally {
    m.dispose();
  }
});
