/**
 * A pin whose range a resize cut while it ran, judged by the program contract from the program's
 * own calls (not the kernel's record): a `zx_bti_pin` that returns ZX_OK after a
 * `zx_vmo_set_size` of the same VMO returned ZX_OK, while the pin ran, with a size below the
 * pin's end (and no resize of that VMO back past the end, or still running, since) is wrong.
 *
 * Upstream: `VmObjectPaged::CommitRangeInternal` (zircon/kernel/vm/vm_object_paged.cc @
 * misttech/fuchsia 5cc6b502) trims the range to the VMO's size on every pass of its loop, after
 * each wait, and "if (new_len != len) { if (pin) { return ZX_ERR_OUT_OF_RANGE; } }"; a pin
 * pins what it committed before it waits, so a resize that cuts pages it already pinned fails
 * (BAD_STATE) instead. Either way a pin and a successful shrink below its end cannot both
 * succeed: the shrink came before the pin's last pass, which then saw the smaller size
 * (`Pager.ResizeBlockedPin`, zircon/system/utest/core/pager/pager.cc, expects
 * ZX_ERR_OUT_OF_RANGE from a pin parked on its READ when the VMO is shrunk under it).
 *
 * So with `zx_vmo_op_range(ZX_VMO_OP_ZERO)` (nonempty): `VmObjectPaged::ZeroRangeInternal`
 * (vm_object_paged.cc @ misttech/fuchsia 056f3590) waits on a page request outside the lock and
 * goes round its loop, whose `GetCowRangeSizeCheckLocked` of the range left returns
 * ZX_ERR_OUT_OF_RANGE once the VMO is smaller (a partial page left goes through
 * `ZeroPartialPage`'s write, which checks the size too); a ZERO that never waits holds the
 * VMO's lock throughout, so a shrink cannot come in between. A shrink cannot cut a page pinned
 * under the ZERO's wait (BAD_STATE). A resize's size counts rounded up to whole pages, as the
 * kernel rounds it.
 *
 * @example
 * ```ts
 * import { PinShrink } from "./pin_shrink.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import { ZX_OBJ_TYPE_VMO, ZX_OK } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(5, ZX_OBJ_TYPE_VMO, 0, 0, 8192);
 * const p = new PinShrink();
 * const pin = [9, 1, 5, 0, 8192];
 * p.start("zx_bti_pin", pin, model, 1);
 * p.start("zx_vmo_set_size", [5, 4096], model, 0);
 * console.assert(p.end("zx_vmo_set_size", [5, 4096], ZX_OK, 0) === null);
 * console.assert(p.end("zx_bti_pin", pin, ZX_OK, 1)?.startsWith("returned ZX_OK") === true);
 * ```
 *
 * @module
 */

import { ZX_OK, ZX_VMO_OP_ZERO } from "../kernel/constants.ts";
import type { HandleModel } from "./handle_model.ts";

/** A pin in flight: its VMO, the end of its range, and the shrink that cut it, if any. */
interface PinInFlight {
  readonly what: "pin" | "ZERO";
  readonly vmo: unknown;
  readonly end: number;
  /** The size a shrink that returned ZX_OK while the pin ran left, below `end`; null if none. */
  cutTo: number | null;
}

/** True if `x` is a whole number in [0, 2^53). */
function whole(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** The rule, one per run: {@linkcode start} as a call begins, {@linkcode end} as it returns. */
export class PinShrink {
  /** The pins in flight, by program thread (a thread runs one call at a time). */
  readonly #pins = new Map<number, PinInFlight>();
  /** Resizes in flight, by program thread: the VMO each names. */
  readonly #resizes = new Map<number, unknown>();

  /** A call of thread `t` begins. */
  start(call: string, args: readonly unknown[], model: HandleModel, t: number): void {
    if (call === "zx_bti_pin") {
      const vmo = model.get(args[2])?.object;
      const [offset, size] = [args[3], args[4]];
      if (vmo !== undefined && whole(offset) && whole(size)) {
        this.#pins.set(t, { what: "pin", vmo, end: offset + size, cutTo: null });
      }
    } else if (call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_ZERO) {
      const vmo = model.get(args[0])?.object;
      const [offset, size] = [args[2], args[3]];
      if (vmo !== undefined && whole(offset) && whole(size) && size > 0) {
        this.#pins.set(t, { what: "ZERO", vmo, end: offset + size, cutTo: null });
      }
    } else if (call === "zx_vmo_set_size") {
      const vmo = model.get(args[0])?.object;
      if (vmo !== undefined) this.#resizes.set(t, vmo);
    }
  }

  /**
   * A call of thread `t` returned `status`: what is wrong with it, or null. `pageSize`: the
   * program's page size, to which the kernel rounds a resize up.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    t: number,
    pageSize = 1,
  ): string | null {
    if (call === "zx_vmo_set_size") {
      const vmo = this.#resizes.get(t);
      this.#resizes.delete(t);
      const size = args[1];
      if (vmo === undefined || status !== ZX_OK || !whole(size)) return null;
      const made = Math.ceil(size / pageSize) * pageSize;
      // A resize of another VMO may resize this one too (a reference child shares its parent's
      // size): the cut is then no longer known.
      for (const p of this.#pins.values()) p.cutTo = p.vmo === vmo && made < p.end ? size : null;
      return null;
    }
    const zero = call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_ZERO;
    if (call !== "zx_bti_pin" && !zero) return null;
    const p = this.#pins.get(t);
    this.#pins.delete(t);
    if (p === undefined || status !== ZX_OK || p.cutTo === null) return null;
    for (const vmo of this.#resizes.values()) if (vmo === p.vmo) return null;
    return `returned ZX_OK, but a zx_vmo_set_size of its VMO to ${p.cutTo} bytes returned ZX_OK ` +
      `while it ran, below its range's end ${p.end}: a ${p.what} a resize cut is ` +
      `ZX_ERR_OUT_OF_RANGE (VmObjectPaged::${
        p.what === "pin" ? "CommitRangeInternal trims" : "ZeroRangeInternal checks"
      } the range on every pass)`;
  }
}
