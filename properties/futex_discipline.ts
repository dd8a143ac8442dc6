/**
 * `futex-discipline`: the value check and the signal waits of issue 13, judged
 * from the trace alone. The word values come from the `atomic` events (every
 * word starts with one, and every user change of it is one), so the checker
 * knows what a `zx_futex_wait` found when it started, independently of the
 * kernel's futex table:
 *
 * - `futex-value`: a wait whose word no longer held `current_value` returns
 *   `ZX_ERR_BAD_STATE`; one whose word held it does not (it parks, then ends
 *   with ZX_OK or ZX_ERR_TIMED_OUT) (futex_wait.md; FutexContext::FutexWait).
 *   Likewise a `zx_futex_requeue` on its wake word, except that its argument
 *   checks (the same futex twice, a bad requeue pointer: ZX_ERR_INVALID_ARGS)
 *   come before the value check (futex_requeue.md; FutexContext::FutexRequeue).
 *   A wait whose deadline had already passed when its call began never parks:
 *   it returns ZX_ERR_TIMED_OUT without joining the futex's queue
 *   (`WaitQueueBase::BlockEtcPreamble`, the first check of every block,
 *   zircon/kernel/include/kernel/wait_queue_internal.h @ misttech/fuchsia
 *   6b3127dc: `deadline.when() <= current_mono_time()` returns
 *   ZX_ERR_TIMED_OUT before the thread is inserted), so no wake can take it
 *   and no other thread sees it wait. The clock is the world's at the call.
 * - `futex-args`: the argument checks of the three futex calls, from the words
 *   the trace announced (futex_wait.md, futex_wake.md, futex_requeue.md;
 *   FutexContext @ vsrinivas/fuchsia 04544766: `ValidateFutexPointer` and the
 *   copy-in of the word; the model's only user memory that holds a futex word is
 *   a word it handed out). A pointer that is no announced word, or a requeue onto
 *   its own wake word, or a wait whose deadline is no number (the model's garbage
 *   arguments), is ZX_ERR_INVALID_ARGS; with every pointer a word, uint32
 *   counts, a deadline that is a number and no new owner (0), the call is not
 *   INVALID_ARGS (the owner's checks are the only ones after the value's); a wake
 *   with a word and a uint32 count, and such a requeue whose word held
 *   `current_value`, return ZX_OK.
 * - `wait-observed`: `zx_object_wait_one` returns ZX_OK only with one of the
 *   signals it waited for among those it observed, and ZX_ERR_TIMED_OUT only
 *   with none of them (object_wait_one.md).
 * - `futex-wake`: a `zx_futex_wake(value_ptr, wake_count)` wakes at most `wake_count` of the
 *   threads parked on the futex (futex_wake.md; FutexContext::FutexWake, futex_context.cc @
 *   vsrinivas/fuchsia 045447661c3e: `WakeThreads(wake_count)`), and a parked `zx_futex_wait`
 *   returns ZX_OK only when a wake took it. The checker counts, per word, the threads whose wait blocked there (the
 *   `block` event of their call) and have not returned, and the wakes owed to them: each wake
 *   owes min(wake_count, parked and not yet owed); each ZX_OK return of a parked wait pays one
 *   back, and one with nothing owed is a thread the wakes did not take. A `zx_futex_requeue`
 *   moves waiters the trace does not name: its two words are not judged from then on.
 * - Owners (`futex-args`): a `zx_futex_wait` whose new owner is a thread handle is
 *   INVALID_ARGS only when the owner is the caller or waits on that futex ("new_futex_owner
 *   is currently waiting on this futex", futex_wait.md; FutexContext::FutexWaitInternal,
 *   futex_context.cc @ vsrinivas/fuchsia 045447661c3e: `blocking_futex_id_ == futex_id`): an
 *   owner in no futex wait, or in one on another word (a bystander), leaves the call what the
 *   value and the deadline make it, never INVALID_ARGS. Likewise a `zx_futex_requeue` whose new
 *   owner is a thread waiting on neither of its words (the caller too), with the other
 *   arguments valid: never INVALID_ARGS (futex_context.cc @ gnoliyil/fuchsia 08c0dd7c: the
 *   owner's only rule is `blocking_futex_id_`).
 * - `user-signals`: the user signals (and an event's ZX_EVENT_SIGNALED) a `zx_object_wait_one`
 *   observed on an event or a VMO are those the successful `zx_object_signal` calls on it left:
 *   none at first, then each clears `clear_mask` and sets `set_mask` (zx_object_signal.md:
 *   "clear_mask is first used to clear any bits indicated, and then set_mask is used to set
 *   any bits indicated"; `Dispatcher::UpdateState`), and nothing else changes them.
 * - `futex-owner`: who owns each futex, from the futex calls' arguments and results alone
 *   (properties/_futex_owner.ts: a parked wait names it, a wake clears it, a requeue hands the
 *   requeue futex to its new owner while anyone waits there, the last waiter leaving or the
 *   owner dying clears it), against what `zx_futex_get_owner` returns (`FutexContext::
 *   FutexGetOwner`, futex_context.cc @ gnoliyil/fuchsia 08c0dd7c: the owner's koid or
 *   ZX_KOID_INVALID) and, after every step that touched a futex, against the owner the kernel's
 *   futex table would report (the read `zx_futex_get_owner` makes), so a wrong owner shows in
 *   every run with futex owners, not only where a service asks. Its argument check is
 *   `futex-args`: a pointer that is no futex word is ZX_ERR_INVALID_ARGS, a word ZX_OK.
 * - `zero-children`: the signals observed on a VMO no `zx_vmo_create_child`
 *   named (through any handle) include `ZX_VMO_ZERO_CHILDREN`: it has no child,
 *   and it can inherit one only from a child that dies (zx_object_signal.md,
 *   VmObjectDispatcher; `kernel/objects.ts` releaseUserChildren), so never had one.
 *   And those a `zx_object_wait_one` observed on a VMO do not include it while a
 *   child made from it is alive: the handle `zx_vmo_create_child` returned is open
 *   (no `zx_handle_close` or `zx_handle_replace` named it since).
 *
 * @module
 */

