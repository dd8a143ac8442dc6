/**
 * Services of the campaign judge's seeded scenarios (`mutate/scenarios/`, kind `custom`): correct
 * pagers whose order of answers the reference services never use, and a pool of pager threads
 * that share a lock ({@linkcode lockedPool}).
 *
 * @module
 */

import {
  ZX_ERR_IO,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TIME_INFINITE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/yields.ts";
import type { Sys } from "../sim/sys.ts";
import type { PagerService } from "../services/service.ts";
import { serveReads, supplyBytes, supplyFromBacking } from "../services/service.ts";
import { fileRange } from "../services/backing.ts";
import { CondVar, Mutex } from "../services/sync.ts";
import { detacherService } from "../services/detacher.ts";
import { argEdges } from "./arg_edges_service.ts";
import { ownerSignal } from "./owner_signal_service.ts";

/**
 * Answers each READ packet page by page, each pair of pages second page first (1, 0, 3, 2, ...):
 * the pages of one request arrive out of order, so a reader waiting inside another's request
 * has its page supplied without a wake and then sees the primary's wake page move past its own
 * (`EarlyWakeRequestLocked`'s "not linearly supplied" case).
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "pairs-swapped" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.steps > 0);
 * ```
 */
export const pairsSwapped: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    const end = packet.offset + packet.length;
    for (let at = packet.offset; at < end; at += 2 * ps) {
      if (at + ps < end) yield* supplyFromBacking(sys, ctx, vmo, at + ps, ps);
      yield* supplyFromBacking(sys, ctx, vmo, at, ps);
    }
  }, "pairs-swapped: waiting for a packet");

/**
 * A pool of two pager threads on one port that supply under a shared futex mutex (held across
 * the supply, a syscall: the other thread contends and waits on the futex, naming the holder),
 * and count pages served under it; the second thread waits on a condition variable for the
 * first packet the first thread served before it starts serving (requeue on broadcast). The shape
 * of fxfs's and blobfs's pager pools (`examples/pool_service.ts` holds its lock only across a
 * counter update, which never contends).
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "locked-pool" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const lockedPool: PagerService = function* (sys, ctx) {
  const inode = new Mutex(sys, "inode");
  const started = new CondVar(sys, "started");
  let served = 0;
  const worker = (s: typeof sys, first: boolean) =>
    serveReads(s, ctx, function* (packet, vmo) {
      yield* inode.lock(s);
      if (!first) { while (served === 0) yield* started.wait(s, inode); }
      yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      served += packet.length / s.pageSize;
      yield* started.broadcast(s);
      yield* inode.unlock(s);
    }, "locked-pool: waiting for a packet");
  sys.spawn("pool-2", (s) => worker(s, false));
  yield* worker(sys, true);
};

/**
 * A pager that lends memory while it serves: first it makes five one-page contiguous VMOs and
 * decommits them (loaning is on: their frames go on loan, and the pages it then supplies live in
 * them, `kernel/loans.ts`); after each answer it takes a buffer (a seeded choice) back, in a seeded way: COMMIT
 * (the page living in the frame moves to a page of its own, bytes kept) then DECOMMIT (lent
 * again), or close (the dying VMO takes its frame back first) and lend a fresh one, or neither.
 * A DECOMMIT of a contiguous VMO ends with the kernel's assertions on every loaned frame
 * (`LoanPool.check`). The shape of a driver lending its contiguous memory (sysmem) to the page
 * cache, in the pager's own process for brevity: before it, only conformance PX7 lent a frame,
 * and no probe took back a frame a page lived in, nor closed a lending VMO.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "lending-pool" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const lendingPool: PagerService = function* (sys, ctx) {
  const ps = sys.pageSize;
  const [, bti] = yield* sys.btiCreate(0, 0);
  const lent: number[] = [];
  function* lend(): Syscall<void> {
    const [st, h] = yield* sys.vmoCreateContiguous(bti, ps, 0);
    if (st !== ZX_OK) return;
    yield* sys.vmoOpRange(h, ZX_VMO_OP_DECOMMIT, 0, ps);
    lent.push(h);
  }
  for (let i = 0; i < 5; i++) yield* lend();
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    if (lent.length === 0) return;
    const how = sys.random(3);
    // Any buffer: the oldest frames are the first borrowed, the newest may still be free.
    const [h] = lent.splice(sys.random(lent.length), 1);
    if (how === 0) {
      yield* sys.vmoOpRange(h, ZX_VMO_OP_COMMIT, 0, ps);
      yield* sys.vmoOpRange(h, ZX_VMO_OP_DECOMMIT, 0, ps);
      lent.push(h);
    } else if (how === 1) {
      yield* sys.handleClose(h);
      yield* lend();
    } else {
      lent.push(h);
    }
  });
  // (No checkpoint: it keeps its BTI and lent buffers from packet to packet.)
};

/**
 * A correct pager that first makes the futex calls no other probe of the judge makes, each of
 * which returns at once: a `zx_futex_wait` on its own word whose deadline is no number (a string,
 * then NaN: the model's garbage arguments, INVALID_ARGS; with a stale value), and one that names
 * as its new owner a thread handle it has closed, with the deadline past (BAD_HANDLE after the
 * value check). Then the owner round ({@linkcode ownerRound}: helper threads, owners that are
 * live threads, wakes one at a time, a condition variable's signal). Then it supplies each READ
 * packet whole. The services' mutexes and condition variables pass numbers and name live
 * holders, and programs make no futex call (they have no futex word).
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "futex-garbage" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
/**
 * The owner round of {@linkcode futexGarbage}: the futex calls whose outcome depends on who else
 * waits. Helper threads park, one on a word of its own (a bystander, whose handle it leaves in
 * `owners[0]`), two on a gate word (`owners[1]`, `owners[2]`), one on a condition variable; a
 * wait on the pager's `pause` word whose deadline passes lets each of them park first (a timeout
 * of T ticks fires only after every thread that stayed runnable took T steps). Then the pager
 * waits on the gate naming the bystander as new owner (deadline past: TIMED_OUT, which no owner
 * rule refuses) and naming a gate waiter (INVALID_ARGS: "new_futex_owner is currently waiting on
 * this futex"), requeues nobody from the gate to the bystander's word naming a gate waiter and
 * the bystander as new owner (INVALID_ARGS: the owner waits on one of the two), wakes the gate one waiter at a time with a pause between (each wake takes one),
 * lets the bystander go, signals the condition variable once, and polls until the three that
 * count (`done`) have returned. A signal that wakes nobody leaves the pager polling, its
 * readers unserved: a hang.
 */
