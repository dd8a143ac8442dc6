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
 * - `wait-observed`: `zx_object_wait_one` returns ZX_OK only with one of the
 *   signals it waited for among those it observed, and ZX_ERR_TIMED_OUT only
 *   with none of them (object_wait_one.md).
 *
 * @module
 */

import {
  statusName,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";

interface FutexCall {
  readonly addr: number;
  readonly current: number;
  /** What the word held when the call started (undefined: not a word). */
  readonly found: number | undefined;
}

/** Checks futex waits against the word values of the trace, and wait_one against its signals. */
export class FutexDiscipline extends StepMonitor {
  readonly name = "futex-discipline";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = new Set([
    "atomic",
    "call",
    "ret",
    "observed",
  ]);
  readonly #words = new Map<number, number>();
  readonly #waits = new Map<number, FutexCall>();
  readonly #observed = new Map<number, number>();

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
          });
        }
        if (e.name === "zx_object_wait_one") this.#observed.delete(e.tid);
        return;
      case "observed":
        this.#observed.set(e.tid, e.signals);
        return;
      case "ret":
        if (e.name === "zx_futex_wait" || e.name === "zx_futex_requeue") {
          this.#futexRet(e.tid, e.status, e.name);
        }
        if (e.name === "zx_object_wait_one" && call !== undefined) {
          this.#waitOneRet(e.tid, e.status, call.args[1]);
        }
        return;
    }
  }

  #futexRet(tid: number, status: number, name: string): void {
    const w = this.#waits.get(tid);
    this.#waits.delete(tid);
    if (w === undefined || w.found === undefined || Number.isNaN(w.current)) return;
    const held = w.found === w.current;
    const at = `t${tid} ${name}(0x${w.addr.toString(16)}, ${w.current})`;
    // A requeue's argument checks come first (FutexRequeue: pointers, then the same futex).
    const argsFirst = name === "zx_futex_requeue" && status === ZX_ERR_INVALID_ARGS;
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
