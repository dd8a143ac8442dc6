/**
 * The pager answers (a supply, or a pager op: OP_FAIL, OP_DIRTY, ...) service threads made that
 * returned an error, for the liveness checks' messages: a request left unanswered after its
 * answer failed (OP_FAIL of a range a shrink cut, say, ZX_ERR_OUT_OF_RANGE) is a request the
 * service dropped on that error, and the message names the answer (its step, call and status)
 * ahead of any thread parked on a condition variable (userS25: it signed only as a lost
 * wake-up). The last answer over the request counts, if it failed (one that succeeded after a
 * failed one, an OP_FAIL after a supply that ran out of memory, answered it): made after the
 * request, on the same VMO and overlapping its pages, or on another VMO with the same packet key
 * on the same port (a key reused after a COMPLETE: the service's answer to the old VMO failed, and
 * it dropped the new VMO's requests with it). A key is the port's: Zircon delivers a VMO's packets
 * to the port given at its creation with the key given there, so two pagers (or ports) may use
 * one key for different files, and a service told them apart by port (userS29a: tinyfs numbers
 * each pager's files from 1, and a supply to pager 0x30's VMO that ran out of memory was blamed
 * for a READ of pager 0x50's VMO with the same key that a lost wake-up left). An answer on the same VMO counts only if it was that request's, by
 * the kernel's record rather than by page range alone (userS28s: an OP_DIRTY that answered an
 * earlier DIRTY request after an eviction, ZX_ERR_NOT_FOUND, was blamed for a READ of the same
 * page a missed wake-up left unanswered): an op the kernel resolves the request's type with (a
 * READ: a supply or OP_FAIL; a DIRTY: OP_DIRTY or OP_FAIL), made after a service thread took the
 * request's packet (before that the service did not know of it). With no failed answer, a
 * COMPLETE a service thread took before
 * the request for another VMO with the request's key, from the request's port, is named too (a service that keeps a taken
 * COMPLETE's key as gone drops the re-opened file's READs); the message says so, and the
 * signature stays the check's.
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { Vmo } from "../kernel/objects.ts";
import { formatEvent } from "../sim/trace.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";
import { QueuedPackets } from "./_queued_packets.ts";

/** Where a pager answer call names its VMO, offset and length (argument indexes). */
const ANSWERS: ReadonlyMap<string, readonly [vmo: number, offset: number, length: number]> =
  new Map([
    ["zx_pager_supply_pages", [1, 2, 3]],
    ["zx_pager_op_range", [2, 3, 4]],
  ]);

/** The request types an answer resolves, by the kernel's rules. */
const READ_ONLY: ReadonlySet<"READ" | "DIRTY"> = new Set(["READ"]);
const DIRTY_ONLY: ReadonlySet<"READ" | "DIRTY"> = new Set(["DIRTY"]);
const READ_OR_DIRTY: ReadonlySet<"READ" | "DIRTY"> = new Set(["READ", "DIRTY"]);
const NONE: ReadonlySet<"READ" | "DIRTY"> = new Set();

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

/** A request as {@linkcode FailedAnswers} keeps it. */
interface Made {
  step: number;
  type: "READ" | "DIRTY";
  start: number;
  end: number;
  taken: number;
}

/** The koid of the port `vmo`'s requests go to (its root's), if it is a pager VMO. */
function portOf(vmo: Vmo): number | undefined {
  return vmo.root.proxy?.port.koid;
}

