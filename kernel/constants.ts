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

export const ZX_OK = 0;
export const ZX_ERR_INTERNAL = -1;
export const ZX_ERR_NOT_SUPPORTED = -2;
export const ZX_ERR_NO_RESOURCES = -3;
export const ZX_ERR_NO_MEMORY = -4;
export const ZX_ERR_INVALID_ARGS = -10;
export const ZX_ERR_BAD_HANDLE = -11;
export const ZX_ERR_WRONG_TYPE = -12;
export const ZX_ERR_BAD_SYSCALL = -13;
export const ZX_ERR_OUT_OF_RANGE = -14;
export const ZX_ERR_BUFFER_TOO_SMALL = -15;
export const ZX_ERR_BAD_STATE = -20;
export const ZX_ERR_TIMED_OUT = -21;
export const ZX_ERR_SHOULD_WAIT = -22;
export const ZX_ERR_CANCELED = -23;
export const ZX_ERR_PEER_CLOSED = -24;
export const ZX_ERR_NOT_FOUND = -25;
export const ZX_ERR_ALREADY_EXISTS = -26;
export const ZX_ERR_UNAVAILABLE = -28;
export const ZX_ERR_ACCESS_DENIED = -30;
export const ZX_ERR_IO = -40;
export const ZX_ERR_IO_DATA_INTEGRITY = -42;
export const ZX_ERR_NO_SPACE = -54;
/** Kernel-internal: the wait was interrupted by suspension; the operation restarts. */
export const ZX_ERR_INTERNAL_INTR_RETRY = -6;
/** Kernel-internal: the waiting thread was killed. */
export const ZX_ERR_INTERNAL_INTR_KILLED = -502;

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
  [ZX_ERR_IO_DATA_INTEGRITY, "ZX_ERR_IO_DATA_INTEGRITY"],
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

/** Status codes `zx_pager_op_range(ZX_PAGER_OP_FAIL)` accepts (`IsValidExternalFailureCode`). */
export const PAGER_FAIL_CODES: readonly Status[] = [
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
];

// Rights (zircon/rights.h).
export const ZX_RIGHT_NONE = 0;
export const ZX_RIGHT_DUPLICATE = 1 << 0;
export const ZX_RIGHT_TRANSFER = 1 << 1;
export const ZX_RIGHT_READ = 1 << 2;
export const ZX_RIGHT_WRITE = 1 << 3;
export const ZX_RIGHT_EXECUTE = 1 << 4;
export const ZX_RIGHT_MAP = 1 << 5;
export const ZX_RIGHT_GET_PROPERTY = 1 << 6;
export const ZX_RIGHT_SET_PROPERTY = 1 << 7;
export const ZX_RIGHT_ENUMERATE = 1 << 8;
export const ZX_RIGHT_DESTROY = 1 << 9;
export const ZX_RIGHT_SIGNAL = 1 << 12;
export const ZX_RIGHT_WAIT = 1 << 14;
export const ZX_RIGHT_INSPECT = 1 << 15;
export const ZX_RIGHT_MANAGE_THREAD = 1 << 18;
export const ZX_RIGHT_RESIZE = 1 << 22;
export const ZX_RIGHT_ATTACH_VMO = 1 << 23;
export const ZX_RIGHT_MANAGE_VMO = 1 << 24;
/** `ZX_RIGHT_SAME_RIGHTS`: keep the rights of the source handle. */
export const ZX_RIGHT_SAME_RIGHTS = 1 << 31 >>> 0;

export const ZX_RIGHTS_BASIC = ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WAIT |
  ZX_RIGHT_INSPECT;
export const ZX_RIGHTS_IO = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
export const ZX_RIGHTS_PROPERTY = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
export const ZX_DEFAULT_VMO_RIGHTS = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY |
  ZX_RIGHT_MAP | ZX_RIGHT_SIGNAL;