import {
  statusName,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_EVENT_SIGNALED,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_USER_SIGNAL_ALL,
  ZX_VMO_ZERO_CHILDREN,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { KThread } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { FutexOwnerModel, type Who } from "./_futex_owner.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";

interface FutexCall {
  readonly addr: number;
  readonly current: number;
  /** What the word held when the call started (undefined: not a word). */
  readonly found: number | undefined;
  /** A wait's deadline is no number: its argument check comes before the value's. */
  readonly garbageDeadline: boolean;
}

/** A `uint32_t` argument as the calls take it (a mask may come as `1 << 31`, negative). */
function u32(x: unknown): boolean {
  return Number.isInteger(x) && (x as number) >= -(2 ** 31) && (x as number) < 2 ** 32;
}

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "atomic",
  "call",
  "ret",
  "observed",
  "block",
  "thread",
]);

/**
 * The calls other than `zx_futex_*` whose `call` or `ret` event {@linkcode FutexDiscipline}
 * judges: the signal waits and `zx_object_signal` (user signals), a child's creation and the
 * closes that end it (`ZX_VMO_ZERO_CHILDREN`).
 */
const OTHER_CALLS: ReadonlySet<string> = new Set([
  "zx_object_wait_one",
  "zx_object_wait_async",
  "zx_object_signal",
  "zx_vmo_create_child",
  "zx_handle_close",
  "zx_handle_replace",
]);

/**
 * The syscalls whose `call` and `ret` events {@linkcode FutexDiscipline} judges: the others (a
 * pager service's, the workload's) change nothing it keeps, and are not handed to it.
 */
function futexCall(name: string): boolean {
  return name.startsWith("zx_futex_") || OTHER_CALLS.has(name);
}

