/**
 * Conformance rows for the service-side concurrency calls (issue 13), from
 * Zircon's own core tests: `zircon/system/utest/core/futex/futex.cc`
 * (FutexTest, vsrinivas/fuchsia 280888fc) and
 * `zircon/system/utest/core/vmo/vmo-signal.cc` (VmoSignalTestCase). The VMO
 * rows run on a pager VMO with SNAPSHOT_AT_LEAST_ON_WRITE clones where
 * upstream uses an anonymous VMO with COPY_ON_WRITE clones (the model has no
 * children of anonymous VMOs); the signal bookkeeping is the dispatcher's
 * either way. Ids: `F<n>` futex.cc, `V<n>` vmo-signal.cc.
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "../kernel/constants.ts";
import type { KernelYield, Syscall, Wait } from "../kernel/kernel.ts";
import type { Sys } from "../sim/sys.ts";
import type { SimThread } from "../sim/world.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  type Worker,
} from "./harness.ts";

const AREA = "signals/futex";
const WAKE_ALL = 0xffff_ffff;

/** Parks the main thread until `cond` holds (the upstream tests' polling `WaitFor`). */
function* until(cond: () => boolean, what: string): Syscall<void> {
  if (cond()) return;
  const wait: Wait = { deadline: Number.POSITIVE_INFINITY, ready: cond, describe: () => what };
  yield { kind: "block", wait } as KernelYield;
}

/** True while `t` is parked in `zx_futex_wait` (`ZX_THREAD_STATE_BLOCKED_FUTEX`). */
function blockedOnFutex(t: SimThread): boolean {
  return t.end.kind === "running" && t.pending?.kind === "block" &&
    t.pending.wait.describe().startsWith("futex ");
}

/** futex.cc `TestThread::Start`: a thread waiting on `word` while it holds its value. */
function* waiter(t: PagerTest, word: number, timeout = ZX_TIME_INFINITE): Syscall<Worker> {
  const w = t.spawn("futex-waiter", function* (sys: Sys, w: Worker) {
    const deadline = timeout === ZX_TIME_INFINITE ? timeout : sys.now + timeout;
    w.status = yield* sys.futexWait(word, sys.atomicLoad(word), 0, deadline);
  });
  yield* until(() => blockedOnFutex(w.thread), `t${w.thread.tid} to block on the futex`);
  return w;
}

function woken(ws: readonly Worker[]): number {
  return ws.filter((w) => w.thread.end.kind !== "running").length;
}

/**
 * futex.cc `AssertWokeThreadCount`: waits until `count` of `ws` have woken, lets
 * every thread run a while (upstream sleeps 300 ms), and checks no more woke.
 */
function* wokeExactly(t: PagerTest, ws: readonly Worker[], count: number): Syscall<void> {
  yield* until(() => woken(ws) >= count, `${count} waiters to wake`);
  for (let i = 0; i < 10; i++) yield* t.sys.vmoGetSize(t.vmos[0]?.handle ?? 0);
  check(woken(ws) === count, () => `${woken(ws)} waiters woke, want ${count}`);
}

/** vmo-signal.cc `VmoHasNoChildren`/`VmoHasChildren`: a zero-deadline wait_one. */
function* hasChildren(sys: Sys, vmo: number): Syscall<boolean> {
  const [st] = yield* sys.objectWaitOne(vmo, ZX_VMO_ZERO_CHILDREN, 0);
  check(st === ZX_OK || st === ZX_ERR_TIMED_OUT, `wait_one on vmo ${vmo} returned ${st}`);
  return st === ZX_ERR_TIMED_OUT;
}

function* clone(sys: Sys, vmo: number): Syscall<number> {
  const [st, h] = yield* sys.vmoCreateChild(vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE);
  expectStatus(st, ZX_OK, "zx_vmo_create_child");
  return h;
}

