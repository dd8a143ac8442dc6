/**
 * `wake-discipline` (K11): a thread parked on a page request is woken only by
 * what resolves or interrupts the wait: a supply, OP_FAIL, detach or pager
 * close, VMO death, suspend or kill, its own overtime timeout, or (level 2) a
 * shrink or OP_ZERO that resolves requests for the range it drops. Never by
 * closing a port or a VMO handle, cancelling a port key, or anything else.
 *
 * And a kill does interrupt it: a thread the trace shows parked on a page request (a `block`
 * whose text names a VMO, `vmo <koid>: `, the form wait-text holds every pager wait to, and no
 * `wake` of it since) that a `killed` event names is woken in the kill's step. Upstream
 * `Thread::Kill` wakes a thread blocked interruptibly, and the page request's wait returns
 * ZX_ERR_INTERNAL_INTR_KILLED (`PageSource::WaitOnRequest` → `Event::Wait`, which a kill
 * signal interrupts; zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a); spec 3.5: a
 * killed waiter leaves its request, which passes to the next waiter. Judged from the trace's
 * own `block`, `wake` and `thread` events, not the kernel's waiter records.
 *
 * @module
 */

import {
  statusName,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_OBJ_TYPE_PAGER,
  ZX_OK,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";
import { callsWhere } from "../kernel/syscalls.ts";
import { ZeroWakes } from "./_zero_wakes.ts";
import { TidMap } from "./_tid_map.ts";

const WHY = new Set([
  "complete",
  "early-wake",
  // A wake signalled while the reader ran, delivered when it waits again (kernel/event.cc): the
  // cause (a supply or OP_FAIL) was an earlier step's, checked there.
  "pending-signal",
  "detach",
  "overtime",
  statusName(ZX_ERR_INTERNAL_INTR_RETRY),
  statusName(ZX_ERR_INTERNAL_INTR_KILLED),
]);

const RETRY = statusName(ZX_ERR_INTERNAL_INTR_RETRY);

/** Syscalls that may wake a parked thread (besides the thread's own timeout). */
// Spec 2.8.3: a shrink (zx_vmo_set_size) spuriously resolves the requests of the cut range.
const WAKERS = callsWhere((s) => s.wakes === true);

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "call",
  "ret",
  "wake",
  "request",
  "coalesce",
  "store",
  "block",
  "thread",
]);

/** The prefix of a pager wait's `block` text (properties/_pager_wait_text.ts holds it there). */
const PAGER_WAIT = /^vmo \d+: /;

