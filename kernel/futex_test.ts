/**
 * `zx_futex_requeue` against the upstream code and tests it follows:
 * `FutexContext::FutexRequeueInternal` (zircon/kernel/object/futex_context.cc)
 * and `OwnedWaitQueue::WakeAndRequeue` (zircon/kernel/kernel/owned_wait_queue.cc),
 * both @ vsrinivas/fuchsia 04544766; FutexTest `Requeue` and
 * `RequeueUnqueuedOnTimeout` (zircon/system/utest/core/futex/futex.cc @
 * vsrinivas/fuchsia 280888fc). The error rows are in kernel_errors_test.ts.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { ZX_ERR_INVALID_ARGS, ZX_ERR_TIMED_OUT, ZX_OK, ZX_TIME_INFINITE } from "./constants.ts";
import { Futexes } from "./futex.ts";
import { Kernel } from "./kernel.ts";
import type { KThread } from "./objects.ts";
import type { CallArgs } from "./syscalls.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import type { Syscall } from "./yields.ts";
import { fairStrategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { describeVerdict, World } from "../sim/world.ts";
import type { ExploreOptions } from "../explore/explore.ts";
import { finals } from "../explore/_final_states.ts";
import { parseScenario } from "../scenario/schema.ts";
import { type PagerService, serveReads, supplyFromBacking } from "../services/service.ts";

const WAKE_ALL = 0xffff_ffff;

function world(): World {
  return new World({ pageSize: 64, strategy: fairStrategy() });
}

/** Lets the other threads run: `n` cheap syscalls (each a scheduling point). */
function* pause(sys: Sys, n = 6): Syscall<void> {
  for (let i = 0; i < n; i++) yield* sys.portCreate(0);
}

Deno.test("requeue: wakes wake_count waiters, oldest first, then moves requeue_count of the rest in queue order", () => {
  // WakeAndRequeue: WakeThreadsInternal(wake_count, ...), then "If there are still threads left
  // in the wake queue (this), and we were asked to requeue threads, then do so", ForeachThread
  // moving each "from this to the requeue_target" until "requeued < requeue_count" fails.
  const w = world();
  let a = 0, b = 0;
  const order: string[] = [];
  w.spawn("main", "workload", function* (sys: Sys): ThreadBody {
    a = sys.futexWord(100);
    b = sys.futexWord(200);
    yield* pause(sys);
    const k = sys.kernel.futexes;
    assert.equal(k.stateKey(), "100,200;1073741824:2.3.4.5.6>-");
    assert.equal(yield* sys.futexRequeue(a, 2, 100, b, 2, 0), ZX_OK);
    // w1, w2 woken; w3, w4 moved to b (in that order); w5 stays on a.
    assert.equal(k.stateKey(), "100,200;1073741824:6>-;1073741828:4.5>-");
    yield* pause(sys);
    assert.deepEqual(order, ["w1", "w2"]);
    assert.equal(yield* sys.futexWake(b, 1), ZX_OK);
    yield* pause(sys);
    assert.deepEqual(order, ["w1", "w2", "w3"]);
    assert.equal(yield* sys.futexWake(a, WAKE_ALL), ZX_OK);
    yield* pause(sys);
    assert.deepEqual(order, ["w1", "w2", "w3", "w5"]);
    assert.equal(yield* sys.futexWake(b, WAKE_ALL), ZX_OK);
  });
  for (let i = 1; i <= 5; i++) {
    w.spawn(`w${i}`, "workload", function* (sys: Sys): ThreadBody {
      assert.equal(yield* sys.futexWait(a, 100, 0, ZX_TIME_INFINITE), ZX_OK);
      order.push(`w${i}`);
    });
  }
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(order, ["w1", "w2", "w3", "w5", "w4"]);
});

