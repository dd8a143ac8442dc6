/**
 * `futex-owner`: who owns each futex, predicted from the futex calls' arguments and results
 * alone, against what `zx_futex_get_owner` reports and what the kernel's futex table holds at
 * the end of each step that touched a futex. The prediction follows upstream Zircon
 * (zircon/kernel/object/futex_context.cc @ gnoliyil/fuchsia 08c0dd7c;
 * zircon/kernel/kernel/owned_wait_queue.cc @ vsrinivas/fuchsia 045447661c3e: `BlockAndAssignOwner`,
 * `WakeThreads`, `WakeAndRequeue`; futex_wait.md, futex_wake.md, futex_requeue.md,
 * futex_get_owner.md):
 *
 * - a `zx_futex_wait` that parks makes its `new_futex_owner` the futex's owner (none for
 *   ZX_HANDLE_INVALID or a dead thread: `ValidateFutexOwner` drops a dying owner) as it joins the
 *   queue (`BlockAndAssignOwner`); one that returns ZX_ERR_TIMED_OUT without parking (its
 *   deadline had passed) assigns it too ("Just because we didn't manage to block does not mean
 *   that ownership assignment gets skipped"), and `FutexWaitInternal` clears it again when
 *   nobody waits there;
 * - a waiter that leaves without a wake (timeout, kill) and empties the queue leaves the futex
 *   without an owner (`FutexWaitInternal`: "if (futex_ref->waiters_.IsEmpty())
 *   AssignOwner(nullptr)");
 * - a successful `zx_futex_wake` takes up to `wake_count` waiters, oldest first (every simulated
 *   thread has one priority: FIFO, kernel/futex.ts), and leaves the futex without an owner
 *   (`OwnerAction::RELEASE`; the model has no `zx_futex_wake_single_owner`);
 * - a successful `zx_futex_requeue` wakes as a wake does, then moves up to `requeue_count` of
 *   the waiters left, oldest first, to the end of the requeue futex's queue; the wake futex has
 *   no owner after it, the requeue futex has `new_requeue_owner` (none for a dead thread) if
 *   anyone waits there now, else none (`WakeAndRequeue`);
 * - a thread that dies owns nothing (`OwnedWaitQueue::DisownAllQueues` from `Thread::Exit`), and a
 *   killed waiter leaves its queue.
 *
 * `zx_futex_get_owner` reports the owner's koid, or ZX_KOID_INVALID (0) for none. Queues are
 * kept as the trace orders them: a wait's `block` event joins it, a wake or requeue takes from
 * the front, a wait's return or a kill leaves.
 *
 * @module
 */

import { ZX_KOID_INVALID, ZX_OBJ_TYPE_THREAD } from "../kernel/constants.ts";
import type { HandleEntry } from "../kernel/handles.ts";
import type { KThread } from "../kernel/objects.ts";

/** A thread the model knows: its tid and koid. */
interface Who {
  readonly tid: number;
  readonly koid: number;
}

/** One futex as the model sees it: its live waiters (tids, oldest first) and its owner. */
interface FutexModel {
  readonly queue: number[];
  owner: Who | null;
}

/** Where a thread's handle argument leads: the thread, or undefined if it is no thread. */
export type Resolve = (handle: unknown) => HandleEntry | undefined;

/** A thread the model knows, as a new-owner argument names it. */
export type { Who };

/** The owner model of every futex word of one run (see the module doc). */
export class FutexOwnerModel {
  readonly #futexes = new Map<number, FutexModel>();
  /** The word each parked waiter's queue is (it moves with a requeue). */
  readonly #at = new Map<number, number>();
  /** Threads the trace saw die. */
  readonly #dead = new Set<number>();
  /** Words whose owner may have changed since the last {@linkcode FutexOwnerModel.touched}. */
  readonly #touched = new Set<number>();

  #get(addr: number): FutexModel {
    let f = this.#futexes.get(addr);
    if (f === undefined) this.#futexes.set(addr, f = { queue: [], owner: null });
    return f;
  }

  /** The live thread a new-owner argument names, else null (none, a dead thread, no thread). */
  ownerArg(handle: unknown, resolve: Resolve): Who | null {
    if (handle === 0) return null;
    const o = resolve(handle)?.object;
    if (o === undefined || o.objType !== ZX_OBJ_TYPE_THREAD) return null;
    const t = o as KThread;
    return this.#dead.has(t.tid) ? null : { tid: t.tid, koid: t.koid };
  }

  /** A `zx_futex_wait` of `tid` parked on `addr` naming `owner`. */
  parked(tid: number, addr: number, owner: Who | null): void {
    const f = this.#get(addr);
    f.queue.push(tid);
    f.owner = owner;
    this.#at.set(tid, addr);
    this.#touched.add(addr);
  }

  /** A `zx_futex_wait` on `addr` that returned ZX_ERR_TIMED_OUT without parking. */
  timedOutUnparked(addr: number, owner: Who | null): void {
    const f = this.#futexes.get(addr);
    if (f === undefined || f.queue.length === 0) return;
    f.owner = owner;
    this.#touched.add(addr);
  }

  /** `tid` leaves the queue it is in (its parked wait returned, or it died). */
  left(tid: number): void {
    const addr = this.#at.get(tid);
    if (addr === undefined) return;
    this.#at.delete(tid);
    const f = this.#get(addr);
    const i = f.queue.indexOf(tid);
    if (i >= 0) f.queue.splice(i, 1);
    if (f.queue.length === 0) f.owner = null;
    this.#touched.add(addr);
  }

  /** `tid` died: it leaves its queue and owns nothing. */
  died(tid: number): void {
    this.#dead.add(tid);
    this.left(tid);
    for (const [addr, f] of this.#futexes) {
      if (f.owner?.tid === tid) this.#touched.add(addr);
    }
  }

  /** A successful `zx_futex_wake(addr, count)`. */
  woke(addr: number, count: number): void {
    const f = this.#get(addr);
    for (const tid of f.queue.splice(0, Math.min(count, f.queue.length))) this.#at.delete(tid);
    f.owner = null;
    this.#touched.add(addr);
  }

  /** A successful `zx_futex_requeue(from, wakeCount, _, to, requeueCount, owner)`. */
  requeued(
    from: number,
    wakeCount: number,
    to: number,
    requeueCount: number,
    owner: Who | null,
  ): void {
    this.woke(from, wakeCount);
    const f = this.#get(from);
    const t = this.#get(to);
    for (const tid of f.queue.splice(0, Math.min(requeueCount, f.queue.length))) {
      t.queue.push(tid);
      this.#at.set(tid, to);
    }
    t.owner = t.queue.length > 0 ? owner : null;
    this.#touched.add(to);
  }

  /** The koid `zx_futex_get_owner` must report for `addr` now (ZX_KOID_INVALID: none). */
  ownerKoid(addr: number): number {
    const o = this.#futexes.get(addr)?.owner ?? null;
    return o === null || this.#dead.has(o.tid) ? ZX_KOID_INVALID : o.koid;
  }

  /** Whether any word's owner may have changed since the last {@linkcode takeTouched}. */
  get anyTouched(): boolean {
    return this.#touched.size > 0;
  }

  /** The words whose owner may have changed since the last call (then forgotten). */
  takeTouched(): number[] {
    const out = [...this.#touched];
    this.#touched.clear();
    return out;
  }
}
