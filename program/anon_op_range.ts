/**
 * The outcome of `zx_vmo_op_range` and `zx_vmar_op_range` past their argument checks, where
 * upstream Zircon decides it from the kind of VMO alone, predicted without the kernel model:
 * COMMIT, DECOMMIT and the eviction hints of anonymous VMOs, DECOMMIT of pager VMOs and clones.
 * A kernel that refuses one of them, sees a pin or a pager where none can be, or decommits
 * what upstream never does, fails the program contract.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_PREFETCH,
} from "../kernel/constants.ts";
import type { HandleModel, ModelHandle } from "./handle_model.ts";

/**
 * The status `zx_vmo_op_range(h, op, offset, length)` returns past the rights, u64 and range
 * checks (the range, widened to whole pages, within the VMO) where upstream Zircon decides it
 * and the model is sure of the VMO's state; else null (undecided). From upstream
 * (gnoliyil/fuchsia, zircon/kernel/vm):
 * - ALWAYS_NEED and DONT_NEED on an anonymous VMO (plain or contiguous): ZX_OK.
 *   `VmObjectPaged::HintRange` (vm_object_paged.cc @ 8d0e4b46) returns ZX_OK for a VMO whose
 *   root no pager can evict ("the kernel does not make any explicit guarantees on hints ...
 *   always free to ignore them"); a contiguous VMO's physical page provider evicts nothing.
 * - PREFETCH of an anonymous VMO: ZX_OK, through any handle with READ (the contract checks the
 *   right first). `VmObjectDispatcher::RangeOp` asks READ alone for it and calls
 *   `VmObjectPaged::PrefetchRange` (vm_object_dispatcher.cc @ misttech/fuchsia 0f631c7d), which
 *   past its range check asks the pager only for a root a user pager backs and otherwise returns
 *   `DecompressInRange`, which acts on compressed references alone (vm_object_paged.cc @
 *   misttech/fuchsia 5cc6b502): the model compresses nothing, so nothing can fail.
 * - COMMIT of an anonymous VMO: ZX_OK. Only the page allocator backs it (a contiguous VMO's
 *   pages are committed at creation, lent ones taken back); its only failure is NO_MEMORY,
 *   which the program runner excuses as injected (`mayFailAllocating`).
 * - DECOMMIT of a page-aligned range of a plain anonymous VMO: ZX_OK when no pin may hold a
 *   page of the range (`m.pinHolds`, program/pin_holds.ts: a pin holds only the pages it named,
 *   so a pin beside the range does not count) and no child was made of it
 *   (`m.childrenMade`: a slice shares its pages and could be pinned through its own handle; a
 *   snapshot puts a hidden parent above it upstream, which is NOT_SUPPORTED).
 *   `VmCowPages::DecommitRangeLocked` (vm_cow_pages.cc) is OUT_OF_RANGE past the end, ZX_OK
 *   for an empty range, NOT_SUPPORTED with a parent or a root page source, INVALID_ARGS
 *   unaligned, then `UnmapAndRemovePagesLocked` is BAD_STATE only over a pinned page, else
 *   ZX_OK. (A pinned page's BAD_STATE the contract already predicts.)
 * - DECOMMIT of a page-aligned range of a contiguous VMO, by the same rules: ZX_OK with no pin
 *   that may hold a page of the range and no child. `VmObjectPaged::DecommitRange`
 *   (vm_object_paged.cc @ gnoliyil/fuchsia 0ad2d850) is NOT_SUPPORTED for a contiguous VMO only
 *   while loaning is off (`pmm_physical_page_borrowing_config()->is_loaning_enabled()`); the
 *   programs run with it on (the World's kernel, `KernelOptions.pageLoaning` defaults to true),
 *   and then the range's pages go back to the physical page provider, BAD_STATE only over a
 *   pinned page (`AnyPagesPinnedLocked`; the contract predicts that BAD_STATE from
 *   `HandleModel.plainPins`, which holds a contiguous VMO's pins too).
 * - DECOMMIT of a non-empty range through a handle to a pager VMO or to a clone (of a pager
 *   VMO, the only VMOs the model clones): NOT_SUPPORTED, by the same function (a root page
 *   source, or a parent).
 *
 * @example
 * ```ts
 * import { HandleModel } from "./handle_model.ts";
 * import { vmoOpRangeOutcome } from "./anon_op_range.ts";
 * import { ZX_OBJ_TYPE_VMO, ZX_OK, ZX_VMO_OP_DECOMMIT } from "../kernel/constants.ts";
 * const m = new HandleModel();
 * m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 4096);
 * console.assert(vmoOpRangeOutcome(m.get(5), ZX_VMO_OP_DECOMMIT, 0, 4096, m, 4096) === ZX_OK);
 * ```
 */
