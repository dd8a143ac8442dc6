/**
 * What each call may return: the allowed-status table per call (the
 * syscall table's error rows, from spec 2.1-2.5, 2.8 and
 * kernel/kernel_errors_test.ts; blocking calls also the pager error codes of
 * spec 4.3, and so does a call given a user buffer, whose copy through a
 * mapping may fault, park and fail, or be INVALID_ARGS for an unmapped or
 * forbidden address), and the exact status the handle model predicts when a check it
 * can decide fails first (the table's lookups in argument order, K27).
 *
 * @module
 */

import {
  type Status,
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_EVENT_SIGNALED,
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_ALL,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_COMPACT,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_EXECUTE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
  ZX_WAIT_ASYNC_ONCE,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from "../kernel/constants.ts";
import { spec } from "../kernel/syscalls.ts";
import { REFERENCE_ALLOCATING } from "../properties/_reference_allocating.ts";
import { UPSTREAM_FAIL_CODES } from "../properties/_zx_status.ts";
import { CALL_NAMES, type CallName, CALLS } from "./program.ts";
import {
  type HandleModel,
  type ModelHandle,
  PLACEMENT_GUARD_BOUND,
  subRights,
} from "./handle_model.ts";
import type { ModelMapping, ModelRegion } from "./vmar_model.ts";
import {
  mappingDecommitRefused,
  plainMappingOpCertain,
  vmoOpRangeOutcome,
} from "./anon_op_range.ts";

/** Errors a pager-backed access can surface (spec 4.3; SHOULD_WAIT in fail-instead-of-block mode). */
export const PAGER_ERRORS: readonly Status[] = [
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
];

/** The statuses each call may return (before the pager errors of blocking calls): the table's. */
export const ALLOWED: Readonly<Partial<Record<CallName, readonly Status[]>>> = Object.fromEntries(
  CALL_NAMES.filter((name) => spec(name).result !== "none").map((name) => [
    name,
    [ZX_OK, ...spec(name).errors],
  ]),
);

/** Synthetic codes a fatal page fault may carry (spec 4.3; unmapped, read-only, shrunk). */
export const FAULT_CODES: readonly Status[] = [
  ZX_ERR_NOT_FOUND,
  ZX_ERR_ACCESS_DENIED,
  ...PAGER_ERRORS.filter((s) => s !== ZX_ERR_SHOULD_WAIT),
];

/**
 * What a user copy adds to a call's statuses: the copy to or from an unmapped address, or one the
 * mapping does not permit, is INVALID_ARGS, one past the end of a shrunk VMO OUT_OF_RANGE
 * (`VmoPages.userCopy`), and a fault the pager fails or times out returns its pager error.
 */
export const USER_COPY_ERRORS: readonly Status[] = [
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ...PAGER_ERRORS,
];

/**
 * True if `status` is one the spec allows `call` to return; `userBuffer`: the call was given a
 * user buffer, so its copy may fault and park (`zx_object_get_info` blocks only then).
 *
 * @example
 * ```ts
 * import { allowed } from "./contract.ts";
 * import { ZX_ERR_IO } from "../kernel/constants.ts";
 * console.assert(!allowed("zx_object_get_info", ZX_ERR_IO));
 * console.assert(allowed("zx_object_get_info", ZX_ERR_IO, true));
 * ```
 */
export function allowed(call: CallName, status: Status, userBuffer = false): boolean {
  const statuses = ALLOWED[call];
  if (statuses === undefined) return false;
  return statuses.includes(status) || (CALLS[call].blocking && PAGER_ERRORS.includes(status)) ||
    (userBuffer && USER_COPY_ERRORS.includes(status));
}

function isU64(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 2 ** 64;
}

/**
 * What a check decides: the one status the call must return, a set of statuses it may return
 * (one of them, none other), or nothing (null).
 */
type Outcome = Status | readonly Status[] | null;

type Check = (args: readonly unknown[], model: HandleModel, pageSize: number) => Outcome;

function isAligned(x: unknown, pageSize: number): boolean {
  return isU64(x) && x % pageSize === 0;
}

/** An option word the checks below can read: an integer in `[0, 2^32)`, else `undefined`. */
function optionWord(x: unknown): number | undefined {
  return Number.isInteger(x) && (x as number) >= 0 && (x as number) < 2 ** 32
    ? x as number
    : undefined;
}

/**
 * The statuses `ZX_PAGER_OP_FAIL` takes as `data` (zx_pager_op_range.md: "ZX_ERR_IO,
 * ZX_ERR_IO_DATA_INTEGRITY, ZX_ERR_BAD_STATE, ZX_ERR_NO_SPACE, ZX_ERR_BUFFER_TOO_SMALL"),
 * written from the page, numbered by errors.h (`UPSTREAM_FAIL_CODES`), not the kernel's
 * constants: a renumbered code is refused by a kernel that numbers it so.
 */
const OP_FAIL_DATA: readonly Status[] = UPSTREAM_FAIL_CODES;

/** A VMO's size in bytes when it cannot change: its creation size rounded up to whole pages. */
function fixedBytes(h: ModelHandle | undefined, pageSize: number): number | undefined {
  return pageBytes(h?.fixedSize, pageSize);
}

/** `size` in bytes rounded up to whole pages, if it is a u64; else undefined. */
function pageBytes(size: number | undefined, pageSize: number): number | undefined {
  return size === undefined || !isU64(size) ? undefined : Math.ceil(size / pageSize) * pageSize;
}

/**
 * A read or write of `length` bytes at `offset` of a VMO of `size` bytes (undefined: it may
 * change): OUT_OF_RANGE past the end, ZX_OK when empty, else undecided.
 */
function rangeOutcome(size: number | undefined, offset: number, length: number): Status | null {
  if (size === undefined) return null;
  if (offset + length > size) return ZX_ERR_OUT_OF_RANGE;
  return length === 0 ? ZX_OK : null;
}

/** A `uint32_t` argument, given as a 32-bit integer either signed or not: its bits, else `undefined`. */
function u32(x: unknown): number | undefined {
  return Number.isInteger(x) && (x as number) >= -(2 ** 31) && (x as number) < 2 ** 32
    ? (x as number) >>> 0
    : undefined;
}

/**
 * The user signals a handle's object takes from `zx_object_signal` (zx_object_signal.md: every
 * object the eight user signals, an event ZX_EVENT_SIGNALED too), for the two object types the
 * model signals; `undefined` for the others.
 */
function signalable(type: number | undefined): number | undefined {
  if (type === ZX_OBJ_TYPE_EVENT) return (ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED) >>> 0;
  return type === ZX_OBJ_TYPE_VMO ? ZX_USER_SIGNAL_ALL >>> 0 : undefined;
}

/**
 * An object upstream cannot wait on that the model's handles may still name with WAIT: a VMAR.
 * Upstream its handles never carry WAIT (`ZX_DEFAULT_VMAR_RIGHTS` is `(ZX_RIGHTS_BASIC &
 * (~ZX_RIGHT_WAIT)) | ZX_RIGHT_OP_CHILDREN`, zircon/system/public/zircon/rights.h @
 * misttech/fuchsia 52435622: the lookup is ACCESS_DENIED) and its dispatcher is not waitable
 * (`SoloDispatcher::is_waitable()` is `default_rights() & ZX_RIGHT_WAIT`, and
 * `Dispatcher::AddObserver` (`zx_object_wait_one`) and `PortDispatcher::MakeObserver`
 * (`zx_object_wait_async`) each return ZX_ERR_NOT_SUPPORTED for an object that is not: object/
 * dispatcher.cc, port_dispatcher.cc). The model's VMAR handles
 * carry WAIT (kernel/constants.ts), so past their lookup the one answer upstream could give is
 * NOT_SUPPORTED: never a wait that parks, times out or is made. (A thread, waitable upstream,
 * is NOT_SUPPORTED in the model, which signals no thread: left open.)
 */
function unwaitable(type: number | undefined): boolean {
  return type === ZX_OBJ_TYPE_VMAR;
}

/** How far the root VMAR's placements may reach for a new region in it to be decided: 2^46 of 2^47. */
const ROOT_VMAR_DECIDED = 2 ** 46;

/**
 * Whether a region or mapping of `length` bytes that the kernel places (not SPECIFIC) in the VMAR
 * behind `handle` surely fits: the handle names the root VMAR (every CAN_MAP flag, 2^47 bytes),
 * what the program placed there reaches (`rootReach`) far under its span, and the handle table
 * is far from its limit.
 */
function fitsInRoot(m: HandleModel, handle: unknown, length: number): boolean {
  return m.get(handle)?.rootVmar === true &&
    m.rootReach + length + PLACEMENT_GUARD_BOUND <= ROOT_VMAR_DECIDED && m.open.length < 1024;
}

/** Pages a child may span for {@linkcode childOfPagerRoot} to decide it (far under the limits). */
const CHILD_PAGES_DECIDED = 1024;

/**
 * `zx_vmo_create_child` of a pager-backed root VMO (the handle model's `pager` set) with one
 * known child type, past the handle lookup (spec 6.1; `vmo_create_child.md`;
 * `VmObjectPaged::CreateClone/CreateChildSlice/CreateChildReference`): SNAPSHOT is
 * NOT_SUPPORTED on pager-backed VMOs; an at-least-on-write clone of any page-aligned offset
 * and size is made; a reference is made at offset 0 and is never resizable; a slice is never
 * resizable, is NOT_SUPPORTED of a resizable parent and INVALID_ARGS past a fixed-size parent's
 * end. SNAPSHOT_MODIFIED (pins decide it), unaligned offsets and sizes near the limits are
 * left undecided (null).
 */
function childOfPagerRoot(
  type: number,
  a: readonly unknown[],
  parent: ModelHandle | undefined,
  ps: number,
  options: number,
): Status | null {
  const [, , offset, size] = a;
  if (parent === undefined || parent.pager === null) return null;
  if (!isAligned(offset, ps) || !isU64(size) || size > CHILD_PAGES_DECIDED * ps) return null;
  if ((offset as number) > CHILD_PAGES_DECIDED * ps) return null;
  const resizableChild = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
  switch (type) {
    case ZX_VMO_CHILD_SNAPSHOT:
      return ZX_ERR_NOT_SUPPORTED;
    case ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE:
      return ZX_OK;
    case ZX_VMO_CHILD_REFERENCE:
      return resizableChild || offset !== 0 ? ZX_ERR_INVALID_ARGS : ZX_OK;
    case ZX_VMO_CHILD_SLICE: {
      if (resizableChild) return ZX_ERR_INVALID_ARGS;
      const fixed = fixedBytes(parent, ps);
      if (fixed === undefined) return null; // resizable (NOT_SUPPORTED) or grown: not tracked
      return (offset as number) + Math.ceil(size / ps) * ps > fixed ? ZX_ERR_INVALID_ARGS : ZX_OK;
    }
  }
  return null;
}

/**
 * `zx_vmo_create_child` of a paged VMO the handle model knows (a pager-backed root or a node of
 * its clone chain) at a u64 offset that is not page aligned, once the option word named one child
 * type and no unknown bit: INVALID_ARGS whatever the type. Every path of
 * `VmObjectDispatcher::CreateChildInternal` refuses it before any other check of the VMO
 * (gnoliyil/fuchsia 0ad2d850 zircon/kernel/vm/vm_object_paged.cc: `CreateChildSlice` "Offset must
 * be page aligned", `CreateClone` "offset must be page aligned" (its one earlier check, a
 * contiguous VMO, is INVALID_ARGS too, and comes before SNAPSHOT's pager check in
 * `CreateCloneLocked`), `CreateChildReference` "offset != 0"); else null.
 */
function unalignedChildOffset(
  a: readonly unknown[],
  parent: ModelHandle | undefined,
  ps: number,
): Status | null {
  const offset = a[2];
  if (parent === undefined || (parent.pager === null && parent.clone !== true)) return null;
  return isU64(offset) && offset % ps !== 0 ? ZX_ERR_INVALID_ARGS : null;
}

/** Handles a program may hold for a new one to be decided (far under `LIMITS.maxHandles`). */
const HANDLES_DECIDED = 512;

/**
 * The least size past the largest VMO upstream makes: `VmPageList::MAX_SIZE` is
 * `ROUNDDOWN(UINT64_MAX, VmPageListNode::kPageFanOut * kPageSize)` (vm_page_list.h @
 * misttech/fuchsia 046ae4d3), a few pages of nodes under 2^64, and a VMO's size is rounded up
 * to pages first; a size within 2^20 bytes of 2^64 is past it whatever the fan-out and page
 * size: ZX_ERR_OUT_OF_RANGE ("size is too large", zx_vmo_create.md, zx_pager_create_vmo.md).
 * Sizes far under it are left open: the model refuses VMOs past `LIMITS.maxVmoBytes` (2^40) and
 * past its page limit, upstream makes them (their pages are committed lazily).
 */
const PAST_UPSTREAM_MAX_VMO = 2 ** 64 - 2 ** 20;

/**
 * OUT_OF_RANGE for a u64 VMO size past upstream's largest VMO (`PAST_UPSTREAM_MAX_VMO`), when
 * the option word is one with only `known` bits (so the options' own check passed); else null.
 */
function sizeTooLarge(size: unknown, options: unknown, known: number): Status | null {
  const o = optionWord(options);
  return o !== undefined && ((o & ~known) >>> 0) === 0 && isU64(size) &&
      size > PAST_UPSTREAM_MAX_VMO
    ? ZX_ERR_OUT_OF_RANGE
    : null;
}

/**
 * `zx_vmo_create_child` of a clone (the handle model's `clone`: a node of a pager VMO's clone
 * chain, not a slice or reference of one), past the handle lookup and the option checks (spec
 * 6.1): SNAPSHOT is NOT_SUPPORTED on any descendant of a pager-backed VMO; an
 * at-least-on-write clone of it is made at any page-aligned offset and size ("Chains of such
 * clones are allowed", test `DeepHierarchy`; VmCowPages::CreateCloneLocked). SNAPSHOT_MODIFIED
 * (the chain and pins decide it), slices and references (the clone's size), unaligned offsets
 * and sizes near the limits are left undecided (null).
 */
function childOfClone(
  type: number,
  a: readonly unknown[],
  parent: ModelHandle | undefined,
  ps: number,
  m: HandleModel,
): Status | null {
  const [, , offset, size] = a;
  if (parent?.clone !== true) return null;
  if (!isAligned(offset, ps) || !isU64(size) || size > CHILD_PAGES_DECIDED * ps) return null;
  if ((offset as number) > CHILD_PAGES_DECIDED * ps) return null;
  if (type === ZX_VMO_CHILD_SNAPSHOT) return ZX_ERR_NOT_SUPPORTED;
  return type === ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE && m.open.length < HANDLES_DECIDED
    ? ZX_OK
    : null;
}

/**
 * `ZX_VMAR_OP_ZERO` (10): an op upstream has and the model leaves out, so its status is not
 * predicted; every other value outside the table's ops is INVALID_ARGS.
 */
const ZX_VMAR_OP_ZERO = 10;

/**
 * The status of two independent checks whose order the documentation does not give: a status
 * only when exactly one fails (either order returns it), else `null`.
 */
function onlyOne(a: Status | null, b: Status | null): Status | null {
  return a !== null && b !== null ? null : a ?? b;
}

/**
 * An option word with bits outside `known`: INVALID_ARGS; `null` for one without, and for a value
 * that is no 32-bit option word (what the kernel makes of it is not the documentation's).
 */
function unknownBits(options: unknown, known: number): Status | null {
  const o = optionWord(options);
  return o !== undefined && ((o & ~known) >>> 0) !== 0 ? ZX_ERR_INVALID_ARGS : null;
}

/** The region a VMAR handle names in the program's picture of its address space, while it is known. */
function regionOf(m: HandleModel, handle: unknown): ModelRegion | undefined {
  return m.vmars.known ? m.vmars.region(m.get(handle)?.object) : undefined;
}

/** `x` rounded up to whole pages. */
function roundUp(x: number, ps: number): number {
  return Math.ceil(x / ps) * ps;
}

/**
 * A non-empty `zx_vmo_read` (`store`: into user memory) or `zx_vmo_write` within an anonymous VMO
 * of fixed size (one `zx_vmo_create` made: no page of it waits for a pager), given a user buffer:
 * the kernel copies its first page first (VmObjectPaged::ReadUser/WriteUser, copy_to_user /
 * copy_from_user), so a buffer whose first byte no mapping holds, or one that does not allow the
 * copy (a store needs PERM_WRITE, a load PERM_READ), is INVALID_ARGS (zx_vmo_read.md: "buffer
 * is an invalid pointer"); a mapped one may fault: not decided.
 */
function unmappedBuffer(
  m: HandleModel,
  vmo: unknown,
  buffer: unknown,
  store: boolean,
): Status | null {
  return copyStart(m, vmo, buffer, store) === "unmapped" ? ZX_ERR_INVALID_ARGS : null;
}

/**
 * Where the user copy of `zx_vmo_read` (`store`) or `zx_vmo_write` on `vmo` starts, for a VMO of
 * fixed size that no pager backs in an address space the model knows (as `unmappedBuffer`): the
 * mapping holding `buffer`'s first byte with the access the copy needs, `"unmapped"` where no
 * mapping does, null where the model cannot tell.
 */
function copyStart(
  m: HandleModel,
  vmo: unknown,
  buffer: unknown,
  store: boolean,
): ModelMapping | "unmapped" | null {
  const h = m.get(vmo);
  const root = m.vmars.known ? m.vmars.root : undefined;
  if (h === undefined || h.pager !== null || h.fixedSize === undefined || root === undefined) {
    return null;
  }
  if (!isU64(buffer)) return null;
  const at = m.vmars.find(root, buffer);
  return at === undefined || !(store ? at.writable : at.readable) ? "unmapped" : at;
}

/**
 * A load (`mem_read`) or store (`mem_write`) whose first byte lies in a mapping the VMAR picture
 * holds without the access it needs (`ZX_VM_PERM_READ` / `ZX_VM_PERM_WRITE`, as mapped or
 * protected): a fatal page fault with ZX_ERR_ACCESS_DENIED, the fault handler's permission check
 * on the mapping it found, before any page of the VMO is looked up (`VmMapping::PageFault`:
 * "permission failure"). False where the model cannot tell (no picture, garbage, an address no
 * mapping it holds covers).
 */
export function accessDenied(call: string, args: readonly unknown[], m: HandleModel): boolean {
  const root = m.vmars.known ? m.vmars.root : undefined;
  const addr = args[0];
  if (root === undefined || !isU64(addr)) return false;
  const at = m.vmars.find(root, addr);
  if (at === undefined) return false;
  return call === "mem_write" ? !at.writable : call === "mem_read" && !at.readable;
}

/**
 * A load or store (`mem_read`, `mem_write`) whose address lies in a mapping the model holds, of
 * a pager VMO a `zx_pager_detach_vmo` detached while it surely held no page
 * (`HandleModel.pristine`), the access allowed: the page it touches first needs the pager, and
 * after a detach that is a fatal page fault with ZX_ERR_BAD_STATE (detached-access, K12:
 * "an access that starts afterwards and needs the pager fails with `ZX_ERR_BAD_STATE` (a fatal
 * page fault with that synth code for mappings)"). The model's VMO object, or undefined.
 */
export function detachedAbsent(
  call: string,
  args: readonly unknown[],
  m: HandleModel,
): number | undefined {
  const root = m.vmars.known ? m.vmars.root : undefined;
  const addr = args[0];
  if (root === undefined || !isU64(addr) || m.pristine.size === 0) return undefined;
  const at = m.vmars.find(root, addr);
  if (at === undefined || at.vmo === undefined || !m.pristine.has(at.vmo)) return undefined;
  if (call === "mem_write" ? !at.writable : !at.readable) return undefined;
  return m.attachment(at.vmo) === "detached" ? at.vmo : undefined;
}

/**
 * The user copy of `zx_vmo_read` (`store`) or `zx_vmo_write` whose VMO the model knows the size
 * of and no pager backs (as `unmappedBuffer`), past the VMO's range check, of `length` > 0
 * bytes: a buffer whose first byte lies in a mapping with the access it needs, of a VMO whose
 * size the model knows (`HandleModel.vmoBytes`), at or past that VMO's end (it was shrunk after
 * the map) is OUT_OF_RANGE: the first page the copy touches faults past the end (spec 4.2 and
 * its table of outcomes: "VMO shrunk below the access: vmo_read/write -> ZX_ERR_OUT_OF_RANGE").
 */
function bufferPastEnd(
  m: HandleModel,
  vmo: unknown,
  buffer: unknown,
  length: unknown,
  store: boolean,
): Status | null {
  if (!isU64(length) || length === 0) return null;
  const at = copyStart(m, vmo, buffer, store);
  if (at === null || at === "unmapped" || at.vmo === undefined) return null;
  const size = m.vmoBytes.get(at.vmo);
  if (size === undefined || at.vmoOffset === undefined) return null;
  return at.vmoOffset + ((buffer as number) - at.addr) >= size ? ZX_ERR_OUT_OF_RANGE : null;
}

/**
 * `zx_object_get_info(vmo, ZX_INFO_VMO, buffer)` past the lookups, given a user buffer: the record
 * is copied out to it (sys_object_get_info's `copy_to_user`), first byte first, so a buffer whose
 * first byte no mapping holds, or one mapped without PERM_WRITE, is INVALID_ARGS (nothing before
 * the copy can fail); a writable one may fault on a pager VMO: not decided.
 */
function copyOutBuffer(m: HandleModel, buffer: unknown): Status | null {
  const root = m.vmars.known ? m.vmars.root : undefined;
  if (root === undefined || !isU64(buffer)) return null;
  const at = m.vmars.find(root, buffer);
  return at === undefined || !at.writable ? ZX_ERR_INVALID_ARGS : null;
}

/**
 * `zx_vmar_allocate` in a region the picture holds, past the argument checks above (its handle's
 * rights, the option bits, the size, the offset's alignment and SPECIFIC): BAD_STATE for a
 * destroyed region, ACCESS_DENIED for a CAN_MAP_READ/WRITE/EXECUTE the region lacks or a SPECIFIC
 * placement in a region without CAN_MAP_SPECIFIC, INVALID_ARGS for a SPECIFIC range past the
 * region's end (VmAddressRegion::CreateSubVmarInternal @ vsrinivas/fuchsia 005edc33: "offset >=
 * size_ || size > size_ - offset"), ZX_OK for a SPECIFIC range nothing the program placed there
 * overlaps (a sub-region's extent is known; the root's only while it holds nothing). Left open:
 * a CAN_MAP_SPECIFIC the region lacks (the model refuses it, upstream does not look), a
 * placement the kernel chooses (a size past the region's end is NO_RESOURCES here,
 * INVALID_ARGS upstream), and a SPECIFIC range over another placement (NO_MEMORY upstream).
 */
function allocateIn(
  region: ModelRegion,
  options: number,
  offset: number,
  size: number,
  m: HandleModel,
): Status | null {
  if (region.destroyed) return ZX_ERR_BAD_STATE;
  const specific = (options & ZX_VM_SPECIFIC) !== 0;
  const f = region.flags;
  if (
    (options & ZX_VM_CAN_MAP_READ && !f.read) || (options & ZX_VM_CAN_MAP_WRITE && !f.write) ||
    (options & ZX_VM_CAN_MAP_EXECUTE && !f.execute) || (specific && !f.specific)
  ) return ZX_ERR_ACCESS_DENIED;
  if (options & ZX_VM_CAN_MAP_SPECIFIC && !f.specific) return null;
  if (!specific) return null;
  if (offset + size > region.size) return ZX_ERR_INVALID_ARGS;
  const free = region.base === null
    ? region.regions.length + region.mappings.length === 0
    : !m.vmars.occupied(region, region.base + offset, size);
  return free && m.open.length < HANDLES_DECIDED ? ZX_OK : null;
}

/**
 * `zx_vmar_map(region, options, offset, vmo, vmo_offset, len)` into a sub-region the picture
 * holds, past the argument checks (`len` page-rounded; `rightsOk`: the VMAR handle has READ, and
 * WRITE for a writable mapping). Upstream order (sys_vmar_map, then
 * VmAddressRegion::CreateSubVmarInner @ misttech/fuchsia 162d6af3
 * zircon/kernel/vm/vm_address_region.cc): the handle's rights (ACCESS_DENIED), a region no
 * longer alive (BAD_STATE), a CAN_MAP_READ/WRITE the region lacks or a SPECIFIC placement
 * without CAN_MAP_SPECIFIC (ACCESS_DENIED), a SPECIFIC range past the region's end
 * (INVALID_ARGS), then a SPECIFIC range that is not free: ALREADY_EXISTS without
 * SPECIFIC_OVERWRITE; with it, mappings wholly inside the range are replaced (ZX_OK), a part of
 * one is ZX_OK upstream and NOT_SUPPORTED in the model (either), and a sub-region in the way is
 * not decided. A free SPECIFIC range is ZX_OK. The model checks a destroyed region before the
 * handle's rights: both failing is not decided. A placement the kernel chooses is not decided.
 */
function mapIn(
  region: ModelRegion,
  options: number,
  offset: number,
  len: number,
  rightsOk: boolean,
): Outcome {
  if (region.destroyed) return rightsOk ? ZX_ERR_BAD_STATE : null;
  if (!rightsOk) return ZX_ERR_ACCESS_DENIED;
  const overwrite = (options & ZX_VM_SPECIFIC_OVERWRITE) !== 0;
  const specific = overwrite || (options & ZX_VM_SPECIFIC) !== 0;
  const f = region.flags;
  if (!f.read || (options & ZX_VM_PERM_WRITE && !f.write) || (specific && !f.specific)) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if (!specific || region.base === null || (overwrite && options & ZX_VM_MAP_RANGE)) return null;
  if (offset + len > region.size) return ZX_ERR_INVALID_ARGS;
  const at = region.base + offset;
  const overlaps = (b: number, blen: number) => at < b + blen && b < at + len;
  const subs = region.regions.some((r) => overlaps(r.base ?? 0, r.size));
  const hit = region.mappings.filter((x) => overlaps(x.addr, x.len));
  if (!overwrite) return subs || hit.length > 0 ? ZX_ERR_ALREADY_EXISTS : ZX_OK;
  if (subs) return null;
  return hit.every((x) => x.addr >= at && x.addr + x.len <= at + len)
    ? ZX_OK
    : [ZX_OK, ZX_ERR_NOT_SUPPORTED];
}

/**
 * `zx_vmar_protect(region, options, addr, len)` past the argument checks, in a region the picture
 * holds (VmAddressRegion::Protect @ vsrinivas/fuchsia 005edc33): BAD_STATE for a destroyed region,
 * INVALID_ARGS for a range not inside it; then, from `addr` on, a sub-region is INVALID_ARGS, a
 * gap NOT_FOUND, a mapping that may not take the permissions ACCESS_DENIED (WRITE beyond what it
 * could be given when mapped, EXECUTE: nothing was mapped executable). A range the mappings cover
 * is ZX_OK upstream, which splits mappings; the model changes whole mappings only and refuses a
 * part of one with NOT_SUPPORTED: ZX_OK exactly when whole mappings are covered, else either.
 * The root's base is not known: a range in it is decided only where its mappings cover it.
 */
function protectIn(
  region: ModelRegion,
  options: number,
  addr: number,
  end: number,
  m: HandleModel,
) {
  if (region.destroyed) return ZX_ERR_BAD_STATE;
  const inside = m.vmars.contains(region, addr, end);
  if (inside !== true) return inside === false ? ZX_ERR_INVALID_ARGS : null;
  const hit: ModelMapping[] = [];
  for (let at = addr; at < end;) {
    const x = region.mappings.find((y) => at >= y.addr && at < y.addr + y.len);
    if (x === undefined) {
      return m.vmars.subRegionAt(region, at) !== undefined ? ZX_ERR_INVALID_ARGS : ZX_ERR_NOT_FOUND;
    }
    if ((options & ZX_VM_PERM_WRITE && !x.canWrite) || options & ZX_VM_PERM_EXECUTE) {
      return ZX_ERR_ACCESS_DENIED;
    }
    hit.push(x);
    at = x.addr + x.len;
  }
  const last = hit[hit.length - 1];
  return hit[0].addr === addr && last.addr + last.len === end
    ? ZX_OK
    : [ZX_OK, ZX_ERR_NOT_SUPPORTED];
}

/**
 * `zx_vmar_op_range(region, op, addr, len)` past the argument checks, in a region the picture
 * holds (VmAddressRegionDispatcher::RangeOp and VmAddressRegion::RangeOp; spec 2.8.5): a range
 * not inside the region is OUT_OF_RANGE, a destroyed region BAD_STATE; then the walk over the
 * mappings of the region's tree in address order: a gap is BAD_STATE, COMMIT and DECOMMIT over a
 * mapping that could never be writable ACCESS_DENIED. MAP_RANGE does no VMO op, so a range its
 * mappings cover is ZX_OK; so is COMMIT over mappings of plain anonymous VMOs whose part of the
 * range lies inside the VMO (`plainWindow`: each mapping commits its own VMO's pages, which no
 * pager supplies). Other ops run the VMO op on each mapping, which may block and fail, so only
 * what the mappings up to the first such op (or a gap) decide is predicted.
 */
function opRangeIn(
  region: ModelRegion,
  op: unknown,
  addr: number,
  end: number,
  m: HandleModel,
  ps: number,
) {
  const inside = m.vmars.contains(region, addr, end);
  if (inside !== true) return inside === false ? ZX_ERR_OUT_OF_RANGE : null;
  if (region.destroyed) return ZX_ERR_BAD_STATE;
  const write = op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_DECOMMIT;
  for (let at = addr; at < end;) {
    const x = m.vmars.find(region, at);
    if (x === undefined) return ZX_ERR_BAD_STATE;
    if (write && !x.canWrite) return ZX_ERR_ACCESS_DENIED;
    if (op === ZX_VMAR_OP_COMMIT && pastVmoEnd(m, x, at, end)) return ZX_ERR_OUT_OF_RANGE;
    if (op === ZX_VMAR_OP_DECOMMIT && decommitRefusedAt(m, x, at, end, ps)) {
      return ZX_ERR_NOT_SUPPORTED;
    }
    const certain = plainWindow(m, x, at, end) && plainMappingOpCertain(op, x.vmo as number, m);
    if (op !== ZX_VMAR_OP_MAP_RANGE && !certain) return null;
    at = x.addr + x.len;
  }
  return ZX_OK;
}

/**
 * Whether mapping `x`'s part of `[at, end)` (from `at`, inside `x`) reaches past the end of its
 * VMO, a plain anonymous VMO whose size the model knows (`vmoBytes`: a resizable one shrunk under
 * the mapping). A COMMIT over it is OUT_OF_RANGE before any of its pages is committed
 * (`VmObjectPaged::CommitRangeInternal`, zircon/kernel/vm/vm_object_paged.cc @ misttech/fuchsia
 * 056f3590: "Although the length, for the non-pin ranges, is allowed to end up outside the VMO
 * range during the operation, at least initially it must be within range": `!InRange(offset,
 * len, size_locked())` returns ZX_ERR_OUT_OF_RANGE; `VmAddressRegion::RangeOp` hands each mapping's
 * own window to `CommitRange`).
 */
function pastVmoEnd(m: HandleModel, x: ModelMapping, at: number, end: number): boolean {
  if (x.vmo === undefined || x.vmoOffset === undefined || at < x.addr) return false;
  const size = m.vmoBytes.get(x.vmo) ?? plainBytes(m, x.vmo);
  return size !== undefined && x.vmoOffset + (Math.min(end, x.addr + x.len) - x.addr) > size;
}

/** `mappingDecommitRefused` for mapping `x`'s part of `[at, end)` (from `at`, inside `x`). */
function decommitRefusedAt(m: HandleModel, x: ModelMapping, at: number, end: number, ps: number) {
  if (x.vmo === undefined || x.vmoOffset === undefined) return false;
  const start = x.vmoOffset + (at - x.addr);
  return mappingDecommitRefused(
    m,
    x.vmo,
    start,
    x.vmoOffset + (Math.min(end, x.addr + x.len) - x.addr),
    ps,
  );
}

/**
 * `zx_vmar_unmap(region, addr, len)` past the argument checks, in a region the picture holds
 * (VmAddressRegion::Unmap, vm_address_region.cc @ vsrinivas/fuchsia 005edc33: the size and
 * alignment checks, then "if (state_ != LifeCycleState::ALIVE) return ZX_ERR_BAD_STATE"): a
 * destroyed region is BAD_STATE; a range that overlaps a sub-region without holding all of it
 * is INVALID_ARGS (zx_vmar_unmap.md: "the requested range partially overlaps a sub-region").
 * A range that overlaps no sub-region and is exactly one mapping of the region is ZX_OK: the
 * mapping is unmapped (`UnmapInternalLocked` bails only on a sub-region it partly spans, and
 * walks the children from the range's first byte to its last, `end_addr_byte`, so a sub-region
 * that only touches the range's start or end is not in it; the same file @ vsrinivas/fuchsia
 * 005edc33). What else is unmapped (a sub-region wholly in the range: ZX_OK upstream with
 * ZX_RIGHT_OP_CHILDREN, INVALID_ARGS without; parts of mappings: split upstream; nothing at all:
 * ZX_OK upstream, NOT_FOUND in the model) is left open.
 */
function unmapIn(region: ModelRegion, addr: number, end: number): Status | null {
  if (region.destroyed) return ZX_ERR_BAD_STATE;
  let touched = false;
  const partly = region.regions.some((r) => {
    const base = r.base ?? 0;
    const over = base < end && addr < base + r.size;
    if (over) touched = true;
    return over && (base < addr || base + r.size > end);
  });
  if (partly) return ZX_ERR_INVALID_ARGS;
  if (touched) return null;
  const hit = region.mappings.filter((x) => x.addr < end && addr < x.addr + x.len);
  return hit.length === 1 && hit[0].addr === addr && hit[0].len === end - addr ? ZX_OK : null;
}

/**
 * The size in bytes of the plain anonymous VMO of fixed size (one `zx_vmo_create` without
 * RESIZABLE or DISCARDABLE) the handle model's object `object` is, while a handle to it is open.
 */
function plainBytes(m: HandleModel, object: number): number | undefined {
  for (const handle of m.open) {
    const h = m.get(handle);
    if (h?.object === object && h.anonymous === "plain" && h.fixedSize !== undefined) {
      return h.fixedSize;
    }
  }
  return undefined;
}

/**
 * Whether mapping `x`'s part of `[at, end)` (from `at`, inside `x`) lies inside its VMO, a plain
 * anonymous VMO of fixed size: a VMO op there meets no pager and no end of the VMO
 * (VmAddressRegion::RangeOp hands each mapping its own part: `[at, min(end, its end))` at the
 * mapping's VMO offset; vm_address_region.cc @ vsrinivas/fuchsia 005edc33).
 */
function plainWindow(m: HandleModel, x: ModelMapping, at: number, end: number): boolean {
  if (x.vmo === undefined || x.vmoOffset === undefined) return false;
  const size = plainBytes(m, x.vmo);
  return size !== undefined && x.vmoOffset + (Math.min(end, x.addr + x.len) - x.addr) <= size &&
    at >= x.addr;
}

/**
 * The user copy of `zx_vmo_read` (`store`) or `zx_vmo_write` on a VMO no pager backs (as
 * `copyStart`), of `length` bytes, at most a page: a buffer wholly inside one mapping the picture
 * holds with the access the copy needs, of a plain anonymous VMO whose window covers it, cannot
 * fault (its pages are zero-filled on demand, no pager is asked, no end is met), so the call is
 * ZX_OK (zx_vmo_read.md, zx_vmo_write.md: no other error is left past the range check).
 */
function copyCertain(
  m: HandleModel,
  vmo: unknown,
  buffer: unknown,
  length: unknown,
  store: boolean,
  ps: number,
): Status | null {
  if (!isU64(length) || length === 0 || length > ps) return null;
  const at = copyStart(m, vmo, buffer, store);
  if (at === null || at === "unmapped") return null;
  const end = (buffer as number) + length;
  return end <= at.addr + at.len && plainWindow(m, at, buffer as number, end) ? ZX_OK : null;
}

/**
 * `zx_pager_supply_pages(pager, vmo, offset, length, aux, aux_offset)` of `length` > 0 bytes,
 * past the lookups and alignments, to a pager VMO a `zx_pager_detach_vmo` surely detached
 * (`HandleModel.attachment`): ZX_ERR_BAD_STATE once every check before the detach one passes,
 * which the model can tell when `aux` is a plain anonymous VMO of fixed size (never contiguous
 * or pager-backed) that the range fits, no pin may hold a page of (`m.pinHolds`) and no child was
 * made of, and the range fits the pager VMO, whose size cannot change. Spec 2.4: `TakePages`
 * refuses a contiguous or pager-backed aux (NOT_SUPPORTED), a range past aux's end
 * (OUT_OF_RANGE) and a pinned aux page (BAD_STATE too); then `SupplyPages` a range past the VMO's
 * end (OUT_OF_RANGE), then a detached VMO: "ZX_ERR_BAD_STATE ... *pager_vmo* has been detached
 * from the *pager*" (docs/reference/syscalls/pager_supply_pages.md @ gnoliyil/fuchsia 0030d76c;
 * `Pager.SupplyAfterDetach`, zircon/system/utest/core/pager/pager.cc, expects it to fail). Else
 * null. (An injected NO_MEMORY comes first, and the runner excuses it: `mayFailAllocating`.)
 */
function detachedSupply(a: readonly unknown[], m: HandleModel, ps: number): Status | null {
  const [, vmo, offset, length, aux, auxOffset] = a;
  const h = m.get(vmo);
  const x = m.get(aux);
  if (h === undefined || x?.anonymous !== "plain" || m.attachment(h.object) !== "detached") {
    return null;
  }
  if (!isU64(offset) || !isU64(length) || !isU64(auxOffset)) return null;
  const auxSize = fixedBytes(x, ps);
  const size = fixedBytes(h, ps);
  if (auxSize === undefined || size === undefined) return null;
  if (auxOffset + length > auxSize || offset + length > size) return null;
  const pinned = m.pinHolds.mayHold(x.object, auxOffset / ps, (auxOffset + length) / ps);
  if (pinned || (m.childrenMade.get(x.object)?.length ?? 0) > 0) return null;
  return ZX_ERR_BAD_STATE;
}

/** `ZX_PORT_BIND_TO_INTERRUPT`, the one option bit upstream's `zx_port_create` takes. */
const ZX_PORT_BIND_TO_INTERRUPT = 1;

/** Checks the kernel makes before its handle lookups, besides the table's alignments. */
const BEFORE: Partial<Record<CallName, Check>> = {
  // sys_pager_create and sys_event_create (zircon/kernel/lib/syscalls/pager.cc, object.cc):
  // options must be 0.
  zx_pager_create: (a) => a[0] !== 0 ? ZX_ERR_INVALID_ARGS : null,
  zx_event_create: (a) => a[0] !== 0 ? ZX_ERR_INVALID_ARGS : null,
  // PortDispatcher::Create (zircon/kernel/object/port_dispatcher.cc, current upstream): "if
  // (options && options != ZX_PORT_BIND_TO_INTERRUPT) return ZX_ERR_INVALID_ARGS". The model
  // binds no interrupts and refuses ZX_PORT_BIND_TO_INTERRUPT (1) too (older upstream: "No
  // options are supported"): either for 1.
  zx_port_create: (a) =>
    a[0] === 0
      ? null
      : a[0] === ZX_PORT_BIND_TO_INTERRUPT
      ? [ZX_OK, ZX_ERR_INVALID_ARGS]
      : ZX_ERR_INVALID_ARGS,
  // sys_object_wait_async (zircon/kernel/lib/syscalls/object_wait.cc): the options before any
  // handle is looked up (ONCE and TIMESTAMP are the only ones); then the port with WRITE; then
  // PortDispatcher::MakeObserver: the handle, its WAIT right, and whether its object is waitable
  // (decided here for the two types the model signals, `signalable`); a key that is no u64 or
  // signals that are no uint32 are the model's garbage arguments. Else the wait is made: ZX_OK.
  zx_object_wait_async: (a, m) => {
    if (a[4] !== ZX_WAIT_ASYNC_ONCE && a[4] !== ZX_WAIT_ASYNC_TIMESTAMP) return ZX_ERR_INVALID_ARGS;
    const port = m.lookup(a[1], ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (port !== ZX_OK) return port;
    const h = m.get(a[0]);
    if (h === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(h.rights & ZX_RIGHT_WAIT)) return ZX_ERR_ACCESS_DENIED;
    if (unwaitable(h.type)) return ZX_ERR_NOT_SUPPORTED;
    if (signalable(h.type) === undefined) return null;
    return isU64(a[2]) && u32(a[3]) !== undefined ? ZX_OK : ZX_ERR_INVALID_ARGS;
  },
  // sys_vmo_create_contiguous (zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec)
  // checks the size (a u64, not 0) and the alignment (0 for the page size, else in
  // [log2(page size), 64)) before it looks the BTI handle up: INVALID_ARGS first.
  zx_vmo_create_contiguous: (a, _m, ps) => {
    const [, size, alignmentLog2] = a;
    if (!isU64(size) || size === 0) return ZX_ERR_INVALID_ARGS;
    if (!Number.isInteger(alignmentLog2) || (alignmentLog2 as number) < 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    const shift = Math.log2(ps);
    const align = alignmentLog2 === 0 ? shift : alignmentLog2 as number;
    return align < shift || align >= 64 ? ZX_ERR_INVALID_ARGS : null;
  },
  // zx_vmo_create.md: options other than RESIZABLE/DISCARDABLE, or a size that is no u64; then
  // a size past upstream's largest VMO is OUT_OF_RANGE (sys_vmo_create checks the options
  // before VmObjectPaged::Create sees the size).
  zx_vmo_create: (a) =>
    onlyOne(
      unknownBits(a[1], ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE),
      isU64(a[0]) ? null : ZX_ERR_INVALID_ARGS,
    ) ?? sizeTooLarge(a[0], a[1], ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE),
  // sys_bti_create (zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec): options must
  // be 0 (and the model's bti_id a u64); the model's IOMMU is implicit, so nothing else can
  // fail: ZX_OK while the handle table is far from full.
  zx_bti_create: (a, m) =>
    a[0] !== 0 || !isU64(a[1])
      ? ZX_ERR_INVALID_ARGS
      : m.open.length < HANDLES_DECIDED
      ? ZX_OK
      : null,
  zx_object_get_info: (a) => a[1] === ZX_INFO_VMO ? null : ZX_ERR_NOT_SUPPORTED,
  zx_handle_close: (a, m) => a[0] === 0 || m.get(a[0]) ? ZX_OK : ZX_ERR_BAD_HANDLE,
  zx_handle_duplicate: (a, m) => {
    const h = m.get(a[0]);
    if (h === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(h.rights & ZX_RIGHT_DUPLICATE)) return ZX_ERR_ACCESS_DENIED;
    return subRights(h.rights, a[1]) === undefined ? ZX_ERR_INVALID_ARGS : ZX_OK;
  },
  zx_handle_replace: (a, m) => {
    const h = m.get(a[0]);
    if (h === undefined) return ZX_ERR_BAD_HANDLE;
    return subRights(h.rights, a[1]) === undefined ? ZX_ERR_INVALID_ARGS : ZX_OK;
  },
};

/** Rights checks that depend on other arguments, made right after the handle lookups. */
const AFTER: Partial<Record<CallName, Check>> = {
  zx_object_get_info: (a, m) => a.length > 2 ? copyOutBuffer(m, a[2]) : null,
  // zx_vmo_op_range.md: an op number no ZX_VMO_OP_* has is INVALID_ARGS; COMMIT, DECOMMIT and
  // ZERO need WRITE, PREFETCH needs READ; then offset and size must be u64. The ops in 3..9 and
  // 11 (LOCK, cache ops, TRY_LOCK) exist upstream and the model leaves them out: not predicted.
  zx_vmo_op_range: (a, m, ps) => {
    const op = a[1];
    if (!Number.isInteger(op) || (op as number) < 1 || (op as number) > 14) {
      return ZX_ERR_INVALID_ARGS;
    }
    const rights = m.get(a[0])?.rights ?? 0;
    const write = op === ZX_VMO_OP_COMMIT || op === ZX_VMO_OP_DECOMMIT || op === ZX_VMO_OP_ZERO;
    if (write && !(rights & ZX_RIGHT_WRITE)) return ZX_ERR_ACCESS_DENIED;
    if (op === ZX_VMO_OP_PREFETCH && !(rights & ZX_RIGHT_READ)) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(a[2]) || !isU64(a[3])) return ZX_ERR_INVALID_ARGS;
    // Past the size (the range widened to whole pages) is OUT_OF_RANGE, for the ops the model has.
    const size = fixedBytes(m.get(a[0]), ps);
    const modelled = write || op === ZX_VMO_OP_PREFETCH || op === ZX_VMO_OP_DONT_NEED ||
      op === ZX_VMO_OP_ALWAYS_NEED;
    if (size === undefined || !modelled) return null;
    const [offset, length] = [a[2] as number, a[3] as number];
    if (Math.ceil((offset + length) / ps) * ps > size) return ZX_ERR_OUT_OF_RANGE;
    // Of a plain anonymous VMO (no parent, no page source), a page-aligned DECOMMIT over a page a
    // pin holds is BAD_STATE (VmCowPages::DecommitRangeLocked: NOT_SUPPORTED for a parent or a
    // page source, INVALID_ARGS unaligned, then UnmapAndRemovePagesLocked's
    // AnyPagesPinnedLocked; zircon/kernel/vm/vm_cow_pages.cc @ dahliaOS/fuchsia-pi4 08da2bb6).
    // So is one of a contiguous VMO with loaning on, as in every program (program/anon_op_range.ts).
    const h = m.get(a[0]);
    if (
      op === ZX_VMO_OP_DECOMMIT && h?.anonymous !== undefined && isAligned(offset, ps) &&
      isAligned(length, ps) && m.surelyPinned(h.object, offset / ps, (offset + length) / ps)
    ) return ZX_ERR_BAD_STATE;
    // ZERO of a contiguous VMO whose frames were never lent (no DECOMMIT started) zeroes its
    // committed pages in place and never decommits them (a contiguous VMO's cow pages carry
    // kCannotDecommitZeroPages, include/vm/vm_cow_pages.h @ misttech/fuchsia a28ec820; the
    // model's `#contiguousOp`): nothing fails past the checks above, so ZX_OK.
    if (op === ZX_VMO_OP_ZERO && h?.anonymous === "contiguous" && !m.decommitPossible) {
      return ZX_OK;
    }
    return vmoOpRangeOutcome(h, op, offset, length, m, ps);
  },
  // zx_pager_create_vmo.md: options other than RESIZABLE, TRAP_DIRTY and UNBOUNDED, or a key or
  // size that is no u64, are INVALID_ARGS (the pager is open: a handle to it was just looked up).
  // Then a size past upstream's largest VMO is OUT_OF_RANGE (VmObjectPaged::CreateExternal; not
  // decided with UNBOUNDED, whose size upstream does not take).
  zx_pager_create_vmo: (a) =>
    onlyOne(
      unknownBits(a[1], ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED),
      isU64(a[3]) && isU64(a[4]) ? null : ZX_ERR_INVALID_ARGS,
    ) ?? (isU64(a[3]) ? sizeTooLarge(a[4], a[1], ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY) : null),
  // zx_pager_query_dirty_ranges.md: past the lookups (the pager, its VMO with READ), an offset,
  // length or buffer size that is no u64 (the model's garbage arguments) is INVALID_ARGS; then a
  // range past a fixed-size VMO's end is OUT_OF_RANGE (VmCowPages::EnumerateDirtyRanges: "if
  // (!InRange(offset, len, size_))"), and one within it ZX_OK: the query only reads page states,
  // attached or detached (spec 2.6: "Works after detach"), and the model's buffer is a size, with
  // no user pointer to fault on.
  zx_pager_query_dirty_ranges: (a, m, ps) => {
    const [, vmo, offset, length, bufferSize] = a;
    if (!isU64(offset) || !isU64(length) || !isU64(bufferSize)) return ZX_ERR_INVALID_ARGS;
    const size = fixedBytes(m.get(vmo), ps);
    return size === undefined ? null : offset + length > size ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
  },
  // zx_pager_query_vmo_stats.md: a buffer smaller than zx_pager_vmo_stats_t, options other than
  // 0 and RESET_VMO_STATS (both wrong: either, the order undocumented). Past them nothing fails:
  // a detached VMO's stats stay queryable (spec 2.3) and the model's buffer is a size, with no
  // user pointer to fault on, so ZX_OK. (Not the table's `decided`: that would also predict ZX_OK
  // where both checks fail and `onlyOne` leaves it open, as program 1,755 of the judge showed.)
  zx_pager_query_vmo_stats: (a) => {
    const size = isU64(a[3]) && a[3] >= ZX_PAGER_VMO_STATS_SIZE ? null : ZX_ERR_BUFFER_TOO_SMALL;
    const options = a[2] === 0 || a[2] === ZX_PAGER_RESET_VMO_STATS ? null : ZX_ERR_INVALID_ARGS;
    return size === null && options === null ? ZX_OK : onlyOne(size, options);
  },
  // zx_pager_op_range.md: an op other than FAIL, DIRTY, WRITEBACK_BEGIN and WRITEBACK_END is
  // NOT_SUPPORTED; FAIL takes only the codes the page lists as data, DIRTY and WRITEBACK_END only
  // 0, WRITEBACK_BEGIN 0 or ZX_VMO_DIRTY_RANGE_IS_ZERO (INVALID_ARGS). Past that, for a VMO whose
  // size cannot change (spec 2.5.1-2.5.4, pager_op_range.md): DIRTY on a VMO made without
  // TRAP_DIRTY is NOT_SUPPORTED (before the range); a range past the end is OUT_OF_RANGE; then
  // FAIL and DIRTY on a detached VMO are BAD_STATE ("VMO detached"), and FAIL on one no detach
  // was ever started on is ZX_OK (it marks requests only); WRITEBACK_BEGIN/END have no detach
  // check and change page states only: ZX_OK. DIRTY within range on an attached VMO depends on
  // which pages are present (NOT_FOUND for a gap): not predicted, but for an empty range, which
  // has no page to miss: ZX_OK, at the VMO's end too (DirtyPages' range check is `offset > size`;
  // an empty range there is in range, kernel/kernel_errors_test.ts's "an empty range at a
  // trap-dirty VMO's end succeeds").
  zx_pager_op_range: (a, m, ps) => {
    const [, op, vmo, offset, length, data] = a;
    const h = m.get(vmo);
    const size = fixedBytes(h, ps);
    const past = size === undefined || !isU64(offset) || !isU64(length)
      ? undefined
      : offset + length > size;
    const state = h === undefined ? "unknown" : m.attachment(h.object);
    switch (op) {
      case ZX_PAGER_OP_FAIL:
        if (!OP_FAIL_DATA.includes(data as Status)) return ZX_ERR_INVALID_ARGS;
        if (past === undefined) return null;
        if (past) return ZX_ERR_OUT_OF_RANGE;
        return state === "detached" ? ZX_ERR_BAD_STATE : state === "attached" ? ZX_OK : null;
      case ZX_PAGER_OP_DIRTY:
        if (data !== 0) return ZX_ERR_INVALID_ARGS;
        if (h?.trapDirty === false) return ZX_ERR_NOT_SUPPORTED;
        if (h?.trapDirty !== true || past === undefined) return null;
        if (past) return ZX_ERR_OUT_OF_RANGE;
        if (state === "detached") return ZX_ERR_BAD_STATE;
        return length === 0 && state === "attached" ? ZX_OK : null;
      case ZX_PAGER_OP_WRITEBACK_END:
      case ZX_PAGER_OP_WRITEBACK_BEGIN: {
        const zero = op === ZX_PAGER_OP_WRITEBACK_BEGIN && data === ZX_VMO_DIRTY_RANGE_IS_ZERO;
        if (data !== 0 && !zero) return ZX_ERR_INVALID_ARGS;
        if (past === undefined) return null;
        return past ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
      }
      default:
        return ZX_ERR_NOT_SUPPORTED;
    }
  },
  // zx_vmo_read.md / zx_vmo_write.md: an offset, length or user buffer that is no u64 (the
  // model's garbage arguments: a C caller cannot pass one) is INVALID_ARGS; then past the VMO's
  // size is OUT_OF_RANGE, and an empty range within it reads or writes nothing and succeeds
  // (no page is touched, so no pager can fail it); both predicted for a VMO whose size cannot
  // change (`fixedSize`).
  zx_vmo_read: (a, m, ps) => {
    if (!isU64(a[1]) || !isU64(a[2]) || (a.length > 3 && !isU64(a[3]))) {
      return ZX_ERR_INVALID_ARGS;
    }
    return rangeOutcome(fixedBytes(m.get(a[0]), ps), a[1], a[2]) ??
      (a.length > 3
        ? unmappedBuffer(m, a[0], a[3], true) ?? bufferPastEnd(m, a[0], a[3], a[2], true) ??
          copyCertain(m, a[0], a[3], a[2], true, ps)
        : null);
  },
  zx_vmo_write: (a, m, ps) => {
    const data = a[1];
    if (!(data instanceof Uint8Array) || !isU64(a[2]) || (a.length > 3 && !isU64(a[3]))) {
      return ZX_ERR_INVALID_ARGS;
    }
    return rangeOutcome(fixedBytes(m.get(a[0]), ps), a[2], data.length) ??
      (a.length > 3
        ? unmappedBuffer(m, a[0], a[3], false) ??
          bufferPastEnd(m, a[0], a[3], data.length, false) ??
          copyCertain(m, a[0], a[3], data.length, false, ps)
        : null);
  },
  // zx_pager_supply_pages of an empty range (spec 2.4 steps 6-7 and its "Zero-length supply";
  // VmObjectPaged::TakePages and SupplyPages @ misttech/fuchsia 056f3590 range-check an empty
  // range too, then return before the detach check): past the lookups, an aux VMO of known
  // size (one `zx_vmo_create` or `zx_pager_create_vmo` made: never contiguous) takes nothing:
  // OUT_OF_RANGE if aux_offset lies past its end; then OUT_OF_RANGE if offset lies past the
  // pager VMO's end, else ZX_OK, attached or detached (the model knows both sizes when neither
  // can change). Before any of that, an aux VMO `zx_vmo_create_contiguous` made is
  // NOT_SUPPORTED, whatever the range: `VmObjectPaged::TakePages` returns it before its range
  // check (`if (is_contiguous()) return ZX_ERR_NOT_SUPPORTED;`, vm_object_paged.cc @
  // misttech/fuchsia 056f3590; spec 2.4 step 6). A supply of pages to a VMO surely detached is
  // `detachedSupply`'s.
  zx_pager_supply_pages: (a, m, ps) => {
    const [, vmo, offset, length, aux, auxOffset] = a;
    if (m.get(aux)?.anonymous === "contiguous") return ZX_ERR_NOT_SUPPORTED;
    const auxSize = fixedBytes(m.get(aux), ps);
    if (length !== 0) return detachedSupply(a, m, ps);
    if (auxSize === undefined || !isU64(auxOffset)) return null;
    if (auxOffset > auxSize) return ZX_ERR_OUT_OF_RANGE;
    const size = fixedBytes(m.get(vmo), ps);
    if (size === undefined || !isU64(offset)) return null;
    return offset > size ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
  },
  // zx_port_cancel_key.md: options must be 0 (and the key a u64); with both, past the lookup,
  // the only answers are ZX_OK (a packet with the key was removed) and NOT_FOUND (none was):
  // which one is program/port_model.ts's to judge, for the ports whose packets it follows.
  zx_port_cancel_key: (a) =>
    a[1] !== 0 || !isU64(a[2]) ? ZX_ERR_INVALID_ARGS : [ZX_OK, ZX_ERR_NOT_FOUND],
  // zx_object_signal.md: on an event or a VMO, masks with bits the object does not take are
  // INVALID_ARGS; with none, the call cannot fail (the handle had SIGNAL: looked up above).
  zx_object_signal: (a, m) => {
    const allowed = signalable(m.get(a[0])?.type);
    if (allowed === undefined) return null;
    const clear = u32(a[1]);
    const set = u32(a[2]);
    if (clear === undefined || set === undefined) return ZX_ERR_INVALID_ARGS;
    return (((clear | set) & ~allowed) >>> 0) !== 0 ? ZX_ERR_INVALID_ARGS : ZX_OK;
  },
  // zx_object_wait_one.md: on an event or a VMO (waitable), signals that are no uint32; on a
  // VMAR, NOT_SUPPORTED (`unwaitable`).
  zx_object_wait_one: (a, m) => {
    const type = m.get(a[0])?.type;
    if (unwaitable(type)) return ZX_ERR_NOT_SUPPORTED;
    return signalable(type) !== undefined && u32(a[1]) === undefined ? ZX_ERR_INVALID_ARGS : null;
  },
  // zx_vmo_set_size.md, spec 2.8.3: a VMO made without RESIZABLE is UNAVAILABLE (even without
  // the RESIZE right), a resizable one through a handle without RESIZE is ACCESS_DENIED; then,
  // with RESIZE, a size that is no u64 is INVALID_ARGS. What else fails: a size too large
  // (OUT_OF_RANGE, NO_MEMORY: never for one far under the limits) and a shrink over pinned pages
  // (BAD_STATE: never before any zx_bti_pin). A detached VMO resizes too (the section lists no
  // detach error), and the partial page's zeroing ignores its failure: so ZX_OK. A shrink of a
  // resizable plain anonymous VMO that cuts a page a pin surely holds (`HandleModel.plainPins`):
  // BAD_STATE, and one that cuts no page a pin may hold (`HandleModel.pinHolds`): ZX_OK (`VmCowPages::ResizeLocked`: "if (AnyPagesPinnedLocked(new_size, size_ -
  // new_size)) return ZX_ERR_BAD_STATE", zircon/kernel/vm/vm_cow_pages.cc @ misttech/fuchsia
  // 030dcba0); pages at or past the new size, rounded up to pages, are cut.
  zx_vmo_set_size: (a, m, ps) => {
    const h = m.get(a[0]);
    if (h?.resizable === false) return ZX_ERR_UNAVAILABLE;
    if (h?.resizable === true && !(h.rights & ZX_RIGHT_RESIZE)) return ZX_ERR_ACCESS_DENIED;
    if (!((h?.rights ?? 0) & ZX_RIGHT_RESIZE)) return null;
    if (!isU64(a[1])) return ZX_ERR_INVALID_ARGS;
    // Past upstream's largest VMO: `VmObjectPaged::Resize` "if (s > MAX_SIZE) return
    // ZX_ERR_OUT_OF_RANGE" (zircon/kernel/vm/vm_object_paged.cc @ misttech/fuchsia 056f3590),
    // after the resizable check and before any page or pin is looked at; the handle needs
    // WRITE too (sys_vmo_set_size), else the model's ACCESS_DENIED comes first.
    if (h?.resizable === true && (h.rights & ZX_RIGHT_WRITE) && a[1] > PAST_UPSTREAM_MAX_VMO) {
      return ZX_ERR_OUT_OF_RANGE;
    }
    if (h?.resizable === true && h.anonymous === "plain" && a[1] <= CHILD_PAGES_DECIDED * ps) {
      const keep = Math.ceil(a[1] / ps);
      if (m.surelyPinned(h.object, keep, Infinity)) return ZX_ERR_BAD_STATE;
      // No pin may hold a page it cuts (program/pin_holds.ts), and no child of an anonymous VMO
      // exists in the model: nothing else refuses a size this small.
      if (!m.pinHolds.mayHold(h.object, keep, Infinity)) return ZX_OK;
    }
    // The same for a pager VMO `zx_pager_create_vmo` made with RESIZABLE and no child made of it
    // (a slice could be pinned through its own handle): only a pin refuses the shrink, and a
    // failed pin pins nothing (`PinHolds`), so one that left pages pinned is caught here.
    if (
      h?.resizable === true && h.pager !== null && h.trapDirty !== undefined &&
      a[1] <= CHILD_PAGES_DECIDED * ps && (m.childrenMade.get(h.object)?.length ?? 0) === 0 &&
      !m.pinHolds.mayHold(h.object, Math.ceil(a[1] / ps), Infinity)
    ) return ZX_OK;
    return h?.resizable === true && a[1] <= CHILD_PAGES_DECIDED * ps && !m.pinsPossible
      ? ZX_OK
      : null;
  },
  // zx_task_suspend.md, ThreadDispatcher::Suspend (spec 4.2): the calling thread cannot suspend
  // itself (NOT_SUPPORTED: it would never get the token to resume), a thread that is dead (it
  // returned from its last call, took a fatal fault or was killed) is BAD_STATE, any other
  // thread is suspended and the token handed out (the handle table far from its limit): ZX_OK.
  zx_task_suspend: (a, m) => {
    const target = m.get(a[0])?.thread;
    if (target === undefined || m.caller === null) return null;
    if (target === m.caller) return ZX_ERR_NOT_SUPPORTED;
    if (m.threadsGone.has(target)) return ZX_ERR_BAD_STATE;
    return m.open.length < HANDLES_DECIDED ? ZX_OK : null;
  },
  // zx_vmar_allocate.md: the parent handle needs READ/WRITE/EXECUTE for each CAN_MAP flag asked
  // for; then INVALID_ARGS for flags a region cannot carry (PERM_*, unknown bits), a zero size,
  // an unaligned offset, or an offset without ZX_VM_SPECIFIC (sys_vmar_allocate,
  // VmAddressRegionDispatcher::Allocate, VmAddressRegion::CreateSubVmar).
  zx_vmar_allocate: (a, m, ps) => {
    const o = a[1];
    if (!Number.isInteger(o) || (o as number) < 0 || (o as number) >= 2 ** 32) return null;
    const options = o as number;
    const need = (options & ZX_VM_CAN_MAP_READ ? ZX_RIGHT_READ : 0) |
      (options & ZX_VM_CAN_MAP_WRITE ? ZX_RIGHT_WRITE : 0) |
      (options & ZX_VM_CAN_MAP_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    if (((m.get(a[0])?.rights ?? 0) & need) !== need) return ZX_ERR_ACCESS_DENIED;
    const region = ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ |
      ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE;
    if (((options & ~region) >>> 0) !== 0) return ZX_ERR_INVALID_ARGS;
    if (a[3] === 0 || !isAligned(a[2], ps)) return ZX_ERR_INVALID_ARGS;
    if (!(options & ZX_VM_SPECIFIC) && a[2] !== 0) return ZX_ERR_INVALID_ARGS;
    // In the root VMAR (every CAN_MAP flag; 2^47 bytes), a region the kernel places fits while
    // what the program placed there reaches far under the span: made (CreateSubVmarInternal).
    const size = a[3];
    const parent = regionOf(m, a[0]);
    const placed = parent !== undefined && isU64(size) && isU64(a[2])
      ? allocateIn(parent, options, a[2], roundUp(size, ps), m)
      : null;
    if (placed !== null) return placed;
    return !(options & ZX_VM_SPECIFIC) && isU64(size) && fitsInRoot(m, a[0], size) ? ZX_OK : null;
  },
  // zx_vmo_create_child.md: exactly one child type, no unknown option bits (sys_vmo_create_child).
  zx_vmo_create_child: (a, m, ps) => {
    const o = a[1];
    if (!Number.isInteger(o) || (o as number) < 0 || (o as number) >= 2 ** 32) return null;
    const options = o as number;
    const types = ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SLICE |
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_REFERENCE |
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
    const known = types | ZX_VMO_CHILD_RESIZABLE | ZX_VMO_CHILD_NO_WRITE;
    const type = options & types;
    const oneType = [
      ZX_VMO_CHILD_SNAPSHOT,
      ZX_VMO_CHILD_SLICE,
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      ZX_VMO_CHILD_REFERENCE,
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
    ].includes(type);
    if (((options & ~known) >>> 0) !== 0 || !oneType) return ZX_ERR_INVALID_ARGS;
    return unalignedChildOffset(a, m.get(a[0]), ps) ??
      childOfPagerRoot(type, a, m.get(a[0]), ps, options) ??
      childOfClone(type, a, m.get(a[0]), ps, m);
  },
  // zx_vmar_map.md and sys_vmar_map (vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/
  // vmar.cc, VmAddressRegionDispatcher::Map): a write-only mapping, then the VMO handle's
  // READ/WRITE rights, then options the call does not know or without PERM_READ (the model maps
  // nothing unreadable), a vmar_offset without SPECIFIC/SPECIFIC_OVERWRITE (NOT_SUPPORTED), an
  // unaligned offset or an empty length. What follows (a destroyed region, its CAN_MAP flags,
  // the placement) depends on regions the handle model does not track.
  zx_vmar_map: (a, m, ps) => {
    const options = a[1] as number;
    const writable = (options & ZX_VM_PERM_WRITE) !== 0;
    if (writable && !(options & ZX_VM_PERM_READ)) return ZX_ERR_INVALID_ARGS;
    const need = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
    if (((m.get(a[3])?.rights ?? 0) & need) !== need) return ZX_ERR_ACCESS_DENIED;
    const o = optionWord(options);
    if (o === undefined) return null;
    const known = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC |
      ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_MAP_RANGE;
    if (((o & ~known) >>> 0) !== 0 || !(o & ZX_VM_PERM_READ)) return ZX_ERR_INVALID_ARGS;
    if (!(o & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) && a[2] !== 0) {
      return ZX_ERR_NOT_SUPPORTED;
    }
    if (!isAligned(a[4], ps) || !isU64(a[5]) || a[5] === 0 || !isAligned(a[2], ps)) {
      return ZX_ERR_INVALID_ARGS;
    }
    // In the root VMAR (every CAN_MAP flag), placed by the kernel, with a VMAR handle that has
    // READ (and WRITE for a writable mapping), while the program's placements reach far under
    // the root's span: mapped (VmAddressRegion::CreateVmMapping; past the VMO's end too).
    const vmarNeed = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
    const placed = !(o & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE));
    const rights = m.get(a[0])?.rights ?? 0;
    if (placed && (rights & vmarNeed) === vmarNeed && fitsInRoot(m, a[0], a[5] as number)) {
      return ZX_OK;
    }
    const region = regionOf(m, a[0]);
    return region === undefined || region.base === null
      ? null
      : mapIn(region, o, a[2] as number, roundUp(a[5], ps), (rights & vmarNeed) === vmarNeed);
  },
  // zx_bti_pin.md and sys_bti_pin (zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia
  // 014097ec), past the alignments and both lookups: PERM_READ and PERM_WRITE each need that
  // right on the VMO handle (ACCESS_DENIED); then COMPRESS with CONTIGUOUS, or a bit no ZX_BTI_*
  // flag has, is INVALID_ARGS, and so is CONTIGUOUS on a VMO not made contiguous
  // ("ZX_BTI_CONTIGUOUS is only allowed if vmo was allocated via zx_vmo_create_contiguous()");
  // then an empty range is INVALID_ARGS and one past a fixed-size VMO's end OUT_OF_RANGE (a child
  // made without RESIZABLE too, pager-backed or not: nothing is committed first); else a
  // VMO no pager backs (`anonymous`) is pinned: ZX_OK, unless a PMT handle may have been closed
  // without an unpin (`quarantinePossible`: its BTI's quarantine makes the pin BAD_STATE,
  // BtiDispatcher::Pin @ misttech/fuchsia 3281dd6b), and BAD_STATE when a token of that BTI was
  // surely closed without an unpin (`quarantined`). Undecided: PERM_EXECUTE (upstream asks
  // READ for it, the model EXECUTE: a listed disagreement), CONTIGUOUS on a VMO the handle model
  // cannot place, and pager-backed VMOs (committing their pages may fail with pager errors).
  zx_bti_pin: (a, m, ps) => {
    const o = optionWord(a[1]);
    if (o === undefined || o & ZX_BTI_PERM_EXECUTE) return null;
    const rights = m.get(a[2])?.rights ?? 0;
    if (
      (o & ZX_BTI_PERM_READ && !(rights & ZX_RIGHT_READ)) ||
      (o & ZX_BTI_PERM_WRITE && !(rights & ZX_RIGHT_WRITE))
    ) return ZX_ERR_ACCESS_DENIED;
    const rest = (o & ~(ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE)) >>> 0;
    if (rest & ZX_BTI_COMPRESS && rest & ZX_BTI_CONTIGUOUS) return ZX_ERR_INVALID_ARGS;
    if (((rest & ~(ZX_BTI_COMPRESS | ZX_BTI_CONTIGUOUS)) >>> 0) !== 0) return ZX_ERR_INVALID_ARGS;
    const h = m.get(a[2]);
    if (rest & ZX_BTI_CONTIGUOUS && h?.anonymous !== "contiguous") {
      return h?.anonymous === "plain" ? ZX_ERR_INVALID_ARGS : null;
    }
    if (a[4] === 0) return ZX_ERR_INVALID_ARGS;
    // The range against the VMO's size, before any page is committed or asked for
    // (`CommitRangeInternal`'s InRange check, vm_object_paged.cc @ misttech/fuchsia 056f3590):
    // also for a child of fixed size (`childSize`), a pager VMO's clone included.
    const size = fixedBytes(h, ps) ?? pageBytes(h?.childSize, ps);
    if (size === undefined || !isU64(a[3]) || !isU64(a[4])) return null;
    if ((a[3] as number) + (a[4] as number) > size) return ZX_ERR_OUT_OF_RANGE;
    if (fixedBytes(h, ps) === undefined) return null;
    // A BTI whose quarantine surely holds a token refuses the pin once it pinned (`quarantined`).
    const bti = m.get(a[0])?.object;
    if (h?.anonymous !== undefined && bti !== undefined && m.quarantined.has(bti)) {
      return ZX_ERR_BAD_STATE;
    }
    // No pager backs the pages: the kernel commits and pins them by itself.
    return h?.anonymous !== undefined && m.open.length < HANDLES_DECIDED && !m.quarantinePossible
      ? ZX_OK
      : null;
  },
  // zx_vmar_unmap.md, VmAddressRegion::Unmap: an unaligned address or an empty length; then, in
  // a region the picture holds, `unmapIn`.
  zx_vmar_unmap: (a, m, ps) => {
    if (!isAligned(a[1], ps) || !isU64(a[2]) || a[2] === 0) return ZX_ERR_INVALID_ARGS;
    const region = regionOf(m, a[0]);
    const addr = a[1] as number;
    return region === undefined ? null : unmapIn(region, addr, addr + roundUp(a[2], ps));
  },
  // zx_vmar_protect.md, sys_vmar_protect (vmar.cc @ vsrinivas/fuchsia 2cf39818): the handle
  // needs READ/WRITE/EXECUTE for each PERM_* asked for; then an unaligned address, bits other
  // than PERM_*, WRITE or EXECUTE without READ, an empty length.
  zx_vmar_protect: (a, m, ps) => {
    const o = optionWord(a[1]);
    if (o === undefined) return null;
    const need = (o & ZX_VM_PERM_READ ? ZX_RIGHT_READ : 0) |
      (o & ZX_VM_PERM_WRITE ? ZX_RIGHT_WRITE : 0) |
      (o & ZX_VM_PERM_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    if (((m.get(a[0])?.rights ?? 0) & need) !== need) return ZX_ERR_ACCESS_DENIED;
    if (!isAligned(a[2], ps)) return ZX_ERR_INVALID_ARGS;
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    if (((o & ~perms) >>> 0) !== 0) return ZX_ERR_INVALID_ARGS;
    if (o & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE) && !(o & ZX_VM_PERM_READ)) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(a[3]) || a[3] === 0) return ZX_ERR_INVALID_ARGS;
    const region = regionOf(m, a[0]);
    return region === undefined
      ? null
      : protectIn(region, o, a[2] as number, (a[2] as number) + roundUp(a[3], ps), m);
  },
  // VmAddressRegionOrMapping::Destroy (vm_address_region_or_mapping.cc @ vsrinivas/fuchsia
  // 005edc33): "if (state_ != LifeCycleState::ALIVE) return ZX_ERR_BAD_STATE", else the region
  // and everything in it go (DestroyLocked: ZX_OK). A region the picture holds, not the root.
  zx_vmar_destroy: (a, m) => {
    const region = regionOf(m, a[0]);
    if (region === undefined || region.base === null) return null;
    return region.destroyed ? ZX_ERR_BAD_STATE : ZX_OK;
  },
  // zx_vmar_op_range.md, VmAddressRegionDispatcher::RangeOp: an op the call does not have, the
  // handle's rights for it (COMMIT/DECOMMIT: WRITE; MAP_RANGE/PREFETCH: READ), then an
  // unaligned address or an empty size. Containment needs the region's extent: not predicted.
  zx_vmar_op_range: (a, m, ps) => {
    const op = a[1];
    if (op === ZX_VMAR_OP_ZERO) return null;
    const write = op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_DECOMMIT;
    const read = op === ZX_VMAR_OP_MAP_RANGE || op === ZX_VMAR_OP_PREFETCH;
    if (!write && !read && op !== ZX_VMAR_OP_ALWAYS_NEED && op !== ZX_VMAR_OP_DONT_NEED) {
      return ZX_ERR_INVALID_ARGS;
    }
    const need = write ? ZX_RIGHT_WRITE : read ? ZX_RIGHT_READ : 0;
    if (((m.get(a[0])?.rights ?? 0) & need) !== need) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(a[3]) || !isAligned(a[2], ps) || a[3] === 0) return ZX_ERR_INVALID_ARGS;
    const region = regionOf(m, a[0]);
    return region === undefined
      ? null
      : opRangeIn(region, op, a[2] as number, (a[2] as number) + roundUp(a[3], ps), m, ps);
  },
};

