/**
 * `detached-access` (K12): once a VMO is detached (or its pager closed) the
 * page source makes no new request, and an access that starts afterwards and
 * needs the pager fails with `ZX_ERR_BAD_STATE` (a fatal page fault with that
 * synth code for mappings): never with another pager-path error (an OP_FAIL
 * code, a timeout, SHOULD_WAIT). Errors the call's argument and rights checks
 * return before the pager is reached are not K12's concern. A wait the detach
 * ends is no access after it when the detach wakes it with an error: the
 * code an OP_FAIL passed, which already hit the waiter's request before the
 * detach; the call returns exactly that code.
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { type Call, failCodesKey, StepMonitor } from "./_step_monitor.ts";
import { callsWhere } from "../kernel/syscalls.ts";

const ACCESSES = callsWhere((s) => s.access === true);

/**
 * Statuses only the pager path produces. After detach that path can only say
 * BAD_STATE; argument and rights errors come before it and are not K12's business.
 */
/** The syscalls whose `ret` events {@linkcode DetachedAccess} judges. */
function judgedReturn(name: string): boolean {
  return name === "zx_pager_op_range" || ACCESSES.has(name);
}

const PAGER_PATH_ERRORS: ReadonlySet<number> = new Set([
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_SHOULD_WAIT,
]);

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "ret",
  "page-fault",
]);

/**
 * The event kinds `immediate` follows: a detach, a wake and a request (the event numbers it
 * keeps only order detaches and wakes against each other, so other kinds need no number).
 */
const IMMEDIATE_KINDS: ReadonlySet<KernelEvent["k"]> = new Set(["detach", "wake", "request"]);

/** Checks what accesses to detached VMOs may do. */
export class DetachedAccess extends StepMonitor {
  readonly name = "detached-access";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  /** The returns it judges: OP_FAIL and OP_DIRTY, and the accesses. */
  protected override readonly stepCalls: (name: string) => boolean = judgedReturn;
  /** Step at which each VMO was detached. */
  readonly #detachedAt = new Map<number, number>();

  /**
   * Number (among the detach, wake and request events) of each VMO's detach, and of each thread's
   * last wake: their order within a step.
   */
  readonly #detachSeq = new Map<number, number>();
  readonly #wokenSeq = new Map<number, number>();
  #seq = 0;
  /**
   * Threads the detach woke with an error, and that error: `PageSource::Detach` completes every
   * outstanding request through `CompleteRequestLocked`, which signals each waiter with its
   * `complete_status_`, the code of an OP_FAIL that hit the request's first page or wake page
   * (`ResolveRequestsLocked`), else ZX_OK (page_source.cc @ misttech/fuchsia ce4be33a). The
   * waiter returns that error with no new lookup (conformance A13, DetachAfterPartialFail).
   */
  readonly #detachError = new Map<number, Status>();
  /** The codes each VMO's ranges were OP_FAILed with. */
  readonly #failCodes = new Map<number, Set<Status>>();

  /** The codes each VMO's ranges were failed with (what a detach-woken waiter may return). */
  stateKey(): string {
    return failCodesKey(this.#failCodes, new Set(this.#detachedAt.keys()));
  }

  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = IMMEDIATE_KINDS;

  protected override immediate(e: KernelEvent, step: number): void {
    this.#seq++;
    if (e.k === "detach" && !this.#detachedAt.has(e.vmo)) {
      this.#detachedAt.set(e.vmo, step);
      this.#detachSeq.set(e.vmo, this.#seq);
    }
    // A detach wakes its waiters before it reports itself: those wakes count as after it.
    if (e.k === "wake") {
      this.#wokenSeq.set(e.tid, e.why === "detach" ? Infinity : this.#seq);
      if (e.why === "detach" && e.status !== ZX_OK) this.#detachError.set(e.tid, e.status);
      else this.#detachError.delete(e.tid);
    }
    if (e.k === "request" && this.#detachedAt.has(e.vmo)) {
      this.fail("K12", `vmo${e.vmo} made ${e.type} request #${e.id} after it was detached`);
    }
  }

  /** The call began after the detach, or was last woken after it (and retried). */
  #lookedUpAfterDetach(vmo: number, call: Call, tid: number): boolean {
    const at = this.#detachedAt.get(vmo);
    if (at === undefined) return false;
    return at < call.step ||
      (this.#wokenSeq.get(tid) ?? -1) >
        present(this.#detachSeq.get(vmo), "DetachedAccess: a detached VMO's detach order");
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined): void {
    if (call === undefined) return;
    // OP_FAIL and OP_DIRTY of a detached VMO: BAD_STATE once their argument and range checks
    // pass (spec 2.5.1, 2.5.2; tests Pager.FailAfterDetach), never ZX_OK, nor NOT_FOUND, which
    // OP_DIRTY finds for a gap only after its detach check.
    const op = call.args[1];
    if (
      e.k === "ret" && e.name === "zx_pager_op_range" &&
      (op === ZX_PAGER_OP_FAIL || op === ZX_PAGER_OP_DIRTY) &&
      (e.status === ZX_OK || e.status === ZX_ERR_NOT_FOUND)
    ) {
      const vmo = this.vmoOf(call.args[2]);
      if (vmo !== undefined && this.#lookedUpAfterDetach(vmo.koid, call, e.tid)) {
        this.fail(
          "K12",
          `t${e.tid} zx_pager_op_range(${
            op === ZX_PAGER_OP_FAIL ? "FAIL" : "DIRTY"
          }) on detached vmo${vmo.koid} returned ${statusName(e.status)}`,
        );
      }
    }
    if (
      e.k === "ret" && e.name === "zx_pager_op_range" && e.status === ZX_OK &&
      call.args[1] === ZX_PAGER_OP_FAIL
    ) {
      const vmo = this.vmoOf(call.args[2]);
      if (vmo !== undefined) {
        let codes = this.#failCodes.get(vmo.koid);
        if (codes === undefined) this.#failCodes.set(vmo.koid, codes = new Set());
        codes.add(call.args[5] as Status);
      }
    }
    if (e.k === "ret" && ACCESSES.has(e.name)) {
      const vmo = this.vmoOf(call.args[0]);
      const woken = this.#detachError.get(e.tid);
      this.#detachError.delete(e.tid);
      if (vmo === undefined || !this.#lookedUpAfterDetach(vmo.koid, call, e.tid)) return;
      // Woken by the detach with the OP_FAIL code its request already carried: that code.
      const failed = woken !== undefined && e.status === woken &&
        (this.#failCodes.get(vmo.koid)?.has(woken) ?? false);
      if (PAGER_PATH_ERRORS.has(e.status) && !failed) {
        this.fail(
          "K12",
          `t${e.tid} ${e.name} on detached vmo${vmo.koid} returned ${statusName(e.status)}`,
        );
      }
    }
    if (e.k === "page-fault" && this.#lookedUpAfterDetach(e.vmo, call, e.tid)) {
      if (PAGER_PATH_ERRORS.has(e.synth)) {
        this.fail(
          "K12",
          `t${e.tid} fault on detached vmo${e.vmo} has synth ${statusName(e.synth)}`,
        );
      }
    }
  }
}
