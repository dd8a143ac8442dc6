/**
 * Zircon constants used by the pager model: status codes, rights, options,
 * packet commands and the model's named limits.
 *
 * Values match the public Zircon headers (`zircon/types.h`, `zircon/errors.h`,
 * `zircon/rights.h`, `zircon/syscalls/port.h`, `zircon/syscalls/object.h`).
 *
 * @module
 */

/** A Zircon status code (`zx_status_t`). */
export type Status = number;

/** Status `ZX_OK`. */
export const ZX_OK = 0;
/** Status `ZX_ERR_INTERNAL`. */
export const ZX_ERR_INTERNAL: number = -1;
/** Status `ZX_ERR_NOT_SUPPORTED`. */
export const ZX_ERR_NOT_SUPPORTED: number = -2;
/** Status `ZX_ERR_NO_RESOURCES`. */
export const ZX_ERR_NO_RESOURCES: number = -3;
/** Status `ZX_ERR_NO_MEMORY`. */
export const ZX_ERR_NO_MEMORY: number = -4;
/** Status `ZX_ERR_INVALID_ARGS`. */
export const ZX_ERR_INVALID_ARGS: number = -10;
/** Status `ZX_ERR_BAD_HANDLE`. */
export const ZX_ERR_BAD_HANDLE: number = -11;
/** Status `ZX_ERR_WRONG_TYPE`. */
export const ZX_ERR_WRONG_TYPE: number = -12;
/** Status `ZX_ERR_BAD_SYSCALL`. */
export const ZX_ERR_BAD_SYSCALL: number = -13;
/** Status `ZX_ERR_OUT_OF_RANGE`. */
export const ZX_ERR_OUT_OF_RANGE: number = -14;
/** Status `ZX_ERR_BUFFER_TOO_SMALL`. */
export const ZX_ERR_BUFFER_TOO_SMALL: number = -15;
/** Status `ZX_ERR_BAD_STATE`. */
export const ZX_ERR_BAD_STATE: number = -20;
/** Status `ZX_ERR_TIMED_OUT`. */
export const ZX_ERR_TIMED_OUT: number = -21;
/** Status `ZX_ERR_SHOULD_WAIT`. */
export const ZX_ERR_SHOULD_WAIT: number = -22;
/** Status `ZX_ERR_CANCELED`. */
export const ZX_ERR_CANCELED: number = -23;
/** Status `ZX_ERR_PEER_CLOSED`. */
export const ZX_ERR_PEER_CLOSED: number = -24;
/** Status `ZX_ERR_NOT_FOUND`. */
export const ZX_ERR_NOT_FOUND: number = -25;
/** Status `ZX_ERR_ALREADY_EXISTS`. */
export const ZX_ERR_ALREADY_EXISTS: number = -26;
/** Status `ZX_ERR_UNAVAILABLE`. */
export const ZX_ERR_UNAVAILABLE: number = -28;
/** Status `ZX_ERR_ACCESS_DENIED`. */
export const ZX_ERR_ACCESS_DENIED: number = -30;
/** Status `ZX_ERR_IO`. */
export const ZX_ERR_IO: number = -40;
/** Status `ZX_ERR_IO_REFUSED`. */
export const ZX_ERR_IO_REFUSED: number = -41;
/** Status `ZX_ERR_IO_DATA_INTEGRITY`. */
export const ZX_ERR_IO_DATA_INTEGRITY: number = -42;
/** Status `ZX_ERR_IO_DATA_LOSS`. */
export const ZX_ERR_IO_DATA_LOSS: number = -43;
/** Status `ZX_ERR_IO_NOT_PRESENT`. */
export const ZX_ERR_IO_NOT_PRESENT: number = -44;
/** Status `ZX_ERR_IO_OVERRUN`. */
export const ZX_ERR_IO_OVERRUN: number = -45;
/** Status `ZX_ERR_IO_MISSED_DEADLINE`. */
export const ZX_ERR_IO_MISSED_DEADLINE: number = -46;
/** Status `ZX_ERR_IO_INVALID`. */
export const ZX_ERR_IO_INVALID: number = -47;
/** Status `ZX_ERR_NO_SPACE`. */
export const ZX_ERR_NO_SPACE: number = -54;
/** Kernel-internal: the wait was interrupted by suspension; the operation restarts. */
export const ZX_ERR_INTERNAL_INTR_RETRY: number = -6;
/** Kernel-internal: the waiting thread was killed. */
export const ZX_ERR_INTERNAL_INTR_KILLED: number = -502;

