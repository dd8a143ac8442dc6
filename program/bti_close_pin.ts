/**
 * A pin through a BTI that lost its last handle while the pin waited for its pages, judged by the
 * program contract from the program's own calls (not the kernel's record): a `zx_bti_pin` of a
 * fixed-size pager VMO that returns ZX_OK is wrong when the `zx_handle_close` of its BTI's last
 * handle had returned ZX_OK before any `zx_pager_supply_pages` covering some page of the pin's
 * range began.
 *
 * Upstream: `BusTransactionInitiatorDispatcher::Pin` pins the pages first
 * (`PinnedVmObject::Create`, which waits for the pager to supply an absent page), then takes the
 * BTI's lock and returns ZX_ERR_BAD_STATE if `zero_handles_` is set, which `on_zero_handles` sets
 * under that lock when the last handle closes, before the close returns
 * (zircon/kernel/object/bus_transaction_initiator_dispatcher.cc; the model's `btiPin` cites it @
 * misttech/fuchsia 3281dd6b). A page of a pager VMO the program never supplied is absent, and the
 * pin cannot have pinned it before a supply of it began; if that supply began after the close
 * returned, the lock check comes after `on_zero_handles` too. Judged only while sure: a VMO
 * made by `zx_pager_create_vmo` without ZX_VMO_RESIZABLE (a grown range is zeros no pager
 * supplies) whose handle no call but `zx_bti_pin` (as its VMO) and `zx_pager_supply_pages` (as
 * its destination) ever named (no mapping, child, op or duplicate could bring a page in another
 * way or hide the handle); a supply with arguments that are no whole numbers makes the VMO
 * unjudged. The BTI's handles are the handle model's: its last one is closed when no other open
 * handle names its object.
 *
 * @example
 * ```ts
 * import { BtiClosePin } from "./bti_close_pin.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import { ZX_OBJ_TYPE_BTI, ZX_OBJ_TYPE_VMO, ZX_OK } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(4, ZX_OBJ_TYPE_BTI);
 * model.create(5, ZX_OBJ_TYPE_VMO, 0, 1, 4096);
 * const r = new BtiClosePin();
 * r.end("zx_pager_create_vmo", [1, 0, 2, 0, 4096], ZX_OK, 5, model, 0);
 * r.start("zx_bti_pin", [4, 1, 5, 0, 4096], model, 0);
 * r.start("zx_handle_close", [4], model, 1);
 * r.end("zx_handle_close", [4], ZX_OK, 0, model, 1);
 * r.start("zx_pager_supply_pages", [1, 5, 0, 4096, 6, 0], model, 1);
 * console.assert(r.end("zx_bti_pin", [4, 1, 5, 0, 4096], ZX_OK, 7, model, 0) !== null);
 * ```
 *
 * @module
 */

import { ZX_OBJ_TYPE_BTI, ZX_OK, ZX_VMO_RESIZABLE } from "../kernel/constants.ts";
import type { HandleModel } from "./handle_model.ts";

/** True if `x` is a whole number in [0, 2^53). */
function whole(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** A pin in flight: its BTI's object, its VMO's handle and its range in pages. */
interface Pin {
  readonly bti: number;
  readonly vmo: number;
  readonly first: number;
  readonly end: number;
}

/** The rule, one per run: {@linkcode start} as a call begins, {@linkcode end} as it returns. */
export class BtiClosePin {
  /** Judged VMO handles: per page, the tick the first supply covering it began. */
  readonly #vmos = new Map<number, Map<number, number>>();
  /** BTI objects whose last handle a close ended, with the tick it ended. */
  readonly #closed = new Map<number, number>();
  /** Pins in flight, by program thread. */
  readonly #pins = new Map<number, Pin>();
  /** A counter of the calls' starts and ends the rule saw. */
  #tick = 0;

  /** A call of thread `t` begins with `args` resolved. */
  start(call: string, args: readonly unknown[], model: HandleModel, t: number, ps = 4096): void {
    this.#tick++;
    args.forEach((a, i) => {
      if (typeof a !== "number" || !this.#vmos.has(a)) return;
      const kept = (call === "zx_bti_pin" && i === 2) ||
        (call === "zx_pager_supply_pages" && i === 1);
      if (!kept) this.#vmos.delete(a);
    });
    if (call === "zx_pager_supply_pages" && typeof args[1] === "number") {
      const pages = this.#vmos.get(args[1]);
      const [offset, length] = [args[2], args[3]];
      if (pages === undefined) return;
      if (!whole(offset) || !whole(length)) {
        this.#vmos.delete(args[1]);
        return;
      }
      // Every page the range touches counts as supplied from now (more pages: fewer judged).
      for (let p = Math.floor(offset / ps); p < Math.ceil((offset + length) / ps); p++) {
        if (!pages.has(p)) pages.set(p, this.#tick);
        if (pages.size > 4096) {
          this.#vmos.delete(args[1]);
          return;
        }
      }
    }
    if (call === "zx_bti_pin" && typeof args[2] === "number" && this.#vmos.has(args[2])) {
      const bti = model.get(args[0]);
      const [offset, size] = [args[3], args[4]];
      if (bti !== undefined && whole(offset) && whole(size) && size > 0) {
        this.#pins.set(t, {
          bti: bti.object,
          vmo: args[2],
          first: Math.floor(offset / ps),
          end: Math.ceil((offset + size) / ps),
        });
      }
    }
  }

  /**
   * A call of thread `t` returned `status` (and `value`, a handle it made): what is wrong with it,
   * or null. The handle model is as it was before the call's effect on it.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    value: number,
    model: HandleModel,
    t: number,
  ): string | null {
    this.#tick++;
    if (call === "zx_pager_create_vmo" && status === ZX_OK && whole(value)) {
      const options = args[1];
      if (typeof options === "number" && (options & ZX_VMO_RESIZABLE) === 0) {
        this.#vmos.set(value, new Map());
      }
      return null;
    }
    if (call === "zx_handle_close" && status === ZX_OK) {
      const h = model.get(args[0]);
      if (h?.type !== ZX_OBJ_TYPE_BTI) return null;
      const others = model.open.some((o) => o !== args[0] && model.get(o)?.object === h.object);
      if (!others) this.#closed.set(h.object, this.#tick);
      return null;
    }
    if (call !== "zx_bti_pin") return null;
    const pin = this.#pins.get(t);
    this.#pins.delete(t);
    if (pin === undefined || status !== ZX_OK) return null;
    const closed = this.#closed.get(pin.bti);
    const pages = this.#vmos.get(pin.vmo);
    if (closed === undefined || pages === undefined || pin.end - pin.first > 4096) return null;
    for (let p = pin.first; p < pin.end; p++) {
      const began = pages.get(p);
      if (began !== undefined && began < closed) continue;
      return `returned ZX_OK, but its BTI's last handle was closed (ZX_OK) before any ` +
        `zx_pager_supply_pages of page ${p} of its range began: the pin could not pin that page ` +
        "before the close, and a pin that finds its BTI at zero handles once its pages are " +
        "pinned is ZX_ERR_BAD_STATE (BusTransactionInitiatorDispatcher::Pin, `zero_handles_`)";
    }
    return null;
  }
}