Deno.test("requeue: a requeued waiter that times out leaves the requeue futex's queue (RequeueUnqueuedOnTimeout)", () => {
  // futex.cc: "Test the case where futex_wait() times out after having been moved to a
  // different queue by futex_requeue(). Check that futex_wait() removes itself from the correct
  // queue in that case." FutexWaitInternal finds the futex by `blocking_futex_id_`, which the
  // requeue hook (SetBlockingFutexId) pointed at the requeue futex.
  const w = world();
  let a = 0, b = 0;
  const got: string[] = [];
  w.spawn("main", "workload", function* (sys: Sys): ThreadBody {
    a = sys.futexWord(100);
    b = sys.futexWord(200);
    yield* pause(sys, 2);
    assert.equal(yield* sys.futexRequeue(a, 0, 100, b, WAKE_ALL, 0), ZX_OK);
    sys.spawn("t1", function* (s: Sys): ThreadBody {
      got.push(`t1 ${yield* s.futexWait(b, 200, 0, ZX_TIME_INFINITE)}`);
    });
    // t0 times out on b; only t1 is left there, so a wake of one wakes t1.
    while (!got.some((g) => g.startsWith("t0"))) yield* sys.portCreate(0);
    assert.equal(sys.kernel.futexes.stateKey(), "100,200;1073741828:3>-");
    assert.equal(yield* sys.futexWake(b, 1), ZX_OK);
    got.push("woke b");
  });
  w.spawn("t0", "workload", function* (sys: Sys): ThreadBody {
    got.push(`t0 ${yield* sys.futexWait(a, 100, 0, sys.now + 30)}`);
    // Alive until the wake (as upstream's thread is): a stale entry of it would take the wake.
    while (!got.includes("woke b")) yield* sys.portCreate(0);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [`t0 ${ZX_ERR_TIMED_OUT}`, "woke b", `t1 ${ZX_OK}`]);
  assert.equal(w.kernel.futexes.stateKey(), "100,200");
});

Deno.test("requeue: the wake futex loses its owner, the requeue futex gets the named one while it has waiters", () => {
  // futex_requeue.md: "A successful call to zx_futex_requeue() results in the owner of the futex
  // being set to nothing, regardless of the wake count" and the requeue futex's owner "being set
  // to the thread referenced by the new_requeue_owner handle"; WakeAndRequeue: "If there is no
  // one waiting in the requeue target, then it is not allowed to have an owner."
  const w = world();
  let a = 0, b = 0, c = 0, mainHandle = 0;
  w.spawn("main", "workload", function* (sys: Sys): ThreadBody {
    a = sys.futexWord(0);
    b = sys.futexWord(0);
    c = sys.futexWord(0);
    mainHandle = sys.self;
    yield* pause(sys, 4);
    const k = sys.kernel.futexes;
    const main = sys.kernel.handles.entry(mainHandle)?.object;
    assert.equal(k.ownerOf(a), main, "the waiters named main as a's owner");
    // Move one waiter to b, naming main as b's owner; a keeps one waiter, and no owner.
    assert.equal(yield* sys.futexRequeue(a, 0, 0, b, 1, mainHandle), ZX_OK);
    assert.equal(k.ownerOf(a), null);
    assert.equal(k.ownerOf(b), main);
    // A hang report follows the moved waiter to b and its owner.
    const moved = w.threads.find((t) => t.name === "w1");
    assert.ok(moved !== undefined && moved.pending?.kind === "block");
    assert.match(moved.pending.wait.describe(), /^futex 0x40000004 owned by t1$/);
    assert.deepEqual(moved.pending.wait.holders?.(), [1]);
    // requeue_count 0: nobody moves, yet b (which has a waiter) still gets the owner named,
    // here none (FutexRequeueInternal's WakeThreads branch: AssignOwner(new_requeue_owner)).
    assert.equal(yield* sys.futexRequeue(a, 0, 0, b, 0, 0), ZX_OK);
    assert.equal(k.ownerOf(b), null);
    // A requeue target nobody waits on gets no owner.
    assert.equal(yield* sys.futexRequeue(a, 0, 0, c, 0, mainHandle), ZX_OK);
    assert.equal(k.ownerOf(c), null);
    assert.equal(yield* sys.futexWake(a, WAKE_ALL), ZX_OK);
    assert.equal(yield* sys.futexWake(b, WAKE_ALL), ZX_OK);
  });
  for (const name of ["w1", "w2"]) {
    w.spawn(name, "workload", function* (sys: Sys): ThreadBody {
      assert.equal(yield* sys.futexWait(a, 0, mainHandle, ZX_TIME_INFINITE), ZX_OK);
    });
  }
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
});

Deno.test("requeue: a dead owner is no owner; a killed waiter is neither woken nor moved", () => {
  // ValidateFutexOwner: "If the thread is already DEAD or DYING, don't bother attempting to
  // assign it as a new owner for the futex"; a killed waiter has left the queue upstream.
  const w = world();
  let a = 0, b = 0;
  const got: string[] = [];
  w.spawn("main", "workload", function* (sys: Sys): ThreadBody {
    a = sys.futexWord(0);
    b = sys.futexWord(0);
    yield* pause(sys, 4);
    const victim = w.threads.find((t) => t.name === "w1");
    assert.ok(victim !== undefined);
    assert.equal(yield* sys.taskKill(victim.k.selfHandle), ZX_OK);
    // Wake one: w2 (the killed w1 is skipped); move one: w3.
    assert.equal(yield* sys.futexRequeue(a, 1, 0, b, 1, victim.k.selfHandle), ZX_OK);
    assert.equal(sys.kernel.futexes.ownerOf(b), null, "the dead owner was dropped");
    yield* pause(sys, 4);
    assert.deepEqual(got, ["w2"]);
    assert.equal(yield* sys.futexWake(b, WAKE_ALL), ZX_OK);
  });
  for (const name of ["w1", "w2", "w3"]) {
    w.spawn(name, "workload", function* (sys: Sys): ThreadBody {
      assert.equal(yield* sys.futexWait(a, 0, 0, ZX_TIME_INFINITE), ZX_OK);
      got.push(name);
    });
  }
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, ["w2", "w3"]);
});