const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [ZX_OK, "ZX_OK"],
  [ZX_ERR_INTERNAL, "ZX_ERR_INTERNAL"],
  [ZX_ERR_NOT_SUPPORTED, "ZX_ERR_NOT_SUPPORTED"],
  [ZX_ERR_NO_RESOURCES, "ZX_ERR_NO_RESOURCES"],
  [ZX_ERR_NO_MEMORY, "ZX_ERR_NO_MEMORY"],
  [ZX_ERR_INVALID_ARGS, "ZX_ERR_INVALID_ARGS"],
  [ZX_ERR_BAD_HANDLE, "ZX_ERR_BAD_HANDLE"],
  [ZX_ERR_WRONG_TYPE, "ZX_ERR_WRONG_TYPE"],
  [ZX_ERR_BAD_SYSCALL, "ZX_ERR_BAD_SYSCALL"],
  [ZX_ERR_OUT_OF_RANGE, "ZX_ERR_OUT_OF_RANGE"],
  [ZX_ERR_BUFFER_TOO_SMALL, "ZX_ERR_BUFFER_TOO_SMALL"],
  [ZX_ERR_BAD_STATE, "ZX_ERR_BAD_STATE"],
  [ZX_ERR_TIMED_OUT, "ZX_ERR_TIMED_OUT"],
  [ZX_ERR_SHOULD_WAIT, "ZX_ERR_SHOULD_WAIT"],
  [ZX_ERR_CANCELED, "ZX_ERR_CANCELED"],
  [ZX_ERR_PEER_CLOSED, "ZX_ERR_PEER_CLOSED"],
  [ZX_ERR_NOT_FOUND, "ZX_ERR_NOT_FOUND"],
  [ZX_ERR_ALREADY_EXISTS, "ZX_ERR_ALREADY_EXISTS"],
  [ZX_ERR_UNAVAILABLE, "ZX_ERR_UNAVAILABLE"],
  [ZX_ERR_ACCESS_DENIED, "ZX_ERR_ACCESS_DENIED"],
  [ZX_ERR_IO, "ZX_ERR_IO"],
  [ZX_ERR_IO_REFUSED, "ZX_ERR_IO_REFUSED"],
  [ZX_ERR_IO_DATA_INTEGRITY, "ZX_ERR_IO_DATA_INTEGRITY"],
  [ZX_ERR_IO_DATA_LOSS, "ZX_ERR_IO_DATA_LOSS"],
  [ZX_ERR_IO_NOT_PRESENT, "ZX_ERR_IO_NOT_PRESENT"],
  [ZX_ERR_IO_OVERRUN, "ZX_ERR_IO_OVERRUN"],
  [ZX_ERR_IO_MISSED_DEADLINE, "ZX_ERR_IO_MISSED_DEADLINE"],
  [ZX_ERR_IO_INVALID, "ZX_ERR_IO_INVALID"],
  [ZX_ERR_NO_SPACE, "ZX_ERR_NO_SPACE"],
  [ZX_ERR_INTERNAL_INTR_RETRY, "ZX_ERR_INTERNAL_INTR_RETRY"],
  [ZX_ERR_INTERNAL_INTR_KILLED, "ZX_ERR_INTERNAL_INTR_KILLED"],
]);

/**
 * The symbolic name of a status code, for traces and reports.
 *
 * @example
 * ```ts
 * import { statusName, ZX_ERR_BAD_STATE } from "./constants.ts";
 * console.assert(statusName(ZX_ERR_BAD_STATE) === "ZX_ERR_BAD_STATE");
 * ```
 */
export function statusName(status: Status): string {
  return STATUS_NAMES.get(status) ?? `ZX_STATUS(${status})`;
}

/**
 * Whether `value` is one of the statuses above (what every syscall returns).
 *
 * @example
 * ```ts
 * import { isStatus, ZX_ERR_IO } from "./constants.ts";
 * console.assert(isStatus(ZX_ERR_IO) && !isStatus(undefined) && !isStatus(-1000));
 * ```
 */
export function isStatus(value: unknown): value is Status {
  return typeof value === "number" && STATUS_NAMES.has(value);
}

