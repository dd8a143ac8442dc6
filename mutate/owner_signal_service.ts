/**
 * `owner-signal`: a correct pager that, before it serves its readers, makes the futex requeues
 * whose outcome depends on who waits where, and parks threads in `zx_object_wait_one` that other
 * calls must end, checking every status against upstream's answer, not the kernel's table (a
 * status that differs is the service's fault: it throws, so the campaign judge's scenario probes
 * see it; a thread that is never woken leaves the pager polling and its readers unserved: a
 * hang).
 *
 * - Requeue owners (FutexContext::FutexRequeueInternal, zircon/kernel/object/futex_context.cc @
 *   gnoliyil/fuchsia 08c0dd7c: the new owner is refused only "if requeue_owner_thread &&
 *   ((requeue_owner_thread->blocking_futex_id_ == wake_id) || (... == requeue_id))"; futex_requeue.md:
 *   "*new_requeue_owner* is currently a member of the waiters for either *value_ptr* or
 *   *requeue_ptr*"). A thread parked on a third word (a bystander), and the caller itself (it
 *   waits on nothing), are owners a requeue takes: ZX_OK. A waiter the first requeue moved onto
 *   the requeue futex is a member of its waiters from then on: naming it is ZX_ERR_INVALID_ARGS;
 *   on two other words it is a bystander again: ZX_OK.
 * - Parked signal waits (object_wait_one.md @ gnoliyil/fuchsia 3a0300d1: it "waits for signals
 *   ... to be asserted" and returns ZX_OK "when one of the signals is asserted"; ZX_ERR_CANCELED
 *   "*handle* was invalidated (e.g., closed) during the wait"; zx_object_signal.md: "clear_mask
 *   is first used to clear any bits indicated, and then set_mask is used to set any bits
 *   indicated"). A thread waits with no deadline for a VMO's USER_SIGNAL_1, which a signal that
 *   clears USER_SIGNAL_0 and sets USER_SIGNAL_1 asserts; one for an event's SIGNALED, which a
 *   signal clearing and setting SIGNALED in one call asserts (set after clear); one through a
 *   duplicate the pager then closes (CANCELED).
 * - Dead and timed-out futex waiters. A killed thread leaves the wait queue it was in (it is
 *   unblocked with ZX_ERR_INTERNAL_INTR_KILLED and never returns to user mode: `Thread::Kill`,
 *   zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a), so a `zx_futex_wake` of one
 *   wakes the live waiter queued behind it (futex_wake.md: "wake at most *wake_count* threads
 *   waiting"), and a `zx_futex_requeue` of one moves it. A requeued waiter whose deadline passes
 *   leaves the requeue futex's queue (upstream's core futex test `FutexTest.
 *   RequeueUnqueuedOnTimeout`: "Check that futex_wait() removes itself from the correct queue"), so a later wake of one there wakes the live
 *   waiter behind it. One wait names the pager as the futex's new owner (its block event must
 *   say so: the `wait-text` rule).
 * - The service library's condition variable (services/sync.ts, as libsync's
 *   `sync_condition_timedwait`, lib/sync/condition.h (Fuchsia's libsync): the mutex
 *   is "atomically unlocked for the duration of the wait, then locked again before the function
 *   returns"; "ZX_OK if |condition| was signaled or a spurious wake up occurred", "ZX_ERR_TIMED_OUT
 *   if the wait timed out"): a wait nobody signals returns TIMED_OUT at its deadline, one a thread signals
 *   under the mutex returns ZX_OK, and the pager holds the mutex after each.
 * - Futex owners read back (`zx_futex_get_owner`, futex_get_owner.md; `FutexContext::
 *   FutexGetOwner`, futex_context.cc @ gnoliyil/fuchsia 08c0dd7c): after a wait naming an owner,
 *   one naming none, a wait past its deadline (it still assigns the owner of a futex others wait
 *   on: `OwnedWaitQueue::BlockAndAssignOwner`), a wake of none, requeues of one, of nobody and of
 *   none, the kill of an owner (`DisownAllQueues`) and the last waiter's wake; a null or
 *   misaligned pointer is ZX_ERR_INVALID_ARGS. The koids are the `futex-owner` rule's to judge.
 *
 * Then it supplies each READ packet whole.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "owner-signal" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 *
 * @module
 */

