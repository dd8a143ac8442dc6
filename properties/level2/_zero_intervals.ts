/**
 * dirty-state's own picture of a root pager VMO's zero intervals (spec 2.5.3, 2.5.4, table 5.2):
 * for each run of zero slots, the awaiting-clean end WRITEBACK_BEGIN gave it, followed through
 * the step's slot changes, so that WRITEBACK_END can be judged on which zero slots it removes.
 * It is worked out from the slot kinds before and after each step and the writeback calls'
 * arguments, never from the kernel's `ZeroSlot.awaitingEnd` it judges.
 *
 * The rules, as Zircon keeps an interval's awaiting-clean length in its start sentinel
 * (`VmPageList`, vm_page_list.cc @ misttech/fuchsia d72ea0ee; `VmCowPages::WritebackBeginLocked`
 * and `WritebackEndLocked`, vm_cow_pages.cc @ misttech/fuchsia 030dcba0; the kernel model's
 * reading of them is docs/audit.md D2, Z8):
 * - a new zero slot (ZERO, a grow) joins a run on its left, whose end stands (and may now cover
 *   it); a run on its right that it joins loses its end;
 * - a zero slot taken for a page (a write, COMMIT, a pin, OP_DIRTY): if it was its run's first
 *   slot, the rest of the run keeps the end; if it was inside, the part right of it starts with
 *   none (`vmpl_awaiting_clean_split_test`: "Split the interval in the middle");
 * - BEGIN over `[s, e)`: each interval whose first slot lies in the range gets the end
 *   `max(end, min(interval end, e))`; an interval the range begins inside is left alone;
 * - END over `[s, e)`: walking the intervals whose first slot lies in the range, a running end
 *   (from `s`) takes the max of theirs; each interval loses its slots below
 *   `min(running end, e, its end)`, and what remains of it keeps its own end.
 *
 * Slots are changed in page order within a step (the kernel walks a range upwards), so a change
 * at page `p` sees the pages below it as the step left them and those above as it found them.
 *
 * @example
 * ```ts
 * import { ZeroEnds } from "./_zero_intervals.ts";
 * import type { SlotKind } from "../../kernel/events.ts";
 * const kinds: SlotKind[] = ["zero", "zero", "zero"];
 * const z = ZeroEnds.of(["absent", "absent", "absent"]);
 * for (let p = 0; p < 3; p++) z?.put(["absent", "absent", "absent"], p);
 * z?.begin(kinds, 0, 2);
 * const plan = z?.planEnd(kinds, 0, 3);
 * console.assert(plan?.removed.join() === "0,1");
 * ```
 *
 * @module
 */

import type { SlotKind } from "../../kernel/events.ts";

/** The slots a WRITEBACK_END removes, and the ends the clipped remainders start with. */
export interface EndPlan {
  /** Pages, ascending. */
  readonly removed: readonly number[];
  /** `[page, end]`: the first slot of an interval's clipped remainder, and its end. */
  readonly carried: readonly (readonly [number, number])[];
}

/** One past the last zero slot of the run holding zero slot `p`, in `kinds`. */
function runEnd(kinds: readonly SlotKind[], p: number): number {
  let q = p;
  while (q < kinds.length && kinds[q] === "zero") q++;
  return q;
}

/** True if zero slot `p` begins its run in `kinds`. */
function first(kinds: readonly SlotKind[], p: number): boolean {
  return p === 0 || kinds[p - 1] !== "zero";
}

/** The awaiting-clean ends of one VMO's zero slots (meaningful at a run's first slot). */
export class ZeroEnds {
  /** Per page, as the kernel keeps one per zero slot; 0 where none was given. */
  readonly #ends: number[] = [];

  /**
   * The picture of a VMO first seen with slot kinds `kinds`: none if it already holds zero
   * slots (their ends are not known), else an empty one.
   */
  static of(kinds: readonly SlotKind[]): ZeroEnds | null {
    return kinds.includes("zero") ? null : new ZeroEnds();
  }

  #at(p: number): number {
    return this.#ends[p] ?? 0;
  }

  /**
   * Zero slot `p` becomes something else. `left` holds the kinds as the step left the pages
   * below `p`, `right` as it found those above.
   */
  take(left: readonly SlotKind[], right: readonly SlotKind[], p: number): void {
    if (right[p + 1] !== "zero") return;
    this.#ends[p + 1] = first(left, p) ? this.#at(p) : 0;
  }

  /** Slot `p` becomes a zero slot (`right`: the kinds as the step found the pages above `p`). */
  put(right: readonly SlotKind[], p: number): void {
    if (right[p + 1] === "zero") this.#ends[p + 1] = 0;
    this.#ends[p] = 0;
  }

  /** The VMO shrank to `pages`: the slots past it are gone (ends reaching past it stay). */
  truncate(pages: number): void {
    if (this.#ends.length > pages) this.#ends.length = pages;
  }

  /** WRITEBACK_BEGIN over pages `[s, e)` of a VMO whose slot kinds are `kinds`. */
  begin(kinds: readonly SlotKind[], s: number, e: number): void {
    for (let p = s; p < e && p < kinds.length; p++) {
      if (kinds[p] !== "zero" || !first(kinds, p)) continue;
      this.#ends[p] = Math.max(this.#at(p), Math.min(runEnd(kinds, p), e));
    }
  }

  /** What WRITEBACK_END over pages `[s, e)` does to the zero slots of `kinds`. */
  planEnd(kinds: readonly SlotKind[], s: number, e: number): EndPlan {
    const removed: number[] = [];
    const carried: [number, number][] = [];
    let clean = s;
    for (let p = s; p < e && p < kinds.length; p++) {
      if (kinds[p] !== "zero" || !first(kinds, p)) continue;
      const own = this.#at(p);
      clean = Math.max(clean, own);
      const last = runEnd(kinds, p);
      const cut = Math.min(clean, e, last);
      for (let q = p; q < cut; q++) removed.push(q);
      if (cut > p && cut < last) carried.push([cut, own]);
      p = last - 1;
    }
    return { removed, carried };
  }

  /** After a WRITEBACK_END planned as `plan` happened: the remainders' ends. */
  applyEnd(plan: EndPlan): void {
    for (const [p, end] of plan.carried) this.#ends[p] = end;
  }
}
