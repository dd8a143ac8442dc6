/**
 * `data-integrity`: every byte a thread reads equals the abstract reference
 * model: the backing store (`backingPage(key, page, pageSize)`) overlaid with
 * every write that happened before. A page supplied as a zero marker reads as
 * zero only if the aux page it came from was uncommitted (spec 2.4, K9).
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import { MARKER, type Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { backingPage } from "../services/backing.ts";
import { AuxSnapshot } from "./_aux_snapshot.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";

/** Compares every read with the reference model. */
export class DataIntegrity extends StepMonitor {
  readonly name = "data-integrity";
  /** Expected content of pages that differ from the backing store or were supplied as zeros. */
  readonly #pages = new Map<number, Map<number, Uint8Array>>();
  readonly #aux = new AuxSnapshot();

  #page(vmo: Vmo, page: number): Uint8Array {
    let m = this.#pages.get(vmo.koid);
    if (m === undefined) this.#pages.set(vmo.koid, m = new Map());
    let p = m.get(page);
    if (p === undefined) m.set(page, p = backingPage(vmo.key, page, vmo.pageSize));
    return p;
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    switch (e.k) {
      case "supply": {
        if (!e.inserted || call?.name !== "zx_pager_supply_pages") return;
        const vmo = pagerVmo(world, e.vmo)!;
        const base = backingPage(vmo.key, e.page, vmo.pageSize);
        if (vmo.slots[e.page] === MARKER) {
          const committed = this.#aux.committed(this.vmoOf(call.args[4]), call, e.page, vmo);
          if (committed === false) base.fill(0);
        }
        if (!this.#pages.has(vmo.koid)) this.#pages.set(vmo.koid, new Map());
        this.#pages.get(vmo.koid)!.set(e.page, base);
        return;
      }
      case "store":
      case "copy": {
        const vmo = pagerVmo(world, e.vmo);
        if (vmo === undefined) return;
        const ps = vmo.pageSize;
        for (let i = 0; i < e.bytes.length;) {
          const pos = e.offset + i;
          const page = Math.floor(pos / ps);
          const n = Math.min(e.bytes.length - i, ps - (pos - page * ps));
          const expected = this.#page(vmo, page).subarray(pos - page * ps, pos - page * ps + n);
          const got = e.bytes.subarray(i, i + n);
          if (e.k === "store") expected.set(got);
          else {
            const j = got.findIndex((b, k) => b !== expected[k]);
            if (j >= 0) {
              this.fail(
                "read",
                `t${e.tid} read vmo${e.vmo} byte 0x${(pos + j).toString(16)} = 0x${
                  got[j].toString(16)
                }, reference says 0x${expected[j].toString(16)}`,
              );
            }
          }
          i += n;
        }
        return;
      }
      case "detach":
        // Detach drops clean pages; a later supply would start from the backing store again.
        if (e.why === "detach") {
          const vmo = pagerVmo(world, e.vmo)!;
          const m = this.#pages.get(e.vmo);
          m?.forEach((_, p) => {
            if (vmo.slots[p] === undefined) m.delete(p);
          });
        }
        return;
    }
  }

  protected override endStep(world: World): void {
    this.#aux.take(world);
  }
}