/** Checks that every wake has a cause the spec allows. */
export class WakeDiscipline extends StepMonitor {
  readonly name = "wake-discipline";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  #stepCall: Call | undefined;
  /**
   * The call each thread is in, from its `call` to its `ret`: a thread that resumes a call it
   * started in an earlier step (a wait, or a kernel's own scheduling point inside it) wakes
   * others as that call, in a step with no `call` event of its own.
   */
  readonly #inCall = new TidMap<Call>();
  #zeroWakes: ZeroWakes | undefined;
  /** Threads this step woke while it ran a ZERO: judged at its end, once its stores are known. */
  readonly #zeroWoken: number[] = [];
  /** Threads parked on a page request by the trace (a pager `block`, no `wake` since): its text. */
  readonly #parked = new Map<number, string>();
  /** Threads this step killed while parked on a page request: woken by the step's end. */
  readonly #killedParked: number[] = [];
  /**
   * Threads the trace shows woken with ZX_OK from a page request's wait that have not taken a
   * step since: the clock's tick at the wake ({@linkcode WakeDiscipline.endStep}, K11's run-on rule).
   */
  readonly #woken = new Map<number, number>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    const k = e.k;
    if (k === "block") {
      if (PAGER_WAIT.test(e.on)) this.#parked.set(e.tid, e.on);
      else this.#parked.delete(e.tid);
      return;
    }
    if (k === "thread") {
      if (e.what === "killed" && this.#parked.has(e.tid)) this.#killedParked.push(e.tid);
      // A suspend after the wake stops a thread that is no longer held in a wait (the run-on
      // rule's case is the suspend before the wake, while the usercopy's fault wait held it).
      if (e.what === "killed" || e.what === "exited" || e.what === "suspended") {
        this.#woken.delete(e.tid);
      }
      return;
    }
    if (k === "ret") {
      if (this.#inCall.get(e.tid)?.name === e.name) this.#inCall.delete(e.tid);
      return;
    }
    if (k === "wake") {
      if (e.why === RETRY) this.#judgeUsercopyRetry(e.tid);
      if (e.status === ZX_OK && this.#parked.has(e.tid)) this.#woken.set(e.tid, world.kernel.now);
      this.#parked.delete(e.tid);
    }
    if (k === "call" && call !== undefined) this.#inCall.set(e.tid, call);
    if (k === "call" && e.tid === world.running?.tid) this.#stepCall = call;
    if (k !== "wake" && k !== "call") {
      const c = this.#stepCall;
      const zeroStep = c?.name === "zx_vmo_op_range" && c.args[1] === ZX_VMO_OP_ZERO;
      (this.#zeroWakes ??= new ZeroWakes(world.kernel.pageSize)).note(e, zeroStep);
      return;
    }
    if (e.k !== "wake") return;
    if (!WHY.has(e.why)) this.fail("K11", `t${e.tid} woken for an unknown reason "${e.why}"`);
    if (e.why === "overtime" || e.why === "pending-signal") return;
    // A thread that parks on a suspendable wait with a suspend pending (it ran on out of a
    // usercopy's fault wait) is interrupted at once, in its own step.
    if (e.why === RETRY && e.tid === world.running?.tid && world.running.k.suspendCount > 0) {
      return;
    }
    const running = world.running?.tid;
    const c = this.#stepCall ?? (running === undefined ? undefined : this.#inCall.get(running));
    // A shrink resolves the READ requests of the range it cuts, no other (spec 2.8.3): a reader
    // it wakes must wait on a request of the resized root reaching past the new size.
    if (c?.name === "zx_vmo_set_size" && (e.why === "complete" || e.why === "early-wake")) {
      this.#judgeShrinkWake(e.tid, c, world);
      return;
    }
    if (c !== undefined && WAKERS.has(c.name)) return;
    // OP_ZERO turns absent pages into a zero interval, resolving their READ requests (spec 2.8.2):
    // those of the gaps it zeroed only (properties/_zero_wakes.ts), judged at the step's end.
    if (c?.name === "zx_vmo_op_range" && c.args[1] === ZX_VMO_OP_ZERO) {
      if (e.why === "complete" || e.why === "early-wake") this.#zeroWoken.push(e.tid);
      return;
    }
    // Closing the last pager handle detaches every VMO (spec 1.1); no other close wakes anyone.
    const closes = c?.name === "zx_handle_close" || c?.name === "zx_handle_replace";
    if (closes && this.entry(c.args[0])?.object.objType === ZX_OBJ_TYPE_PAGER) return;
    const by = c === undefined ? "a resumed thread" : `${c.name}(${c.args.join(", ")})`;
    this.fail("K11", `t${e.tid} woken (${e.why}) by ${by}`);
  }

  /**
   * K11, suspend: a thread parked in a kernel usercopy's fault wait is not woken by a suspend
   * (ZX_ERR_INTERNAL_INTR_RETRY). Upstream holds the suspend off until the request is resolved
   * (`PagerProxy::WaitOnEvent`: "Hold off on suspension until after the page request is
   * resolved"; `SuspendInKernelTest`, zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia
   * b394d1c8, expects no second READ). A wait is a usercopy's when the trace shows it on a VMO
   * the thread's call reaches only through its user buffer: any pager wait of a
   * `zx_object_get_info` (it touches no VMO but the buffer's), or one of a `zx_vmo_read` or
   * `zx_vmo_write` on a root other than its own VMO's (a buffer mapped over the call's own root
   * is not told apart: unjudged).
   */
  #judgeUsercopyRetry(tid: number): void {
    const text = this.#parked.get(tid);
    const c = this.#inCall.get(tid);
    const koid = text === undefined ? undefined : /^vmo (\d+): /.exec(text)?.[1];
    if (c === undefined || koid === undefined) return;
    let copy = c.name === "zx_object_get_info";
    if (c.name === "zx_vmo_read" || c.name === "zx_vmo_write") {
      const own = this.entry(c.args[0])?.object;
      copy = own instanceof Vmo && String(own.root.koid) !== koid;
    }
    if (!copy) return;
    this.fail(
      "K11",
      `t${tid} woken (${RETRY}) from its ${c.name}'s user-buffer copy, parked on vmo ${koid}: ` +
        "a suspend does not interrupt a usercopy's fault wait (PagerProxy::WaitOnEvent holds it " +
        "off until the request is resolved)",
    );
  }

  /**
   * K11, run-on: a thread woken with ZX_OK from a page request's wait is runnable, and runs again before
   * the clock has moved two ticks past its wake (unless a kill or its exit ends it). The world
   * moves the clock a tick only once every thread runnable when the tick began has taken a step,
   * and jumps it only when no thread can run (sim/world.ts): a thread that became runnable during
   * tick T has stepped by the end of tick T + 1. A thread held in a kernel usercopy's fault wait
   * is not stopped by a suspend while it waits; once its page arrives it finishes its syscall and
   * stops only at its next scheduling point (`SuspendInKernelTest`, pager.cc @ misttech/fuchsia
   * b394d1c8), so a suspend does not excuse it either. Judged from the trace's `block` and `wake`
   * events and the clock, not the kernel's run queue: `world.running` names the thread that took
   * the step. A suspend after the wake excuses it (the thread left the wait; it stops there).
   */
  #judgeWokenRan(world: World): void {
    const ran = world.running?.tid;
    if (ran !== undefined) this.#woken.delete(ran);
    const now = world.kernel.now;
    for (const [tid, at] of this.#woken) {
      if (now < at + 2) continue;
      this.fail(
        "K11",
        `t${tid} was woken with ZX_OK from a pager wait at tick ${at} and has not run since, ` +
          `now tick ${now}: a woken thread runs again (one held in a usercopy's fault wait ` +
          `finishes its syscall before a suspend stops it)`,
      );
    }
  }

  #judgeShrinkWake(tid: number, c: Call, world: World): void {
    const v = this.vmoOf(c.args[0]);
    const size = c.args[1];
    if (v === undefined || typeof size !== "number") return;
    const pages = Math.ceil(size / world.kernel.pageSize);
    const stray = this.#zeroWakes?.strayShrinkWake(tid, v.root.koid, pages) ?? null;
    if (stray !== null) {
      this.fail(
        "K11",
        `${stray} resolved by zx_vmo_set_size(${c.args.join(", ")}), which cut none of it`,
      );
    }
  }

  protected override endStep(world: World): void {
    if (this.#woken.size > 0) this.#judgeWokenRan(world);
    const killed = this.#killedParked;
    for (let i = 0; i < killed.length; i++) {
      const on = this.#parked.get(killed[i]);
      if (on !== undefined) {
        this.fail(
          "K11",
          `t${
            killed[i]
          } was killed while parked on ${on} and its wait went on: a kill interrupts a pager wait (ZX_ERR_INTERNAL_INTR_KILLED)`,
        );
      }
      this.#parked.delete(killed[i]);
    }
    if (killed.length > 0) killed.length = 0;
    const woken = this.#zeroWoken;
    for (let i = 0; i < woken.length; i++) {
      const stray = this.#zeroWakes?.strayWake(woken[i]) ?? null;
      if (stray !== null) {
        const c = this.#stepCall;
        this.fail(
          "K11",
          `${stray} resolved by ${c?.name}(${c?.args.join(", ")}), which zeroed none of it`,
        );
      }
    }
    if (woken.length > 0) woken.length = 0;
    this.#zeroWakes?.endStep();
    this.#stepCall = undefined;
  }
}
