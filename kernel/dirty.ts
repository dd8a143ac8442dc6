/**
 * Dirty tracking over a pager VMO's page slots (spec 5): which slots are
 * Dirty, how far a DIRTY request runs, and the ranges
 * `zx_pager_query_dirty_ranges` reports (K19).
 *
 * @module
 */

import { ZX_VMO_DIRTY_RANGE_IS_ZERO } from "./constants.ts";
import { MARKER, type Page, type Slot, ZeroSlot } from "./objects.ts";

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
 * import { ZeroSlot } from "./objects.ts";
 * const slots = [undefined, { data: new Uint8Array(8), state: "dirty" as const }, new ZeroSlot()];
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

/**
 * Whether a partial page zero can skip page `q` of `tgt` because it already reads as zero
 * (`VmCowPages::PageWouldReadZeroLocked`, vm_cow_pages.cc @ misttech/fuchsia 030dcba0): a
 * marker, a zero-interval slot of a pager root, or a gap of a VMO with no pager behind it.
 * Anything else, including a clone's gap over its parent, goes through the write path.
 *
 * @example
 * ```ts
 * import { partialZeroIsNoop } from "./dirty.ts";
 * import { MARKER } from "./objects.ts";
 * console.assert(partialZeroIsNoop([MARKER], 0, true, false));
 * console.assert(!partialZeroIsNoop([undefined], 0, true, false));
 * ```
 */
export function partialZeroIsNoop(
  slots: readonly Slot[],
  q: number,
  pagerBacked: boolean,
  isClone: boolean,
): boolean {
  const s = slots[q];
  if (s === MARKER) return true;
  if (s instanceof ZeroSlot) return !isClone;
  return s === undefined && !pagerBacked;
}

/**
 * Adding a zero interval right before an existing one merges them, and the merged interval
 * keeps only the left part's awaiting-clean length: the right interval's is dropped
 * (`VmPageList::AddZeroIntervalInternal`, vm_page_list.cc @ misttech/fuchsia d72ea0ee). Clears
 * the awaiting-clean flags of the zero run that starts at `q`, if one does.
 *
 * @example
 * ```ts
 * import { dropAwaitingCleanOfRunAt } from "./dirty.ts";
 * import { ZeroSlot } from "./objects.ts";
 * const z = new ZeroSlot();
 * z.awaitingClean = true;
 * dropAwaitingCleanOfRunAt([undefined, z], 1);
 * console.assert(!z.awaitingClean);
 * ```
 */
export function dropAwaitingCleanOfRunAt(slots: readonly Slot[], q: number): void {
  for (let p = q; p < slots.length; p++) {
    const s = slots[p];
    if (!(s instanceof ZeroSlot)) return;
    s.awaitingClean = false;
  }
}

/**
 * The ranges `InvalidateDirtyRequestsLocked` resolves over pages `[start, end)` (vm_cow_pages.cc @
 * misttech/fuchsia 030dcba0): first each run of present content that is not a Dirty page
 * (markers, zero slots, Clean and AwaitingClean pages), then each gap. Dirty pages are skipped:
 * they cannot have a DIRTY request outstanding, and counting them would complete requests early.
 *
 * @example
 * ```ts
 * import { dirtyInvalidationRanges } from "./dirty.ts";
 * import { MARKER } from "./objects.ts";
 * const dirty = { data: new Uint8Array(8), state: "dirty" as const };
 * const r = dirtyInvalidationRanges([MARKER, dirty, undefined], 0, 3);
 * console.assert(JSON.stringify(r) === "[[0,1],[2,3]]");
 * ```
 */
export function dirtyInvalidationRanges(
  slots: readonly Slot[],
  start: number,
  end: number,
): [number, number][] {
  const out: [number, number][] = [];
  const runs = (want: (s: Slot) => boolean) => {
    let from = -1;
    for (let p = start; p <= end; p++) {
      const hit = p < end && want(slots[p]);
      if (hit && from < 0) from = p;
      if (!hit && from >= 0) {
        out.push([from, p]);
        from = -1;
      }
    }
  };
  runs((s) => s !== undefined && !isDirtyPage(s));
  runs((s) => s === undefined);
  return out;
}