/** Ports have no WAIT right (`ZX_DEFAULT_PORT_RIGHTS` = 0x800F). */
export const ZX_DEFAULT_PORT_RIGHTS = (ZX_RIGHTS_BASIC & ~ZX_RIGHT_WAIT) | ZX_RIGHTS_IO;
/** Pager handles have no DUPLICATE and no WAIT (`ZX_DEFAULT_PAGER_RIGHTS`). */
export const ZX_DEFAULT_PAGER_RIGHTS = ZX_RIGHT_TRANSFER | ZX_RIGHT_INSPECT |
  ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO;
export const ZX_DEFAULT_THREAD_RIGHTS = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHTS_PROPERTY |
  ZX_RIGHT_SIGNAL | ZX_RIGHT_MANAGE_THREAD | ZX_RIGHT_DESTROY;
export const ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS = ZX_RIGHT_TRANSFER | ZX_RIGHT_INSPECT;

// Object types (zircon/types.h).
export const ZX_OBJ_TYPE_THREAD = 2;
export const ZX_OBJ_TYPE_VMO = 3;
export const ZX_OBJ_TYPE_PORT = 6;
export const ZX_OBJ_TYPE_VMAR = 4;
export const ZX_OBJ_TYPE_SUSPEND_TOKEN = 19;
export const ZX_OBJ_TYPE_PAGER = 28;

// VMO creation options.
export const ZX_VMO_RESIZABLE = 1 << 1;
export const ZX_VMO_DISCARDABLE = 1 << 2;
export const ZX_VMO_TRAP_DIRTY = 1 << 3;
export const ZX_VMO_UNBOUNDED = 1 << 5;

// zx_vmo_op_range ops.
export const ZX_VMO_OP_COMMIT = 1;
export const ZX_VMO_OP_DECOMMIT = 2;
export const ZX_VMO_OP_LOCK = 3;
export const ZX_VMO_OP_UNLOCK = 4;
export const ZX_VMO_OP_CACHE_SYNC = 6;
export const ZX_VMO_OP_ZERO = 10;
export const ZX_VMO_OP_TRY_LOCK = 11;
export const ZX_VMO_OP_DONT_NEED = 12;
export const ZX_VMO_OP_ALWAYS_NEED = 13;
export const ZX_VMO_OP_PREFETCH = 14;

// zx_pager_op_range ops.
export const ZX_PAGER_OP_FAIL = 1;
export const ZX_PAGER_OP_DIRTY = 2;
export const ZX_PAGER_OP_WRITEBACK_BEGIN = 3;
export const ZX_PAGER_OP_WRITEBACK_END = 4;

// Ports and packets.
export const ZX_PKT_TYPE_USER = 0;
export const ZX_PKT_TYPE_PAGE_REQUEST = 9;
export const ZX_PAGER_VMO_READ = 0;
export const ZX_PAGER_VMO_COMPLETE = 1;
export const ZX_PAGER_VMO_DIRTY = 2;

// zx_object_get_info.
/** `ZX_INFO_VMO` (topic 23, version 3). */
export const ZX_INFO_VMO = 0x30000017;
export const ZX_INFO_VMO_TYPE_PAGED = 1 << 0;
export const ZX_INFO_VMO_RESIZABLE = 1 << 1;
export const ZX_INFO_VMO_IS_COW_CLONE = 1 << 2;
export const ZX_INFO_VMO_VIA_HANDLE = 1 << 3;
export const ZX_INFO_VMO_PAGER_BACKED = 1 << 5;

// zx_vmar_map permissions.
export const ZX_VM_PERM_READ = 1 << 0;
export const ZX_VM_PERM_WRITE = 1 << 1;
export const ZX_DEFAULT_VMAR_RIGHTS = ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | ZX_RIGHT_EXECUTE;

/** `ZX_TIME_INFINITE`, in virtual ticks. */
export const ZX_TIME_INFINITE = Number.POSITIVE_INFINITY;

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
