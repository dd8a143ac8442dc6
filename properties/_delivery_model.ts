/**
 * The checkers' own model of "no packet of this pager VMO can reach its pager again" (spec 1.3),
 * kept from the trace instead of taken from the kernel's `PagerProxy.undeliverable`. A checker
 * that exempts a stranded VMO on the kernel's word checks nothing there: a kernel (a mutant, a
 * user's `--kernel` variant) that says a VMO is undeliverable, or drops its packets while saying
 * so, would weaken no-lost-requests, answers-every-read and quiescent-end alike.
 *
 * A VMO is undeliverable when
 * - its port is dead: every handle the run has seen to that port was closed by a call the trace
 *   shows (`zx_handle_close` ZX_OK; `zx_handle_replace` other than ZX_ERR_BAD_HANDLE, which
 *   consumes its handle even when it fails, `sys_handle_replace`), or
 * - a `packet-dropped` event named it (the port refused its packet: the slot is stuck).
 *
 * The VMO's port is the one its `zx_pager_create_vmo` named (the call's port handle), or the one
 * its first `packet-queued`/`packet-dropped` event named.
 *
 * What it still takes from the kernel, and why (the narrowest dependency left):
 * - which object a handle value names, and that every handle open at a step's end was seen
 *   (the step journal's handle table, as every checker's `vmoOf` reads it): the trace prints
 *   handle values, not the koids behind them;
 * - the VMO's port when neither its creation nor any packet of it was seen (a VMO whose handle
 *   was created and closed within one step): then `vmo.proxy.port`, which object the VMO was
 *   bound to, not whether it can deliver.
 *
 * {@linkcode DeliveryModel.disagreement} compares the model with the kernel's own
 * `undeliverable`: the checkers fail on a disagreement (code `undeliverable`), so a kernel whose
 * bookkeeping of dead ports and stuck slots drifts from what the trace shows is caught, instead
 * of trusted.
 *
 * ```ts
 * import { DeliveryModel } from "./_delivery_model.ts";
 * const m = new DeliveryModel();
 * console.assert(DeliveryModel.KINDS.has("packet-dropped") && !m.portDead(7, new Map([[0x10, { object: { koid: 7 }, rights: 0 } as never]])));
 * ```
 *
 * @module
 */

import { ZX_ERR_BAD_HANDLE, ZX_OK } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { HandleEntry } from "../kernel/handles.ts";
import type { Vmo } from "../kernel/objects.ts";
import type { Call } from "./_step_monitor.ts";

/** Which VMOs can no longer have a packet delivered, from the trace. */
export class DeliveryModel {
  /** The event kinds {@linkcode DeliveryModel.hear} reads. */
  static readonly KINDS: ReadonlySet<KernelEvent["k"]> = new Set<KernelEvent["k"]>([
    "ret",
    "packet-queued",
    "packet-dropped",
  ]);
  /** The syscalls whose `ret` events {@linkcode DeliveryModel.hear} reads (it ignores the others). */
  static readonly CALLS: ReadonlySet<string> = new Set([
    "zx_handle_close",
    "zx_handle_replace",
    "zx_pager_create_vmo",
  ]);
  /** Handle values a successful close (or a consuming replace) took away. */
  readonly #closed = new Set<number>();
  /** Each pager VMO's port, by koid. */
  readonly #portOf = new Map<number, number>();
  /** VMOs a `packet-dropped` event named. */
  readonly #dropped = new Set<number>();

  /**
   * Takes in one step event; `call` is its thread's syscall, `entry` what a handle value named
   * (the step journal's table).
   */
  hear(
    e: KernelEvent,
    call: Call | undefined,
    entry: (handle: unknown) => HandleEntry | undefined,
  ): void {
    switch (e.k) {
      case "packet-queued":
        if (!this.#portOf.has(e.vmo)) this.#portOf.set(e.vmo, e.port);
        return;
      case "packet-dropped":
        this.#dropped.add(e.vmo);
        if (!this.#portOf.has(e.vmo)) this.#portOf.set(e.vmo, e.port);
        return;
      case "ret": {
        if (call === undefined || call.name !== e.name) return;
        const h = call.args[0];
        if (e.name === "zx_handle_close") {
          if (e.status === ZX_OK && typeof h === "number" && h !== 0) this.#closed.add(h);
        } else if (e.name === "zx_handle_replace") {
          if (e.status !== ZX_ERR_BAD_HANDLE && typeof h === "number") this.#closed.add(h);
        } else if (e.name === "zx_pager_create_vmo" && e.status === ZX_OK) {
          const vmo = entry(e.handle)?.object;
          const port = entry(call.args[2])?.object;
          if (vmo !== undefined && port !== undefined) this.#portOf.set(vmo.koid, port.koid);
        }
        return;
      }
    }
  }

  /** True when no handle of port `koid` the run has seen is left open, by the trace's closes. */
  portDead(koid: number, handles: ReadonlyMap<number, HandleEntry>): boolean {
    for (const [h, e] of handles) {
      if (e.object.koid === koid && !this.#closed.has(h)) return false;
    }
    return true;
  }

  /**
   * True when no packet of `vmo` (a pager VMO; a clone's requests go to its root's port, so pass
   * the root) can reach its pager again: its port is dead or it had a packet dropped.
   */
  undeliverable(vmo: Vmo, handles: ReadonlyMap<number, HandleEntry>): boolean {
    if (this.#dropped.has(vmo.koid)) return true;
    const port = this.#portOf.get(vmo.koid) ?? vmo.proxy?.port.koid;
    return port !== undefined && this.portDead(port, handles);
  }

  /**
   * Where the kernel's `PagerProxy.undeliverable` of `vmo` and the model part, as a message; null
   * when they agree (or `vmo` has no proxy).
   */
  disagreement(vmo: Vmo, handles: ReadonlyMap<number, HandleEntry>): string | null {
    const proxy = vmo.proxy;
    if (proxy === null) return null;
    const model = this.undeliverable(vmo, handles);
    // (By truth, not identity: a getter that answers undefined for false says the same.)
    const kernel = Boolean(proxy.undeliverable);
    if (kernel === model) return null;
    const port = this.#portOf.get(vmo.koid) ?? proxy.port.koid;
    const why = this.#dropped.has(vmo.koid)
      ? "a packet of it was dropped"
      : model
      ? `every handle of port${port} was closed`
      : `port${port} still has an open handle and no packet of it was dropped`;
    return `the kernel says vmo${vmo.koid} is ${
      kernel ? "" : "not "
    }undeliverable, but by the trace ${why}`;
  }
}
