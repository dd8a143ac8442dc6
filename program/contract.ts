/**
 * What each call may return: the allowed-status table per call (from
 * spec 2.1-2.5, 2.8 and kernel/kernel_errors_test.ts; blocking calls also
 * the pager error codes of spec 4.3), and the exact status the handle model
 * predicts when a check it can decide fails first (argument order, K27).
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";
import { type CallName, CALLS } from "./program.ts";
import { type HandleModel, subRights } from "./handle_model.ts";

const HANDLE = [ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED];

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

/** The statuses each call may return (before the pager errors of blocking calls). */
export const ALLOWED: Readonly<
  Record<Exclude<CallName, "mem_read" | "mem_write">, readonly Status[]>
> = {
  zx_pager_create: [ZX_OK, ZX_ERR_INVALID_ARGS],
  zx_pager_create_vmo: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_BAD_STATE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_NO_MEMORY,
  ],
  zx_pager_detach_vmo: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS],
  zx_pager_supply_pages: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_BAD_STATE,
  ],
  zx_pager_op_range: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_FOUND,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_BAD_STATE,
  ],
  zx_port_create: [ZX_OK, ZX_ERR_INVALID_ARGS],
  zx_port_queue: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_SHOULD_WAIT],
  zx_port_wait: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_TIMED_OUT],
  zx_port_cancel_key: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND],
  zx_handle_close: [ZX_OK, ZX_ERR_BAD_HANDLE],
  zx_handle_duplicate: [ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED, ZX_ERR_INVALID_ARGS],
  zx_handle_replace: [ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_INVALID_ARGS],
  zx_object_get_info: [ZX_OK, ZX_ERR_NOT_SUPPORTED, ...HANDLE],
  zx_vmo_create: [ZX_OK, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE, ZX_ERR_NO_MEMORY],
  zx_vmo_get_size: [ZX_OK, ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE],
  zx_vmo_read: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
  zx_vmo_write: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
  zx_vmo_op_range: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_OUT_OF_RANGE,
  ],
  zx_vmar_map: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_ALREADY_EXISTS,
    ZX_ERR_NO_RESOURCES,
  ],
  zx_vmar_unmap: [
    ZX_OK,
    ZX_ERR_BAD_HANDLE,
    ZX_ERR_WRONG_TYPE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_FOUND,
  ],
  zx_task_suspend: [ZX_OK, ...HANDLE, ZX_ERR_BAD_STATE, ZX_ERR_NOT_SUPPORTED],
  zx_task_kill: [ZX_OK, ...HANDLE],
  zx_vmo_set_size: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_UNAVAILABLE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_BAD_STATE,
    ZX_ERR_NO_MEMORY,
  ],
  zx_vmo_create_child: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_NOT_SUPPORTED,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_BAD_STATE,
    ZX_ERR_NO_MEMORY,
    ZX_ERR_NO_RESOURCES,
  ],
  zx_pager_query_dirty_ranges: [ZX_OK, ...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
  zx_pager_query_vmo_stats: [
    ZX_OK,
    ...HANDLE,
    ZX_ERR_INVALID_ARGS,
    ZX_ERR_BUFFER_TOO_SMALL,
  ],
};

/** Synthetic codes a fatal page fault may carry (spec 4.3; unmapped, read-only, shrunk). */
export const FAULT_CODES: readonly Status[] = [
  ZX_ERR_NOT_FOUND,
  ZX_ERR_ACCESS_DENIED,
  ...PAGER_ERRORS.filter((s) => s !== ZX_ERR_SHOULD_WAIT),
];

/** True if `status` is one the spec allows `call` to return. */
export function allowed(call: CallName, status: Status): boolean {
  if (call === "mem_read" || call === "mem_write") return false;
  return ALLOWED[call].includes(status) || (CALLS[call].blocking && PAGER_ERRORS.includes(status));
}

function isU64(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 2 ** 64;
}

/**
 * The status the call must return when a check the handle model can decide
 * fails first (alignment, handle lookups in argument order, the pager-koid
 * match, rights subsets), or exactly ZX_OK where nothing else can fail;
 * null when the outcome depends on kernel state the model does not track.
 */
