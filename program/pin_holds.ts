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
  /** Per VMO object: pins started and not ended, and pins that returned ZX_OK and stand. */
  readonly #holds = new Map<number, number>();
  /** The VMO object of each PMT handle value whose pin stands, until it is unpinned. */
  readonly #pmts = new Map<number, number>();

  #add(object: number, n: number): void {
    this.#holds.set(object, (this.#holds.get(object) ?? 0) + n);
  }

  /**
   * A call started; `pinned` is the VMO a `zx_bti_pin` names (`pinnedVmo` in
   * anon_op_range.ts): the pin counts for it from here on.
   */
  start(call: string, pinned: number | undefined): void {
    if (call === "zx_bti_pin" && pinned !== undefined) this.#add(pinned, 1);
  }

  /**
   * A call returned `status` (and `value`, a pin's PMT handle); `pinned` as for `start`, looked
   * up before the call's own effect on the handle model.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: Status,
    value: unknown,
    pinned: number | undefined,
  ): void {
    if (call === "zx_bti_pin") {
      if (pinned === undefined) return; // the start's count, if any, stays: unknown
      if (status === ZX_OK && typeof value === "number") this.#pmts.set(value, pinned);
      else this.#add(pinned, -1);
    } else if (call === "zx_pmt_unpin" && status === ZX_OK && typeof args[0] === "number") {
      const object = this.#pmts.get(args[0]);
      if (object !== undefined) this.#add(object, -1);
      this.#pmts.delete(args[0]);
    } else if (
      (call === "zx_handle_close" || call === "zx_handle_replace") && typeof args[0] === "number"
    ) this.#pmts.delete(args[0]);
  }

  /** True if a pin may hold a page of the VMO `object`. */
  mayHold(object: number): boolean {
    return (this.#holds.get(object) ?? 0) > 0;
  }
}
