/**
 * The pager answers (a supply, or a pager op: OP_FAIL, OP_DIRTY, ...) service threads made that
 * returned an error, for the liveness checks' messages: a request left unanswered after its
 * answer failed (OP_FAIL of a range a shrink cut, say, ZX_ERR_OUT_OF_RANGE) is a request the
 * service dropped on that error, and the message names the answer (its step, call and status)
 * ahead of any thread parked on a condition variable (userS25: it signed only as a lost
 * wake-up). The last answer over the request counts, if it failed (one that succeeded after a
 * failed one, an OP_FAIL after a supply that ran out of memory, answered it): made after the
 * request, on the same VMO and overlapping its pages, or on another VMO with the same packet key
 * (a key reused after a COMPLETE: the service's answer to the old VMO failed, and it dropped the
 * new VMO's requests with it). With no failed answer, a COMPLETE a service thread took before
 * the request for another VMO with the request's key is named too (a service that keeps a taken
 * COMPLETE's key as gone drops the re-opened file's READs); the message says so, and the
 * signature stays the check's.
 *
 * @module
 */

import { type Status, statusName, ZX_OK, ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { Vmo } from "../kernel/objects.ts";
import { formatEvent } from "../sim/trace.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";

/** Where a pager answer call names its VMO, offset and length (argument indexes). */
const ANSWERS: ReadonlyMap<string, readonly [vmo: number, offset: number, length: number]> =
  new Map([
    ["zx_pager_supply_pages", [1, 2, 3]],
    ["zx_pager_op_range", [2, 3, 4]],
  ]);

/** The text that starts the clause {@linkcode FailedAnswers.about} returns (signatures read it). */
export const FAILED_ANSWER = "; left unanswered after a failed answer: ";

/** The text that starts the clause naming a key reused after its COMPLETE was taken. */
export const KEY_REUSED = "; its key was reused after a COMPLETE: ";

/** `t2 zx_pager_op_range(...) -> ZX_ERR_...`: an answer's call as the trace shows it, and its status. */
function answerText(
  a: {
    readonly tid: number;
    readonly name: string;
    readonly args: readonly unknown[];
    readonly status: Status;
  },
): string {
  return `${formatEvent({ k: "call", tid: a.tid, name: a.name, args: a.args })} -> ${
    statusName(a.status)
  }`;
}

/** A service's pager answers that returned an error, and the step each request was made at. */
export class FailedAnswers {
  /** Per request (`vmo:id`), the step it was made at and its pages. */
  readonly #made = new Map<string, { step: number; start: number; end: number }>();
  /**
   * The service's answers in order, those that succeeded too (an answer after a failed one). Each
   * keeps its call (thread, name, arguments) and status, and is written out only when a message
   * names it ({@linkcode answerText}): formatting every supply's call at its return was ~1.4% of
   * a checked run's CPU time, for messages most runs never write.
   */
  readonly #answers: {
    readonly ok: boolean;
    readonly step: number;
    readonly tid: number;
    readonly name: string;
    readonly args: readonly unknown[];
    readonly status: Status;
    readonly vmo: number;
    readonly key: number;
    readonly start: number;
    readonly end: number;
  }[] = [];

  /** The COMPLETE packets threads took: when, by whom, for which VMO and key. */
  readonly #completes: { step: number; tid: number; vmo: number; key: number }[] = [];

  /** A `request` or `packet-dequeued` event, as emitted at step `step` (a check's `immediate`). */
  hearRequest(e: KernelEvent, step: number): void {
    if (e.k === "request") this.#made.set(`${e.vmo}:${e.id}`, { step, start: e.start, end: e.end });
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE) {
      this.#completes.push({ step, tid: e.tid, vmo: e.vmo, key: e.packet.key });
    }
  }

  /**
   * A `ret` event of the step (a check's `onStepEvent`) with its `call`; `vmoOf` names the VMO a
   * handle argument named.
   */
  hearRet(
    e: KernelEvent,
    call: Call | undefined,
    world: World,
    vmoOf: (handle: unknown) => Vmo | undefined,
  ): void {
    if (e.k !== "ret" || call?.name !== e.name) return;
    const at = ANSWERS.get(e.name);
    if (at === undefined || world.threads[e.tid - 1]?.role !== "service") return;
    const vmo = vmoOf(call.args[at[0]]);
    const offset = call.args[at[1]], length = call.args[at[2]];
    if (vmo === undefined || typeof offset !== "number" || typeof length !== "number") return;
    const ps = world.kernel.pageSize;
    this.#answers.push({
      ok: e.status === ZX_OK,
      step: world.step,
      tid: e.tid,
      name: e.name,
      args: call.args,
      status: e.status,
      vmo: vmo.root.koid,
      key: vmo.root.key,
      start: Math.floor(offset / ps),
      end: Math.ceil((offset + length) / ps),
    });
  }

  /**
   * `; left unanswered after a failed answer: step 11: t2 zx_pager_op_range(...) -> ZX_ERR_...`
   * for request `id` of `vmo`: the last answer made after the request that covers it, if it
   * failed; "" when none does or the last one succeeded.
   */
  about(vmo: Vmo, id: number): string {
    const made = this.#made.get(`${vmo.koid}:${id}`);
    if (made === undefined) return "";
    const { start, end } = made;
    for (let i = this.#answers.length - 1; i >= 0; i--) {
      const f = this.#answers[i];
      if (f.step < made.step) break;
      const same = f.vmo === vmo.koid && f.start < end && start < f.end;
      const reused = !f.ok && f.vmo !== vmo.koid && f.key === vmo.key;
      if (!same && !reused) continue;
      // The service answered it again after the failure (an OP_FAIL after a supply that ran out
      // of memory): what left it unanswered is not the service's error handling.
      if (f.ok) return "";
      const other = reused
        ? ` (vmo${f.vmo}, which had this VMO's key 0x${f.key.toString(16)})`
        : "";
      return `${FAILED_ANSWER}step ${f.step}: ${answerText(f)}${other}`;
    }
    for (let i = this.#completes.length - 1; i >= 0; i--) {
      const c = this.#completes[i];
      if (c.step > made.step || c.vmo === vmo.koid || c.key !== vmo.key) continue;
      return `${KEY_REUSED}step ${c.step}: t${c.tid} took COMPLETE for key 0x${
        c.key.toString(16)
      } (vmo${c.vmo}) before this VMO's request #${id}`;
    }
    return "";
  }
}
