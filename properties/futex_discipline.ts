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
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_ZERO_CHILDREN,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
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
]);

/** Checks futex waits against the word values of the trace, and wait_one against its signals. */
export class FutexDiscipline extends StepMonitor {
  readonly name = "futex-discipline";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  readonly #words = new Map<number, number>();
  readonly #waits = new Map<number, FutexCall>();
  readonly #observed = new Map<number, number>();
  /** Koids of the VMOs waited on (one `observed` event later names them). */
  readonly #vmos = new Set<number>();
  /** Koids of the VMOs some `zx_vmo_create_child` named as its parent (it may have a child). */
  readonly #parents = new Set<number>();
  /** Open handles to children, each with its parent's koid (the child lives while it is open). */
  readonly #children = new Map<number, number>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined): void {
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
        if (e.name === "zx_object_wait_one") this.#observed.delete(e.tid);
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
      case "ret":
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
          this.#argsRet(e.tid, e.name, call.args, e.status);
        }
        if (e.name === "zx_futex_wait" || e.name === "zx_futex_requeue") {
          this.#futexRet(e.tid, e.status, e.name);
        }
        if (e.name === "zx_object_wait_one" && call !== undefined) {
          this.#waitOneRet(e.tid, e.status, call.args[1]);
        }
        return;
    }
  }

  /** `futex-args`: the statuses the arguments decide (see the module doc). */
  #argsRet(tid: number, name: string, a: readonly unknown[], status: number): void {
    const word = (x: unknown) => typeof x === "number" && this.#words.has(x);
    let bad = !word(a[0]);
    let fine = false;
    let ok = false;
    if (name === "zx_futex_wait") {
      // A deadline that is no number (the model's garbage: a C caller passes a zx_time_t) is
      // INVALID_ARGS right after the pointer, before the owner and the value (kernel futexWait).
      const deadline = typeof a[3] === "number" && !Number.isNaN(a[3]);
      bad ||= !deadline;
      fine = a[2] === 0 && deadline;
    } else if (name === "zx_futex_wake") {
      ok = fine = u32(a[1]);
    } else {
      bad ||= !word(a[3]) || a[0] === a[3];
      fine = u32(a[1]) && u32(a[4]) && a[5] === 0;
      // What the word held when the call started (#futexRet reads the same record).
      const w = this.#waits.get(tid);
      ok = fine && w !== undefined && w.found === w.current;
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