export function predict(
  call: CallName,
  args: readonly unknown[],
  model: HandleModel,
  pageSize: number,
): Status | null {
  const aligned = (x: unknown) => isU64(x) && x % pageSize === 0;
  const checks: (() => Status | null)[] = [];
  const look = (i: number, type: number, rights: number) => () => {
    const st = model.lookup(args[i], type, rights);
    return st === ZX_OK ? null : st;
  };
  const sameOwner = (pager: number, vmo: number) => () =>
    model.get(args[vmo])!.pager === model.get(args[pager])!.object ? null : ZX_ERR_INVALID_ARGS;
  switch (call) {
    case "zx_pager_create_vmo":
      checks.push(
        look(0, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO),
        look(2, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      );
      break;
    case "zx_pager_detach_vmo":
      checks.push(
        look(0, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO),
        look(1, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
        sameOwner(0, 1),
        () => ZX_OK,
      );
      break;
    case "zx_pager_supply_pages":
      checks.push(
        () => aligned(args[2]) && aligned(args[3]) && aligned(args[5]) ? null : ZX_ERR_INVALID_ARGS,
        look(0, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
        look(1, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
        sameOwner(0, 1),
        look(4, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE),
      );
      break;
    case "zx_pager_op_range":
      checks.push(
        () => aligned(args[3]) && aligned(args[4]) ? null : ZX_ERR_INVALID_ARGS,
        look(0, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
        look(2, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
        sameOwner(0, 2),
      );
      break;
    case "zx_port_queue":
    case "zx_port_cancel_key":
      checks.push(look(0, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE));
      break;
    case "zx_port_wait":
      checks.push(look(0, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ));
      break;
    case "zx_handle_close":
      checks.push(() => args[0] === 0 || model.get(args[0]) ? ZX_OK : ZX_ERR_BAD_HANDLE);
      break;
    case "zx_handle_duplicate":
      checks.push(() => {
        const h = model.get(args[0]);
        if (h === undefined) return ZX_ERR_BAD_HANDLE;
        if (!(h.rights & ZX_RIGHT_DUPLICATE)) return ZX_ERR_ACCESS_DENIED;
        return subRights(h.rights, args[1]) === undefined ? ZX_ERR_INVALID_ARGS : ZX_OK;
      });
      break;
    case "zx_handle_replace":
      checks.push(() => {
        const h = model.get(args[0]);
        if (h === undefined) return ZX_ERR_BAD_HANDLE;
        return subRights(h.rights, args[1]) === undefined ? ZX_ERR_INVALID_ARGS : ZX_OK;
      });
      break;
    case "zx_object_get_info":
      checks.push(
        () => args[1] === ZX_INFO_VMO ? null : ZX_ERR_NOT_SUPPORTED,
        look(0, ZX_OBJ_TYPE_VMO, ZX_RIGHT_INSPECT),
        () => ZX_OK,
      );
      break;
    case "zx_vmo_get_size":
      checks.push(look(0, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE), () => ZX_OK);
      break;
    case "zx_vmo_read":
      checks.push(look(0, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ));
      break;
    case "zx_vmo_write":
      checks.push(look(0, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE));
      break;
    case "zx_vmo_op_range":
      checks.push(
        look(0, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
        () =>
          (args[1] === ZX_VMO_OP_COMMIT || args[1] === ZX_VMO_OP_DECOMMIT) &&
            !(model.get(args[0])!.rights & ZX_RIGHT_WRITE)
            ? ZX_ERR_ACCESS_DENIED
            : null,
      );
      break;
    case "zx_vmar_map":
      checks.push(
        look(0, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
        look(3, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP),
        () => {
          const options = args[1] as number;
          const writable = (options & ZX_VM_PERM_WRITE) !== 0;
          if (writable && !(options & ZX_VM_PERM_READ)) return ZX_ERR_INVALID_ARGS;
          const need = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
          return (model.get(args[3])!.rights & need) === need ? null : ZX_ERR_ACCESS_DENIED;
        },
      );
      break;
    case "zx_vmar_unmap":
      checks.push(look(0, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE));
      break;
    case "zx_task_suspend":
      checks.push(look(0, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE));
      break;
    case "zx_task_kill":
      checks.push(look(0, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY), () => ZX_OK);
      break;
  }
  for (const check of checks) {
    const st = check();
    if (st !== null) return st;
  }
  return null;
}
