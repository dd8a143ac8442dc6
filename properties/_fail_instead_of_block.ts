/**
 * `fail-instead-of-block` (spec "Model decisions"): a thread made in the fail-instead-of-block
 * mode never parks on a page request inside a VMO syscall's own access to its VMO. The original
 * pager documentation said VMO syscalls fail rather than block on a pager unless the caller opted
 * in (the real kernel never shipped that, and pagersim offers it as a per-thread mode): such a
 * call sends its request and returns `ZX_ERR_SHOULD_WAIT` instead of waiting for the supply.
 *
 * Left to block, by the same decision: a load or store through a mapping (`mem_read` /
 * `mem_write`: a user page fault, not a syscall) and a syscall's copy to or from a user buffer
 * (a fault the kernel takes on the user's mapping, which holds a suspend off: its waiter is not
 * suspendable). Waits on anything else (ports, futexes, signals) are no pager waits.
 *
 * And the other side: such a call that sent a page request of its own and did not park after it
 * never returns ZX_OK (it sent the request instead of waiting: its pages are not there). Without
 * it a pin of a clone that ignores its commit's SHOULD_WAIT and pins what is there
 * (`vmo_pages.ts:672:11` false, helper lever25) passed. Except the ALWAYS_NEED hint
 * (`zx_vmo_op_range`, `zx_vmar_op_range`): its commit is best effort and its errors are not
 * reported (spec 2.8.2; kernel/vmo_pages.ts `rangeOp`), so it returns ZX_OK having sent a READ it
 * did not wait for (the judge's program 1999 did, helper triage26b).
 *
 * Judged from the `block` event of the thread and the call it is in; the thread's mode and
 * whether its wait is a pager wait (and which kind) are read from the thread, as the world made
 * it, not from any outcome the kernel computes.
 *
 * @module
 */

import { ZX_OK, ZX_VMAR_OP_ALWAYS_NEED, ZX_VMO_OP_ALWAYS_NEED } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";

/** The user-mode accesses a fail-instead-of-block thread still blocks in. */
const USER_ACCESSES: ReadonlySet<string> = new Set(["mem_read", "mem_write"]);

/**
 * The problem with `e`, a `block` event, if it parks a fail-instead-of-block thread on a page
 * request inside a syscall's own access to a VMO; null otherwise.
 */
export function blockedInsteadOfFailing(
  e: Extract<KernelEvent, { k: "block" }>,
  call: Call | undefined,
  world: World,
): string | null {
  const k = world.threads[e.tid - 1]?.k;
  if (k === undefined || !k.failInsteadOfBlock) return null;
  const w = k.waiter;
  if (w === null || !w.suspendable) return null;
  if (call === undefined || USER_ACCESSES.has(call.name)) return null;
  return `t${e.tid} runs in the fail-instead-of-block mode but parked in ${call.name} on ${e.on}` +
    " (it should have returned ZX_ERR_SHOULD_WAIT: spec, model decisions)";
}

/**
 * The requests each thread sent in its current call since the call began or the thread last
 * parked; {@linkcode RequestsSent.hear} names a fail-instead-of-block call that returned ZX_OK
 * with one of them unwaited.
 */
export class RequestsSent {
  /**
   * The last request a thread sent and has not parked since, by thread id: its event, whose text
   * is made only when the call fails the check (it was made at every request a call sent).
   */
  readonly #sent = new Map<number, Extract<KernelEvent, { k: "request" }>>();
  /** Threads whose current call is an ALWAYS_NEED hint (its errors are not reported). */
  readonly #hint = new Set<number>();

  /** Hears a `call`, `block`, `request` or `ret` event; the problem with it, or null. */
  hear(e: KernelEvent, call: Call | undefined, world: World): string | null {
    switch (e.k) {
      case "call":
        this.#hint.delete(e.tid);
        if (
          (e.name === "zx_vmo_op_range" && e.args[1] === ZX_VMO_OP_ALWAYS_NEED) ||
          (e.name === "zx_vmar_op_range" && e.args[1] === ZX_VMAR_OP_ALWAYS_NEED)
        ) this.#hint.add(e.tid);
        this.#sent.delete(e.tid);
        return null;
      case "block":
        this.#sent.delete(e.tid);
        return null;
      case "request":
        if (call?.tid === e.tid) {
          this.#sent.set(e.tid, e);
        }
        return null;
      case "ret": {
        const r = this.#sent.get(e.tid);
        this.#sent.delete(e.tid);
        if (r === undefined || e.status !== ZX_OK || this.#hint.has(e.tid)) return null;
        if (world.threads[e.tid - 1]?.k?.failInsteadOfBlock !== true) return null;
        const sent = `${r.type} #${r.id} [${r.start},${r.end}) of vmo${r.vmo}`;
        return `t${e.tid} runs in the fail-instead-of-block mode and sent ${sent} in ${e.name} ` +
          "without waiting for it, yet the call returned ZX_OK (it should have returned " +
          "ZX_ERR_SHOULD_WAIT: spec, model decisions)";
      }
      default:
        return null;
    }
  }
}