function* ownerRound(sys: Sys): Syscall<void> {
  const gate = sys.futexWord(0);
  const aside = sys.futexWord(0);
  const pause = sys.futexWord(0);
  const done = sys.futexWord(0);
  const lock = new Mutex(sys, "round");
  const cv = new CondVar(sys, "round");
  let go = false;
  const owners = [0, 0, 0];
  const rest = () => sys.futexWait(pause, 0, 0, sys.now + 16);
  sys.spawn("bystander", function* (s) {
    owners[0] = s.self;
    yield* s.futexWait(aside, 0, 0, ZX_TIME_INFINITE);
  });
  for (const i of [1, 2]) {
    sys.spawn(`gate-${i}`, function* (s) {
      owners[i] = s.self;
      yield* s.futexWait(gate, 0, 0, ZX_TIME_INFINITE);
      s.atomicAdd(done, 1);
    });
  }
  sys.spawn("signalled", function* (s) {
    yield* lock.lock(s);
    while (!go) yield* cv.wait(s, lock);
    yield* lock.unlock(s);
    s.atomicAdd(done, 1);
  });
  yield* rest();
  yield* sys.futexWait(gate, 0, owners[0], 0);
  yield* sys.futexWait(gate, 0, owners[1], 0);
  // Requeues that move nobody naming a gate waiter, then the bystander, as the requeue futex's
  // new owner: INVALID_ARGS ("new_requeue_owner is currently a member of the waiters for either
  // value_ptr or requeue_ptr", futex_requeue_single_owner.md).
  yield* sys.futexRequeue(gate, 0, 0, aside, 0, owners[1]);
  yield* sys.futexRequeue(gate, 0, 0, aside, 0, owners[0]);
  yield* sys.futexWake(gate, 1);
  yield* rest();
  yield* sys.futexWake(gate, 1);
  yield* sys.futexWake(aside, 1);
  yield* lock.lock(sys);
  go = true;
  yield* cv.signal(sys);
  yield* lock.unlock(sys);
  while (sys.atomicLoad(done) < 3) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
}

