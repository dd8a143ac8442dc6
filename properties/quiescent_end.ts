/**
 * `quiescent-end`: what a service leaves behind once the workload finished
 * and the world's quiescent tail ran until no thread could run (sim/world.ts).
 * Q1: in the tail, a service thread supplies or fails a range of a VMO whose
 * COMPLETE it already took (a late supply to a detached VMO: nothing waits for
 * it, and the service kept work for a VMO it was told is gone). At a quiescent
 * end: Q2, no page request is outstanding; Q3, no COMPLETE packet sits
 * unreceived in a port that is still open (the service never handled it).
 * Opt in with the service obligations (`kernel+service`).
 *
 * @module
 */

import { waitForCycle } from "./wait_for.ts";
import { ZX_PAGER_VMO_COMPLETE, ZX_PKT_TYPE_PAGE_REQUEST } from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import type { Verdict, World } from "../sim/world.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";

/** The pager VMO argument of the calls that answer a range (supply, op_range). */
const VMO_ARG: Readonly<Record<string, number>> = {
  zx_pager_supply_pages: 1,
  zx_pager_op_range: 2,
};

/**
 * Checks Q1 during the quiescent tail and Q2, Q3 at its quiescent end.
 *
 * @example
 * ```ts
 * import { QuiescentEnd } from "./quiescent_end.ts";
 * console.assert(new QuiescentEnd().name === "quiescent-end");
 * ```
 */
export class QuiescentEnd extends StepMonitor {
  readonly name = "quiescent-end";
  /** `tid:koid` of each COMPLETE a service thread dequeued. */
  readonly #completeTaken = new Set<string>();

  protected override immediate(e: KernelEvent): void {
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE) {
      this.#completeTaken.add(`${e.tid}:${e.vmo}`);
    }
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (world.workloadDoneAt === null || e.k !== "ret" || call?.name !== e.name) return;
    const arg = VMO_ARG[e.name];
    if (arg === undefined || world.threads[e.tid - 1]?.role !== "service") return;
    const vmo = this.vmoOf(call.args[arg]);
    if (vmo === undefined || !this.#completeTaken.has(`${e.tid}:${vmo.koid}`)) return;
    this.fail(
      "Q1",
      `after the workload finished, service t${e.tid} called ${e.name} on vmo${vmo.koid}, ` +
        `whose COMPLETE it had taken`,
    );
  }

  protected override finish(world: World, verdict: Verdict): void {
    if (verdict.kind !== "pass" || world.quiescent !== true) return;
    for (const v of world.kernel.pagerVmos) {
      const src = v.source;
      // A request whose packet can no longer reach a service (its port is gone, or every handle
      // of the VMO is) is the kernel's documented stranding, not a service that stopped serving.
      if (src === null || v.handleCount === 0 || v.proxy?.undeliverable === true) continue;
      const left = [...src.outstanding("READ"), ...src.outstanding("DIRTY")];
      if (left.length > 0) {
        const cycle = waitForCycle(world);
        this.fail(
          "Q2",
          `vmo${v.koid} has ${left.length} outstanding request(s) at quiescence` +
            (cycle === null ? "" : `; wait-for cycle: ${cycle}`),
        );
      }
    }
    for (const port of world.kernel.ports) {
      if (port.dead) continue;
      const complete = port.packets().find((p) =>
        p.type === ZX_PKT_TYPE_PAGE_REQUEST && (p as PagePacket).command === ZX_PAGER_VMO_COMPLETE
      );
      if (complete !== undefined) {
        this.fail(
          "Q3",
          `port${port.koid} still holds COMPLETE for key 0x${
            complete.key.toString(16)
          } at quiescence: no service took it`,
        );
      }
    }
  }
}
