/**
 * `durable-data`: no acknowledged write is ever lost across writeback,
 * eviction and re-supply. The reference content of every root pager VMO page
 * is the backing pattern overlaid with every store (writes, OP_ZERO, a grow's
 * zero tail); every read, and every page a supply inserts, must equal it. A
 * page re-supplied after an eviction therefore has to carry what the service
 * persisted, not the original pattern.
 *
 * @module
 */

import type { KernelEvent } from "../../kernel/events.ts";
import { MARKER, type Page, type Vmo, ZeroSlot } from "../../kernel/objects.ts";
import { backingPage } from "../../services/backing.ts";
import { InvariantViolation, type Monitor, type World } from "../../sim/world.ts";

/** Checks reads and supplied pages of root pager VMOs against the written reference. */
export class DurableData implements Monitor {
  readonly name = "durable-data";
  readonly #pages = new Map<number, Map<number, Uint8Array>>();
  #events: KernelEvent[] = [];

  onEvent(event: KernelEvent): void {
    if (event.k === "store" || event.k === "copy" || event.k === "supply") this.#events.push(event);
  }

  afterStep(world: World): void {
    const events = this.#events;
    this.#events = [];
    for (const e of events) this.#check(e, world);
  }

  #vmo(world: World, koid: number): Vmo | undefined {
    return world.kernel.pagerVmos.find((v) => v.koid === koid);
  }

  #page(vmo: Vmo, page: number): Uint8Array {
    let m = this.#pages.get(vmo.koid);
    if (m === undefined) this.#pages.set(vmo.koid, m = new Map());
    let p = m.get(page);
    if (p === undefined) m.set(page, p = backingPage(vmo.key, page, vmo.pageSize));
    return p;
  }

  #check(e: KernelEvent, world: World): void {
    if (e.k === "supply") {
      if (!e.inserted) return;
      const vmo = this.#vmo(world, e.vmo);
      const slot = vmo?.slots[e.page];
      if (vmo === undefined || slot === undefined || slot instanceof ZeroSlot) return;
      const got = slot === MARKER ? new Uint8Array(vmo.pageSize) : (slot as Page).data;
      const want = this.#page(vmo, e.page);
      const i = got.findIndex((b, k) => b !== want[k]);
      if (i >= 0) {
        throw new InvariantViolation(
          this.name,
          `lost-write: vmo${e.vmo} page ${e.page} supplied with byte 0x${got[i].toString(16)} at ` +
            `+0x${i.toString(16)}, the last write left 0x${want[i].toString(16)}`,
        );
      }
      return;
    }
    if (e.k !== "store" && e.k !== "copy") return;
    const vmo = this.#vmo(world, e.vmo);
    if (vmo === undefined) return;
    const ps = vmo.pageSize;
    for (let i = 0; i < e.bytes.length;) {
      const pos = e.offset + i;
      const page = Math.floor(pos / ps);
      const n = Math.min(e.bytes.length - i, ps - (pos - page * ps));
      const want = this.#page(vmo, page).subarray(pos - page * ps, pos - page * ps + n);
      const got = e.bytes.subarray(i, i + n);
      if (e.k === "store") want.set(got);
      else {
        const j = got.findIndex((b, k) => b !== want[k]);
        if (j >= 0) {
          throw new InvariantViolation(
            this.name,
            `read: t${e.tid} read vmo${e.vmo} byte 0x${(pos + j).toString(16)} = 0x${
              got[j].toString(16)
            }, the last write left 0x${want[j].toString(16)}`,
          );
        }
      }
      i += n;
    }
  }
}