/** The rows (run and skipped). */
export const SIGNAL_CASES: readonly ConformanceCase[] = [
  pagerCase("F1", "WaitValueMismatch", AREA, function* (t) {
    const word = t.sys.futexWord(123);
    expectStatus(yield* t.sys.futexWait(word, 124, 0, ZX_TIME_INFINITE), ZX_ERR_BAD_STATE, "wait");
  }),
  pagerCase("F2", "WaitTimeout", AREA, function* (t) {
    const word = t.sys.futexWord(123);
    expectStatus(yield* t.sys.futexWait(word, 123, 0, 0), ZX_ERR_TIMED_OUT, "past deadline");
  }),
  pagerCase("F3", "WaitTimeoutElapsed", AREA, function* (t) {
    const word = t.sys.futexWord(0);
    for (let i = 0; i < 5; i++) {
      const deadline = t.sys.now + 100;
      expectStatus(yield* t.sys.futexWait(word, 0, 0, deadline), ZX_ERR_TIMED_OUT, "wait");
      check(t.sys.now >= deadline, "the wait returned before its deadline");
    }
  }),
  pagerCase("F4", "WaitBadAddress", AREA, function* (t) {
    expectStatus(yield* t.sys.futexWait(0, 123, 0, ZX_TIME_INFINITE), ZX_ERR_INVALID_ARGS, "null");
  }),
  pagerCase("F5", "Wakeup", AREA, function* (t) {
    const word = t.sys.futexWord(1);
    const w = yield* waiter(t, word);
    expectStatus(yield* t.sys.futexWake(word, WAKE_ALL), ZX_OK, "wake");
    yield* t.expectOk(w);
  }),
  pagerCase("F6", "WakeupLimit", AREA, function* (t) {
    const word = t.sys.futexWord(1);
    const ws: Worker[] = [];
    for (let i = 0; i < 4; i++) ws.push(yield* waiter(t, word));
    expectStatus(yield* t.sys.futexWake(word, 2), ZX_OK, "wake 2");
    yield* until(() => woken(ws) >= 2, "two waiters to wake");
    // Let every thread run a while: no third one wakes.
    for (let i = 0; i < 10; i++) yield* t.sys.vmoGetSize(t.vmos[0]?.handle ?? 0);
    check(woken(ws) === 2, () => `${woken(ws)} waiters woke, want 2`);
    expectStatus(yield* t.sys.futexWake(word, WAKE_ALL), ZX_OK, "wake all");
    for (const w of ws) yield* t.expectOk(w);
  }),
  pagerCase("F7", "WakeupAddress", AREA, function* (t) {
    const words = [t.sys.futexWord(1), t.sys.futexWord(1), t.sys.futexWord(1)];
    const a = yield* waiter(t, words[0]);
    const b = yield* waiter(t, words[1]);
    expectStatus(yield* t.sys.futexWake(words[2], WAKE_ALL), ZX_OK, "wake the third word");
    check(blockedOnFutex(a.thread) && blockedOnFutex(b.thread), "a wake on another word woke");
    expectStatus(yield* t.sys.futexWake(words[0], WAKE_ALL), ZX_OK, "wake the first word");
    yield* t.expectOk(a);
    check(blockedOnFutex(b.thread), "the second waiter woke with the first word");
    expectStatus(yield* t.sys.futexWake(words[1], WAKE_ALL), ZX_OK, "wake the second word");
    yield* t.expectOk(b);
  }),
  pagerCase("F8", "ThreadSuspended", AREA, function* (t) {
    const word = t.sys.futexWord(1);
    const w = yield* waiter(t, word);
    const [st, token] = yield* t.sys.taskSuspend(w.thread.handle);
    expectStatus(st, ZX_OK, "zx_task_suspend");
    expectStatus(yield* t.sys.handleClose(token), ZX_OK, "resume");
    // Still waiting after the resume: the wait was not turned into a timeout.
    check(blockedOnFutex(w.thread), "the resumed waiter left its futex wait");
    expectStatus(yield* t.sys.futexWake(word, WAKE_ALL), ZX_OK, "wake");
    yield* t.expectOk(w);
  }),
  pagerCase("F9", "RequeueValueMismatch", AREA, function* (t) {
    const [word1, word2] = [t.sys.futexWord(100), t.sys.futexWord(200)];
    expectStatus(
      yield* t.sys.futexRequeue(word1, 1, 100 + 1, word2, 1, 0),
      ZX_ERR_BAD_STATE,
      "requeue with a stale current_value",
    );
  }),
  pagerCase("F10", "Requeue", AREA, function* (t) {
    const [word1, word2] = [t.sys.futexWord(100), t.sys.futexWord(200)];
    const ws: Worker[] = [];
    for (let i = 0; i < 6; i++) ws.push(yield* waiter(t, word1));
    expectStatus(yield* t.sys.futexRequeue(word1, 3, 100, word2, 2, 0), ZX_OK, "requeue");
    // 3 of the threads should have been woken.
    yield* wokeExactly(t, ws, 3);
    // "Since 2 of the threads should have been requeued, waking all the threads on
    // futex_value2 should wake 2 more threads."
    expectStatus(yield* t.sys.futexWake(word2, WAKE_ALL), ZX_OK, "wake the requeue futex");
    yield* wokeExactly(t, ws, 5);
    // The last one stayed on the first futex.
    expectStatus(yield* t.sys.futexWake(word1, 1), ZX_OK, "wake the first futex");
    yield* wokeExactly(t, ws, 6);
    for (const w of ws) yield* t.expectOk(w);
  }),
  pagerCase("V1", "SignalSanity", AREA, function* (t) {
    const sys = t.sys;
    // Upstream makes an anonymous VMO (zx_vmo_create), as here.
    const [cs, vmo] = yield* sys.vmoCreate(PAGE, 0);
    expectStatus(cs, ZX_OK, "zx_vmo_create");
    const [ws, before] = yield* sys.objectWaitOne(vmo, ZX_USER_SIGNAL_0, sys.now + 2);
    expectStatus(ws, ZX_ERR_TIMED_OUT, "wait for ZX_USER_SIGNAL_0 before it is set");
    check(before === ZX_VMO_ZERO_CHILDREN, () => `initial signals 0x${before.toString(16)}`);
    expectStatus(yield* sys.objectSignal(vmo, 0, ZX_USER_SIGNAL_0), ZX_OK, "zx_object_signal");
    const [st, after] = yield* sys.objectWaitOne(vmo, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE);
    expectStatus(st, ZX_OK, "wait for ZX_USER_SIGNAL_0");
    check(
      after === (ZX_USER_SIGNAL_0 | ZX_VMO_ZERO_CHILDREN) >>> 0,
      () => `ZX_USER_SIGNAL_0 not set after a successful wait: 0x${after.toString(16)}`,
    );
    expectStatus(yield* sys.handleClose(vmo), ZX_OK, "close the VMO");
  }),
  pagerCase("V2", "ChildSignalClone", AREA, function* (t) {
    const sys = t.sys;
    const vmo = (yield* t.vmo(2, 0, false)).handle;
    for (let i = 0; i < 10; i++) {
      check(!(yield* hasChildren(sys, vmo)), "the VMO has children at the start");
      const c1 = yield* clone(sys, vmo);
      check(!(yield* hasChildren(sys, c1)), "a new clone has children");
      check(yield* hasChildren(sys, vmo), "ZERO_CHILDREN still active with a clone");
      const c2 = yield* clone(sys, c1);
      check(!(yield* hasChildren(sys, c2)), "the clone's clone has children");
      check(yield* hasChildren(sys, c1), "the clone has no children with its own clone");
      check(yield* hasChildren(sys, vmo), "the VMO lost its children");
      expectStatus(yield* sys.handleClose(c1), ZX_OK, "close the clone");
      check(yield* hasChildren(sys, vmo), "the grandchild does not count for the VMO");
      check(!(yield* hasChildren(sys, c2)), "the grandchild has children");
      expectStatus(yield* sys.handleClose(c2), ZX_OK, "close the grandchild");
    }
  }),
  pagerCase("V3", "ChildSignalMap", AREA, function* (t) {
    const sys = t.sys;
    const vmo = (yield* t.vmo(2, 0, false)).handle;
    for (let i = 0; i < 10; i++) {
      check(!(yield* hasChildren(sys, vmo)), "the VMO has children at the start");
      const c = yield* clone(sys, vmo);
      const [st, addr] = yield* sys.vmarMap(
        sys.rootVmar,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        0,
        c,
        0,
        PAGE,
      );
      expectStatus(st, ZX_OK, "map the clone");
      check(yield* hasChildren(sys, vmo), "ZERO_CHILDREN active with a mapped clone");
      expectStatus(yield* sys.handleClose(c), ZX_OK, "close the clone");
      check(yield* hasChildren(sys, vmo), "the mapping no longer keeps the clone a child");
      expectStatus(yield* sys.vmarUnmap(sys.rootVmar, addr, PAGE), ZX_OK, "unmap");
    }
  }),
];