/**
 * Status codes `zx_pager_op_range(ZX_PAGER_OP_FAIL)` accepts
 * (`PageSource::IsValidExternalFailureCode`, zircon/kernel/vm/page_source.cc @ misttech/fuchsia
 * d72ea0ee): the IO sub-codes of {@linkcode IO_SUB_CODES} other than `ZX_ERR_IO_DATA_INTEGRITY`
 * are not among them, so OP_FAIL refuses them with `ZX_ERR_INVALID_ARGS` (spec 2.5.1).
 */
export const PAGER_FAIL_CODES: readonly Status[] = [
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
];

/**
 * The `ZX_ERR_IO_*` sub-codes of zircon/errors.h (-41 to -47). A pager may
 * pass only `ZX_ERR_IO_DATA_INTEGRITY` of them to OP_FAIL; the others are
 * `ZX_ERR_INVALID_ARGS` there ({@linkcode PAGER_FAIL_CODES}), and so can
 * never reach a faulting thread.
 *
 * @example
 * ```ts
 * import { IO_SUB_CODES, PAGER_FAIL_CODES, ZX_ERR_IO_DATA_INTEGRITY } from "./constants.ts";
 * const accepted = IO_SUB_CODES.filter((c) => PAGER_FAIL_CODES.includes(c));
 * console.assert(accepted.length === 1 && accepted[0] === ZX_ERR_IO_DATA_INTEGRITY);
 * ```
 */
export const IO_SUB_CODES: readonly Status[] = [
  ZX_ERR_IO_REFUSED,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_IO_DATA_LOSS,
  ZX_ERR_IO_NOT_PRESENT,
  ZX_ERR_IO_OVERRUN,
  ZX_ERR_IO_MISSED_DEADLINE,
  ZX_ERR_IO_INVALID,
];

// Rights (zircon/rights.h).
/** Right(s) `ZX_RIGHT_NONE`. */
export const ZX_RIGHT_NONE = 0;
/** Right(s) `ZX_RIGHT_DUPLICATE`. */
export const ZX_RIGHT_DUPLICATE: number = 1 << 0;
/** Right(s) `ZX_RIGHT_TRANSFER`. */
export const ZX_RIGHT_TRANSFER: number = 1 << 1;
/** Right(s) `ZX_RIGHT_READ`. */
export const ZX_RIGHT_READ: number = 1 << 2;
/** Right(s) `ZX_RIGHT_WRITE`. */
export const ZX_RIGHT_WRITE: number = 1 << 3;
/** Right(s) `ZX_RIGHT_EXECUTE`. */
export const ZX_RIGHT_EXECUTE: number = 1 << 4;
/** Right(s) `ZX_RIGHT_MAP`. */
export const ZX_RIGHT_MAP: number = 1 << 5;
/** Right(s) `ZX_RIGHT_GET_PROPERTY`. */
export const ZX_RIGHT_GET_PROPERTY: number = 1 << 6;
/** Right(s) `ZX_RIGHT_SET_PROPERTY`. */
export const ZX_RIGHT_SET_PROPERTY: number = 1 << 7;
/** Right(s) `ZX_RIGHT_ENUMERATE`. */
export const ZX_RIGHT_ENUMERATE: number = 1 << 8;
/** Right(s) `ZX_RIGHT_DESTROY`. */
export const ZX_RIGHT_DESTROY: number = 1 << 9;
/** Right(s) `ZX_RIGHT_SIGNAL`. */
export const ZX_RIGHT_SIGNAL: number = 1 << 12;
/** Right(s) `ZX_RIGHT_WAIT`. */
export const ZX_RIGHT_WAIT: number = 1 << 14;
/** Right(s) `ZX_RIGHT_INSPECT`. */
export const ZX_RIGHT_INSPECT: number = 1 << 15;
/** Right(s) `ZX_RIGHT_MANAGE_THREAD`. */
export const ZX_RIGHT_MANAGE_THREAD: number = 1 << 18;
/** Right(s) `ZX_RIGHT_RESIZE`. */
export const ZX_RIGHT_RESIZE: number = 1 << 22;
/** Right(s) `ZX_RIGHT_ATTACH_VMO`. */
export const ZX_RIGHT_ATTACH_VMO: number = 1 << 23;
/** Right(s) `ZX_RIGHT_MANAGE_VMO`. */
export const ZX_RIGHT_MANAGE_VMO: number = 1 << 24;
/** `ZX_RIGHT_SAME_RIGHTS`: keep the rights of the source handle. */
export const ZX_RIGHT_SAME_RIGHTS: number = 1 << 31 >>> 0;