/**
 * The queue round of {@linkcode futexGarbage}: futex calls whose outcome is how many waiters each
 * one takes, as upstream counts them (docs/reference/syscalls/futex_requeue.md @ gnoliyil/fuchsia
 * 3a0300d1: "After waking *wake_count* threads, *requeue_count* threads are moved from the
 * original futex's wait queue to the wait queue corresponding to *requeue_ptr*"; futex_wake.md:
 * at most *wake_count*), and a wait that timed out is no waiter any more (its thread returned
 * ZX_ERR_TIMED_OUT: it left the wait queue, `WaitQueue` timeout, futex_context.cc
 * FutexWait). The pager first waits on word `a` until its deadline passes; three helpers then
 * park on `a`; a requeue wakes none and moves one to `b`; a wake of `b` takes one, a wake of
 * `a` two, and the pager polls until all three have returned. A kernel that gets a count wrong,
 * or keeps the timed-out wait queued (a wake or move then spends itself on it), strands a
 * helper: the pager polls forever and its readers are never served, a hang.
 */
function* queueRound(sys: Sys): Syscall<void> {
  const a = sys.futexWord(0);
  const b = sys.futexWord(0);
  const pause = sys.futexWord(0);
  const done = sys.futexWord(0);
  yield* sys.futexWait(a, 0, 0, sys.now + 4);
  for (const i of [0, 1, 2]) {
    sys.spawn(`queue-${i}`, function* (s) {
      yield* s.futexWait(a, 0, 0, ZX_TIME_INFINITE);
      s.atomicAdd(done, 1);
    });
  }
  yield* sys.futexWait(pause, 0, 0, sys.now + 16);
  yield* sys.futexRequeue(a, 0, 0, b, 1, 0);
  yield* sys.futexWake(b, 1);
  yield* sys.futexWake(a, 2);
  while (sys.atomicLoad(done) < 3) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
}

/**
 * The edge round of {@linkcode futexGarbage}: futex calls at the edges the other rounds never
 * reach, each outcome decided by upstream's documented semantics, not by the kernel's table.
 * A pointer into the middle of a word, and the aligned address just past the last word handed
 * out, are no futex (zx_futex_wait: "ZX_ERR_INVALID_ARGS *value_ptr* is not a valid userspace
 * pointer, or *value_ptr* is not aligned", docs/syscalls/futex_wait.md @ vsrinivas/fuchsia;
 * futex_requeue.md likewise for either pointer): futex-discipline's `futex-args` holds each to
 * INVALID_ARGS. A requeue of a futex nobody waits on, with counts, wakes and moves nobody and
 * returns ZX_OK (futex-args: every argument valid and the word held `current_value`). Then a
 * requeue onto a futex that has a waiter of its own: the moved waiter joins that queue
 * ("*requeue_count* threads are moved from the original futex's wait queue to the wait queue
 * corresponding to *requeue_ptr*", futex_requeue.md @ gnoliyil/fuchsia 3a0300d1), at most
 * *requeue_count* of them: asked for two, it moves the one there is. A wake of two there takes
 * both; the pager polls until both returned. A kernel that replaces the target's queue instead of
 * joining it strands its first waiter (a hang); one that takes more waiters than the queue holds
 * trips on the empty queue.
 */
function* edgeRound(sys: Sys): Syscall<void> {
  const a = sys.futexWord(0);
  const b = sys.futexWord(0);
  const pause = sys.futexWord(0);
  const done = sys.futexWord(0);
  yield* sys.futexWait(a + 2, 0, 0, 0);
  yield* sys.futexRequeue(a, 0, 0, b + 1, 1, 0);
  // No word is handed out between these two lines: `done + 4` is the next word's address.
  yield* sys.futexWait(done + 4, 0, 0, 0);
  yield* sys.futexRequeue(a, 1, 0, b, 1, 0);
  sys.spawn("edge-b", function* (s) {
    yield* s.futexWait(b, 0, 0, ZX_TIME_INFINITE);
    s.atomicAdd(done, 1);
  });
  sys.spawn("edge-a", function* (s) {
    yield* s.futexWait(a, 0, 0, ZX_TIME_INFINITE);
    s.atomicAdd(done, 1);
  });
  yield* sys.futexWait(pause, 0, 0, sys.now + 16);
  yield* sys.futexRequeue(a, 0, 0, b, 2, 0);
  yield* sys.futexWake(b, 2);
  while (sys.atomicLoad(done) < 2) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
}

