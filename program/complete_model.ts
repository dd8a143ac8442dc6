/**
 * The ZX_PAGER_VMO_COMPLETE packets a program's pager VMOs owe their ports, from the program's
 * own calls: a port that only such VMOs use holds exactly the COMPLETEs owed, so a
 * `zx_port_wait` that times out while one is owed, or takes a packet none is owed for, is caught
 * without reading the kernel's pager proxies.
 *
 * Upstream: COMPLETE is "Sent when no more pager requests will be sent for the corresponding
 * VMO, either because of `zx_pager_detach_vmo()` or because no references to the VMO remain";
 * "If *pager* is closed, then no more packets will be delivered to *port* (including no
 * ZX_PAGER_VMO_COMPLETE message)" (pager_create_vmo.md). The VMO's last reference gone, its page
 * source closes and `PagerProxy::OnDetach` queues the COMPLETE at once; the pager's last handle
 * closed, `PagerProxy::OnDispatcherClose` cancels a COMPLETE still queued
 * (`port_->CancelQueued(&packet_)`): zircon/kernel/object/pager_proxy.cc @ gnoliyil/fuchsia
 * 4846ba14.
 *
 * The model judges only what it can be sure of. A pager VMO is *simple* while the only calls that
 * ever named its handle are `zx_vmo_op_range(ZX_VMO_OP_DONT_NEED)` hints and the
 * `zx_handle_close` that ends it: never mapped, cloned, read, pinned, duplicated or detached, so
 * its one handle is its only reference once no hint is in flight (a hint holds the VMO only
 * while it runs, `VmObjectDispatcher::RangeOp`, and asks no page of the pager), no request was
 * ever made of it, and closing that handle with no hint in flight ends it. A simple VMO may also be
 * supplied (`zx_pager_supply_pages` naming it and its own pager: a supply holds the VMO only
 * while it runs and sends no request) and pinned (`zx_bti_pin`) over pages ZX_OK supplies
 * surely filled, no hint having run on it (a read-only pin of present pages asks nothing of the
 * pager);
 * each pin holds the VMO until `zx_pmt_unpin` of its PMT returns ZX_OK ("the VMO is kept
 * alive by the pin", `PinnedMemoryTokenDispatcher`; `unpinToken` in the model): a VMO whose one
 * handle closed with pins outstanding and no hint in flight ends at the `zx_pmt_unpin` of its
 * last pin that returns ZX_OK, which owes its COMPLETE then (`PinnedMemoryTokenDispatcher::Unpin`
 * drops the VMO's last reference, pinned_memory_token_dispatcher.cc @ misttech/fuchsia
 * 3281dd6b), while a PMT handle named otherwise, or one closed before its unpin (quarantined),
 * leaves the VMO unjudged. A port is *watched* while every call naming it
 * is a `zx_pager_create_vmo` (as its port) or a `zx_port_wait` on it, every VMO made on it is
 * simple, and its pager's handle is named only by `zx_pager_create_vmo` and the `zx_handle_close`
 * that ends the pager. Handles are followed by number (a number that only looks like a handle
 * makes a VMO or pager unjudged: never a false alarm).
 *
 * A simple VMO may also be mapped (`zx_vmar_map` naming it as its VMO), when the model is given
 * the program's VMAR picture ({@linkcode CompleteLook}): only a VMO not TRAP_DIRTY whose every
 * page ZX_OK supplies surely filled, so no access through the mapping, nor a `zx_vmar_op_range`
 * COMMIT, PREFETCH, MAP_RANGE or ALWAYS_NEED over it, asks anything of the pager (programs have
 * no evictor). What could take a page back makes a mapped VMO unjudged: a DONT_NEED hint of it, a
 * `zx_vmar_op_range` of another op, any DECOMMIT (a contiguous VMO's lent frames, taken back, may
 * evict a borrower's clean page). A mapping holds its VMO until it is unmapped or overwritten
 * (`VmMapping::DestroyLocked`'s `object_.reset()`, zircon/kernel/vm/vm_mapping.cc @
 * misttech/fuchsia 59d70673; a `zx_vmar_op_range` holds the VMO only while it runs,
 * `VmAddressRegion::RangeOp`), so a mapped VMO whose one handle closed ends once the picture maps
 * it nowhere and no other thread has a call in flight (a call may hold it through an address, as
 * a fault or a user copy does): from the next `zx_port_wait` that finds it so, its COMPLETE is
 * owed. Until then a COMPLETE of its key taken from its port is no contradiction.
 *
 * A simple VMO may also be detached (`zx_pager_detach_vmo` naming its own pager, when it is not
 * mapped and no hint, supply or pin of it is in flight or outstanding): it is judged no more, but
 * the COMPLETE the detach queues at once (`PagerProxy::OnDetach`) is owed once the detach returns
 * ZX_OK (a port wait may take it while the detach runs), no second one follows its handle's close
 * (the page source is detached already), and the pager's close withdraws it while still queued,
 * as any other (`OnDispatcherClose`; pager_create_vmo.md's "no more packets ... including no
 * ZX_PAGER_VMO_COMPLETE message").
 *
 * @module
 */