/** Checks futex waits against the word values of the trace, and wait_one against its signals. */
export class FutexDiscipline extends StepMonitor {
  readonly name = "futex-discipline";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  protected override readonly stepCalls: (name: string) => boolean = futexCall;
  readonly #words = new Map<number, number>();
  readonly #waits = new Map<number, FutexCall>();
  readonly #observed = new Map<number, number>();
  /** Koids of the VMOs waited on (one `observed` event later names them). */
  readonly #vmos = new Set<number>();
  /** Koids of the VMOs some `zx_vmo_create_child` named as its parent (it may have a child). */
  readonly #parents = new Set<number>();
  /** Open handles to children, each with its parent's koid (the child lives while it is open). */
  readonly #children = new Map<number, number>();
  /** The word each thread's open `zx_futex_wait` names (from its call to its return). */
  readonly #inWait = new Map<number, number>();
  /** Threads whose open wait blocked, with its word (`futex-wake`). */
  readonly #parked = new Map<number, number>();
  /** Per word, wakes owed to its parked threads that have not returned yet. */
  readonly #owed = new Map<number, number>();
  /** The type of each object a `zx_object_wait_one` named, by koid. */
  readonly #objects = new Map<number, number>();
  /** Each signalled object's user signals (an event's SIGNALED too) as its signals left them. */
  readonly #user = new Map<number, number>();
  /** Words a requeue touched: who waits there is no longer known from the trace. */
  readonly #requeued = new Set<number>();
  /** `futex-owner`: every futex's queue and owner, from the calls alone. */
  readonly #owners = new FutexOwnerModel();
  /** Each open `zx_futex_wait`'s new owner as its call named it (a live thread or none). */
  readonly #waitOwner = new Map<number, Who | null>();
  /** Threads whose open `zx_futex_wait` parked (its `block` event). */
  readonly #waitParked = new Set<number>();
  /** The tick each open `zx_futex_wait` began at (`futex-value`'s past deadline). */
  readonly #waitBegan = new Map<number, number>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    switch (e.k) {
      case "atomic":
        this.#words.set(e.addr, e.value);
        return;
      case "call":
        if (
          (e.name === "zx_futex_wait" || e.name === "zx_futex_requeue") &&
          typeof e.args[0] === "number"
        ) {
          const current = e.args[e.name === "zx_futex_wait" ? 1 : 2];
          this.#waits.set(e.tid, {
            addr: e.args[0],
            current: typeof current === "number" ? current | 0 : NaN,
            found: this.#words.get(e.args[0]),
            garbageDeadline: e.name === "zx_futex_wait" &&
              (typeof e.args[3] !== "number" || Number.isNaN(e.args[3])),
          });
        }
        if (e.name === "zx_futex_wait" && typeof e.args[0] === "number") {
          this.#inWait.set(e.tid, e.args[0]);
          this.#waitOwner.set(e.tid, this.#owners.ownerArg(e.args[2], this.entryOf));
          this.#waitParked.delete(e.tid);
          this.#waitBegan.set(e.tid, world.kernel.now);
        }
        if (e.name === "zx_object_wait_one") {
          this.#observed.delete(e.tid);
          const o = this.entry(e.args[0])?.object;
          if (o !== undefined) this.#objects.set(o.koid, o.objType);
        }
        if (e.name === "zx_object_wait_one" || e.name === "zx_object_wait_async") {
          const o = this.entry(e.args[0])?.object;
          if (o?.objType === ZX_OBJ_TYPE_VMO) this.#vmos.add(o.koid);
        }
        if (e.name === "zx_vmo_create_child") {
          const o = this.entry(e.args[0])?.object;
          if (o !== undefined) this.#parents.add(o.koid);
        }
        if (e.name === "zx_handle_close" || e.name === "zx_handle_replace") {
          this.#children.delete(e.args[0] as number);
        }
        return;
      case "observed":
        this.#observed.set(e.tid, e.signals);
        if (
          this.#vmos.has(e.koid) && !this.#parents.has(e.koid) &&
          (e.signals & ZX_VMO_ZERO_CHILDREN) === 0
        ) {
          this.fail(
            "zero-children",
            `t${e.tid} observed 0x${(e.signals >>> 0).toString(16)} on vmo${e.koid}, ` +
              "which no zx_vmo_create_child named: ZX_VMO_ZERO_CHILDREN is missing",
          );
        }
        if (call?.name === "zx_object_wait_one") this.#userSignals(e.tid, e.koid, e.signals);
        // (An async wait's packet shows the signals of when it fired, not of now.)
        if (call?.name === "zx_object_wait_one" && (e.signals & ZX_VMO_ZERO_CHILDREN) !== 0) {
          for (const [h, parent] of this.#children) {
            if (parent !== e.koid) continue;
            this.fail(
              "zero-children",
              `t${e.tid} observed ZX_VMO_ZERO_CHILDREN on vmo${e.koid} while its child's handle ` +
                `0x${h.toString(16)} is open`,
            );
          }
        }
        return;
      case "block": {
        const addr = this.#inWait.get(e.tid);
        if (addr !== undefined && call?.name === "zx_futex_wait") {
          const deadline = call.args[3], began = this.#waitBegan.get(e.tid);
          if (typeof deadline === "number" && began !== undefined && deadline <= began) {
            this.fail(
              "futex-value",
              `t${e.tid} zx_futex_wait(0x${addr.toString(16)}) parked, but its deadline ` +
                `${deadline} had passed when it began (tick ${began}): such a wait returns ` +
                "ZX_ERR_TIMED_OUT without joining the futex's queue",
            );
          }
          this.#parked.set(e.tid, addr);
          this.#waitParked.add(e.tid);
          this.#owners.parked(e.tid, addr, this.#waitOwner.get(e.tid) ?? null);
        }
        return;
      }
      case "thread":
        // A killed waiter leaves the queue without returning (a wake skips it).
        if (e.what === "killed" || e.what === "exited") {
          this.#inWait.delete(e.tid);
          this.#parked.delete(e.tid);
          this.#owners.died(e.tid);
        }
        return;
      case "ret": {
        // Judged before #wakes takes in what a successful requeue moved.
        const ownerWaits = e.name === "zx_futex_requeue" && call !== undefined &&
          this.#surelyWaits(call.args[5], call.args[0], call.args[3]);
        if (call !== undefined) this.#wakes(e.tid, e.name, call.args, e.status);
        if (e.name === "zx_object_signal" && e.status === ZX_OK && call !== undefined) {
          const o = this.entry(call.args[0])?.object;
          const [clear, set] = [call.args[1], call.args[2]];
          if (o !== undefined && u32(clear) && u32(set)) {
            const was = this.#user.get(o.koid) ?? 0;
            this.#user.set(o.koid, ((was & ~(clear as number)) | (set as number)) >>> 0);
          }
        }
        if (
          e.name === "zx_vmo_create_child" && e.status === ZX_OK && e.handle !== undefined &&
          call !== undefined
        ) {
          const o = this.entry(call.args[0])?.object;
          if (o !== undefined) this.#children.set(e.handle, o.koid);
        }
        if (
          call !== undefined &&
          (e.name === "zx_futex_wait" || e.name === "zx_futex_wake" ||
            e.name === "zx_futex_requeue")
        ) {
          this.#argsRet(e.tid, e.name, call.args, e.status, ownerWaits);
        }
        if (e.name === "zx_futex_wait" || e.name === "zx_futex_requeue") {
          this.#futexRet(e.tid, e.status, e.name);
        }
        if (call !== undefined && e.name.startsWith("zx_futex_")) {
          this.#ownerRet(e.tid, e.name, call.args, e.status, e.value);
        }
        if (e.name === "zx_object_wait_one" && call !== undefined) {
          this.#waitOneRet(e.tid, e.status, call.args[1]);
        }
        return;
      }
    }
  }

  /** `futex-owner`: the owner model takes in a futex call's return, and judges get_owner's. */
  #ownerRet(
    tid: number,
    name: string,
    a: readonly unknown[],
    status: number,
    value: number | undefined,
  ): void {
    const m = this.#owners;
    if (name === "zx_futex_wait") {
      const owner = this.#waitOwner.get(tid) ?? null;
      this.#waitOwner.delete(tid);
      this.#waitBegan.delete(tid);
      if (this.#waitParked.delete(tid)) m.left(tid);
      else if (status === ZX_ERR_TIMED_OUT && typeof a[0] === "number") {
        m.timedOutUnparked(a[0], owner);
      }
      return;
    }
    if (status !== ZX_OK) {
      if (name === "zx_futex_get_owner" && this.#words.has(a[0] as number)) {
        this.fail(
          "futex-args",
          `t${tid} zx_futex_get_owner(0x${(a[0] as number).toString(16)}): the pointer is a ` +
            `futex word, yet it returned ${statusName(status)}`,
        );
      }
      return;
    }
    if (name === "zx_futex_wake") m.woke(a[0] as number, (a[1] as number) >>> 0);
    if (name === "zx_futex_requeue") {
      const owner = m.ownerArg(a[5], this.entryOf);
      m.requeued(
        a[0] as number,
        (a[1] as number) >>> 0,
        a[3] as number,
        (a[4] as number) >>> 0,
        owner,
      );
    }
    if (name !== "zx_futex_get_owner") return;
    const addr = a[0];
    if (typeof addr !== "number" || !this.#words.has(addr)) {
      this.fail(
        "futex-args",
        `t${tid} zx_futex_get_owner(${String(addr)}): the pointer is no futex word, yet it ` +
          "returned ZX_OK",
      );
    }
    const want = m.ownerKoid(addr);
    if (value !== want) {
      this.fail(
        "futex-owner",
        `t${tid} zx_futex_get_owner(0x${addr.toString(16)}) returned koid ${String(value)}, ` +
          `but the futex calls leave ${this.#ownerText(want)}`,
      );
    }
  }

  #ownerText(koid: number): string {
    return koid === 0 ? "it without an owner (ZX_KOID_INVALID)" : `koid ${koid} its owner`;
  }

  /**
   * `futex-owner` at the end of a step: each futex whose owner the step may have changed has the
   * owner the model predicts, as `zx_futex_get_owner` would read it from the kernel now.
   */
  protected override endStep(world: World): void {
    if (!this.#owners.anyTouched) return;
    const futexes = world.kernel.futexes;
    for (const addr of this.#owners.takeTouched()) {
      if (!futexes.valid(addr)) continue;
      const have = futexes.currentOwner(addr)?.koid ?? 0;
      const want = this.#owners.ownerKoid(addr);
      if (have !== want) {
        this.fail(
          "futex-owner",
          `after step ${world.step}, futex 0x${addr.toString(16)} has ` +
            `${have === 0 ? "no owner" : `koid ${have} its owner`}, but the futex calls leave ` +
            this.#ownerText(want),
        );
      }
    }
  }

  /** `futex-wake`: the wakes owed per word, and the parked waits they let return ZX_OK. */
  #wakes(tid: number, name: string, a: readonly unknown[], status: number): void {
    if (name === "zx_futex_wait") {
      const addr = this.#parked.get(tid);
      this.#inWait.delete(tid);
      this.#parked.delete(tid);
      if (addr === undefined || this.#requeued.has(addr)) return;
      const owed = this.#owed.get(addr) ?? 0;
      if (status === ZX_OK && owed === 0) {
        this.fail(
          "futex-wake",
          `t${tid} zx_futex_wait(0x${addr.toString(16)}) returned ZX_OK, but the wakes of that ` +
            "futex since it parked had all been taken by other waiters",
        );
      }
      if (status === ZX_OK) this.#owed.set(addr, owed - 1);
      return;
    }
    if (status !== ZX_OK) return;
    if (name === "zx_futex_requeue") {
      if (typeof a[0] === "number") this.#requeued.add(a[0]);
      if (typeof a[3] === "number") this.#requeued.add(a[3]);
      return;
    }
    if (name !== "zx_futex_wake" || typeof a[0] !== "number" || !u32(a[1])) return;
    const addr = a[0];
    let parked = 0;
    for (const w of this.#parked.values()) if (w === addr) parked++;
    const owed = this.#owed.get(addr) ?? 0;
    this.#owed.set(addr, owed + Math.min((a[1] as number) >>> 0, parked - owed));
  }

  /**
   * A wait's new owner that is a thread handle, neither the caller nor in a wait on `addr` (in
   * no futex wait, or in one on another word no requeue touched): no owner rule of
   * `zx_futex_wait` can refuse it.
   */
  #bystander(tid: number, owner: unknown, addr: unknown): boolean {
    const o = this.entry(owner)?.object;
    if (o === undefined || o.objType !== ZX_OBJ_TYPE_THREAD) return false;
    const t = (o as KThread).tid;
    const on = this.#inWait.get(t);
    return t !== tid &&
      (on === undefined ||
        on !== addr && !this.#requeued.has(on) && !this.#requeued.has(addr as number));
  }

  /**
   * A requeue's new owner that is a thread handle in no futex wait, or in one on a third word no
   * requeue touched (so it was not moved onto either word): no owner rule of `zx_futex_requeue`
   * can refuse it. Upstream refuses an owner only "if requeue_owner_thread &&
   * ((requeue_owner_thread->blocking_futex_id_ == wake_id) || (requeue_owner_thread->
   * blocking_futex_id_ == requeue_id))" (FutexContext::FutexRequeueInternal, zircon/kernel/object/
   * futex_context.cc @ gnoliyil/fuchsia 08c0dd7c): the caller (it waits on nothing) and a dead
   * thread (ValidateFutexOwner: no owner) are taken too. Such a call is never INVALID_ARGS; it
   * may still be BAD_HANDLE (the handle names a thread the run saw, perhaps closed since).
   */
  #requeueBystander(owner: unknown, p: unknown, q: unknown): boolean {
    const o = this.entry(owner)?.object;
    if (o === undefined || o.objType !== ZX_OBJ_TYPE_THREAD) return false;
    const on = this.#inWait.get((o as KThread).tid);
    return on === undefined || (on !== p && on !== q && !this.#requeued.has(on));
  }

  /** `user-signals`: what `zx_object_wait_one` observed on `koid` against the signal calls. */
  #userSignals(tid: number, koid: number, observed: number): void {
    const o = this.#objects.get(koid);
    const mask = o === ZX_OBJ_TYPE_EVENT
      ? (ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED) >>> 0
      : o === ZX_OBJ_TYPE_VMO
      ? ZX_USER_SIGNAL_ALL >>> 0
      : 0;
    const want = (this.#user.get(koid) ?? 0) & mask;
    if (mask !== 0 && ((observed & mask) >>> 0) !== want >>> 0) {
      this.fail(
        "user-signals",
        `t${tid} observed 0x${(observed >>> 0).toString(16)} on koid ${koid}; its signal calls ` +
          `left 0x${(want >>> 0).toString(16)} of 0x${mask.toString(16)}`,
      );
    }
  }

  /** `futex-args`: the statuses the arguments decide (see the module doc). */
  #argsRet(
    tid: number,
    name: string,
    a: readonly unknown[],
    status: number,
    ownerWaits = false,
  ): void {
    const word = (x: unknown) => typeof x === "number" && this.#words.has(x);
    let bad = !word(a[0]);
    let fine = false;
    let ok = false;
    let ownerQueued = false;
    if (name === "zx_futex_wait") {
      // A deadline that is no number (the model's garbage: a C caller passes a zx_time_t) is
      // INVALID_ARGS right after the pointer, before the owner and the value (kernel futexWait).
      const deadline = typeof a[3] === "number" && !Number.isNaN(a[3]);
      bad ||= !deadline;
      fine = (a[2] === 0 || this.#bystander(tid, a[2], a[0])) && deadline;
    } else if (name === "zx_futex_wake") {
      ok = fine = u32(a[1]);
    } else {
      bad ||= !word(a[3]) || a[0] === a[3];
      fine = u32(a[1]) && u32(a[4]) && (a[5] === 0 || this.#requeueBystander(a[5], a[0], a[3]));
      // What the word held when the call started (#futexRet reads the same record).
      const w = this.#waits.get(tid);
      // (An owner handle the run closed is BAD_HANDLE: only no owner is surely ZX_OK.)
      ok = fine && a[5] === 0 && w !== undefined && w.found === w.current;
      ownerQueued = ownerWaits && w !== undefined && w.found === w.current && u32(a[1]) &&
        u32(a[4]);
    }
    const at = `t${tid} ${name}(${
      a.map((x) => typeof x === "number" ? `0x${x.toString(16)}` : String(x)).join(", ")
    })`;
    if (bad && status !== ZX_ERR_INVALID_ARGS) {
      this.fail(
        "futex-args",
        `${at}: a pointer is no futex word (or the same twice), or the deadline no number, yet it returned ${
          statusName(status)
        }`,
      );
    }
    if (!bad && fine && status === ZX_ERR_INVALID_ARGS) {
      this.fail(
        "futex-args",
        `${at}: every argument is valid, yet it returned ZX_ERR_INVALID_ARGS`,
      );
    }
    if (!bad && ok && status !== ZX_OK) {
      this.fail("futex-args", `${at}: it cannot fail, yet it returned ${statusName(status)}`);
    }
    if (!bad && ownerQueued && status === ZX_OK) {
      this.fail(
        "futex-args",
        `${at}: its new owner waits on one of the two futexes, yet it returned ZX_OK`,
      );
    }
  }

  /**
   * `owner` names a thread parked in `zx_futex_wait` on word `p` or `q` that is surely still
   * among its waiters: no requeue moved that word's waiters and no wake of it is owed to a
   * parked thread (a woken waiter has left the queue before it returns). A requeue naming such
   * an owner is INVALID_ARGS ("new_requeue_owner is currently a member of the waiters for either
   * value_ptr or requeue_ptr", futex_requeue_single_owner.md, FuchsiaOS-docs-zh_CN
   * reference/syscalls; the same rule as zx_futex_requeue's); whatever its handle's lookup
   * says, never ZX_OK.
   */
  #surelyWaits(owner: unknown, p: unknown, q: unknown): boolean {
    const o = this.entry(owner)?.object;
    if (o === undefined || o.objType !== ZX_OBJ_TYPE_THREAD) return false;
    const on = this.#parked.get((o as KThread).tid);
    return on !== undefined && (on === p || on === q) && !this.#requeued.has(on) &&
      (this.#owed.get(on) ?? 0) === 0;
  }

  #futexRet(tid: number, status: number, name: string): void {
    const w = this.#waits.get(tid);
    this.#waits.delete(tid);
    if (w === undefined || w.found === undefined || Number.isNaN(w.current)) return;
    const held = w.found === w.current;
    const at = `t${tid} ${name}(0x${w.addr.toString(16)}, ${w.current})`;
    // A requeue's argument checks come first (FutexRequeue: pointers, then the same futex), and
    // a wait's deadline that is no number (the model's garbage, checked after the pointer).
    const argsFirst = (name === "zx_futex_requeue" || w.garbageDeadline) &&
      status === ZX_ERR_INVALID_ARGS;
    if (!held && status !== ZX_ERR_BAD_STATE && !argsFirst) {
      this.fail(
        "futex-value",
        `${at}: the word held ${w.found}, yet it returned ${statusName(status)}`,
      );
    }
    if (held && status === ZX_ERR_BAD_STATE) {
      this.fail("futex-value", `${at}: the word held ${w.found}, yet it returned ZX_ERR_BAD_STATE`);
    }
  }

  #waitOneRet(tid: number, status: number, signals: unknown): void {
    const observed = this.#observed.get(tid);
    this.#observed.delete(tid);
    if (observed === undefined || typeof signals !== "number") return;
    const hit = (observed & signals) !== 0;
    if ((status === ZX_OK && !hit) || (status === ZX_ERR_TIMED_OUT && hit)) {
      this.fail(
        "wait-observed",
        `t${tid} zx_object_wait_one for 0x${(signals >>> 0).toString(16)} observed ` +
          `0x${(observed >>> 0).toString(16)} and returned ${statusName(status)}`,
      );
    }
  }
}