import {
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_EVENT_SIGNALED,
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/yields.ts";
import type { Sys } from "../sim/sys.ts";
import type { PagerService } from "../services/service.ts";
import { serveReads, supplyFromBacking } from "../services/service.ts";
import { CondVar, Mutex } from "../services/sync.ts";

const USER_1 = ZX_USER_SIGNAL_0 * 2;
const USER_2 = ZX_USER_SIGNAL_0 * 4;

/** Throws unless `got` is `want`: the status upstream gives is the only one a pager may take. */
function expect(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what} returned ${got}, upstream ${want}`);
}

/** A wait whose deadline passes: every thread that stayed runnable takes its steps first. */
function rest(sys: Sys, pause: number): Syscall<number> {
  return sys.futexWait(pause, 0, 0, sys.now + 16);
}

/** Polls until `n` helpers counted themselves done in `done`. */
function* await_(sys: Sys, pause: number, done: number, n: number): Syscall<void> {
  while (sys.atomicLoad(done) < n) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
}

/** The requeue owners (see the module doc). */
function* requeueOwners(sys: Sys): Syscall<void> {
  const [from, to, aside, pause, done] = [0, 0, 0, 0, 0].map(() => sys.futexWord(0));
  const owners = { bystander: 0, mover: 0 };
  sys.spawn("bystander", function* (s) {
    owners.bystander = s.self;
    expect("the bystander's wait", yield* s.futexWait(aside, 0, 0, ZX_TIME_INFINITE), ZX_OK);
    s.atomicAdd(done, 1);
  });
  sys.spawn("mover", function* (s) {
    owners.mover = s.self;
    expect("the mover's wait", yield* s.futexWait(from, 0, 0, ZX_TIME_INFINITE), ZX_OK);
    s.atomicAdd(done, 1);
  });
  yield* rest(sys, pause);
  // The mover goes to `to`, whose owner is now the bystander (parked on `aside`: neither word).
  expect(
    "a requeue naming a thread parked on a third word",
    yield* sys.futexRequeue(from, 0, 0, to, 1, owners.bystander),
    ZX_OK,
  );
  expect(
    "a requeue naming a waiter moved onto its requeue futex",
    yield* sys.futexRequeue(aside, 0, 0, to, 0, owners.mover),
    ZX_ERR_INVALID_ARGS,
  );
  expect(
    "a requeue naming its caller",
    yield* sys.futexRequeue(from, 0, 0, to, 0, sys.self),
    ZX_OK,
  );
  expect(
    "a requeue naming a moved waiter on two other words",
    yield* sys.futexRequeue(pause, 0, 0, aside, 0, owners.mover),
    ZX_OK,
  );
  expect("the wake of the requeue futex", yield* sys.futexWake(to, 1), ZX_OK);
  expect("the wake of the bystander", yield* sys.futexWake(aside, 1), ZX_OK);
  yield* await_(sys, pause, done, 2);
}

/** The parked signal waits (see the module doc). */
function* parkedSignalWaits(sys: Sys): Syscall<void> {
  const [pause, done] = [sys.futexWord(0), sys.futexWord(0)];
  const [vs, vmo] = yield* sys.vmoCreate(64, 0);
  const [es, event] = yield* sys.eventCreate(0);
  const [ds, dup] = yield* sys.handleDuplicate(vmo, ZX_RIGHT_SAME_RIGHTS);
  expect("zx_vmo_create", vs, ZX_OK);
  expect("zx_event_create", es, ZX_OK);
  expect("zx_handle_duplicate", ds, ZX_OK);
  const waiter = (name: string, handle: number, signals: number, want: number) =>
    sys.spawn(name, function* (s) {
      const [st, observed] = yield* s.objectWaitOne(handle, signals, ZX_TIME_INFINITE);
      expect(`${name}'s zx_object_wait_one`, st, want);
      if (want === ZX_OK && (observed & signals) === 0) {
        throw new Error(`${name} woke with ZX_OK, observing 0x${observed.toString(16)}`);
      }
      s.atomicAdd(done, 1);
    });
  waiter("vmo-waiter", vmo, USER_1, ZX_OK);
  waiter("event-waiter", event, ZX_EVENT_SIGNALED, ZX_OK);
  waiter("closed-waiter", dup, USER_2, ZX_ERR_CANCELED);
  yield* rest(sys, pause);
  expect("a signal no waiter wants", yield* sys.objectSignal(vmo, 0, ZX_USER_SIGNAL_0), ZX_OK);
  expect("clear USER_0, set USER_1", yield* sys.objectSignal(vmo, ZX_USER_SIGNAL_0, USER_1), ZX_OK);
  expect(
    "clear and set SIGNALED",
    yield* sys.objectSignal(event, ZX_EVENT_SIGNALED, ZX_EVENT_SIGNALED),
    ZX_OK,
  );
  expect("the close of the waited-on duplicate", yield* sys.handleClose(dup), ZX_OK);
  yield* await_(sys, pause, done, 3);
  yield* sys.handleClose(vmo);
  yield* sys.handleClose(event);
}