/** `ZX_RIGHTS_BASIC`: transfer, duplicate, wait, inspect. */
export const ZX_RIGHTS_BASIC: number = ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT |
  ZX_RIGHT_INSPECT;
/** Right(s) `ZX_RIGHTS_IO`. */
export const ZX_RIGHTS_IO: number = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
/** Right(s) `ZX_RIGHTS_PROPERTY`. */
export const ZX_RIGHTS_PROPERTY: number = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
/** `ZX_DEFAULT_VMO_RIGHTS` (0xD0EF); resizable VMOs also get RESIZE. */
export const ZX_DEFAULT_VMO_RIGHTS: number = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY |
  ZX_RIGHT_MAP | ZX_RIGHT_SIGNAL;
/** Ports have no WAIT right (`ZX_DEFAULT_PORT_RIGHTS` = 0x800F). */
export const ZX_DEFAULT_PORT_RIGHTS: number = (ZX_RIGHTS_BASIC & ~ZX_RIGHT_WAIT) | ZX_RIGHTS_IO;
/** Pager handles have no DUPLICATE and no WAIT (`ZX_DEFAULT_PAGER_RIGHTS`). */
export const ZX_DEFAULT_PAGER_RIGHTS: number = ZX_RIGHT_TRANSFER | ZX_RIGHT_INSPECT |
  ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO;
/** The rights a thread handle gets. */
export const ZX_DEFAULT_THREAD_RIGHTS: number = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO |
  ZX_RIGHTS_PROPERTY |
  ZX_RIGHT_SIGNAL | ZX_RIGHT_MANAGE_THREAD | ZX_RIGHT_DESTROY;
/** `ZX_DEFAULT_EVENT_RIGHTS`: the basic rights plus SIGNAL (event_create.md). */
export const ZX_DEFAULT_EVENT_RIGHTS: number = ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL;
/** `ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS`: the rights a new handle of this type gets. */
export const ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS: number = ZX_RIGHT_TRANSFER | ZX_RIGHT_INSPECT;
/** `ZX_DEFAULT_BTI_RIGHTS`: basic, I/O and MAP (zircon/rights.h). */
export const ZX_DEFAULT_BTI_RIGHTS: number = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_MAP;
/** `ZX_DEFAULT_PMT_RIGHTS`: INSPECT only (zircon/rights.h). */
export const ZX_DEFAULT_PMT_RIGHTS: number = ZX_RIGHT_INSPECT;

// Object types (zircon/types.h).
/** Object type `ZX_OBJ_TYPE_THREAD`. */
export const ZX_OBJ_TYPE_THREAD = 2;
/** Object type `ZX_OBJ_TYPE_VMO`. */
export const ZX_OBJ_TYPE_VMO = 3;
/** Object type `ZX_OBJ_TYPE_EVENT`. */
export const ZX_OBJ_TYPE_EVENT = 5;
/** Object type `ZX_OBJ_TYPE_PORT`. */
export const ZX_OBJ_TYPE_PORT = 6;
/** Object type `ZX_OBJ_TYPE_VMAR`. */
export const ZX_OBJ_TYPE_VMAR = 4;
/** Object type `ZX_OBJ_TYPE_SUSPEND_TOKEN`. */
export const ZX_OBJ_TYPE_SUSPEND_TOKEN = 19;
/** Object type `ZX_OBJ_TYPE_BTI`. */
export const ZX_OBJ_TYPE_BTI = 24;
/** Object type `ZX_OBJ_TYPE_PMT`. */
export const ZX_OBJ_TYPE_PMT = 26;
/** Object type `ZX_OBJ_TYPE_PAGER`. */
export const ZX_OBJ_TYPE_PAGER = 28;

// Signals (zircon/types.h).
/** `ZX_USER_SIGNAL_ALL`: the eight user signals, `ZX_USER_SIGNAL_0` (1 << 24) to `_7`. */
export const ZX_USER_SIGNAL_ALL: number = 0xff00_0000;
/** `ZX_USER_SIGNAL_0`, the first user signal (events and VMOs take all eight). */
export const ZX_USER_SIGNAL_0: number = 1 << 24;
/** `ZX_EVENT_SIGNALED`: the event's own signal, settable besides the user signals. */
export const ZX_EVENT_SIGNALED: number = 1 << 3;
/**
 * `ZX_VMO_ZERO_CHILDREN`: active while the VMO has no children (a child kept
 * alive only by a mapping or a pin still counts), the VMO's own mappings do
 * not matter (vmo_create.md; vm_object_dispatcher.cc `OnZeroChild`).
 */
