/**
 * Which VMOs a `zx_bti_pin` may still hold pages of, as a program can know it
 * ({@linkcode PinHolds}), for the contract's op-range predictions (program/anon_op_range.ts).
 *
 * @module
 */

import { type Status, ZX_OK } from "../kernel/constants.ts";

/**
 * Which VMOs a pin may hold pages of, as far as the program can know: a `zx_bti_pin` through a
 * handle to a VMO counts from its start (`start`) and, if it returned ZX_OK, until a
 * `zx_pmt_unpin` of its PMT returns ZX_OK (`end`). A failed pin pins nothing (upstream's
 * `VmCowPages::PinRangeLocked` unpins what it pinned on failure, vm_cow_pages.cc); closing or
 * replacing a PMT handle never unpins (zx_pmt_unpin.md: a PMT closed without an unpin is
 * quarantined, its pages stay pinned), so such a pin counts for the rest of the run. Unlike
 * `HandleModel.plainPins` (pins surely held), this is the other side: pins possibly held.
 */
export class PinHolds {
  /**
   * Per VMO object: the page ranges `[start, end)` of pins started and not ended, and of pins
   * that returned ZX_OK and stand (a multiset: equal ranges are interchangeable).
   */
  readonly #holds = new Map<number, [number, number][]>();
  /** The VMO object and pages of each PMT handle value whose pin stands, until it is unpinned. */
  readonly #pmts = new Map<number, { object: number; range: readonly [number, number] }>();

  #add(object: number, range: readonly [number, number]): void {
    const list = this.#holds.get(object) ?? [];
    list.push([range[0], range[1]]);
    this.#holds.set(object, list);
  }

  #remove(object: number, range: readonly [number, number]): void {
    const list = this.#holds.get(object);
    const i = list?.findIndex(([s, e]) => s === range[0] && e === range[1]) ?? -1;
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.#holds.delete(object);
  }

  /**
   * A call started; `pinned` is the VMO a `zx_bti_pin` names (`pinnedVmo` in
   * anon_op_range.ts) and `range` the pages it names (`pinPages`; every page when not given):
   * the pin counts for those pages from here on.
   */
  start(call: string, pinned: number | undefined, range: readonly [number, number] = ALL): void {
    if (call === "zx_bti_pin" && pinned !== undefined) this.#add(pinned, range);
  }

  /**
   * A call returned `status` (and `value`, a pin's PMT handle); `pinned` and `range` as for
   * `start`, looked up before the call's own effect on the handle model.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: Status,
    value: unknown,
    pinned: number | undefined,
    range: readonly [number, number] = ALL,
  ): void {
    if (call === "zx_bti_pin") {
      if (pinned === undefined) return; // the start's count, if any, stays: unknown
      if (status === ZX_OK && typeof value === "number") {
        this.#pmts.set(value, { object: pinned, range });
      } else this.#remove(pinned, range);
    } else if (call === "zx_pmt_unpin" && status === ZX_OK && typeof args[0] === "number") {
      const pmt = this.#pmts.get(args[0]);
      if (pmt !== undefined) this.#remove(pmt.object, pmt.range);
      this.#pmts.delete(args[0]);
    } else if (
      (call === "zx_handle_close" || call === "zx_handle_replace") && typeof args[0] === "number"
    ) this.#pmts.delete(args[0]);
  }

  /**
   * True if a pin may hold a page of the VMO `object` in `[start, end)` (any page when no range
   * is given). A pin holds only the pages it named: `zx_bti_pin` pins `[offset, offset + size)`
   * (bti_pin.md; `VmCowPages::PinRangeLocked` pins exactly that range).
   */
  mayHold(object: number, start = 0, end = Infinity): boolean {
    return this.#holds.get(object)?.some(([s, e]) => s < end && start < e) ?? false;
  }
}

/** Every page: the range of a pin whose arguments are not numbers. */
const ALL: readonly [number, number] = [0, Infinity];

/**
 * The pages `[start, end)` a `zx_bti_pin` call's arguments name (`args[3]` offset, `args[4]`
 * size, rounded out to whole pages of `pageSize`), or every page when they are not numbers.
 */
export function pinPages(
  call: string,
  args: readonly unknown[],
  pageSize: number,
): readonly [number, number] {
  const [offset, size] = [args[3], args[4]];
  if (call !== "zx_bti_pin" || typeof offset !== "number" || typeof size !== "number") return ALL;
  return [Math.floor(offset / pageSize), Math.ceil((offset + size) / pageSize)];
}