/** A service's pager answers that returned an error, and the step each request was made at. */
export class FailedAnswers {
  /** The syscalls whose `ret` events {@linkcode FailedAnswers.hearRet} reads (the answers). */
  static readonly CALLS: ReadonlySet<string> = new Set(ANSWERS.keys());
  /**
   * Per request (by VMO koid, then id), the step it was made at, its type and pages, and the step
   * a service thread first took its packet at (-1: not yet). (Not by `vmo:id` strings: one was
   * made at every request and every packet taken, for a lookup only a hang's message makes.)
   */
  readonly #made = new Map<number, Map<number, Made>>();
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
    /** The request types the kernel resolves with this answer (a supply: READ only). */
    readonly answers: ReadonlySet<"READ" | "DIRTY">;
    readonly vmo: number;
    readonly key: number;
    /** The koid of the port the VMO's packets go to (its key is that port's). */
    readonly port: number | undefined;
    readonly start: number;
    readonly end: number;
  }[] = [];

  /** The request packets queued and not yet taken (or withdrawn). */
  readonly #queued = new QueuedPackets();

  /** The COMPLETE packets threads took: when, by whom, for which VMO, key and port. */
  readonly #completes: { step: number; tid: number; vmo: number; key: number; port: number }[] = [];

  /** A `request` or `packet-dequeued` event, as emitted at step `step` (a check's `immediate`). */
  hearRequest(e: KernelEvent, step: number): void {
    if (e.k === "request") {
      let ids = this.#made.get(e.vmo);
      if (ids === undefined) this.#made.set(e.vmo, ids = new Map());
      ids.set(e.id, {
        step,
        type: e.type,
        start: e.start,
        end: e.end,
        taken: -1,
      });
    }
    // A dequeued packet names no request: QueuedPackets finds it (as PacketHolders does).
    const taken = this.#queued.hear(e);
    if (taken !== undefined && e.k === "packet-dequeued") {
      const made = this.#made.get(e.vmo)?.get(taken.id);
      if (made !== undefined && made.taken < 0) made.taken = step;
    }
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE) {
      this.#completes.push({ step, tid: e.tid, vmo: e.vmo, key: e.packet.key, port: e.port });
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
      answers: e.name === "zx_pager_supply_pages"
        ? READ_ONLY
        : call.args[1] === ZX_PAGER_OP_FAIL
        ? READ_OR_DIRTY
        : call.args[1] === ZX_PAGER_OP_DIRTY
        ? DIRTY_ONLY
        : NONE,
      vmo: vmo.root.koid,
      key: vmo.root.key,
      port: portOf(vmo),
      start: Math.floor(offset / ps),
      end: Math.ceil((offset + length) / ps),
    });
  }

  /**
   * The step a service thread first took the packet of request `id` of `vmo` at, and the answers
   * the kernel resolves its type with made over its pages since: how many of its pages one that
   * succeeded covered (`answered`, of `pages`) and whether one returned an error (`failed`, which
   * {@linkcode about} names); null when no thread took its packet.
   */
  taken(
    vmo: Vmo,
    id: number,
  ): { step: number; pages: number; answered: number; failed: boolean } | null {
    const made = this.#made.get(vmo.koid)?.get(id);
    if (made === undefined || made.taken < 0) return null;
    const covered = new Set<number>();
    let failed = false;
    for (const f of this.#answers) {
      if (f.step < made.taken || f.vmo !== vmo.koid || f.start >= made.end) continue;
      if (made.start >= f.end || !f.answers.has(made.type)) continue;
      if (!f.ok) failed = true;
      else {
        for (let p = Math.max(f.start, made.start); p < Math.min(f.end, made.end); p++) {
          covered.add(p);
        }
      }
    }
    return { step: made.taken, pages: made.end - made.start, answered: covered.size, failed };
  }

  /**
   * The answers the kernel resolves request `id` of `vmo`'s type with, made over its pages since
   * a service thread took its packet, that succeeded (a supply or OP_FAIL of some of its pages:
   * progress on it, by the kernel's record): the last one's step and thread, and the threads that
   * made any (P1 reads the first as whether the service was still answering it when the overtime
   * timeout ended its wait, the second as who served it itself); null when none did or no thread
   * took its packet.
   */
  progress(vmo: Vmo, id: number): { step: number; tid: number; by: ReadonlySet<number> } | null {
    const made = this.#made.get(vmo.koid)?.get(id);
    if (made === undefined || made.taken < 0) return null;
    let last: { step: number; tid: number; by: Set<number> } | null = null;
    for (const f of this.#answers) {
      if (!f.ok || f.step < made.taken || f.vmo !== vmo.koid || f.start >= made.end) continue;
      if (made.start >= f.end || !f.answers.has(made.type)) continue;
      const by: Set<number> = last?.by ?? new Set();
      by.add(f.tid);
      last = { step: f.step, tid: f.tid, by };
    }
    return last;
  }

  /**
   * `; left unanswered after a failed answer: step 11: t2 zx_pager_op_range(...) -> ZX_ERR_...`
   * for request `id` of `vmo`: the last answer made after the request that covers it, if it
   * failed; "" when none does or the last one succeeded.
   */
  about(vmo: Vmo, id: number): string {
    const made = this.#made.get(vmo.koid)?.get(id);
    if (made === undefined) return "";
    const { start, end } = made;
    // Another VMO's answer or COMPLETE counts only under this VMO's key on this VMO's port.
    const port = portOf(vmo);
    for (let i = this.#answers.length - 1; i >= 0; i--) {
      const f = this.#answers[i];
      if (f.step < made.step) break;
      // This request's answer: on its VMO over its pages, an op the kernel resolves its type
      // with, after its packet was taken (an OP_DIRTY over a READ's page answered another request).
      const same = f.vmo === vmo.koid && f.start < end && start < f.end &&
        f.answers.has(made.type) && made.taken >= 0 && f.step >= made.taken;
      const reused = !f.ok && f.vmo !== vmo.koid && f.key === vmo.key && port !== undefined &&
        f.port === port;
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
      if (c.step > made.step || c.vmo === vmo.koid || c.key !== vmo.key || c.port !== port) {
        continue;
      }
      return `${KEY_REUSED}step ${c.step}: t${c.tid} took COMPLETE for key 0x${
        c.key.toString(16)
      } (vmo${c.vmo}) before this VMO's request #${id}`;
    }
    return "";
  }
}