Deno.test("requeue: waiters killed but not yet out of the queue are dropped, neither woken nor moved nor counted", () => {
  // Upstream a killed thread leaves the wait queue at once; the model's stays until it runs
  // again, so Futexes.requeue (like wake) drops it wherever it meets one.
  const k = new Kernel({ pageSize: 64 });
  const ts = ["w1", "w2", "w3", "w4"].map((n, i) => k.createThread(n, i + 1)[0]);
  const f = new Futexes();
  const [a, b] = [f.alloc(0), f.alloc(0)];
  const ws = ts.map((t) => f.enqueue(a, t, null));
  ts[0].killed = true; // would be woken
  ts[2].killed = true; // would be moved
  const { woken, moved } = f.requeue(a, 1, b, 1, null);
  assert.deepEqual(woken.map((t) => t.name), ["w2"]);
  assert.equal(moved, 1);
  assert.equal(ws[3].addr, b, "w4 moved");
  assert.equal(ws[2].addr, a, "the dead w3 did not move");
  assert.equal(f.stateKey(), `0,0;${b}:4>-`);
  assert.equal(f.waitsOn(a, ts[2]), false, "the dead w3 was dropped from a's queue");
});

Deno.test("Futexes.stateKey is canonical: the same waiters give the same key whichever futex got its first waiter first", () => {
  // The key is the state exploration hashes: two schedules that reach the same futex state by
  // parking on the futexes in another order must meet in one state.
  const k = new Kernel({ pageSize: 64 });
  const [t1] = k.createThread("w1", 1);
  const [t2] = k.createThread("w2", 2);
  const keys = [false, true].map((highFirst) => {
    const f = new Futexes();
    const [a, b] = [f.alloc(0), f.alloc(0)];
    if (highFirst) f.enqueue(b, t2, null);
    f.enqueue(a, t1, null);
    if (!highFirst) f.enqueue(b, t2, null);
    return f.stateKey();
  });
  assert.equal(keys[1], keys[0]);
});

