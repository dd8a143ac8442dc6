/**
 * The program's own reference model of the handle table, kept apart from the
 * kernel's: which handle values a program holds, the object each names (by
 * a model id, not a koid), its type and rights. It predicts the status of
 * every handle lookup (BAD_HANDLE < WRONG_TYPE < ACCESS_DENIED, spec 1.5) and,
 * at the end, which handles the program still holds — so a kernel that
 * leaks, loses or mis-rights a handle disagrees with it.
 *
 * @module
 */

import {
  type Status,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_SUSPEND_TOKEN,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import { VmarModel } from "./vmar_model.ts";
import { PinHolds } from "./pin_holds.ts";

/** One handle the model says is open. */
export interface ModelHandle {
  /** The model's id of the object (the first handle value that named it). */
  readonly object: number;
  readonly type: number;
  readonly rights: number;
  /** For pager-backed VMOs: the model id of the pager that created it. */
  readonly pager: number | null;
  /**
   * For a VMO whose size cannot change (created without RESIZABLE or UNBOUNDED): the size it was
   * created with, in bytes as asked (the kernel rounds it up to whole pages); else undefined.
   */
  readonly fixedSize?: number;
  /**
   * For a child VMO (`zx_vmo_create_child`) whose size cannot change: the size it was made with,
   * in bytes as asked (run.ts `childFixedSize`). Apart from `fixedSize`, which the contract also
   * reads as "no pager backs it" (a clone of a pager VMO is backed by its root's pager).
   */
  readonly childSize?: number;
  /** For a VMO `zx_pager_create_vmo` made: whether it was made with `ZX_VMO_TRAP_DIRTY`. */
  readonly trapDirty?: boolean;
  /** The root VMAR (a duplicate of it too). */
  readonly rootVmar?: boolean;
  /**
   * For a VMO: whether it can be resized, as it was made (`ZX_VMO_RESIZABLE`, or
   * `ZX_VMO_CHILD_RESIZABLE` for a child); undefined where the model does not say (UNBOUNDED,
   * contiguous).
   */
  readonly resizable?: boolean;
  /**
   * For a VMO made by `zx_vmo_create_child` as a clone (SNAPSHOT_AT_LEAST_ON_WRITE or
   * SNAPSHOT_MODIFIED), not a slice or reference: a node of a pager VMO's clone chain (the only
   * VMOs the kernel clones, spec 6.1).
   */
  readonly clone?: boolean;
  /** For a program thread's handle: the thread's index in the program. */
  readonly thread?: number;
  /**
   * For a VMO that no pager backs and that cannot be discarded, as it was made: `plain` by
   * `zx_vmo_create` without DISCARDABLE, `contiguous` by `zx_vmo_create_contiguous` (its pages
   * committed by the kernel alone, so pinning them waits on nobody).
   */
  readonly anonymous?: "plain" | "contiguous";
}

/** More than any guard gap the kernel leaves after a placement (a page, at most 64 KiB). */
export const PLACEMENT_GUARD_BOUND = 2 ** 20;

/**
 * The default rights of a new object of each type, as the kernel hands them out. The port's,
 * VMO's, thread's and suspend token's are the model's own numbers, taken from upstream
 * `zircon/system/public/zircon/rights.h` (@ vsrinivas/fuchsia 04af9aa8), not from the kernel's
 * `constants.ts`: a kernel whose default rights were wrong was judged by its own wrong numbers.
 * `ZX_DEFAULT_PORT_RIGHTS` is `(ZX_RIGHTS_BASIC & ~ZX_RIGHT_WAIT) | ZX_RIGHTS_IO` = 0x800F;
 * VMO `ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_MAP | ZX_RIGHT_SIGNAL` =
 * 0xD0EF; thread `ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY | ZX_RIGHT_DESTROY |
 * ZX_RIGHT_SIGNAL | ZX_RIGHT_MANAGE_THREAD` = 0x4D2CF; suspend token `ZX_RIGHT_TRANSFER |
 * ZX_RIGHT_INSPECT` = 0x8002. The pager's (newer than that copy: ATTACH_VMO, MANAGE_VMO) and the
 * VMAR's (the model's root VMAR) stay the kernel's. `handle_model_test.ts` holds them equal.
 */
export const DEFAULT_RIGHTS: Readonly<Record<number, number>> = {
  [ZX_OBJ_TYPE_PAGER]: ZX_DEFAULT_PAGER_RIGHTS,
  [ZX_OBJ_TYPE_PORT]: 0x800F,
  [ZX_OBJ_TYPE_VMO]: 0xD0EF,
  [ZX_OBJ_TYPE_THREAD]: 0x4D2CF,
  [ZX_OBJ_TYPE_VMAR]: ZX_DEFAULT_VMAR_RIGHTS,
  [ZX_OBJ_TYPE_SUSPEND_TOKEN]: 0x8002,
};

/** The rights a duplicate or replacement asks for, or undefined if they are not a subset. */
export function subRights(have: number, want: unknown): number | undefined {
  if (typeof want !== "number") return undefined;
  if (want >>> 0 === ZX_RIGHT_SAME_RIGHTS) return have;
  if (!Number.isInteger(want) || ((want >>> 0) & ~have) !== 0) return undefined;
  return want >>> 0;
}

/** The reference handle table of one program run. */
export class HandleModel {
  readonly #open = new Map<number, ModelHandle>();
  /**
   * The signals of each event the program made (by model object id), as its `zx_object_signal`
   * calls cleared and set them (events take no other signals: nothing else changes them).
   */
  readonly eventSignals = new Map<number, number>();

  /** Handle values the model says are open, in the order they were opened. */
  get open(): readonly number[] {
    return [...this.#open.keys()];
  }

  /** The open handle with this value, if any. */
  get(handle: unknown): ModelHandle | undefined {
    return typeof handle === "number" ? this.#open.get(handle) : undefined;
  }

  /** The objects a call's arguments name through open handles, in argument order. */
  objectsNamed(args: readonly unknown[]): number[] {
    const out: number[] = [];
    for (const a of args) {
      const o = this.get(a)?.object;
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /**
   * A new object's first handle; a VMO no pager backs is `anonymous` (`plain` unless made
   * DISCARDABLE, or as `kind` says).
   */
  create(
    handle: number,
    type: number,
    options = 0,
    pager: number | null = null,
    size?: number,
    kind: "plain" | "contiguous" = "plain",
  ): void {
    const rights = DEFAULT_RIGHTS[type] |
      (type === ZX_OBJ_TYPE_VMO && (options & ZX_VMO_RESIZABLE) ? ZX_RIGHT_RESIZE : 0);
    const fixed = type === ZX_OBJ_TYPE_VMO && size !== undefined &&
      !(options & (ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED));
    const resizable = type === ZX_OBJ_TYPE_VMO && !(options & ZX_VMO_UNBOUNDED)
      ? { resizable: (options & ZX_VMO_RESIZABLE) !== 0 }
      : {};
    this.#open.set(handle, {
      object: handle,
      type,
      rights: rights >>> 0,
      pager,
      ...(fixed ? { fixedSize: size } : {}),
      ...resizable,
      ...(type === ZX_OBJ_TYPE_VMO && pager !== null
        ? { trapDirty: (options & ZX_VMO_TRAP_DIRTY) !== 0 }
        : {}),
      ...(type === ZX_OBJ_TYPE_VMO && pager === null && !(options & ZX_VMO_DISCARDABLE)
        ? { anonymous: kind }
        : {}),
    });
  }

  /**
   * An upper bound of how far the root VMAR's placements reach past its base, in bytes: every
   * region or mapping placed in it adds its offset (when SPECIFIC), its length and a guard
   * ({@linkcode PLACEMENT_GUARD_BOUND}); nothing is taken back. A placement the kernel makes
   * (not SPECIFIC) fits while this stays far under the root's span.
   */
  rootReach = 0;

  /** The program thread whose call is being predicted (null: none, e.g. in a unit test). */
  caller: number | null = null;

  /**
   * Program threads that can no longer be suspended: each returned from its last call, took a
   * fatal page fault, or was killed by a `zx_task_kill` that returned ZX_OK.
   */
  readonly threadsGone: Set<number> = new Set();

  /**
   * A `zx_bti_pin` has been made (started, whatever it returned): some pages may be pinned, so
   * a shrink may be BAD_STATE (spec 2.8.3). Never cleared.
   */
  pinsPossible = false;

  /**
   * A close or replace of a handle that may be a PMT's (the model's type PMT, or a handle it does
   * not know) has been started, whatever it returned: a token closed without `zx_pmt_unpin` may
   * sit in its BTI's quarantine for good, and `zx_bti_pin` on that BTI is BAD_STATE
   * (BusTransactionInitiatorDispatcher::Pin, bus_transaction_initiator_dispatcher.cc @
   * misttech/fuchsia 3281dd6b). Never cleared (the model has no `zx_bti_release_quarantine`).
   */
  quarantinePossible = false;

  /**
   * The BTI (its model object id) of each PMT handle a `zx_bti_pin` that returned ZX_OK handed
   * out, until a `zx_pmt_unpin` or `zx_handle_replace` of that handle starts (whatever it
   * returns): a close of it that returns ZX_OK then closes a token that was never unpinned.
   */
  readonly pmtBti: Map<number, number> = new Map();

  /**
   * BTIs whose quarantine surely holds a token: a PMT of theirs (`pmtBti`) had its last handle
   * closed with ZX_OK, never unpinned (`on_zero_handles` quarantines it for good, and the model
   * has no `zx_bti_release_quarantine`), so a pin on them is BAD_STATE once it has pinned
   * (BusTransactionInitiatorDispatcher::Pin, bus_transaction_initiator_dispatcher.cc @
   * misttech/fuchsia 3281dd6b). Never cleared.
   */
  readonly quarantined: Set<number> = new Set();

  /** The VMOs a pin may hold pages of (`program/pin_holds.ts`). */
  readonly pinHolds: PinHolds = new PinHolds();

  /**
   * Pins of an anonymous VMO, plain or contiguous (`zx_bti_pin` through a handle whose
   * `anonymous` is set, that returned ZX_OK), by the PMT handle value the pin handed out: the
   * VMO's model object id
   * and its pinned pages `[start, end)`. A record leaves as soon as a `zx_pmt_unpin`, close or
   * replace of that PMT handle starts, whatever it returns, so the pages a record covers are
   * surely pinned while it stands (such a pin never blocks: no pager backs the VMO).
   */
  readonly plainPins: Map<number, { object: number; start: number; end: number }> = new Map();

  /**
   * The size in bytes (whole pages) of each resizable plain anonymous VMO (`zx_vmo_create` with
   * RESIZABLE, not DISCARDABLE), by model object id, while the model knows it: from its create
   * and from each `zx_vmo_set_size` that returned ZX_OK; a set_size started drops it until it
   * returns ZX_OK (such a VMO's calls never block, so nothing changes it in between).
   */
  readonly vmoBytes: Map<number, number> = new Map();

  /**
   * The children each VMO was made with (`zx_vmo_create_child` that returned ZX_OK), by model
   * object id of the VMO named, in the order they were made: the child's own object ids.
   */
  readonly childrenMade: Map<number, number[]> = new Map();

  /** True if a pin the model surely knows holds a page of `object` in `[start, end)`. */
  surelyPinned(object: number, start: number, end: number): boolean {
    for (const p of this.plainPins.values()) {
      if (p.object === object && p.start < end && start < p.end) return true;
    }
    return false;
  }

  /**
   * A DECOMMIT (`zx_vmo_op_range` or `zx_vmar_op_range`) has been made (started, whatever it
   * returned): a contiguous VMO may have lent some of its frames. Never cleared.
   */
  decommitPossible = false;

  /**
   * Pager VMOs (model object ids) a `zx_pager_detach_vmo` was started on, whatever it returned:
   * from then on the model cannot say the VMO is still attached. Never cleared.
   */
  readonly detachStarted: Set<number> = new Set();

  /** Pager VMOs (model object ids) a `zx_pager_detach_vmo` detached (it returned ZX_OK). */
  readonly detached: Set<number> = new Set();

  /**
   * Pager VMOs (model object ids) that surely hold no page: made by `zx_pager_create_vmo`, and
   * named since by no call but a `zx_vmar_map` of them or a `zx_pager_detach_vmo`, no load or
   * store reached them through a mapping and no `zx_vmar_op_range` ran (nothing supplied,
   * committed, wrote or faulted a page in).
   */
  readonly pristine: Set<number> = new Set();

  /**
   * Whether the pager VMO `object` is surely `"detached"` (a detach of it returned ZX_OK), surely
   * `"attached"` (no detach of it was ever started: its pager is open while a pager handle is
   * looked up with it, and a VMO a handle names is alive), or `"unknown"` (a detach is in flight
   * or failed).
   */
  attachment(object: number): "attached" | "detached" | "unknown" {
    if (this.detached.has(object)) return "detached";
    return this.detachStarted.has(object) ? "unknown" : "attached";
  }

  /** A program thread's handle (`thread`: its index in the program). */
  createThread(handle: number, thread: number): void {
    this.create(handle, ZX_OBJ_TYPE_THREAD);
    this.#open.set(handle, { ...present(this.#open.get(handle), "a thread handle"), thread });
  }

  /** The program's picture of its address space (regions and mappings, by object id). */
  readonly vmars: VmarModel = new VmarModel();

  /** The program's handle to the root VMAR. */
  createRootVmar(handle: number): void {
    this.vmars.addRoot(handle);
    this.create(handle, ZX_OBJ_TYPE_VMAR);
    this.#open.set(handle, { ...present(this.#open.get(handle), "the root VMAR"), rootVmar: true });
  }

  /**
   * A new object with explicit rights (a child VMO: no pager, rights from its options; whether
   * it is resizable, when known, and whether it is a clone).
   */
  createWithRights(
    handle: number,
    type: number,
    rights: number,
    resizable?: boolean,
    clone = false,
    childSize?: number,
  ): void {
    this.#open.set(handle, {
      object: handle,
      type,
      rights: rights >>> 0,
      pager: null,
      ...(resizable === undefined ? {} : { resizable }),
      ...(clone ? { clone } : {}),
      ...(childSize === undefined ? {} : { childSize }),
    });
  }

  /** A second handle to the object `source` names. */
  alias(handle: number, source: ModelHandle, rights: number): void {
    this.#open.set(handle, { ...source, rights: rights >>> 0 });
  }

  /** The handle is gone (closed or replaced). */
  drop(handle: unknown): void {
    if (typeof handle === "number") this.#open.delete(handle);
  }

  /** True if any open handle names `object`. */
  hasObject(object: number): boolean {
    for (const h of this.#open.values()) if (h.object === object) return true;
    return false;
  }

  /** The status a lookup of `handle` as `type` (0: any type) with `rights` gives. */
  lookup(handle: unknown, type: number, rights: number): Status {
    const h = this.get(handle);
    if (h === undefined) return ZX_ERR_BAD_HANDLE;
    if (type !== 0 && h.type !== type) return ZX_ERR_WRONG_TYPE;
    return (h.rights & rights) >>> 0 === rights >>> 0 ? ZX_OK : ZX_ERR_ACCESS_DENIED;
  }
}