export function vmoOpRangeOutcome(
  h: ModelHandle | undefined,
  op: unknown,
  offset: number,
  length: number,
  m: HandleModel,
  pageSize: number,
): Status | null {
  if (h === undefined) return null;
  if (op === ZX_VMO_OP_DECOMMIT && length > 0 && (h.pager !== null || h.clone === true)) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (h.anonymous === undefined) return null;
  if (
    op === ZX_VMO_OP_ALWAYS_NEED || op === ZX_VMO_OP_DONT_NEED || op === ZX_VMO_OP_COMMIT ||
    op === ZX_VMO_OP_PREFETCH
  ) return ZX_OK;
  if (op !== ZX_VMO_OP_DECOMMIT || offset % pageSize !== 0 || length % pageSize !== 0) return null;
  const [start, end] = [offset / pageSize, (offset + length) / pageSize];
  if (
    m.pinHolds.mayHold(h.object, start, end) || (m.childrenMade.get(h.object)?.length ?? 0) > 0
  ) return null;
  return ZX_OK;
}

/**
 * Whether `zx_vmar_op_range`'s VMO op `op` on one mapping's part of its range, where that part
 * lies inside the mapping's VMO `object`, a plain anonymous VMO of fixed size (the contract's
 * `plainWindow`), surely returns ZX_OK: the same upstream rules as {@linkcode
 * vmoOpRangeOutcome} (`VmAddressRegion::RangeOp` hands each mapping's part to its VMO's
 * `CommitRange`, `DecommitRange` or `HintRange`; vm_address_region.cc), with the part
 * page-aligned (the region's op checks alignment and rounds the length up; a mapping starts at
 * a page-aligned VMO offset).
 */
export function plainMappingOpCertain(op: unknown, object: number, m: HandleModel): boolean {
  if (op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_ALWAYS_NEED || op === ZX_VMAR_OP_DONT_NEED) {
    return true;
  }
  return op === ZX_VMAR_OP_DECOMMIT && !m.pinHolds.mayHold(object) &&
    (m.childrenMade.get(object)?.length ?? 0) === 0;
}

/**
 * Whether `zx_vmar_op_range(DECOMMIT)` is surely refused on a mapping of the VMO `object` whose
 * part `[vmoStart, vmoEnd)` of it the op names: an open handle of the program names `object` as
 * a pager VMO or a clone of one, of a size that cannot change (`fixedSize`, in pages of
 * `pageSize`) that holds the part. `VmAddressRegion::RangeOp` hands the mapping's part to its
 * VMO's `DecommitRange` (vm_address_region.cc), and `VmCowPages::DecommitRangeLocked` checks
 * the range against the size (OUT_OF_RANGE), then refuses a root page source or a parent with
 * NOT_SUPPORTED, as {@linkcode vmoOpRangeOutcome} predicts through a VMO handle.
 */
export function mappingDecommitRefused(
  m: HandleModel,
  object: number,
  vmoStart: number,
  vmoEnd: number,
  pageSize: number,
): boolean {
  for (const handle of m.open) {
    const h = m.get(handle);
    if (h?.object !== object || (h.pager === null && h.clone !== true)) continue;
    const size = h.fixedSize;
    if (size === undefined) continue;
    return vmoEnd > vmoStart && vmoEnd <= Math.ceil(size / pageSize) * pageSize;
  }
  return false;
}

/**
 * The VMO (model object id) a `zx_bti_pin` call names through `args[2]`, for
 * `PinHolds` (program/pin_holds.ts); undefined for any other call or a handle that names no VMO.
 */
export function pinnedVmo(
  m: HandleModel,
  call: string,
  args: readonly unknown[],
): number | undefined {
  const h = call === "zx_bti_pin" ? m.get(args[2]) : undefined;
  return h?.type === ZX_OBJ_TYPE_VMO ? h.object : undefined;
}
