/**
 * `detached-access` (K12): once a VMO is detached (or its pager closed) the
 * page source makes no new request, and an access that starts afterwards
 * either finds its pages present or fails with `ZX_ERR_BAD_STATE` (a fatal
 * page fault with that synth code for mappings).
 *
 * @module
 */

import { statusName, ZX_ERR_BAD_HANDLE, ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";

const ACCESSES = new Set(["zx_vmo_read", "zx_vmo_write", "zx_vmo_op_range"]);

/** Checks what accesses to detached VMOs may do. */
export class DetachedAccess extends StepMonitor {
  readonly name = "detached-access";
  /** Step at which each VMO was detached. */
  readonly #detachedAt = new Map<number, number>();

  protected override immediate(e: KernelEvent, step: number): void {
    if (e.k === "detach" && !this.#detachedAt.has(e.vmo)) this.#detachedAt.set(e.vmo, step);
    if (e.k === "request" && this.#detachedAt.has(e.vmo)) {
      this.fail("K12", `vmo${e.vmo} made ${e.type} request #${e.id} after it was detached`);
    }
  }

  #startedAfterDetach(vmo: number, call: Call): boolean {
    const at = this.#detachedAt.get(vmo);
    return at !== undefined && at < call.step;
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined): void {
    if (call === undefined) return;
    if (e.k === "ret" && ACCESSES.has(e.name)) {
      const vmo = this.vmoOf(call.args[0]);
      if (vmo === undefined || !this.#startedAfterDetach(vmo.koid, call)) return;
      if (e.status !== ZX_OK && e.status !== ZX_ERR_BAD_STATE && e.status !== ZX_ERR_BAD_HANDLE) {
        this.fail(
          "K12",
          `t${e.tid} ${e.name} on detached vmo${vmo.koid} returned ${statusName(e.status)}`,
        );
      }
    }
    if (e.k === "page-fault" && this.#startedAfterDetach(e.vmo, call)) {
      if (e.synth !== ZX_ERR_BAD_STATE) {
        this.fail(
          "K12",
          `t${e.tid} fault on detached vmo${e.vmo} has synth ${statusName(e.synth)}`,
        );
      }
    }
  }
}