/**
 * A condvar-style broadcast by requeue (what libsync's condition variables do upstream): a
 * sleeper waits on `gate`; the main thread opens the gate and requeues every gate waiter onto
 * `lock` without waking it, then releases `lock`. Which of the sleeper's waits ran, and how each
 * ended, depends on the order, and is recorded in a word.
 */
const requeueBroadcast: PagerService = function* (sys: Sys, ctx) {
  const gate = sys.futexWord(0), lock = sys.futexWord(0), seen = sys.futexWord(0);
  sys.spawn("sleeper", function* (s: Sys): ThreadBody {
    const first = s.atomicLoad(gate) === 0 ? yield* s.futexWait(gate, 0, 0, ZX_TIME_INFINITE) : 1;
    s.atomicStore(seen, first);
    yield* s.portCreate(0); // a step boundary: the next step starts on the lock
    while (s.atomicLoad(lock) === 0) yield* s.futexWait(lock, 0, 0, ZX_TIME_INFINITE);
    s.atomicAdd(seen, 100);
  });
  sys.atomicStore(gate, 1);
  yield* sys.futexRequeue(gate, 0, 1, lock, WAKE_ALL, 0);
  sys.atomicStore(lock, 1);
  yield* sys.futexWake(lock, WAKE_ALL);
  yield* serveReads(sys, ctx, (p, v) => supplyFromBacking(sys, ctx, v, p.offset, p.length));
};

// A soundness check of the reduction with requeue in play; it also passes with the requeue
// footprint reduced to the first futex (the sleeper's own atomics carry the dependency here):
// explore/footprint_test.ts pins that footprint.
Deno.test("explore: with zx_futex_requeue, DPOR reaches the final states a plain search does", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "rq" } }],
    vmos: [{ name: "file", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "file", page: 0 }] }],
  });
  const services = { rq: requeueBroadcast };
  const run = (options: Partial<ExploreOptions>) => {
    const { result, states } = finals(scenario, { ...options, services }, 2);
    assert.equal(
      result.outcome,
      "pass",
      result.counterexample ? describeVerdict(result.counterexample.verdict) : "",
    );
    return states;
  };
  const plain = run({ reduction: false, stateHash: false });
  const dpor = run({});
  console.log(`  plain: ${plain.size} final states; dpor: ${dpor.size}`);
  assert.ok(plain.size >= 2, `${plain.size} final states`);
  assert.deepEqual([...dpor].sort(), [...plain].sort());
});

/** A kernel whose requeue skips the value check (it acts as if the wake word still matched). */
class RequeueNoValueCheckKernel extends Kernel {
  protected override futexRequeue(t: KThread, ...args: CallArgs<"zx_futex_requeue">) {
    const [addr, wakeCount, , requeue, requeueCount, owner] = args;
    const found = this.futexes.valid(addr) ? this.futexes.load(addr) : 0;
    return super.futexRequeue(t, addr, wakeCount, found, requeue, requeueCount, owner);
  }
}

Deno.test("futex-discipline: a requeue that ignores a stale current_value is caught (futex-value)", () => {
  const body = function* (sys: Sys): ThreadBody {
    const [a, b] = [sys.futexWord(1), sys.futexWord(0)];
    // The same futex twice: INVALID_ARGS comes before the value check, and is no finding.
    assert.equal(yield* sys.futexRequeue(a, 1, 0, a, 1, 0), ZX_ERR_INVALID_ARGS);
    yield* sys.futexRequeue(a, 1, 0, b, 1, 0);
  };
  const good = new World({ pageSize: 64, strategy: fairStrategy(), monitors: kernelInvariants() });
  good.spawn("t", "workload", body);
  assert.equal(good.run().verdict.kind, "pass");
  const bad = new World({
    pageSize: 64,
    strategy: fairStrategy(),
    monitors: kernelInvariants(),
    makeKernel: (o) => new RequeueNoValueCheckKernel(o),
  });
  bad.spawn("t", "workload", body);
  const v = bad.run().verdict;
  assert.equal(v.kind, "invariant");
  assert.match(
    describeVerdict(v),
    /futex-value: t1 zx_futex_requeue\(0x40000000, 0\): the word held 1, yet it returned ZX_OK/,
  );
});

