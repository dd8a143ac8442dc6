/**
 * Futexes and the user memory words they live on, as Zircon's per-process
 * `FutexContext` keeps them (zircon/kernel/object/futex_context.cc @
 * misttech/fuchsia 216f5757): a futex is named by the address of a 32-bit
 * word of the process's memory, a wait parks its thread in the futex's queue
 * only while the word still holds the value the caller saw, a wake takes up
 * to `wake_count` waiters from the queue, and a waiter may name the thread
 * that owns the futex (priority inheritance upstream; here, the edge of the
 * wait-for graph a hang report follows).
 *
 * The model's user memory for futexes is a separate store of words, one per
 * {@linkcode Futexes.alloc}: a service asks for a word and gets its address,
 * then reads and changes it with the atomic operations of `Sys` (which are
 * not scheduling points, like a CPU's, but are recorded as `atomic` events so
 * the trace, exploration's state hash and its footprints see them). Simplifications:
 * waiters wake in FIFO order (upstream: by priority, FIFO among equals, and
 * every simulated thread has the same priority); a suspended waiter keeps its
 * place in the queue (upstream it leaves it and re-runs the call on resume);
 * `zx_futex_wake_single_owner` and `zx_futex_requeue_single_owner` are not
 * modelled.
 *
 * `zx_futex_requeue` ({@linkcode Futexes.requeue}) follows
 * `FutexContext::FutexRequeueInternal` (futex_context.cc) and
 * `OwnedWaitQueue::WakeAndRequeue` (kernel/owned_wait_queue.cc), both @
 * vsrinivas/fuchsia 04544766: wake up to `wake_count` waiters, then move up to
 * `requeue_count` of those left, in queue order, to the requeue futex's queue
 * (their `blocking_futex_id_` follows them: {@linkcode FutexWaiter.addr}, so a
 * timeout or kill leaves the queue it is in now); the wake futex loses its
 * owner, and the requeue futex gets the named owner if it has waiters after the
 * move (none otherwise, "futexes without waiters are not permitted to have
 * owners").
 *
 * @module
 */

import { assert } from "./assert.ts";
import type { KThread } from "./objects.ts";

/** Where the model's futex words start; each word takes 4 bytes (aligned, never 0). */
export const FUTEX_BASE = 0x4000_0000;

/**
 * What a labelled futex word is for, as the library that labelled it knows (services/sync.ts): a
 * `Mutex`'s lock word or a `CondVar`'s sequence word. Checks decide by it, never by the label's
 * text (a lock may be named anything, `(condvar x` too).
 */
export type FutexKind = "mutex" | "condvar";

/** A thread parked in `zx_futex_wait`. */
export interface FutexWaiter {
  /** The waiting thread. */
  readonly thread: KThread;
  /**
   * The futex whose queue it is in now (upstream `blocking_futex_id_`): the one
   * it waited on, or the one a `zx_futex_requeue` moved it to.
   */
  addr: number;
  /** Set by `zx_futex_wake`: the wait returns ZX_OK. */
  woken: boolean;
}

/** One futex: its queue of waiters and the owner the last waiter named. */
interface FutexState {
  readonly waiters: FutexWaiter[];
  owner: KThread | null;
}

/** The futex words of the one simulated process and the futexes on them. */
export class Futexes {
  /** Word values, by index: address `FUTEX_BASE + 4 * index`. */
  readonly #words: number[] = [];
  readonly #futexes = new Map<number, FutexState>();
  readonly #labels = new Map<number, { readonly kind: FutexKind; readonly name: string }>();

  /** How many words were allocated. */
  get size(): number {
    return this.#words.length;
  }