/**
 * The wakeup round of {@linkcode futexGarbage}: a condition variable's wait racing the broadcast
 * that should end it. Each of two helpers takes the lock, holds it across a futex wait with a
 * deadline (the pager meanwhile contends for the lock and parks on it), then waits on the
 * condition variable for `go`: its unlock wakes the pager, which, where the schedule lets it run
 * first, sets `go` and broadcasts before the helper's futex wait. A futex wait whose word moved
 * on returns ZX_ERR_BAD_STATE at once ("*current_value* does not match the value at
 * *value_ptr*", docs/syscalls/futex_wait.md @ vsrinivas/fuchsia), so the helper sees `go`; a
 * broadcast that does not move the word first (or a wait on the wrong value) leaves the helper
 * asleep for good, and the pager polls for it forever: a hang. The race is the seed's: some of
 * the judge's seeds run the pager first. Then the same with one helper and a signal. First, a
 * wait nobody signals must end with ZX_ERR_TIMED_OUT, and every helper's wait with ZX_OK: a
 * service that sees another status throws (the run's verdict is its fault).
 */
function* wakeupRound(sys: Sys): Syscall<void> {
  // A wait nobody signals ends at its deadline with ZX_ERR_TIMED_OUT; one that was woken, or
  // whose word had moved on, with ZX_OK (CondVar.wait: "Returns ZX_OK, or ZX_ERR_TIMED_OUT").
  const alone = new Mutex(sys, "wakeup alone");
  yield* alone.lock(sys);
  const quiet = yield* new CondVar(sys, "wakeup quiet").wait(sys, alone, sys.now + 2);
  yield* alone.unlock(sys);
  if (quiet !== ZX_ERR_TIMED_OUT) throw new Error(`an unsignalled CondVar.wait returned ${quiet}`);
  for (const [how, helpers] of [["broadcast", 2], ["signal", 1]] as const) {
    const lock = new Mutex(sys, `wakeup ${how}`);
    const cv = new CondVar(sys, `wakeup ${how}`);
    const pause = sys.futexWord(0);
    const done = sys.futexWord(0);
    let go = false;
    for (let i = 1; i <= helpers; i++) {
      sys.spawn(`${how}-${i}`, function* (s) {
        yield* lock.lock(s);
        yield* s.futexWait(pause, 0, 0, s.now + 2);
        while (!go) {
          const st = yield* cv.wait(s, lock);
          if (st !== ZX_OK) throw new Error(`a CondVar.wait with no deadline returned ${st}`);
        }
        yield* lock.unlock(s);
        s.atomicAdd(done, 1);
      });
    }
    yield* sys.futexWait(pause, 0, 0, sys.now + 1);
    yield* lock.lock(sys);
    go = true;
    yield* (how === "broadcast" ? cv.broadcast(sys) : cv.signal(sys));
    yield* lock.unlock(sys);
    while (sys.atomicLoad(done) < helpers) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
  }
}

export const futexGarbage: PagerService = function* (sys, ctx) {
  const word = sys.futexWord(0);
  // The word holds 0, not 1: past the deadline's check the value's would fail (BAD_STATE), so a
  // kernel that skips the deadline's check returns at once, and futex-args sees the status.
  yield* sys.futexWait(word, 1, 0, "soon" as unknown as number);
  yield* sys.futexWait(word, 1, 0, NaN);
  const [st, self] = yield* sys.handleDuplicate(sys.self, ZX_RIGHT_SAME_RIGHTS);
  if (st === ZX_OK) {
    yield* sys.handleClose(self);
    yield* sys.futexWait(word, 0, self, 0);
  }
  yield* ownerRound(sys);
  yield* queueRound(sys);
  yield* edgeRound(sys);
  yield* wakeupRound(sys);
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
};