export const ZX_VMO_ZERO_CHILDREN: number = 1 << 3;

// Waits (zircon/syscalls/port.h, futex).
/** `zx_object_wait_async` option `ZX_WAIT_ASYNC_ONCE` (0): one packet, then the wait is gone. */
export const ZX_WAIT_ASYNC_ONCE = 0;
/** `zx_object_wait_async` option `ZX_WAIT_ASYNC_TIMESTAMP`: the packet carries the time. */
export const ZX_WAIT_ASYNC_TIMESTAMP = 1;
/** Port packet type `ZX_PKT_TYPE_SIGNAL_ONE`: an async wait's signals became active. */
export const ZX_PKT_TYPE_SIGNAL_ONE = 1;

// VMO creation options.
/** VMO creation option `ZX_VMO_RESIZABLE`. */
export const ZX_VMO_RESIZABLE: number = 1 << 1;
/** VMO creation option `ZX_VMO_DISCARDABLE`. */
export const ZX_VMO_DISCARDABLE: number = 1 << 2;
/** VMO creation option `ZX_VMO_TRAP_DIRTY`. */
export const ZX_VMO_TRAP_DIRTY: number = 1 << 3;
/** VMO creation option `ZX_VMO_UNBOUNDED`. */
export const ZX_VMO_UNBOUNDED: number = 1 << 5;

// zx_vmo_op_range ops.
/** `zx_vmo_op_range` op `ZX_VMO_OP_COMMIT`. */
export const ZX_VMO_OP_COMMIT = 1;
/** `zx_vmo_op_range` op `ZX_VMO_OP_DECOMMIT`. */
export const ZX_VMO_OP_DECOMMIT = 2;
/** `zx_vmo_op_range` op `ZX_VMO_OP_LOCK`. */
export const ZX_VMO_OP_LOCK = 3;
/** `zx_vmo_op_range` op `ZX_VMO_OP_UNLOCK`. */
export const ZX_VMO_OP_UNLOCK = 4;
/** `zx_vmo_op_range` op `ZX_VMO_OP_CACHE_SYNC`. */
export const ZX_VMO_OP_CACHE_SYNC = 6;
/** `zx_vmo_op_range` op `ZX_VMO_OP_ZERO`. */
export const ZX_VMO_OP_ZERO = 10;
/** `zx_vmo_op_range` op `ZX_VMO_OP_TRY_LOCK`. */
export const ZX_VMO_OP_TRY_LOCK = 11;
/** `zx_vmo_op_range` op `ZX_VMO_OP_DONT_NEED`. */
export const ZX_VMO_OP_DONT_NEED = 12;
/** `zx_vmo_op_range` op `ZX_VMO_OP_ALWAYS_NEED`. */
export const ZX_VMO_OP_ALWAYS_NEED = 13;
/** `zx_vmo_op_range` op `ZX_VMO_OP_PREFETCH`. */
export const ZX_VMO_OP_PREFETCH = 14;

// zx_pager_op_range ops.
/** `zx_pager_op_range` op `ZX_PAGER_OP_FAIL`. */
export const ZX_PAGER_OP_FAIL = 1;
/** `zx_pager_op_range` op `ZX_PAGER_OP_DIRTY`. */
export const ZX_PAGER_OP_DIRTY = 2;
/** `zx_pager_op_range` op `ZX_PAGER_OP_WRITEBACK_BEGIN`. */
export const ZX_PAGER_OP_WRITEBACK_BEGIN = 3;
/** `zx_pager_op_range` op `ZX_PAGER_OP_WRITEBACK_END`. */
export const ZX_PAGER_OP_WRITEBACK_END = 4;

// Ports and packets.
/** Port packet type `ZX_PKT_TYPE_USER`. */
export const ZX_PKT_TYPE_USER = 0;
/** Port packet type `ZX_PKT_TYPE_PAGE_REQUEST`. */
export const ZX_PKT_TYPE_PAGE_REQUEST = 9;
/** Page request packet command `ZX_PAGER_VMO_READ`. */
export const ZX_PAGER_VMO_READ = 0;
/** Page request packet command `ZX_PAGER_VMO_COMPLETE`. */
export const ZX_PAGER_VMO_COMPLETE = 1;
/** Page request packet command `ZX_PAGER_VMO_DIRTY`. */
export const ZX_PAGER_VMO_DIRTY = 2;

