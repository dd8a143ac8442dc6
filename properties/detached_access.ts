/**
 * `detached-access` (K12): once a VMO is detached (or its pager closed) the
 * page source makes no new request, and an access that starts afterwards
 * either finds its pages present or fails with `ZX_ERR_BAD_STATE` (a fatal
 * page fault with that synth code for mappings), or with `ZX_ERR_OUT_OF_RANGE`
 * when a resize left its range past the end.
 *
 * @module
 */

import {
  statusName,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { World } from "../sim/world.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";

const ACCESSES = new Set(["zx_vmo_read", "zx_vmo_write", "zx_vmo_op_range"]);

/** One past the last byte an access call names (argument order as the kernel records it). */
function accessEnd(call: Call): number {
  const [, a, b, c] = call.args as number[];
  if (call.name === "zx_vmo_read") return a + b;
  if (call.name === "zx_vmo_write") return b + a;
  return b + c;
}

/** True if `addr` is mapped to a page past its VMO's current end (a shrink cut it off). */
function pastEnd(world: World, addr: number): boolean {
  const m = world.kernel.rootVmar.mappings.find((m) => m.addr <= addr && addr < m.addr + m.len);
  if (m === undefined) return false;
  const page = Math.floor((addr - m.addr + m.vmoOffset) / m.vmo.pageSize);
  return (page + 1) * m.vmo.pageSize > m.vmo.size;
}

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

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (call === undefined) return;
    if (e.k === "ret" && ACCESSES.has(e.name)) {
      const vmo = this.vmoOf(call.args[0]);
      if (vmo === undefined || !this.#startedAfterDetach(vmo.koid, call)) return;
      if (e.status === ZX_ERR_OUT_OF_RANGE && accessEnd(call) > vmo.size) return;
      if (e.status !== ZX_OK && e.status !== ZX_ERR_BAD_STATE && e.status !== ZX_ERR_BAD_HANDLE) {
        this.fail(
          "K12",
          `t${e.tid} ${e.name} on detached vmo${vmo.koid} returned ${statusName(e.status)}`,
        );
      }
    }
    if (e.k === "page-fault" && this.#startedAfterDetach(e.vmo, call)) {
      if (e.synth === ZX_ERR_OUT_OF_RANGE && pastEnd(world, e.addr)) return;
      if (e.synth !== ZX_ERR_BAD_STATE) {
        this.fail(
          "K12",
          `t${e.tid} fault on detached vmo${e.vmo} has synth ${statusName(e.synth)}`,
        );
      }
    }
  }
}