/** The custom services the seeded scenarios name. */
/**
 * Answers each READ packet with pages stitched from byte extents of the backing store that are
 * not 8-byte aligned: bytes `[0, 3)`, `[3, ps - 3)` and `[ps - 3, ps)` of every page, each read on
 * its own (`fileRange`), then supplied at once ({@linkcode supplyBytes}). The shape of a store
 * whose records do not fall on page or word boundaries (a packed or compressed one): what it reads
 * of an unaligned range must be that slice of the aligned content, which data-integrity's own
 * backing model judges. The reference services read whole pages only.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "unaligned-extents" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const unalignedExtents: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    const data = new Uint8Array(packet.length);
    const cuts = [0, 3, ps - 3, ps];
    for (let at = 0; at < packet.length; at += ps) {
      for (let i = 0; i + 1 < cuts.length; i++) {
        const from = packet.offset + at + cuts[i];
        data.set(fileRange(vmo.key, from, cuts[i + 1] - cuts[i], vmo.file), at + cuts[i]);
      }
    }
    yield* supplyBytes(sys, ctx, vmo, packet.offset, data);
  }, "unaligned-extents: waiting for a packet");

/**
 * Answers each READ packet page by page, in order, and after each page but the last, on a seeded
 * coin, fails the empty range at the next page: `zx_pager_op_range(ZX_PAGER_OP_FAIL)` at that
 * page with length 0 and ZX_ERR_IO. No layer of upstream's call returns early for length 0, and
 * `PageSource::ResolveRequestsLocked` (page_source.cc @ misttech/mist-os 9da14a83) takes it to the
 * request the page lies strictly inside: a reader early-woken by the page before and waiting for
 * this one is failed and woken with the code, though no page is failed (docs/mutation.md, "A
 * zero-length OP_FAIL"). Random programs draw length 0 for an OP_FAIL seldom and never at a
 * parked reader's wake page, so no probe made the call syscall-contract K14w judges there.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "empty-fail-next" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 3 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 3 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const emptyFailNext: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    const end = packet.offset + packet.length;
    for (let at = packet.offset; at < end; at += ps) {
      yield* supplyFromBacking(sys, ctx, vmo, at, ps);
      if (at + ps < end && sys.chance(50)) {
        yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, vmo.handle, at + ps, 0, ZX_ERR_IO);
      }
    }
  }, "empty-fail-next: waiting for a packet");

/**
 * Answers each READ packet in growing prefixes: page by page, each supply again from the packet's
 * first page through the next one (`[s, s + 1)`, `[s, s + 2)`, ...). A supply skips the pages
 * already present and fills the ones the kernel evicted since, so a page evicted after an early
 * wake and before its reader copied it is filled again while the request is still outstanding.
 * The primary then waits below an overlap waiter that already copied past that page, and the
 * refill is a run from the primary's wake page that ends at or before the overlap waiter's:
 * `EarlyWakeRequestLocked` wakes the primary alone (it signals an overlap waiter only when the
 * run starts past its wake page or covers it; page_source.cc @ misttech/mist-os 9da14a83).
 * Random programs evict at random, and no probe of the judge evicted between an early wake and
 * the primary's copy.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "prefix-resupply" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 3 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 3 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const prefixResupply: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    for (let n = ps; n <= packet.length; n += ps) {
      for (let at = 0; at < n; at += ps) {
        yield* supplyFromBacking(sys, ctx, vmo, packet.offset + at, ps);
      }
    }
  }, "prefix-resupply: waiting for a packet");

/**
 * Answers each READ packet whole, and after the first one that reaches the VMO's last page,
 * hints the VMO's last two pages ALWAYS_NEED through an at-least-on-write clone of its tail made
 * at page offset `h = ⌊(n - 2) / 2⌋` of the `n`-page VMO, as the clone's own pages
 * `[n - h - 2, n - h)`: a store that keeps its tail resident through a child it hands out. The
 * clone's window starts at or past `h`, so root pages as far below it as the clone's offset are
 * real pages too. The hint lands on the root pages under the window, `[n - 2, n)` (spec 2.8.2,
 * 6.1; `VmObjectPaged::HintRange` gives the clone's own range to its
 * `ProtectRangeFromReclamation`, vm_object_paged.cc @ misttech/mist-os 9da14a83), and protects
 * no root page outside it, which page-state's eviction oracle judges at each eviction (K26). The
 * clone's handle is closed after the hint (the flag stays on the root's pages). Two threads
 * serve the port and one of them hints, once: the hint's commit waits for a page evicted since
 * the supply, which the other thread supplies. No probe of the judge hinted through a clone at
 * an offset and then evicted.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "hint-tail-through-clone" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 6 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 6 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export const hintTailThroughClone: PagerService = function* (sys, ctx) {
  let hinted = false;
  const worker = (s: typeof sys) =>
    serveReads(s, ctx, function* (packet, vmo) {
      const ps = s.pageSize;
      yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      const [gs, size] = yield* s.vmoGetSize(vmo.handle);
      if (hinted || gs !== ZX_OK || packet.offset + packet.length < size) return;
      hinted = true;
      const n = size / ps;
      const h = Math.floor((n - 2) / 2);
      const options = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
      const [cs, clone] = yield* s.vmoCreateChild(vmo.handle, options, h * ps, (n - h) * ps);
      if (cs !== ZX_OK) return;
      yield* s.vmoOpRange(clone, ZX_VMO_OP_ALWAYS_NEED, (n - h - 2) * ps, 2 * ps);
      yield* s.handleClose(clone);
    }, "hint-tail-through-clone: waiting for a packet");
  sys.spawn("hint-2", worker);
  yield* worker(sys);
};

/**
 * The reference detacher (services/detacher.ts) with a second pager of the service's own on its
 * port: before it serves, the service thread creates a pager and a one-page VMO of it that
 * delivers to the scenario pager's port with the key of the scenario's first VMO, and spawns a
 * thread that reads that VMO and one that closes the second pager. A pager handle cannot be
 * duplicated (`ZX_DEFAULT_PAGER_RIGHTS`), so when the detacher closes the scenario's pager
 * (`closePager`) every VMO of it detaches and its queued packets are withdrawn: with one pager no
 * READ ever reached the thread after its close, and nothing told a detacher that still supplies
 * through the closed handle from one that does not. The second pager's READ does reach it, in the
 * schedules where the read comes after the close and before the second pager's: the detacher must
 * not answer it through the handle it closed (P17).
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{
 *     name: "fs",
 *     service: { kind: "custom", name: "detacher-shared-port", detachAfter: 0, closePager: true },
 *   }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 1 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.steps > 0);
 * ```
 */