Deno.test("get_owner: the owner's koid while a live waiter waits and the owner lives, else ZX_KOID_INVALID", () => {
  // FutexContext::FutexGetOwner (futex_context.cc @ gnoliyil/fuchsia 08c0dd7c) reads the owner
  // of an active futex's wait queue; a killed waiter unwinds out of FutexWaitInternal, clearing
  // the owner of a queue it empties; an exiting owner disowns its queues (DisownAllQueues).
  const k = new Kernel({ pageSize: 64 });
  const [w1, w2, o] = ["w1", "w2", "o"].map((n, i) => k.createThread(n, i + 1)[0]);
  const f = new Futexes();
  const [a, b] = [f.alloc(0), f.alloc(0)];
  assert.equal(f.currentOwner(a), null, "nobody waits");
  f.enqueue(a, w1, o);
  assert.equal(f.currentOwner(a), o);
  f.enqueue(a, w2, null);
  assert.equal(f.currentOwner(a), null, "the last waiter named nobody");
  f.assignOwner(a, o);
  assert.equal(f.currentOwner(a), o, "a wait past its deadline names the owner of a waited futex");
  f.assignOwner(b, o);
  assert.equal(f.currentOwner(b), null, "nor of a futex nobody waits on");
  w1.killed = true;
  assert.equal(f.currentOwner(a), o, "w2 still waits");
  w2.killed = true;
  assert.equal(f.currentOwner(a), null, "only dead waiters: the owner went with the last");
  f.enqueue(b, w1.killed ? k.createThread("w3", 9)[0] : w1, o);
  assert.equal(f.currentOwner(b), o);
  o.exited = true;
  assert.equal(f.currentOwner(b), null, "a dead owner owns nothing");
});

Deno.test("get_owner: the syscall reports the koid; a wait past its deadline and a wake of none change it", () => {
  const w = world();
  const seen: number[] = [];
  let a = 0;
  let owner = 0;
  let ownerKoid = 0;
  w.spawn("main", "workload", function* (sys: Sys): ThreadBody {
    a = sys.futexWord(0);
    yield* pause(sys, 4);
    const o = w.threads.find((t) => t.name === "o");
    assert.ok(o !== undefined);
    owner = o.k.selfHandle;
    ownerKoid = o.k.koid;
    seen.push((yield* sys.futexGetOwner(a))[1]); // w1 named nobody
    assert.equal(yield* sys.futexWait(a, 0, owner, 0), ZX_ERR_TIMED_OUT);
    seen.push((yield* sys.futexGetOwner(a))[1]); // the past-deadline wait named o
    assert.equal(yield* sys.futexWake(a, 0), ZX_OK);
    seen.push((yield* sys.futexGetOwner(a))[1]); // a wake of none releases it
    assert.deepEqual(yield* sys.futexGetOwner(a + 1), [ZX_ERR_INVALID_ARGS, 0]);
    assert.equal(yield* sys.futexWake(a, WAKE_ALL), ZX_OK);
    yield* pause(sys, 4);
    seen.push((yield* sys.futexGetOwner(a))[1]); // nobody waits
  });
  w.spawn("w1", "workload", function* (sys: Sys): ThreadBody {
    assert.equal(yield* sys.futexWait(a, 0, 0, ZX_TIME_INFINITE), ZX_OK);
  });
  w.spawn("o", "workload", function* (sys: Sys): ThreadBody {
    yield* pause(sys, 12);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(seen, [0, ownerKoid, 0, 0]);
});