/**
 * The status the call must return when a check the handle model can decide
 * fails first (alignment, the table's handle lookups in argument order, the
 * pager-koid match, rights subsets), or exactly ZX_OK where nothing else can
 * fail (the table's `decided`, and no user buffer given: its copy may fail); null when the outcome depends on kernel state
 * the model does not track.
 */
export function predict(
  call: CallName,
  args: readonly unknown[],
  model: HandleModel,
  pageSize: number,
): Status | null {
  const o = outcome(call, args, model, pageSize);
  return typeof o === "number" ? o : null;
}

/**
 * `zx_object_wait_one(event, signals, deadline)` on an event the program made, whose signals
 * the handle model holds (`eventSignals`), with a handle that may wait: ZX_OK at once if a
 * wanted signal is active, else ZX_ERR_TIMED_OUT at once if the deadline has passed (`now`);
 * either way the observed signals are the event's (zx_object_wait_one.md: *observed* is written
 * on TIMED_OUT too; sys_object_wait_one, object_wait.cc @ vsrinivas/fuchsia 026c5c63). Null
 * when the wait would block (another thread may signal) or the model cannot tell.
 */
export function waitOneOutcome(
  args: readonly unknown[],
  model: HandleModel,
  now: number,
): { readonly status: Status; readonly observed: number } | null {
  const h = model.get(args[0]);
  if (h === undefined || h.type !== ZX_OBJ_TYPE_EVENT || !(h.rights & ZX_RIGHT_WAIT)) return null;
  const active = model.eventSignals.get(h.object);
  const want = u32(args[1]);
  const deadline = args[2];
  if (active === undefined || want === undefined || typeof deadline !== "number") return null;
  if ((active & want) !== 0) return { status: ZX_OK, observed: active };
  return deadline <= now ? { status: ZX_ERR_TIMED_OUT, observed: active } : null;
}