/**
 * Dead and timed-out futex waiters (see the module doc): none is woken, moved or left queued in
 * place of a live waiter behind it, and a wait naming an owner parks as that owner's.
 */
function* deadWaiters(sys: Sys): Syscall<void> {
  const [word, from, to, pause, done] = [0, 0, 0, 0, 0].map(() => sys.futexWord(0));
  const pager = sys.self;
  const victims: number[] = [];
  const park = (name: string, addr: number, owner: number, deadline: number, want: number) =>
    sys.spawn(name, function* (s) {
      expect(`${name}'s zx_futex_wait`, yield* s.futexWait(addr, 0, owner, deadline), want);
      s.atomicAdd(done, 1);
    });
  const victim = (name: string, addr: number) =>
    sys.spawn(name, function* (s) {
      victims.push(s.self);
      yield* s.futexWait(addr, 0, 0, ZX_TIME_INFINITE); // killed here: never returns to run on
    });
  // A killed waiter is no waiter: a wake of one wakes the live thread queued behind it.
  victim("killed-waiter", word);
  yield* rest(sys, pause);
  park("owned-waiter", word, pager, ZX_TIME_INFINITE, ZX_OK);
  yield* rest(sys, pause);
  expect("the kill of a futex waiter", yield* sys.taskKill(victims[0]), ZX_OK);
  expect("a wake of one past a killed waiter", yield* sys.futexWake(word, 1), ZX_OK);
  yield* await_(sys, pause, done, 1);
  // A killed waiter is not moved: a requeue of one moves the live thread behind it.
  victim("killed-mover", from);
  yield* rest(sys, pause);
  park("moved-waiter", from, 0, ZX_TIME_INFINITE, ZX_OK);
  yield* rest(sys, pause);
  expect("the kill of a futex waiter", yield* sys.taskKill(victims[1]), ZX_OK);
  expect(
    "a requeue of one past a killed waiter",
    yield* sys.futexRequeue(from, 0, 0, to, 1, 0),
    ZX_OK,
  );
  expect("the wake of the requeue futex", yield* sys.futexWake(to, 1), ZX_OK);
  yield* await_(sys, pause, done, 2);
  // A requeued waiter that times out leaves the requeue futex (RequeueUnqueuedOnTimeout).
  park("timed-waiter", from, 0, sys.now + 64, ZX_ERR_TIMED_OUT);
  yield* rest(sys, pause);
  park("late-waiter", from, 0, ZX_TIME_INFINITE, ZX_OK);
  yield* rest(sys, pause);
  expect("a requeue of two", yield* sys.futexRequeue(from, 0, 0, to, 2, 0), ZX_OK);
  yield* await_(sys, pause, done, 3);
  expect("a wake of one past a timed-out waiter", yield* sys.futexWake(to, 1), ZX_OK);
  yield* await_(sys, pause, done, 4);
}

/**
 * The condition variable's timed and signalled waits (see the module doc): TIMED_OUT at its
 * deadline with no signal, ZX_OK once signalled, the mutex held again after each.
 */
function* condVarWaits(sys: Sys): Syscall<void> {
  const mutex = new Mutex(sys, "owner-signal");
  const cv = new CondVar(sys, "owner-signal");
  const state = { ready: false };
  yield* mutex.lock(sys);
  expect(
    "a CondVar.wait nobody signals",
    yield* cv.wait(sys, mutex, sys.now + 8),
    ZX_ERR_TIMED_OUT,
  );
  if (!mutex.held(sys)) throw new Error("CondVar.wait timed out without the mutex held again");
  sys.spawn("cv-signaller", function* (s) {
    yield* mutex.lock(s);
    state.ready = true;
    yield* cv.signal(s);
    yield* mutex.unlock(s);
  });
  while (!state.ready) {
    expect("a CondVar.wait with no deadline", yield* cv.wait(sys, mutex), ZX_OK);
    if (!mutex.held(sys)) throw new Error("CondVar.wait returned without the mutex held again");
  }
  yield* mutex.unlock(sys);
  if (mutex.held(sys)) throw new Error("the mutex is held after its last holder unlocked it");
}