export const detacherSharedPort: PagerService = function* (sys, ctx) {
  const first = ctx.vmos[0];
  const [ps, pager] = yield* sys.pagerCreate(0);
  if (ps === ZX_OK && first !== undefined) {
    const [vs, vmo] = yield* sys.pagerCreateVmo(pager, 0, ctx.port, first.key, sys.pageSize);
    if (vs === ZX_OK) {
      sys.spawn("second-pager.reader", function* (s) {
        yield* s.vmoRead(vmo, 0, s.pageSize);
      });
      sys.spawn("second-pager.closer", function* (s) {
        yield* s.handleClose(pager);
      });
    }
  }
  yield* detacherService(sys, ctx);
};

export const SCENARIO_SERVICES: Readonly<Record<string, PagerService>> = {
  "pairs-swapped": pairsSwapped,
  // Two pager threads on one port with a futex mutex around shared state: no other probe of the
  // judge runs a service that takes a lock, so kernel/futex.ts and services/sync.ts had no
  // campaign coverage.
  "locked-pool": lockedPool,
  // Loaned frames taken back while pages live in them, and lending VMOs that die: only PX7 lent.
  "lending-pool": lendingPool,
  // Futex waits with garbage deadlines and a closed owner handle: no other probe makes one.
  "futex-garbage": futexGarbage,
  // Garbage, misaligned and edge arguments, each status against upstream's documented answer.
  "arg-edges": argEdges,
  // Requeue owners by who waits where, and wait_one threads woken by signals and a close.
  "owner-signal": ownerSignal,
  // Reads of the backing store at byte offsets not 8-byte aligned: the reference services read
  // whole pages only, so no probe read an unaligned range (services/backing.ts, gap list Z).
  "unaligned-extents": unalignedExtents,
  // OP_FAIL of an empty range at a reader's wake page: no other probe makes that call.
  "empty-fail-next": emptyFailNext,
  // Prefixes supplied again, refilling evicted pages of a request still outstanding.
  "prefix-resupply": prefixResupply,
  // The detacher with a second pager of its own on its port: READs come after it closed the
  // scenario's pager, which no reference service meets (P17).
  "detacher-shared-port": detacherSharedPort,
  // ALWAYS_NEED through a clone at an offset, then evictions: only the hinted root pages stay.
  "hint-tail-through-clone": hintTailThroughClone,
};