import {
  type Status,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import type { CallName } from "./program.ts";

/** The `zx_vmar_op_range` ops that take no page away from a mapped VMO. */
const KEEPS_PAGES: readonly number[] = [
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_ALWAYS_NEED,
];

/** A simple pager VMO: its pager's handle, its port's handle and its key. */
interface SimpleVmo {
  readonly pager: number;
  readonly port: number;
  readonly key: number;
  /** `zx_pager_create_vmo`'s options and size. */
  readonly options: number;
  readonly size: number;
  /** The handle model's object, once a `zx_vmar_map` named the VMO (it may be mapped since). */
  mapped?: number;
}

/**
 * What the program knows of its address space, for mapped VMOs: the handle model's object a
 * handle names, and whether the program's VMAR picture still maps an object (undefined: it cannot
 * tell).
 */
export interface CompleteLook {
  objectOf(handle: number): number | undefined;
  mapsObject(object: number): boolean | undefined;
}

/** A mapped simple VMO whose one handle closed: it ends when its last mapping goes. */
interface Unmapping {
  readonly vmo: SimpleVmo;
  readonly object: number;
}

/** A watched port: the COMPLETEs owed to it, by key, and what was taken and withdrawn. */
interface Watched {
  /** Keys of the COMPLETEs queued and not taken nor withdrawn, oldest first. */
  readonly owed: { key: number; pager: number }[];
  taken: number;
  withdrawn: number;
}

/** A `zx_port_wait` in progress on a watched port. */
interface OpenWait {
  readonly port: number;
  readonly ahead: number;
  readonly takenAt: number;
  readonly withdrawnAt: number;
}

/**
 * The COMPLETEs each watched port holds, judged at every `zx_port_wait` on it.
 *
 * @example
 * ```ts
 * import { CompleteModel } from "./complete_model.ts";
 * const m = new CompleteModel();
 * // The program made the pager (1) and the port (2): only those are watched.
 * m.start("zx_pager_create", [0], 0);
 * m.end("zx_pager_create", [0], { status: 0, value: 1, packet: null }, 0);
 * m.start("zx_port_create", [0], 0);
 * m.end("zx_port_create", [0], { status: 0, value: 2, packet: null }, 0);
 * m.start("zx_pager_create_vmo", [1, 0, 2, 7, 64], 0);
 * m.end("zx_pager_create_vmo", [1, 0, 2, 7, 64], { status: 0, value: 3, packet: null }, 0);
 * m.start("zx_handle_close", [3], 0);
 * m.end("zx_handle_close", [3], { status: 0, value: 0, packet: null }, 0);
 * m.start("zx_port_wait", [2, 0], 0);
 * console.assert(m.end("zx_port_wait", [2, 0], { status: -21, value: 0, packet: null }, 0) !== undefined);
 * ```
 */
export class CompleteModel {
  /** Simple pager VMOs by handle number. */
  readonly #vmos = new Map<number, SimpleVmo>();
  /** Watched ports by handle number (absent: never made a VMO on, or unwatched). */
  readonly #ports = new Map<number, Watched>();
  /**
   * Handles a `zx_pager_create` or `zx_port_create` of the program made and no call but the
   * ones the model follows named since: each is the only handle to its object.
   */
  readonly #fresh = new Set<number>();
  /** Per thread, its `zx_port_wait` in progress on a watched port. */
  readonly #open = new Map<number, OpenWait>();
  /** Per simple VMO's handle, its DONT_NEED hints, supplies and pins in flight. */
  readonly #hints = new Map<number, number>();
  /** Per thread, the simple VMO handle its DONT_NEED hint, supply or pin in flight names. */
  readonly #hinting = new Map<number, number>();
  /** Per simple VMO's handle, the byte ranges ZX_OK supplies filled (none after a hint). */
  readonly #supplied = new Map<number, [number, number][]>();
  /** Per simple VMO's handle, its pins not yet unpinned. */
  readonly #pins = new Map<number, number>();
  /** Each PMT handle a pin of a simple VMO made, with that VMO's handle. */
  readonly #pmts = new Map<number, number>();
  /**
   * Each PMT handle of a simple VMO whose last handle closed while it was pinned, with that VMO
   * and how many of its pins are left: the last unpin ends it (its COMPLETE is owed then).
   */
  readonly #orphans = new Map<number, { readonly vmo: SimpleVmo; pins: number }>();
  /** Mapped simple VMOs closed while their mappings may still hold them. */
  readonly #unmapping: Unmapping[] = [];
  /**
   * Per thread, the simple VMO its `zx_pager_detach_vmo` in flight detaches (no longer simple:
   * its COMPLETE is owed once the detach returns ZX_OK), and whether a port wait took that
   * COMPLETE while the detach ran.
   */
  readonly #detaching = new Map<number, { readonly vmo: SimpleVmo; taken: boolean }>();
  /** Threads with a call in flight, memory accesses included. */
  readonly #busy = new Set<number>();
  /** A DECOMMIT started: a contiguous VMO may lend frames, so a mapped page may be evicted. */
  #lending = false;
  readonly #look: CompleteLook | undefined;

  /** `look`: the program's VMAR picture; without it a mapped VMO is unjudged. */
  constructor(look?: CompleteLook) {
    this.#look = look;
  }

  /** Every mapped simple VMO, open or closed, is judged no more (a page may leave it). */
  #loseMapped(): void {
    for (const [h, v] of this.#vmos) {
      if (v.mapped === undefined) continue;
      this.#vmos.delete(h);
      this.#unwatch(v.port);
    }
    for (const u of this.#unmapping.splice(0)) this.#unwatch(u.vmo.port);
  }

  /** Thread `tid` starts (or, `done`, ends) a memory access through a mapping. */
  memory(tid: number, done: boolean): void {
    if (done) this.#busy.delete(tid);
    else this.#busy.add(tid);
  }

  /** Orphaned pinned VMOs of `pager`, or all whose port is `port`, are judged no more. */
  #loseOrphans(test: (v: SimpleVmo) => boolean, unwatch: boolean): void {
    for (const [pmt, o] of this.#orphans) {
      if (!test(o.vmo)) continue;
      this.#orphans.delete(pmt);
      if (unwatch) this.#unwatch(o.vmo.port);
    }
  }

  #unwatch(port: number): void {
    this.#ports.delete(port);
    this.#fresh.delete(port);
  }

  /** Whether ZX_OK supplies of simple VMO `h` surely filled `[offset, offset + size)`. */
  #filled(h: number, offset: unknown, size: unknown): boolean {
    if (typeof offset !== "number" || typeof size !== "number" || size <= 0) return false;
    let at = offset;
    const end = offset + size;
    // Grow `at` over the supplied ranges until none extends it (a handful of ranges at most).
    for (let moved = true; moved && at < end;) {
      moved = false;
      for (const [a, b] of this.#supplied.get(h) ?? []) {
        if (a <= at && at < b) {
          at = b;
          moved = true;
        }
      }
    }
    return at >= end;
  }

  /** A pager handle named otherwise: every port one of its VMOs uses is unwatched. */
  #losePager(pager: number): void {
    this.#fresh.delete(pager);
    this.#loseOrphans((v) => v.pager === pager, true);
    for (let i = this.#unmapping.length - 1; i >= 0; i--) {
      const u = this.#unmapping[i];
      if (u.vmo.pager !== pager) continue;
      this.#unmapping.splice(i, 1);
      this.#unwatch(u.vmo.port);
    }
    for (const [h, v] of this.#vmos) {
      if (v.pager === pager) {
        this.#unwatch(v.port);
        this.#vmos.delete(h);
      }
    }
    for (const [port, w] of this.#ports) {
      if (w.owed.some((o) => o.pager === pager)) this.#unwatch(port);
    }
    this.#loseDetaching(pager);
  }

  /** Detaches in flight of `pager`'s VMOs are judged no more, nor are their ports. */
  #loseDetaching(pager: number): void {
    for (const [tid, d] of this.#detaching) {
      if (d.vmo.pager !== pager) continue;
      this.#detaching.delete(tid);
      this.#unwatch(d.vmo.port);
    }
  }

  /**
   * The handle model's object of simple VMO `h` when a mapping of it can ask nothing of the
   * pager: not TRAP_DIRTY, every page filled by ZX_OK supplies, no hint in flight, nothing lent.
   */
  #mappable(h: number): number | undefined {
    const v = this.#vmos.get(h);
    if (
      v === undefined || this.#look === undefined || this.#lending ||
      (v.options & ZX_VMO_TRAP_DIRTY) !== 0 || (this.#hints.get(h) ?? 0) > 0 ||
      !this.#filled(h, 0, v.size)
    ) return undefined;
    return this.#look.objectOf(h);
  }

  /**
   * The closed mapped VMOs that surely ended (the picture maps them nowhere, and no thread but
   * `tid` has a call in flight) owe their COMPLETEs now.
   */
  #unmapped(tid: number): void {
    if (this.#look === undefined) return;
    for (const t of this.#busy) if (t !== tid) return;
    for (let i = this.#unmapping.length - 1; i >= 0; i--) {
      const u = this.#unmapping[i];
      if (this.#look.mapsObject(u.object) !== false) continue;
      this.#unmapping.splice(i, 1);
      this.#ports.get(u.vmo.port)?.owed.push({ key: u.vmo.key, pager: u.vmo.pager });
    }
  }

  /** A call of thread `tid` starts with `args` resolved. */
  start(call: CallName, args: readonly unknown[], tid: number): void {
    this.#busy.add(tid);
    if (
      (call === "zx_vmo_op_range" || call === "zx_vmar_op_range") &&
      args[1] === ZX_VMO_OP_DECOMMIT
    ) this.#lending = true;
    if (
      this.#lending || (call === "zx_vmar_op_range" && !KEEPS_PAGES.includes(args[1] as number))
    ) this.#loseMapped();
    const hint = call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_DONT_NEED;
    const mapping = call === "zx_vmar_map" && typeof args[3] === "number"
      ? this.#mappable(args[3])
      : undefined;
    const own = typeof args[1] === "number" ? this.#vmos.get(args[1]) : undefined;
    const supply = call === "zx_pager_supply_pages" && own !== undefined && own.pager === args[0];
    // A read-only pin: a write pin of a TRAP_DIRTY VMO would ask for DIRTY first.
    const pin = call === "zx_bti_pin" && typeof args[1] === "number" &&
      (args[1] & ZX_BTI_PERM_WRITE) === 0 && typeof args[2] === "number" &&
      this.#vmos.has(args[2]) && this.#filled(args[2], args[3], args[4]);
    // A detach of an unmapped simple VMO by its own pager with nothing of it in flight: the VMO
    // is judged no more, but the COMPLETE the detach queues is (`PagerProxy::OnDetach`), and so
    // is its withdrawal when the pager closes before it is taken (`OnDispatcherClose`).
    const detach = call === "zx_pager_detach_vmo" && own !== undefined &&
      own.pager === args[0] && own.mapped === undefined &&
      (this.#hints.get(args[1] as number) ?? 0) === 0 &&
      (this.#pins.get(args[1] as number) ?? 0) === 0;
    if (detach) {
      this.#vmos.delete(args[1] as number);
      this.#detaching.set(tid, { vmo: own, taken: false });
    }
    if (hint && typeof args[0] === "number") this.#supplied.delete(args[0]);
    if (hint && typeof args[0] === "number" && this.#vmos.get(args[0])?.mapped !== undefined) {
      // A hint may take a page of a mapped VMO away: an access through the mapping asks again.
      this.#unwatch(this.#vmos.get(args[0])?.port ?? 0);
      this.#vmos.delete(args[0]);
    }
    args.forEach((a, i) => {
      if (typeof a !== "number") return;
      if (mapping !== undefined && i === 3) {
        const v = this.#vmos.get(a);
        if (v !== undefined) v.mapped = mapping;
        return;
      }
      if (((hint && i === 0) || (supply && i === 1) || (pin && i === 2)) && this.#vmos.has(a)) {
        this.#hints.set(a, (this.#hints.get(a) ?? 0) + 1);
        this.#hinting.set(tid, a);
        return;
      }
      const orphan = this.#orphans.get(a);
      if (orphan !== undefined && !(call === "zx_pmt_unpin" && i === 0)) {
        // An orphan's PMT named otherwise (closed before its unpin: its pin kept for good).
        this.#orphans.delete(a);
        this.#unwatch(orphan.vmo.port);
      }
      const pmtOf = this.#pmts.get(a);
      if (pmtOf !== undefined && !(call === "zx_pmt_unpin" && i === 0)) {
        // A PMT named otherwise (closed before its unpin: quarantined, its pin kept).
        this.#pmts.delete(a);
        const v = this.#vmos.get(pmtOf);
        if (v !== undefined) {
          this.#vmos.delete(pmtOf);
          this.#unwatch(v.port);
        }
      }
      const allowed = (call === "zx_pager_create_vmo" && (i === 0 || i === 2)) ||
        (call === "zx_port_wait" && i === 0) || (call === "zx_handle_close" && i === 0) ||
        (supply && i === 0) || (detach && i === 0) ||
        (call === "zx_pmt_unpin" && i === 0 && (pmtOf !== undefined || orphan !== undefined));
      const vmo = this.#vmos.get(a);
      if (vmo !== undefined && !(call === "zx_handle_close" && i === 0)) {
        this.#vmos.delete(a);
        this.#unwatch(vmo.port);
      }
      if (allowed && !(call === "zx_handle_close" && this.#ports.has(a))) return;
      this.#fresh.delete(a);
      if (this.#ports.has(a)) this.#unwatch(a);
      if (
        [...this.#vmos.values()].some((v) => v.pager === a) ||
        [...this.#orphans.values()].some((o) => o.vmo.pager === a)
      ) this.#losePager(a);
      for (const w of this.#ports.values()) {
        if (w.owed.some((o) => o.pager === a)) this.#losePager(a);
      }
    });
    if (call === "zx_port_wait" && typeof args[0] === "number") {
      this.#unmapped(tid);
      const w = this.#ports.get(args[0]);
      if (w !== undefined) {
        this.#open.set(tid, {
          port: args[0],
          ahead: w.owed.length,
          takenAt: w.taken,
          withdrawnAt: w.withdrawn,
        });
      }
    }
  }

  /** The call of thread `tid` returned `result`; says why a port wait contradicts the model. */
  end(
    call: CallName,
    args: readonly unknown[],
    result: { readonly status: Status; readonly value: number; readonly packet: unknown },
    tid: number,
  ): string | undefined {
    this.#busy.delete(tid);
    const holds = call === "zx_vmo_op_range" || call === "zx_pager_supply_pages" ||
      call === "zx_bti_pin";
    const hinted = holds ? this.#hinting.get(tid) : undefined;
    if (hinted !== undefined) {
      this.#hinting.delete(tid);
      this.#hints.set(hinted, (this.#hints.get(hinted) ?? 1) - 1);
      if (result.status === ZX_OK && call === "zx_pager_supply_pages") {
        const [offset, length] = [args[2], args[3]];
        if (typeof offset === "number" && typeof length === "number" && length > 0) {
          const ranges = this.#supplied.get(hinted) ?? [];
          ranges.push([offset, offset + length]);
          this.#supplied.set(hinted, ranges);
        }
      }
      if (result.status === ZX_OK && call === "zx_bti_pin" && this.#vmos.has(hinted)) {
        this.#pins.set(hinted, (this.#pins.get(hinted) ?? 0) + 1);
        this.#pmts.set(result.value, hinted);
      }
      return undefined;
    }
    if (call === "zx_pager_detach_vmo") {
      const d = this.#detaching.get(tid);
      this.#detaching.delete(tid);
      if (d === undefined) return undefined;
      if (result.status !== ZX_OK) this.#unwatch(d.vmo.port);
      else if (!d.taken) {
        this.#ports.get(d.vmo.port)?.owed.push({ key: d.vmo.key, pager: d.vmo.pager });
      }
      return undefined;
    }
    if (call === "zx_pmt_unpin" && typeof args[0] === "number") {
      const orphan = this.#orphans.get(args[0]);
      if (orphan !== undefined && result.status === ZX_OK) {
        // The VMO's last reference was this pin: the unpin ends it, and its COMPLETE is queued
        // (`PinnedMemoryTokenDispatcher::Unpin` drops its `PinnedVmObject`, the VMO's last
        // RefPtr: zircon/kernel/object/pinned_memory_token_dispatcher.cc @ misttech/fuchsia
        // 3281dd6b).
        this.#orphans.delete(args[0]);
        if (--orphan.pins === 0) {
          this.#ports.get(orphan.vmo.port)?.owed.push({
            key: orphan.vmo.key,
            pager: orphan.vmo.pager,
          });
        }
      }
      const vmo = this.#pmts.get(args[0]);
      if (vmo !== undefined && result.status === ZX_OK) {
        this.#pmts.delete(args[0]);
        this.#pins.set(vmo, (this.#pins.get(vmo) ?? 1) - 1);
      }
      return undefined;
    }
    if ((call === "zx_pager_create" || call === "zx_port_create") && result.status === ZX_OK) {
      this.#fresh.add(result.value);
      return undefined;
    }
    if (call === "zx_pager_create_vmo" && result.status === ZX_OK) {
      const [pager, options, port, key, size] = args;
      if (
        typeof pager === "number" && typeof port === "number" && typeof key === "number" &&
        typeof options === "number" && typeof size === "number" &&
        this.#fresh.has(port) && this.#fresh.has(pager)
      ) {
        this.#vmos.set(result.value, { pager, port, key, options, size });
        if (!this.#ports.has(port)) this.#ports.set(port, { owed: [], taken: 0, withdrawn: 0 });
      } else if (typeof port === "number") this.#unwatch(port);
      return undefined;
    }
    if (call === "zx_handle_close" && typeof args[0] === "number") {
      const h = args[0];
      const vmo = this.#vmos.get(h);
      // A hint, supply or pin still running holds the VMO, and so does a pin not unpinned: it
      // ends when they are over, not here. So may a mapping: it ends when the last one goes.
      if (vmo?.mapped !== undefined && result.status === ZX_OK) {
        this.#vmos.delete(h);
        if ((this.#hints.get(h) ?? 0) === 0 && (this.#pins.get(h) ?? 0) === 0) {
          this.#unmapping.push({ vmo, object: vmo.mapped });
        } else this.#unwatch(vmo.port);
      } else if (
        vmo !== undefined && result.status === ZX_OK && (this.#hints.get(h) ?? 0) === 0 &&
        (this.#pins.get(h) ?? 0) === 0
      ) {
        this.#vmos.delete(h);
        // Its pager is open while one of its simple VMOs or a judged COMPLETE names its handle.
        this.#ports.get(vmo.port)?.owed.push({ key: vmo.key, pager: vmo.pager });
      } else if (
        vmo !== undefined && result.status === ZX_OK && (this.#hints.get(h) ?? 0) === 0
      ) {
        // Closed while pinned: its pins hold it, and the last unpin ends it.
        const orphan = { vmo, pins: this.#pins.get(h) ?? 0 };
        for (const [pmt, vh] of this.#pmts) {
          if (vh !== h) continue;
          this.#pmts.delete(pmt);
          this.#orphans.set(pmt, orphan);
        }
        this.#pins.delete(h);
        this.#vmos.delete(h);
      } else if (vmo !== undefined) {
        this.#vmos.delete(h);
        this.#unwatch(vmo.port);
      }
      if (result.status === ZX_OK) {
        this.#fresh.delete(h);
        // A pager closed: the COMPLETEs of its VMOs still queued are withdrawn, and its VMOs
        // still alive are detached without one.
        for (const w of this.#ports.values()) {
          const before = w.owed.length;
          const kept = w.owed.filter((o) => o.pager !== h);
          w.owed.length = 0;
          w.owed.push(...kept);
          w.withdrawn += before - kept.length;
        }
        for (const [vh, v] of this.#vmos) if (v.pager === h) this.#vmos.delete(vh);
        for (let i = this.#unmapping.length - 1; i >= 0; i--) {
          if (this.#unmapping[i].vmo.pager === h) this.#unmapping.splice(i, 1);
        }
        // Its orphaned pinned VMOs detach without a COMPLETE when their pins end.
        this.#loseOrphans((v) => v.pager === h, false);
        // A detach of one of its VMOs still in flight may have queued its COMPLETE or not.
        this.#loseDetaching(h);
      }
      return undefined;
    }
    if (call !== "zx_port_wait") return undefined;
    const open = this.#open.get(tid);
    this.#open.delete(tid);
    if (open === undefined) return undefined;
    const w = this.#ports.get(open.port);
    if (w === undefined) return undefined;
    if (result.status === ZX_OK) {
      const p = result.packet as
        | { type?: unknown; key?: unknown; status?: unknown; command?: unknown }
        | null;
      const at = w.owed.findIndex((o) => o.key === p?.key);
      const ending = this.#unmapping.findIndex((u) =>
        u.vmo.port === open.port && u.vmo.key === p?.key
      );
      const complete = p?.type === ZX_PKT_TYPE_PAGE_REQUEST && p.status === ZX_OK &&
        p.command === ZX_PAGER_VMO_COMPLETE;
      const detaching = [...this.#detaching.values()].find((d) =>
        !d.taken && d.vmo.port === open.port && d.vmo.key === p?.key
      );
      if (at < 0 && complete && detaching !== undefined) {
        // The COMPLETE of a detach still running: queued before the detach returned.
        detaching.taken = true;
        return undefined;
      }
      if (
        at < 0 && ending >= 0 && p?.type === ZX_PKT_TYPE_PAGE_REQUEST && p.status === ZX_OK &&
        p.command === ZX_PAGER_VMO_COMPLETE
      ) {
        // A closed mapped VMO whose last mapping went while the model could not be sure.
        this.#unmapping.splice(ending, 1);
        return undefined;
      }
      if (
        p === null || p.type !== ZX_PKT_TYPE_PAGE_REQUEST || p.status !== ZX_OK ||
        p.command !== ZX_PAGER_VMO_COMPLETE || at < 0
      ) {
        return `handed back ${JSON.stringify(p)}, but port ${open.port} held only the ` +
          `ZX_PAGER_VMO_COMPLETE packets of keys [${w.owed.map((o) => o.key).join(", ")}] ` +
          "(its pager VMOs were only ever closed or detached; a pager closed first withdraws them)";
      }
      w.owed.splice(at, 1);
      w.taken++;
      return undefined;
    }
    const left = open.ahead - (w.taken - open.takenAt) - (w.withdrawn - open.withdrawnAt);
    if (result.status === ZX_ERR_TIMED_OUT && left > 0) {
      return `returned ZX_ERR_TIMED_OUT, but port ${open.port} held ${left} ZX_PAGER_VMO_COMPLETE ` +
        "packet(s) when it started: a pager VMO's last handle was closed while its pager was open";
    }
    return undefined;
  }
}