/**
 * Whether the call may fail with an injected NO_MEMORY (kernel/alloc_fault.ts: "after the
 * argument checks"): it allocates (`REFERENCE_ALLOCATING`), and the table's alignments and
 * handle lookups pass in the handle model. What the call checks after those, an injected failure comes before.
 */
export function mayFailAllocating(
  call: CallName,
  args: readonly unknown[],
  model: HandleModel,
  pageSize: number,
): boolean {
  const row = spec(call);
  if (!REFERENCE_ALLOCATING.has(call)) return false;
  if (row.params.some((p, i) => p.alignedFirst === true && !isAligned(args[i], pageSize))) {
    return false;
  }
  return row.params.every((p, i) =>
    p.handle === undefined || model.lookup(args[i], p.handle.type, p.handle.rights) === ZX_OK
  );
}

/**
 * The statuses the call may return where the model knows more than nothing and less than one
 * (every check before it passed, and what follows has two documented answers), else null: a
 * `zx_vmar_protect` over a part of a mapping is ZX_OK upstream, NOT_SUPPORTED in the model.
 */
export function predictAmong(
  call: CallName,
  args: readonly unknown[],
  model: HandleModel,
  pageSize: number,
): readonly Status[] | null {
  const o = outcome(call, args, model, pageSize);
  return Array.isArray(o) ? o : null;
}

function outcome(
  call: CallName,
  args: readonly unknown[],
  model: HandleModel,
  pageSize: number,
): Outcome {
  const row = spec(call);
  if (row.params.some((p, i) => p.alignedFirst === true && !isAligned(args[i], pageSize))) {
    return ZX_ERR_INVALID_ARGS;
  }
  const before = BEFORE[call]?.(args, model, pageSize) ?? null;
  if (before !== null) return before;
  for (const [i, p] of row.params.entries()) {
    if (p.handle === undefined) continue;
    const st = model.lookup(args[i], p.handle.type, p.handle.rights);
    if (st !== ZX_OK) return st;
    const owner = p.handle.ownedBy;
    if (owner !== undefined && model.get(args[i])?.pager !== model.get(args[owner])?.object) {
      return ZX_ERR_INVALID_ARGS;
    }
  }
  const after = AFTER[call]?.(args, model, pageSize) ?? null;
  if (after !== null) return after;
  // A user buffer's copy comes after every check above and may fail: nothing is decided then.
  const given = args.length > row.params.filter((p) => p.optional !== true).length;
  return row.decided === true && !given ? ZX_OK : null;
}
