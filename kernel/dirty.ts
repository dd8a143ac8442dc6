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

/** The first slot of the zero run containing `p` (which must be a zero slot). */
function runStart(slots: readonly Slot[], p: number): number {
  while (p > 0 && slots[p - 1] instanceof ZeroSlot) p--;
  return p;
}

/** One past the last slot of the zero run containing `p`. */
function runEnd(slots: readonly Slot[], p: number): number {
  while (p < slots.length && slots[p] instanceof ZeroSlot) p++;
  return p;
}

/**
 * Whether zero slot `p` lies in its interval's awaiting-clean part.
 *
 * @example
 * ```ts
 * import { putZeroSlot, zeroSlotAwaitingClean } from "./dirty.ts";
 * const slots = [undefined, undefined];
 * putZeroSlot(slots, 0);
 * console.assert(!zeroSlotAwaitingClean(slots, 0));
 * ```
 */
export function zeroSlotAwaitingClean(slots: readonly Slot[], p: number): boolean {
  const start = slots[runStart(slots, p)] as ZeroSlot;
  return p < start.awaitingEnd;
}

/**
 * Puts a new zero slot at `p` (ZERO of a page or gap, resize grow), merging with the zero runs
 * around it as `VmPageList::AddZeroIntervalInternal` does (vm_page_list.cc @ misttech/fuchsia
 * d72ea0ee): the run on the left keeps its awaiting-clean end, which may now cover `p`; the run
 * on the right loses its own.
 *
 * @example
 * ```ts
 * import { putZeroSlot, zeroSlotAwaitingClean } from "./dirty.ts";
 * import { ZeroSlot } from "./objects.ts";
 * const right = new ZeroSlot();
 * right.awaitingEnd = 2;
 * const slots = [undefined, right];
 * putZeroSlot(slots, 0);
 * console.assert(!zeroSlotAwaitingClean(slots, 1));
 * ```
 */
export function putZeroSlot(slots: Slot[], p: number): void {
  if (slots[p] instanceof ZeroSlot) return;
  const next = slots[p + 1];
  if (next instanceof ZeroSlot) next.awaitingEnd = 0;
  slots[p] = new ZeroSlot();
}

/**
 * Zero slot `p` is about to be replaced (by a page, or by a gap): the interval splits around it.
 * Replacing its start slot moves the start's awaiting-clean end to the new start on the right
 * (`LookupOrAllocateCheckForInterval`: "preserving any non-zero AwaitingCleanLength in the start
 * sentinel"); replacing a slot in the middle leaves the part on the right a new interval with
 * none (vmpl_awaiting_clean_split_test, zircon/kernel/vm/unittests/vm_page_list_unittest.cc:
 * "Split the interval in the middle", the right part's length 0), while the left part keeps its
 * own, which may now reach past its end (WRITEBACK_END carries it over the split).
 *
 * @example
 * ```ts
 * import { putZeroSlot, takeZeroSlot, zeroSlotAwaitingClean } from "./dirty.ts";
 * import { type Slot, ZeroSlot } from "./objects.ts";
 * const slots: Slot[] = [undefined, undefined, undefined, undefined];
 * for (const p of [0, 1, 2, 3]) putZeroSlot(slots, p);
 * (slots[0] as ZeroSlot).awaitingEnd = 4;
 * takeZeroSlot(slots, 0); // the start: the rest keeps the end
 * slots[0] = undefined;
 * console.assert(zeroSlotAwaitingClean(slots, 3));
 * takeZeroSlot(slots, 2); // the middle: the part right of it has none
 * slots[2] = undefined;
 * console.assert(zeroSlotAwaitingClean(slots, 1) && !zeroSlotAwaitingClean(slots, 3));
 * ```
 */
export function takeZeroSlot(slots: Slot[], p: number): void {
  const s = slots[p];
  if (!(s instanceof ZeroSlot)) return;
  const next = slots[p + 1];
  if (next instanceof ZeroSlot) next.awaitingEnd = runStart(slots, p) === p ? s.awaitingEnd : 0;
}

/**
 * WRITEBACK_BEGIN over zero intervals (`VmCowPages::WritebackBeginLocked`, vm_cow_pages.cc @
 * misttech/fuchsia 030dcba0): an interval whose first slot lies in `[start, end)` gets the
 * awaiting-clean end `max(old, min(interval end, end))`; an interval the range begins inside is
 * left alone (upstream TODO).
 *
 * @example
 * ```ts
 * import { beginZeroWriteback, putZeroSlot, zeroSlotAwaitingClean } from "./dirty.ts";
 * const slots = [undefined, undefined, undefined];
 * for (const p of [0, 1, 2]) putZeroSlot(slots, p);
 * beginZeroWriteback(slots, 1, 3);
 * console.assert(!zeroSlotAwaitingClean(slots, 2), "the range began inside the interval");
 * beginZeroWriteback(slots, 0, 2);
 * console.assert(zeroSlotAwaitingClean(slots, 1) && !zeroSlotAwaitingClean(slots, 2));
 * ```
 */
export function beginZeroWriteback(slots: readonly Slot[], start: number, end: number): void {
  for (let p = start; p < end; p++) {
    const s = slots[p];
    if (!(s instanceof ZeroSlot) || (p > 0 && slots[p - 1] instanceof ZeroSlot)) continue;
    s.awaitingEnd = Math.max(s.awaitingEnd, Math.min(runEnd(slots, p), end));
  }
}

/**
 * WRITEBACK_END over zero intervals (`VmCowPages::WritebackEndLocked`): walking the intervals
 * whose first slot lies in `[start, end)`, a running awaiting-clean end takes the max of theirs;
 * an interval ending below it is removed, else its front up to it (or to `end`) is clipped and
 * the rest keeps the same absolute end.
 *
 * @example
 * ```ts
 * import { beginZeroWriteback, endZeroWriteback, putZeroSlot } from "./dirty.ts";
 * const slots = [undefined, undefined, undefined];
 * for (const p of [0, 1, 2]) putZeroSlot(slots, p);
 * beginZeroWriteback(slots, 0, 2);
 * endZeroWriteback(slots, 0, 3);
 * console.assert(slots[0] === undefined && slots[1] === undefined && slots[2] !== undefined);
 * ```
 */
export function endZeroWriteback(slots: Slot[], start: number, end: number): void {
  let cleanEnd = start;
  for (let p = start; p < end; p++) {
    const s = slots[p];
    if (!(s instanceof ZeroSlot) || (p > 0 && slots[p - 1] instanceof ZeroSlot)) continue;
    cleanEnd = Math.max(cleanEnd, s.awaitingEnd);
    const last = runEnd(slots, p);
    const cut = last <= end && last - 1 < cleanEnd ? last : Math.min(cleanEnd, end, last);
    if (cut <= p) {
      p = last - 1;
      continue;
    }
    const carried = s.awaitingEnd;
    for (let q = p; q < cut; q++) slots[q] = undefined;
    const rest = slots[cut];
    if (cut < last && rest instanceof ZeroSlot) rest.awaitingEnd = carried;
    p = last - 1; // a clipped remainder is not visited again in this pass
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
 * import { MARKER, Page } from "./objects.ts";
 * const dirty = new Page(new Uint8Array(8), "dirty");
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