// zx_object_get_info.
/** `ZX_INFO_VMO` (topic 23, version 3). */
export const ZX_INFO_VMO: number = 0x30000017;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_TYPE_PAGED`. */
export const ZX_INFO_VMO_TYPE_PAGED: number = 1 << 0;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_RESIZABLE`. */
export const ZX_INFO_VMO_RESIZABLE: number = 1 << 1;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_IS_COW_CLONE`. */
export const ZX_INFO_VMO_IS_COW_CLONE: number = 1 << 2;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_VIA_HANDLE`. */
export const ZX_INFO_VMO_VIA_HANDLE: number = 1 << 3;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_PAGER_BACKED`. */
export const ZX_INFO_VMO_PAGER_BACKED: number = 1 << 5;
/** `zx_info_vmo_t.flags` bit `ZX_INFO_VMO_CONTIGUOUS` (`zx_vmo_create_contiguous`). */
export const ZX_INFO_VMO_CONTIGUOUS: number = 1 << 6;

// zx_vmar_map permissions.
/** `zx_vmar_map` option `ZX_VM_PERM_READ`. */
export const ZX_VM_PERM_READ: number = 1 << 0;
/** `zx_vmar_map` option `ZX_VM_PERM_WRITE`. */
export const ZX_VM_PERM_WRITE: number = 1 << 1;
/** `zx_vmar_map` option `ZX_VM_SPECIFIC`: map at `vmar_offset`; fails on overlap. */
export const ZX_VM_SPECIFIC: number = 1 << 4;
/** `zx_vmar_map` option `ZX_VM_SPECIFIC_OVERWRITE`: map at `vmar_offset`, replacing mappings. */
export const ZX_VM_SPECIFIC_OVERWRITE: number = 1 << 5;
/** `zx_vmar_map` option `ZX_VM_MAP_RANGE`: pre-populate present pages, never request (2.8.5). */
export const ZX_VM_MAP_RANGE: number = 1 << 10;
/** `zx_vmar_map`/`zx_vmar_protect` option `ZX_VM_PERM_EXECUTE` (the model never executes). */
export const ZX_VM_PERM_EXECUTE: number = 1 << 2;
/** `zx_vmar_allocate` option `ZX_VM_COMPACT`: a placement hint (the model always packs). */
export const ZX_VM_COMPACT: number = 1 << 3;
/** `zx_vmar_allocate` option `ZX_VM_CAN_MAP_SPECIFIC`: children may be placed with SPECIFIC. */
export const ZX_VM_CAN_MAP_SPECIFIC: number = 1 << 6;
/** `zx_vmar_allocate` option `ZX_VM_CAN_MAP_READ`: mappings in the region may be readable. */
export const ZX_VM_CAN_MAP_READ: number = 1 << 7;
/** `zx_vmar_allocate` option `ZX_VM_CAN_MAP_WRITE`: mappings in the region may be writable. */
export const ZX_VM_CAN_MAP_WRITE: number = 1 << 8;
/** `zx_vmar_allocate` option `ZX_VM_CAN_MAP_EXECUTE`: mappings in the region may be executable. */
export const ZX_VM_CAN_MAP_EXECUTE: number = 1 << 9;

/** The bytes the model copies out for a `zx_info_vmo_t` record (its koid first). */
export const ZX_INFO_VMO_BYTES = 160;

// zx_bti_pin options (zircon/types.h).
/** `zx_bti_pin` option `ZX_BTI_PERM_READ`: the device may read the pages. */
export const ZX_BTI_PERM_READ: number = 1 << 0;
/** `zx_bti_pin` option `ZX_BTI_PERM_WRITE`: the device may write the pages. */
export const ZX_BTI_PERM_WRITE: number = 1 << 1;
/** `zx_bti_pin` option `ZX_BTI_PERM_EXECUTE`. */
export const ZX_BTI_PERM_EXECUTE: number = 1 << 2;
/** `zx_bti_pin` option `ZX_BTI_COMPRESS`: one address per minimum contiguity. */
export const ZX_BTI_COMPRESS: number = 1 << 3;
/** `zx_bti_pin` option `ZX_BTI_CONTIGUOUS`: only for contiguous VMOs (`zx_vmo_create_contiguous`). */
export const ZX_BTI_CONTIGUOUS: number = 1 << 4;

// zx_vmar_op_range ops (zircon/types.h: the VMO op numbers where both exist).
/** `zx_vmar_op_range` op `ZX_VMAR_OP_COMMIT`. */
export const ZX_VMAR_OP_COMMIT = 1;
/** `zx_vmar_op_range` op `ZX_VMAR_OP_DECOMMIT`. */
export const ZX_VMAR_OP_DECOMMIT = 2;
/** `zx_vmar_op_range` op `ZX_VMAR_OP_MAP_RANGE`. */
export const ZX_VMAR_OP_MAP_RANGE = 3;
/** `zx_vmar_op_range` op `ZX_VMAR_OP_DONT_NEED`. */
export const ZX_VMAR_OP_DONT_NEED = 12;
/** `zx_vmar_op_range` op `ZX_VMAR_OP_ALWAYS_NEED`. */
export const ZX_VMAR_OP_ALWAYS_NEED = 13;
/** `zx_vmar_op_range` op `ZX_VMAR_OP_PREFETCH`. */
export const ZX_VMAR_OP_PREFETCH = 14;
/** `ZX_DEFAULT_VMAR_RIGHTS`: the rights a new handle of this type gets. */
export const ZX_DEFAULT_VMAR_RIGHTS: number = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_EXECUTE;

/** `ZX_KOID_INVALID`: no object (what `zx_futex_get_owner` reports for a futex without owner). */
export const ZX_KOID_INVALID = 0;

/** `ZX_TIME_INFINITE`, in virtual ticks. */
export const ZX_TIME_INFINITE: number = Number.POSITIVE_INFINITY;

/**
 * The model's explicit limits, in one place. Each is checked where it applies
 * and reported by name when exceeded.
 */
export const LIMITS = {
  /** Largest VMO size the model accepts, in bytes (Zircon's max is near 2^64; ours fits doubles). */
  maxVmoBytes: 2 ** 40,
  /** Pages a `zx_vmo_write` waits for in one request (`kMaxWriteWaitPages`). */
  maxWriteWaitPages: 16,
  /** Handles one simulated process may hold. */
  maxHandles: 1 << 16,
  /** Packets one port may hold (user packets; pager packets are preallocated and exempt). */
  maxPortPackets: 4096,
  /** Largest page size a scenario may choose. */
  maxPageSize: 1 << 16,
  /** Smallest page size a scenario may choose (must hold one 64-bit pattern word). */
  minPageSize: 8,
} as const;

// Level 2: dirty tracking, writeback, stats, children (syscalls-next.h, types.h).
/** `zx_vmo_dirty_range_t.options` bit: the range is a zero interval. */
export const ZX_VMO_DIRTY_RANGE_IS_ZERO = 1;
/** Size of one `zx_vmo_dirty_range_t` (offset, length, options: three u64). */
export const ZX_VMO_DIRTY_RANGE_SIZE = 24;
/** `zx_pager_query_vmo_stats` option: clear the modified flag after reading it. */
export const ZX_PAGER_RESET_VMO_STATS = 1;
/** `zx_pager_vmo_stats_t.modified` value: the VMO was modified. */
export const ZX_PAGER_VMO_STATS_MODIFIED = 1;
/** Size of `zx_pager_vmo_stats_t` (one u32). */
export const ZX_PAGER_VMO_STATS_SIZE = 4;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_SNAPSHOT`. */
export const ZX_VMO_CHILD_SNAPSHOT: number = 1 << 0;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_RESIZABLE`. */
export const ZX_VMO_CHILD_RESIZABLE: number = 1 << 2;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_SLICE`. */
export const ZX_VMO_CHILD_SLICE: number = 1 << 3;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE`. */
export const ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE: number = 1 << 4;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_NO_WRITE`. */
export const ZX_VMO_CHILD_NO_WRITE: number = 1 << 5;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_REFERENCE`. */
export const ZX_VMO_CHILD_REFERENCE: number = 1 << 6;
/** `zx_vmo_create_child` option `ZX_VMO_CHILD_SNAPSHOT_MODIFIED`. */
export const ZX_VMO_CHILD_SNAPSHOT_MODIFIED: number = 1 << 7;
