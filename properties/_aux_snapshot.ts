/**
 * Which pages of each anonymous (aux) VMO were committed, and with what, at
 * the end of the last step: a supply moves them out, so checkers that judge a
 * supply need the state from just before it.
 *
 * @module
 */

import { MARKER, type Page, type Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";
import { sameBytes } from "./_bytes.ts";

/** Aux VMO pages as they were before the current step. */
export class AuxSnapshot {
  #pages = new Map<Vmo, (Uint8Array | null)[]>();

  /** Records every anonymous VMO that has a handle now. */
  take(world: World): void {
    const next = new Map<Vmo, (Uint8Array | null)[]>();
    for (const [, e] of world.kernel.handles) {
      const o = e.object as Partial<Vmo>;
      if (o.slots === undefined || o.source !== null || next.has(o as Vmo)) continue;
      // Pages unchanged since the last step keep their copy.
      const last = this.#pages.get(o as Vmo);
      next.set(
        o as Vmo,
        Array.from(o.slots, (s, p) => {
          if (s === undefined || s === MARKER) return null;
          const data = (s as Page).data;
          const was = last?.[p];
          return was != null && sameBytes(was, data) ? was : data.slice();
        }),
      );
    }
    this.#pages = next;
  }

  /**
   * The content of the aux page that a supply `call` moved into `page` of
   * `dest`: bytes, null if uncommitted, undefined if unknown.
   */
  source(aux: Vmo | undefined, call: Call, page: number, dest: Vmo): Uint8Array | null | undefined {
    if (aux === undefined) return undefined;
    const [, , offset, , , auxOffset] = call.args as number[];
    const i = auxOffset / dest.pageSize + page - offset / dest.pageSize;
    const pages = this.#pages.get(aux);
    return pages === undefined ? undefined : pages[i] ?? null;
  }

  /** Whether that aux page was committed (undefined if unknown). */
  committed(aux: Vmo | undefined, call: Call, page: number, dest: Vmo): boolean | undefined {
    const s = this.source(aux, call, page, dest);
    return s === undefined ? undefined : s !== null;
  }
}