/**
 * Futex owners read back (see the module doc): `zx_futex_get_owner` after each call that names,
 * moves or clears an owner, for the `futex-owner` rule to judge (the service takes any koid).
 */
function* ownerReads(sys: Sys): Syscall<void> {
  const [a, b, c, d, e, far, pause, done] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => sys.futexWord(0));
  const owners = { first: 0, second: 0, doomed: 0 };
  const read = function* (addr: number): Syscall<void> {
    expect("zx_futex_get_owner of a futex word", (yield* sys.futexGetOwner(addr))[0], ZX_OK);
  };
  const park = (name: string, addr: number, owner: () => number, key: "first" | "second" | null) =>
    sys.spawn(name, function* (s) {
      if (key !== null) owners[key] = s.self;
      expect(
        `${name}'s zx_futex_wait`,
        yield* s.futexWait(addr, 0, owner(), ZX_TIME_INFINITE),
        ZX_OK,
      );
      s.atomicAdd(done, 1);
    });
  sys.spawn("doomed-owner", function* (s) {
    owners.doomed = s.self;
    yield* s.futexWait(far, 0, 0, ZX_TIME_INFINITE); // killed here
  });
  // A wait names the pager; a second waiter names nobody (the futex loses its owner).
  park("first-waiter", a, () => sys.self, "first");
  yield* rest(sys, pause);
  yield* read(a);
  park("second-waiter", a, () => 0, "second");
  yield* rest(sys, pause);
  yield* read(a);
  // A wait whose deadline has passed still names the owner of a futex others wait on.
  expect(
    "a wait past its deadline",
    yield* sys.futexWait(a, 0, owners.doomed, 0),
    ZX_ERR_TIMED_OUT,
  );
  yield* read(a);
  // A wake of none still takes the owner away.
  expect("a wake of none", yield* sys.futexWake(a, 0), ZX_OK);
  yield* read(a);
  expect(
    "a wait past its deadline",
    yield* sys.futexWait(a, 0, owners.doomed, 0),
    ZX_ERR_TIMED_OUT,
  );
  yield* read(a);
  // A requeue moves one waiter to `b` and names the pager: `b`'s owner; `a` has none.
  expect("a requeue of one", yield* sys.futexRequeue(a, 0, 0, b, 1, sys.self), ZX_OK);
  yield* read(a);
  yield* read(b);
  // A requeue onto a futex nobody waits on, moving nobody: no owner there.
  expect("a requeue of nobody", yield* sys.futexRequeue(c, 0, 0, d, 1, sys.self), ZX_OK);
  yield* read(d);
  // A requeue of none keeps `b`'s waiter and names the doomed thread; its death clears it.
  expect("a requeue of none", yield* sys.futexRequeue(c, 0, 0, b, 0, owners.doomed), ZX_OK);
  yield* read(b);
  expect("the kill of the owner", yield* sys.taskKill(owners.doomed), ZX_OK);
  yield* read(b);
  // A wait naming a thread parked on `a` makes it `e`'s owner until the wake of `a` ends it.
  park("third-waiter", e, () => owners.second, null);
  yield* rest(sys, pause);
  yield* read(e);
  expect("zx_futex_get_owner(0)", (yield* sys.futexGetOwner(0))[0], ZX_ERR_INVALID_ARGS);
  expect(
    "a misaligned zx_futex_get_owner",
    (yield* sys.futexGetOwner(a + 2))[0],
    ZX_ERR_INVALID_ARGS,
  );
  expect("the wake of b", yield* sys.futexWake(b, 1), ZX_OK);
  expect("the wake of a", yield* sys.futexWake(a, 1), ZX_OK);
  expect("the wake of e", yield* sys.futexWake(e, 1), ZX_OK);
  yield* await_(sys, pause, done, 3);
  yield* read(a);
  yield* read(e);
}

/** The `owner-signal` service (see the module doc). */
export const ownerSignal: PagerService = function* (sys, ctx) {
  yield* requeueOwners(sys);
  yield* parkedSignalWaits(sys);
  yield* deadWaiters(sys);
  yield* condVarWaits(sys);
  yield* ownerReads(sys);
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
};
