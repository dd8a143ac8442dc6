/**
 * Which READ waiters an `ZX_VMO_OP_ZERO` may wake, for `wake-discipline` (K11): only those whose
 * request overlaps a gap the ZERO zeroed. `VmCowPages::ZeroPagesLocked` resolves READ requests
 * through `InvalidateReadRequestsLocked` over the runs of absent pages it turns into a zero
 * interval and nowhere else (zircon/kernel/vm/vm_cow_pages.cc @ misttech/fuchsia 030dcba0; spec
 * 3.6: "The kernel also resolves requests deliberately spuriously ... on `ZX_VMO_OP_ZERO` over
 * gaps"). A gap it zeroes is one it writes: a `store` event of that page, the zeros. So a
 * reader woken in a ZERO's step whose request no store of the step touched was woken by a
 * resolution of pages the ZERO never zeroed (a reader waiting before the range, say).
 *
 * Worked out from events only (`request`, `coalesce`, `store`, `wake`), never from the kernel's
 * request objects.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";

/** A READ request as its `request` event named it: its VMO and page range. */
interface ReadRange {
  readonly vmo: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Follows READ requests and who waits on them; during a ZERO's step, the pages it stored.
 *
 * @example
 * ```ts
 * import { ZeroWakes } from "./_zero_wakes.ts";
 * const z = new ZeroWakes(64);
 * z.note({ k: "request", vmo: 5, id: 1, type: "READ", start: 1, end: 2, tid: 7 }, false);
 * z.note({ k: "store", tid: 8, vmo: 5, offset: 128, bytes: new Uint8Array(64) }, true);
 * console.assert(z.strayWake(7) === "t7's READ [1,2) of vmo5"); // page 2 zeroed, not page 1
 * ```
 */
export class ZeroWakes {
  readonly #pageSize: number;
  /**
   * READ requests by VMO koid, then request id (ids are per page source). By numbers: a `vmo:id`
   * string was made at every request and coalesce event to key them (a `Map` by numbers tells
   * keys apart as it told their strings apart: both by value).
   */
  readonly #reads = new Map<number, Map<number, ReadRange>>();
  /**
   * The request each thread last made or joined, READ or not (null: DIRTY): the event that said
   * so, whose VMO and id are looked up in {@linkcode ZeroWakes.#reads} when it is judged.
   */
  readonly #waitsOn = new Map<number, { readonly vmo: number; readonly id: number } | null>();
  /** This ZERO step's stored pages, `vmo:page`. */
  readonly #stored = new Set<string>();

  constructor(pageSize: number) {
    this.#pageSize = pageSize;
  }

  /** Notes one event; `zeroStep`: the step runs a `zx_vmo_op_range(ZERO)` (stores count). */
  note(e: KernelEvent, zeroStep: boolean): void {
    switch (e.k) {
      case "request": {
        if (e.type === "READ") {
          let ids = this.#reads.get(e.vmo);
          if (ids === undefined) this.#reads.set(e.vmo, ids = new Map());
          ids.set(e.id, { vmo: e.vmo, start: e.start, end: e.end });
        }
        this.#waitsOn.set(e.tid, e.type === "READ" ? e : null);
        return;
      }
      case "coalesce": {
        this.#waitsOn.set(e.tid, this.#reads.get(e.vmo)?.has(e.id) === true ? e : null);
        return;
      }
      case "store": {
        if (!zeroStep) return;
        const ps = this.#pageSize;
        const first = Math.floor(e.offset / ps);
        const last = Math.ceil((e.offset + e.bytes.length) / ps);
        for (let p = first; p < last; p++) this.#stored.add(`${e.vmo}:${p}`);
        return;
      }
    }
  }

  /**
   * For a thread a ZERO's step woke: null if its READ request overlaps a page the step stored
   * (or it waits on no READ request this class knows: another rule's to judge), else the request.
   */
  strayWake(tid: number): string | null {
    const key = this.#waitsOn.get(tid);
    if (key === undefined || key === null) return null;
    const r = this.#reads.get(key.vmo)?.get(key.id);
    if (r === undefined) return null;
    for (let p = r.start; p < r.end; p++) if (this.#stored.has(`${r.vmo}:${p}`)) return null;
    return `t${tid}'s READ [${r.start},${r.end}) of vmo${r.vmo}`;
  }

  /**
   * For a thread a shrink of the root with koid `vmo` to `pages` pages woke: null if its READ
   * request reaches past the new size (its cut part was resolved), or it waits on no READ request
   * this class knows; else the request. `VmCowPages::ResizeLocked` resolves READ requests through
   * `InvalidateReadRequestsLocked` over the cut range only (zircon/kernel/vm/vm_cow_pages.cc @
   * misttech/fuchsia 030dcba0; spec 2.8.3): a reader of a page that stays is not woken by it.
   */
  strayShrinkWake(tid: number, vmo: number, pages: number): string | null {
    const key = this.#waitsOn.get(tid);
    if (key === undefined || key === null) return null;
    const r = this.#reads.get(key.vmo)?.get(key.id);
    if (r === undefined || (r.vmo === vmo && r.end > pages)) return null;
    return `t${tid}'s READ [${r.start},${r.end}) of vmo${r.vmo}`;
  }

  /** The step ended. */
  endStep(): void {
    if (this.#stored.size > 0) this.#stored.clear();
  }
}