  /** A new word holding `initial`; its address. */
  alloc(initial: number): number {
    this.#words.push(initial | 0);
    return FUTEX_BASE + 4 * (this.#words.length - 1);
  }

  /**
   * Records what the word at `addr` is (`kind`) and names it for traces and hang reports: `kind`
   * then `name` (`mutex inode`).
   */
  label(addr: number, kind: FutexKind, name: string): void {
    this.#labels.set(addr, { kind, name });
  }

  /** What the word at `addr` was labelled as ({@linkcode label}); undefined if never labelled. */
  kindOf(addr: number): FutexKind | undefined {
    return this.#labels.get(addr)?.kind;
  }

  /** How hang reports name the futex at `addr`: its address, and its label if it has one. */
  describe(addr: number): string {
    const label = this.#labels.get(addr);
    return `futex 0x${addr.toString(16)}${
      label === undefined ? "" : ` (${label.kind} ${label.name})`
    }`;
  }

  /** True if `addr` is the address of a word (what `ValidateFutexPointer` and the copy-in check). */
  valid(addr: unknown): addr is number {
    if (typeof addr !== "number" || !Number.isInteger(addr) || addr < FUTEX_BASE) return false;
    return (addr - FUTEX_BASE) % 4 === 0 && (addr - FUTEX_BASE) / 4 < this.#words.length;
  }

  /** The value of the word at `addr`. */
  load(addr: number): number {
    assert(this.valid(addr), () => `no futex word at 0x${addr.toString(16)}`);
    return this.#words[(addr - FUTEX_BASE) / 4];
  }

  /** Sets the word at `addr` (an int32, as the C type). */
  store(addr: number, value: number): void {
    assert(this.valid(addr), () => `no futex word at 0x${addr.toString(16)}`);
    this.#words[(addr - FUTEX_BASE) / 4] = value | 0;
  }

  /** Parks `thread` on the futex at `addr`, naming `owner` (or none) as its owner. */
  enqueue(addr: number, thread: KThread, owner: KThread | null): FutexWaiter {
    let f = this.#futexes.get(addr);
    if (f === undefined) this.#futexes.set(addr, f = { waiters: [], owner: null });
    const w: FutexWaiter = { thread, addr, woken: false };
    f.waiters.push(w);
    f.owner = owner;
    return w;
  }

  /**
   * A waiter leaves the queue it is in now without a wake (timeout, kill):
   * after a requeue that is not the futex it waited on (futex.cc
   * RequeueUnqueuedOnTimeout); the owner goes with the last one.
   */
  leave(w: FutexWaiter): void {
    const f = this.#futexes.get(w.addr);
    if (f === undefined) return;
    const i = f.waiters.indexOf(w);
    if (i >= 0) f.waiters.splice(i, 1);
    if (f.waiters.length === 0) this.#futexes.delete(w.addr);
  }

  /**
   * Wakes up to `count` live waiters of the futex at `addr`, oldest first
   * (dead ones are dropped on the way); the futex loses its owner
   * (`OwnerAction::RELEASE`). Returns the woken threads.
   */
  wake(addr: number, count: number): KThread[] {
    const f = this.#futexes.get(addr);
    if (f === undefined) return [];
    const woken: KThread[] = [];
    while (f.waiters.length > 0 && woken.length < count) {
      const w = f.waiters.shift();
      assert(w !== undefined, () => `futex 0x${addr.toString(16)} lost a waiter`);
      if (!w.thread.alive) continue;
      w.woken = true;
      woken.push(w.thread);
    }
    f.owner = null;
    if (f.waiters.length === 0) this.#futexes.delete(addr);
    return woken;
  }

  /**
   * `zx_futex_requeue`'s queue moves (the caller checked the arguments and the
   * value): wakes up to `wakeCount` live waiters of the futex at `wakeAddr` as
   * {@linkcode wake} does, then moves up to `requeueCount` of the live waiters
   * left there, oldest first, to the end of the queue of the futex at
   * `requeueAddr` (dead ones are dropped on the way, as a wake drops them). The
   * wake futex loses its owner; the requeue futex's owner becomes `owner` if it
   * has waiters now, else none (`WakeAndRequeue`; with `requeueCount` 0,
   * `FutexRequeueInternal` assigns it the same way). Returns the woken threads
   * and how many moved.
   */
  requeue(
    wakeAddr: number,
    wakeCount: number,
    requeueAddr: number,
    requeueCount: number,
    owner: KThread | null,
  ): { woken: KThread[]; moved: number } {
    assert(wakeAddr !== requeueAddr, () => `requeue onto its own futex 0x${wakeAddr.toString(16)}`);
    const woken = this.wake(wakeAddr, wakeCount);
    let moved = 0;
    const from = this.#futexes.get(wakeAddr);
    let to = this.#futexes.get(requeueAddr);
    if (from !== undefined && requeueCount > 0) {
      if (to === undefined) this.#futexes.set(requeueAddr, to = { waiters: [], owner: null });
      while (from.waiters.length > 0 && moved < requeueCount) {
        const w = from.waiters.shift();
        assert(w !== undefined, () => `futex 0x${wakeAddr.toString(16)} lost a waiter`);
        if (!w.thread.alive) continue;
        w.addr = requeueAddr;
        to.waiters.push(w);
        moved++;
      }
      if (from.waiters.length === 0) this.#futexes.delete(wakeAddr);
    }
    if (to !== undefined) {
      if (to.waiters.length === 0) this.#futexes.delete(requeueAddr);
      else to.owner = owner;
    }
    return { woken, moved };
  }

  /** The owner the futex at `addr` has now (null: none, or nobody waits). */
  ownerOf(addr: number): KThread | null {
    return this.#futexes.get(addr)?.owner ?? null;
  }

  /**
   * The owner `zx_futex_get_owner` reports for the futex at `addr`: its owner
   * while it has a live waiter and the owner is alive, else none.
   * `FutexContext::FutexGetOwner` (zircon/kernel/object/futex_context.cc @
   * gnoliyil/fuchsia 08c0dd7c) reads the owner of an active futex's wait queue;
   * upstream a killed waiter unwinds out of `FutexWaitInternal`, which clears
   * the owner of a queue it leaves empty, and an exiting owner gives up every
   * queue it owns (`OwnedWaitQueue::DisownAllQueues`, called from
   * `Thread::Exit`), where the model leaves a killed waiter in its queue until a
   * wake drops it and keeps a dead owner's record.
   */
  currentOwner(addr: number): KThread | null {
    const f = this.#futexes.get(addr);
    if (f === undefined || f.owner === null || !f.owner.alive) return null;
    return f.waiters.some((w) => w.thread.alive) ? f.owner : null;
  }

  /**
   * A `zx_futex_wait` that did not park (its deadline had passed) still names
   * the futex's owner: `OwnedWaitQueue::BlockAndAssignOwner` assigns it even
   * when the block's preamble fails ("Just because we didn't manage to block
   * does not mean that ownership assignment gets skipped"), and
   * `FutexWaitInternal` then clears it if nobody waits there. So a futex with
   * waiters gets `owner` (none too), one without stays without.
   */
  assignOwner(addr: number, owner: KThread | null): void {
    const f = this.#futexes.get(addr);
    if (f !== undefined) f.owner = owner;
  }

  /** True if `thread` waits on the futex at `addr` (a new owner may not: INVALID_ARGS). */
  waitsOn(addr: number, thread: KThread): boolean {
    return this.#futexes.get(addr)?.waiters.some((w) => w.thread === thread) ?? false;
  }

  /**
   * The canonical state, for exploration's state hash: every word's value and
   * each futex's live waiters (by tid, in queue order) and owner.
   */
  stateKey(): string {
    const parts = [this.#words.join(",")];
    for (const addr of [...this.#futexes.keys()].sort((a, b) => a - b)) {
      const f = this.#futexes.get(addr);
      assert(f !== undefined, () => `futex 0x${addr.toString(16)} vanished`);
      const live = f.waiters.filter((w) => w.thread.alive).map((w) => w.thread.tid);
      parts.push(`${addr}:${live.join(".")}>${f.owner?.tid ?? "-"}`);
    }
    return parts.join(";");
  }

  /**
   * The name the word at `addr` was labelled with ({@linkcode label}), without its kind; undefined
   * if never labelled. Signatures read it (a lost wake-up's condition variable), never the text
   * {@linkcode describe} makes of it.
   */
  nameOf(addr: number): string | undefined {
    return this.#labels.get(addr)?.name;
  }
}
