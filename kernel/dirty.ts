/**
 * Dirty tracking over a pager VMO's page slots (spec 5): which slots are
 * Dirty, how far a DIRTY request runs, and the ranges
 * `zx_pager_query_dirty_ranges` reports (K19).
 *
 * @module
 */

import { ZX_VMO_DIRTY_RANGE_IS_ZERO } from "./constants.ts";
import { type Page, type Slot, ZeroSlot } from "./objects.ts";

/** `zx_vmo_dirty_range_t`: byte offset and length, and `ZX_VMO_DIRTY_RANGE_IS_ZERO` or 0. */
export interface DirtyRange {
  /** First byte of the range. */
  readonly offset: number;
  /** Bytes in the range. */
  readonly length: number;
  /** `ZX_VMO_DIRTY_RANGE_IS_ZERO` for a dirty zero interval, else 0. */
  readonly options: number;
}

/** True for a committed page in state Dirty (writes to it need no request). */
export function isDirtyPage(s: Slot): boolean {
  return s !== undefined && !(s instanceof ZeroSlot) && (s as Page).state === "dirty";
}

/** True for content a write must first dirty: Clean/AwaitingClean pages, markers, zero slots. */
export function needsDirtying(s: Slot): boolean {
  return s !== undefined && !isDirtyPage(s);
}

/**
 * One past the last slot of the DIRTY run starting at `start`: it covers
 * not-yet-Dirty content and stops at the first Dirty page or gap, or at `limit`
 * (spec 3.4).
 */
export function dirtyRunEnd(slots: readonly Slot[], start: number, limit: number): number {
  let q = start + 1;
  while (q < limit && needsDirtying(slots[q])) q++;
  return q;
}

type RangeKind = "page" | "zero" | null;

function rangeKind(s: Slot): RangeKind {
  if (s === undefined) return null;
  if (s instanceof ZeroSlot) return "zero";
  const state = (s as Page).state;
  return state === "dirty" || state === "awaiting-clean" ? "page" : null;
}

/**
 * The dirty ranges of pages `[start, end)`, ascending: maximal runs of
 * non-Clean pages (options 0) and of zero-interval slots (`IS_ZERO`), reported
 * separately (spec 2.6, K19).
 *
 * @example
 * ```ts
 * import { dirtyRanges } from "./dirty.ts";
 * import { Page, ZeroSlot } from "./objects.ts";
 * const slots = [undefined, new Page(new Uint8Array(8), "dirty"), new ZeroSlot()];
 * const r = dirtyRanges(slots, 0, 3, 8);
 * console.assert(r.length === 2 && r[0].offset === 8 && r[1].options === 1);
 * ```
 */
export function dirtyRanges(
  slots: readonly Slot[],
  start: number,
  end: number,
  pageSize: number,
): DirtyRange[] {
  const out: DirtyRange[] = [];
  let runStart = start;
  let run: RangeKind = null;
  for (let p = start; p <= end; p++) {
    const kind = p < end ? rangeKind(slots[p]) : null;
    if (kind === run) continue;
    if (run !== null) {
      out.push({
        offset: runStart * pageSize,
        length: (p - runStart) * pageSize,
        options: run === "zero" ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
      });
    }
    run = kind;
    runStart = p;
  }
  return out;
}
