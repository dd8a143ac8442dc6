/**
 * The syscall descriptor table: every call a simulated thread can make, with
 * its parameters (handle parameters with the object type and rights the
 * kernel looks them up with, in order), what it returns and produces, whether
 * it may park the thread, and the error statuses the spec allows it.
 *
 * Everything else about the syscall surface derives from this table: the
 * kernel's entry and exit of each call ({@linkcode ./kernel.ts}), the
 * thread-side `Sys` methods (sim/sys.ts), the program-fuzzing vocabulary, its
 * weights and allowed-status table (fuzz/programs/), the handle model's
 * lookups, and the call sets of checkers and exploration.
 *
 * Adding a syscall `zx_foo_bar` (see `zx_event_create` for one done so):
 * 1. its signature in {@linkcode KernelCalls} and its row in
 *    {@linkcode SYSCALLS} (parameters, result, errors, weight, ...);
 * 2. its implementation: the protected method `fooBar` of `Kernel`
 *    (kernel/kernel.ts; VMAR and BTI/PMT calls in `VmarCalls`,
 *    kernel/kernel_vmar.ts), typed `(t, ...args: CallArgs<"zx_foo_bar">):
 *    CallImpl<"zx_foo_bar">`, returning a bare status when it fails (the
 *    table's entry and exit emit the events and shape the result), plus the
 *    objects and constants it needs;
 * 3. its error rows in kernel/kernel_errors_test.ts.
 *
 * @module
 */

import {
  type Status,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_EVENT_RIGHTS,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_SUSPEND_TOKEN,
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
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
} from "./constants.ts";
import { ALLOCATING_CALLS, type AllocFailure } from "./alloc_fault.ts";
import type { DirtyRange } from "./dirty.ts";
import type { EventSink, KernelEvent, Packet, UserPacket } from "./events.ts";
import type { HandleTable } from "./handles.ts";
import type { KernelThread } from "./objects.ts";
import type { Syscall } from "./yields.ts";

/** `zx_info_vmo_t`, the fields the model tracks. */
export interface VmoInfo {
  /** The VMO's kernel object id. */
  readonly koid: number;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** `ZX_INFO_VMO_*` flags (paged, resizable, pager-backed, COW clone, via handle). */
  readonly flags: number;
  /** Bytes of committed pages (zero markers and zero intervals hold none). */
  readonly committedBytes: number;
  /** Bytes of populated pages (the model counts as committed). */
  readonly populatedBytes: number;
  /** Populated bytes with shared pages split among their sharers (`populated_scaled_bytes`). */
  readonly populatedScaledBytes: number;
  /** Rights of the handle that was queried. */
  readonly handleRights: number;
  /** Children (clones, slices, references) alive, counted on the VMO they were created from. */
  readonly numChildren: number;
}

/** `zx_pager_vmo_stats_t`. */
export interface PagerVmoStats {
  /** `ZX_PAGER_VMO_STATS_MODIFIED` or 0. */
  readonly modified: number;
}

/** What kind of value a parameter wants (the program generator's guide; the kernel sees any value). */
export type Param =
  | "pager"
  | "port"
  | "vmo"
  | "aux"
  | "thread"
  | "vmar"
  | "bti"
  | "pmt"
  | "handle"
  | "options"
  | "btiOptions"
  | "vmoOptions"
  | "size"
  | "key"
  | "offset"
  | "length"
  | "pagerOp"
  | "failData"
  | "vmoOp"
  | "rights"
  | "topic"
  | "deadline"
  | "buffer"
  | "userPacket"
  | "mapOptions"
  | "vmarOffset"
  | "address"
  | "pktOffset"
  | "pktLength"
  | "childOptions"
  | "bufferSize"
  | "vmarOptions"
  | "vmarOp"
  | "protectOptions"
  | "userBuffer";

/** What a call's successful result is, as a resource later calls can name. */
export type Produces =
  | "pager"
  | "port"
  | "vmo"
  | "token"
  | "event"
  | "vmar"
  | "bti"
  | "pmt"
  | "same"
  | "addr"
  | "packet"
  | null;

/**
 * The shape of a call's result: a bare status, or a status and a handle, a
 * number, bytes, a packet, a record, pager VMO stats (`zx_pager_query_vmo_stats`, whose flags its
 * `ret` event shows) or dirty ranges (`handleAddr`: a handle
 * and an address, `zx_vmar_allocate`; `none`: a memory access, which returns
 * no status).
 */
export type ResultKind =
  | "status"
  | "handle"
  | "handleAddr"
  | "value"
  | "bytes"
  | "packet"
  | "record"
  | "stats"
  | "ranges"
  | "none";

/** How the kernel looks a handle parameter up (the lookups run in parameter order). */
export interface HandleLookup {
  /** `ZX_OBJ_TYPE_*` the handle must name (`ZX_OBJ_TYPE_NONE`, 0: any type). */
  readonly type: number;
  /** Rights the handle must hold. */
  readonly rights: number;
  /** A pager VMO that must belong to the pager named by this parameter index (else INVALID_ARGS). */
  readonly ownedBy?: number;
}

/** One parameter of a call. */
export interface ParamSpec {
  /** Zircon's name for it. */
  readonly name: string;
  /** What kind of value it wants. */
  readonly kind: Param;
  /** For handle parameters the kernel looks up by type and rights. */
  readonly handle?: HandleLookup;
  /** Must be page-aligned, checked before any handle lookup (else INVALID_ARGS). */
  readonly alignedFirst?: boolean;
  /**
   * A trailing parameter a caller may leave out (a user buffer's address: left
   * out, the model hands the bytes over itself); program fuzzing sometimes passes
   * it, and a call event shows it only when given.
   */
  readonly optional?: boolean;
}

/** One row of the table. */
export interface SyscallSpec {
  /** Parameters in Zircon's order (the calling thread is implicit). */
  readonly params: readonly ParamSpec[];
  /** The shape of the result. */
  readonly result: ResultKind;
  /** What later calls can name of a successful result. */
  readonly produces: Produces;
  /**
   * `pager`: may park the thread on a page request (pager errors allowed); `port`: on a port;
   * `object`: on an object's signals or a futex.
   */
  readonly blocks: "pager" | "port" | "object" | null;
  /** Error statuses the spec allows it besides ZX_OK (pager errors come with `blocks: "pager"`). */
  readonly errors: readonly Status[];
  /** How often program fuzzing picks it. */
  readonly weight: number;
  /** Once every handle lookup passes nothing else can fail: the handle model predicts ZX_OK. */
  readonly decided?: boolean;
  /** Touches nothing but the VMOs its handle arguments name (and fresh objects). */
  readonly private?: boolean;
  /** Reads or writes VMO contents (an access, as checkers count them). */
  readonly access?: boolean;
  /** May wake a thread parked on a page request (resolve, fail, detach, interrupt it). */
  readonly wakes?: boolean;
  /** May set a pager VMO's "modified" flag (spec 2.7). */
  readonly modifies?: boolean;
  /**
   * A `value` result written even when the call fails after it started waiting:
   * `zx_object_wait_one`'s observed signals on TIMED_OUT and CANCELED.
   */
  readonly valueOnError?: boolean;
  /** Creates an object: its type and the rights of its first handle (the `handle` result). */
  readonly creates?: { readonly type: number; readonly rights: number };
  /**
   * The call's own argument checks that come before its lookups (none: only the table's), true
   * when they pass: an injected allocation failure comes after them too.
   */
  readonly argsValid?: (args: readonly unknown[], pageSize: number) => boolean;
}

/**
 * The signatures of the table's calls as the kernel implements them: the
 * calling thread, then Zircon's arguments in Zircon's order. Every call is a
 * generator: `yield*` it.
 */
export interface KernelCalls {
  /** `zx_pager_create(options, *out)`. */
  zx_pager_create(t: KernelThread, options: number): Syscall<[Status, number]>;
  /** `zx_pager_create_vmo(pager, options, port, key, size, *out)` (spec 2.2). */
  zx_pager_create_vmo(
    t: KernelThread,
    pager: number,
    options: number,
    port: number,
    key: number,
    size: number,
  ): Syscall<[Status, number]>;
  /** `zx_pager_detach_vmo(pager, vmo)` (spec 2.3). */
  zx_pager_detach_vmo(t: KernelThread, pager: number, vmo: number): Syscall<Status>;
  /**
   * `zx_pager_supply_pages(pager, pager_vmo, offset, length, aux_vmo, aux_offset)` (spec 2.4):
   * moves the aux range's pages into the pager VMO, so the aux range reads as zeros afterwards.
   * As Zircon's `sys_pager_supply_pages` (`TakePages` from aux, then `SupplyPages`), a supply that
   * fails at the pager VMO (detached: `BAD_STATE`; past a shrunk end: `OUT_OF_RANGE`) has emptied
   * the aux range too: write the bytes into aux again before another supply (spec 2.4 and its
   * ordering note, K10; upstream test `MappedSupplyPages`; kernel/vmo_pages.ts `supply`).
   */
  zx_pager_supply_pages(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status>;
  /** `zx_pager_op_range(pager, op, pager_vmo, offset, length, data)` (spec 2.5). */
  zx_pager_op_range(
    t: KernelThread,
    pager: number,
    op: number,
    pagerVmo: number,
    offset: number,
    length: number,
    data: number,
  ): Syscall<Status>;
  /** `zx_port_create(options, *out)`. */
  zx_port_create(t: KernelThread, options: number): Syscall<[Status, number]>;
  /** `zx_port_queue(port, packet)`: user packets only. */
  zx_port_queue(t: KernelThread, port: number, packet: UserPacket): Syscall<Status>;
  /** `zx_port_wait(port, deadline, *packet)`: parks until a packet arrives or the deadline passes. */
  zx_port_wait(t: KernelThread, port: number, deadline: number): Syscall<[Status, Packet | null]>;
  /** `zx_port_cancel_key(port, options, key)`: removes queued packets with `key`. */
  zx_port_cancel_key(t: KernelThread, port: number, options: number, key: number): Syscall<Status>;
  /** `zx_handle_close(handle)`: 0 (ZX_HANDLE_INVALID) is a no-op. */
  zx_handle_close(t: KernelThread, handle: number): Syscall<Status>;
  /** `zx_handle_duplicate(handle, rights, *out)`: needs DUPLICATE; rights must be a subset. */
  zx_handle_duplicate(t: KernelThread, handle: number, rights: number): Syscall<[Status, number]>;
  /** `zx_handle_replace(handle, rights, *out)`: the old handle is gone even when this fails. */
  zx_handle_replace(t: KernelThread, handle: number, rights: number): Syscall<[Status, number]>;
  /** `zx_object_get_info(handle, ZX_INFO_VMO, ...)`. */
  zx_object_get_info(
    t: KernelThread,
    handle: number,
    topic: number,
    buffer?: number,
  ): Syscall<[Status, VmoInfo | null]>;
  /** `zx_vmo_create(size, options, *out)`: an anonymous VMO. */
  zx_vmo_create(t: KernelThread, size: number, options: number): Syscall<[Status, number]>;
  /**
   * `zx_vmo_create_contiguous(bti, size, alignment_log2, *out)`: a contiguous VMO, all committed,
   * whose DECOMMIT lends its pages (kernel/loans.ts).
   */
  zx_vmo_create_contiguous(
    t: KernelThread,
    bti: number,
    size: number,
    alignmentLog2: number,
  ): Syscall<[Status, number]>;
  /** `zx_vmo_get_size(handle, *size)`. */
  zx_vmo_get_size(t: KernelThread, handle: number): Syscall<[Status, number]>;
  /** `zx_vmo_read(handle, buffer, offset, buffer_size)`: blocks on the pager; early wake (3.8). */
  zx_vmo_read(
    t: KernelThread,
    handle: number,
    offset: number,
    length: number,
    buffer?: number,
  ): Syscall<[Status, Uint8Array]>;
  /**
   * `zx_vmo_write(handle, buffer, offset, buffer_size)`: blocks on the pager, up to 16 pages a
   * request; with `buffer`, the bytes (as many as `data` holds) come from user memory there.
   */
  zx_vmo_write(
    t: KernelThread,
    handle: number,
    data: Uint8Array,
    offset: number,
    buffer?: number,
  ): Syscall<Status>;
  /**
   * `zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size)`: COMMIT, DECOMMIT, ZERO and
   * the eviction hints ALWAYS_NEED, DONT_NEED, PREFETCH (spec 2.8.2).
   */
  zx_vmo_op_range(
    t: KernelThread,
    handle: number,
    op: number,
    offset: number,
    size: number,
  ): Syscall<Status>;
  /**
   * `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len, *addr)`; vmar_offset only with
   * `ZX_VM_SPECIFIC` or `ZX_VM_SPECIFIC_OVERWRITE` (which replaces whole mappings).
   */
  zx_vmar_map(
    t: KernelThread,
    vmar: number,
    options: number,
    vmarOffset: number,
    vmo: number,
    vmoOffset: number,
    len: number,
  ): Syscall<[Status, number]>;
  /** `zx_vmar_unmap(vmar, addr, len)`: the model unmaps whole mappings only. */
  zx_vmar_unmap(t: KernelThread, vmar: number, addr: number, len: number): Syscall<Status>;
  /** `zx_vmar_allocate(parent_vmar, options, offset, size, *child_vmar, *child_addr)`. */
  zx_vmar_allocate(
    t: KernelThread,
    parentVmar: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number, number]>;
  /** `zx_vmar_destroy(handle)`: unmaps everything in a sub-region for good. */
  zx_vmar_destroy(t: KernelThread, vmar: number): Syscall<Status>;
  /** `zx_vmar_protect(handle, options, addr, len)`: new permissions for whole mappings. */
  zx_vmar_protect(
    t: KernelThread,
    vmar: number,
    options: number,
    addr: number,
    len: number,
  ): Syscall<Status>;
  /**
   * `zx_vmar_op_range(handle, op, address, size, buffer, buffer_size)`: COMMIT, DECOMMIT,
   * MAP_RANGE and the eviction hints over the mappings of a range, in address order.
   */
  zx_vmar_op_range(
    t: KernelThread,
    vmar: number,
    op: number,
    addr: number,
    len: number,
  ): Syscall<Status>;
  /**
   * `zx_task_suspend(thread, *token)`: a blocked pager wait is cancelled and restarts on resume;
   * a kernel usercopy's page-fault wait is not (it holds the suspend off until it resolves).
   */
  zx_task_suspend(t: KernelThread, thread: number): Syscall<[Status, number]>;
  /** `zx_task_kill(thread)`: a blocked pager wait is cancelled; the thread never runs again. */
  zx_task_kill(t: KernelThread, thread: number): Syscall<Status>;
  /**
   * `zx_vmo_set_size(handle, size)` (spec 2.8.3): a shrink resolves requests for
   * the cut range and discards its content; a grow of a pager VMO adds a Dirty
   * zero interval.
   */
  zx_vmo_set_size(t: KernelThread, handle: number, size: number): Syscall<Status>;
  /**
   * `zx_vmo_create_child(handle, options, offset, size, *out)` on a pager-backed
   * VMO (spec 6.1): SNAPSHOT_AT_LEAST_ON_WRITE and SNAPSHOT_MODIFIED clones,
   * SLICE and REFERENCE. Children of anonymous VMOs are outside the model
   * (NOT_SUPPORTED).
   */
  zx_vmo_create_child(
    t: KernelThread,
    handle: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number]>;
  /**
   * `zx_pager_query_dirty_ranges(pager, pager_vmo, offset, length, buffer, buffer_size, *actual,
   * *avail)` (spec 2.6): returns the ranges that fit in `bufferSize` bytes and the total found.
   */
  zx_pager_query_dirty_ranges(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    bufferSize: number,
  ): Syscall<[Status, DirtyRange[], number]>;
  /** `zx_pager_query_vmo_stats(pager, pager_vmo, options, buffer, buffer_size)` (spec 2.7). */
  zx_pager_query_vmo_stats(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    options: number,
    bufferSize: number,
  ): Syscall<[Status, PagerVmoStats | null]>;
  /** `zx_bti_create(iommu, options, bti_id, *out)` on the model's implicit dummy IOMMU. */
  zx_bti_create(t: KernelThread, options: number, btiId: number): Syscall<[Status, number]>;
  /** `zx_bti_pin(bti, options, vmo, offset, size, addrs, num_addrs, *pmt)`: commit and pin. */
  zx_bti_pin(
    t: KernelThread,
    bti: number,
    options: number,
    vmo: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number]>;
  /** `zx_pmt_unpin(handle)`: unpins and consumes the handle. */
  zx_pmt_unpin(t: KernelThread, pmt: number): Syscall<Status>;
  /** `zx_event_create(options, *out)`: an event with no signal active. */
  zx_event_create(t: KernelThread, options: number): Syscall<[Status, number]>;
  /**
   * `zx_object_signal(handle, clear_mask, set_mask)`: clears, then sets, user
   * signals of an event (and its `ZX_EVENT_SIGNALED`) or of a VMO (user signals
   * only: any other bit is INVALID_ARGS); the model keeps signals on events and
   * VMOs only (other objects: NOT_SUPPORTED).
   */
  zx_object_signal(t: KernelThread, handle: number, clear: number, set: number): Syscall<Status>;
  /**
   * `zx_object_wait_one(handle, signals, deadline, *observed)`: parks until one
   * of `signals` is active on an event or VMO (OK), the deadline passes
   * (TIMED_OUT) or the handle is closed (CANCELED); returns the signals observed.
   */
  zx_object_wait_one(
    t: KernelThread,
    handle: number,
    signals: number,
    deadline: number,
  ): Syscall<[Status, number]>;
  /**
   * `zx_object_wait_async(handle, port, key, signals, options)`: a one-shot wait
   * that queues a `ZX_PKT_TYPE_SIGNAL_ONE` packet on `port` once one of
   * `signals` is active (at once if one is already).
   */
  zx_object_wait_async(
    t: KernelThread,
    handle: number,
    port: number,
    key: number,
    signals: number,
    options: number,
  ): Syscall<Status>;
  /**
   * `zx_futex_wait(value_ptr, current_value, new_futex_owner, deadline)`: parks
   * on the futex at `valuePtr` while the word holds `current` (else BAD_STATE),
   * until a wake (OK) or the deadline (TIMED_OUT); `owner` (a thread handle or
   * 0) becomes the futex's owner.
   */
  zx_futex_wait(
    t: KernelThread,
    valuePtr: number,
    current: number,
    owner: number,
    deadline: number,
  ): Syscall<Status>;
  /** `zx_futex_wake(value_ptr, wake_count)`: wakes up to `count` waiters, oldest first. */
  zx_futex_wake(t: KernelThread, valuePtr: number, count: number): Syscall<Status>;
  /**
   * `zx_futex_get_owner(value_ptr, *koid)`: the koid of the thread that owns
   * the futex at `valuePtr` (the last wait or requeue named it), or
   * ZX_KOID_INVALID (0) when none does; a pointer that is no futex word is
   * INVALID_ARGS.
   */
  zx_futex_get_owner(t: KernelThread, valuePtr: number): Syscall<[Status, number]>;
  /**
   * `zx_futex_requeue(value_ptr, wake_count, current_value, requeue_ptr,
   * requeue_count, new_requeue_owner)`: while the word at `valuePtr` holds
   * `current` (else BAD_STATE), wakes up to `wakeCount` of its waiters and moves
   * up to `requeueCount` of the rest to the futex at `requeuePtr` (another
   * futex: the same one is INVALID_ARGS), whose owner becomes `owner` (a thread
   * handle or 0); the futex at `valuePtr` is left without an owner.
   */
  zx_futex_requeue(
    t: KernelThread,
    valuePtr: number,
    wakeCount: number,
    current: number,
    requeuePtr: number,
    requeueCount: number,
    owner: number,
  ): Syscall<Status>;
}

/**
 * What a call's implementation returns: the bare status of a failure, or
 * the whole result `T` (the table's entry and exit shape a failure).
 */
export type CallOut<T> = Status | T;

/** The arguments of table call `K` after the calling thread. */
export type CallArgs<K extends keyof KernelCalls> = KernelCalls[K] extends
  (t: KernelThread, ...args: infer A) => unknown ? A : never;

/** What the implementation of table call `K` returns (as a value, or as a generator's result). */
export type CallImpl<K extends keyof KernelCalls> = KernelCalls[K] extends
  (...args: never[]) => Syscall<infer R> ? CallOut<R> : never;

/** Memory accesses through a mapping: the program vocabulary's calls the kernel traces per page. */
export type MemCall = "mem_read" | "mem_write";

/** The name of a call in the table. */
export type SyscallName = keyof KernelCalls | MemCall;

/** A handle lookup of any object type. */
const ZX_OBJ_TYPE_NONE = 0;

const HANDLE = [ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED] as const;

function h(name: string, kind: Param, type: number, rights: number, ownedBy?: number): ParamSpec {
  return {
    name,
    kind,
    handle: ownedBy === undefined ? { type, rights } : { type, rights, ownedBy },
  };
}

function p(name: string, kind: Param): ParamSpec {
  return { name, kind };
}

/** A user buffer's address, which callers may leave out (usercopy through the caller's mappings). */
function u(name: string): ParamSpec {
  return { name, kind: "userBuffer", optional: true };
}

/** A parameter that must be page-aligned before anything else is looked at. */
function a(name: string, kind: Param): ParamSpec {
  return { name, kind, alignedFirst: true };
}

/**
 * The whole syscall surface, in the order program fuzzing weighs it.
 *
 * @example
 * ```ts
 * import { SYSCALLS } from "./syscalls.ts";
 * console.assert(SYSCALLS.zx_vmo_read.blocks === "pager");
 * ```
 */
export const SYSCALLS = {
  zx_pager_create: {
    params: [p("options", "options")],
    result: "handle",
    produces: "pager",
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS],
    weight: 3,
    creates: { type: ZX_OBJ_TYPE_PAGER, rights: ZX_DEFAULT_PAGER_RIGHTS },
  },
  zx_pager_create_vmo: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO),
      p("options", "vmoOptions"),
      h("port", "port", ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      p("key", "key"),
      p("size", "size"),
    ],
    result: "handle",
    produces: "vmo",
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_BAD_STATE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_NO_MEMORY,
    ],
    weight: 7,
  },
  zx_pager_detach_vmo: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO),
      h("vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, 0),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS],
    weight: 4,
    decided: true,
    wakes: true,
  },
  zx_pager_supply_pages: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      h("pager_vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, 0),
      a("offset", "pktOffset"),
      a("length", "pktLength"),
      h("aux_vmo", "aux", ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE),
      a("aux_offset", "offset"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_BAD_STATE,
    ],
    weight: 10,
    wakes: true,
  },
  zx_pager_op_range: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      p("op", "pagerOp"),
      h("pager_vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, 0),
      a("offset", "pktOffset"),
      a("length", "pktLength"),
      p("data", "failData"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_NOT_FOUND,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_BAD_STATE,
    ],
    weight: 6,
    wakes: true,
  },
  zx_port_create: {
    params: [p("options", "options")],
    result: "handle",
    produces: "port",
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS],
    weight: 3,
    creates: { type: ZX_OBJ_TYPE_PORT, rights: ZX_DEFAULT_PORT_RIGHTS },
  },
  zx_port_queue: {
    params: [h("port", "port", ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE), p("packet", "userPacket")],
    result: "status",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_SHOULD_WAIT],
    weight: 2,
  },
  zx_port_wait: {
    params: [h("port", "port", ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ), p("deadline", "deadline")],
    result: "packet",
    produces: "packet",
    blocks: "port",
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_TIMED_OUT],
    weight: 8,
  },
  zx_port_cancel_key: {
    params: [
      h("port", "port", ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      p("options", "options"),
      p("key", "key"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND],
    weight: 2,
  },
  zx_handle_close: {
    params: [p("handle", "handle")],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE],
    weight: 6,
    private: true,
  },
  zx_handle_duplicate: {
    params: [p("handle", "handle"), p("rights", "rights")],
    result: "handle",
    produces: "same",
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED, ZX_ERR_INVALID_ARGS],
    weight: 3,
  },
  zx_handle_replace: {
    params: [p("handle", "handle"), p("rights", "rights")],
    result: "handle",
    produces: "same",
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_INVALID_ARGS],
    weight: 3,
  },
  // With a user buffer the record's copy-out may fault and park; `blocks` says what it does without.
  zx_object_get_info: {
    params: [
      h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_INSPECT),
      p("topic", "topic"),
      u("buffer"),
    ],
    result: "record",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_NOT_SUPPORTED, ...HANDLE],
    weight: 2,
    decided: true,
  },
  zx_vmo_create: {
    params: [p("size", "size"), p("options", "vmoOptions")],
    result: "handle",
    produces: "vmo",
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE, ZX_ERR_NO_MEMORY],
    weight: 4,
    private: true,
  },
  zx_vmo_get_size: {
    params: [h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE)],
    result: "value",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE],
    weight: 1,
    decided: true,
    private: true,
  },
  zx_vmo_read: {
    params: [
      h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ),
      p("offset", "offset"),
      p("length", "length"),
      u("buffer"),
    ],
    result: "bytes",
    produces: null,
    blocks: "pager",
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
    weight: 10,
    private: true,
    access: true,
  },
  zx_vmo_write: {
    params: [
      h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
      p("buffer", "buffer"),
      p("offset", "offset"),
      u("user_buffer"),
    ],
    result: "status",
    produces: null,
    blocks: "pager",
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
    weight: 6,
    private: true,
    access: true,
    modifies: true,
  },
  zx_vmo_op_range: {
    params: [
      h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
      p("op", "vmoOp"),
      p("offset", "offset"),
      p("size", "length"),
    ],
    result: "status",
    produces: null,
    blocks: "pager",
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_SUPPORTED, ZX_ERR_OUT_OF_RANGE],
    weight: 5,
    access: true,
    modifies: true,
  },
  zx_vmar_map: {
    params: [
      h("vmar", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      p("options", "mapOptions"),
      p("vmar_offset", "vmarOffset"),
      h("vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP),
      p("vmo_offset", "offset"),
      p("len", "length"),
    ],
    result: "value",
    produces: "addr",
    blocks: null,
    // BAD_STATE: the VMAR was destroyed (zx_vmar_map.md; `CreateSubVmarInner` checks ALIVE first).
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_ALREADY_EXISTS,
      ZX_ERR_NO_RESOURCES,
    ],
    weight: 4,
  },
  zx_vmar_unmap: {
    params: [
      h("vmar", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      p("addr", "address"),
      p("len", "length"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [
      ZX_ERR_BAD_HANDLE,
      ZX_ERR_WRONG_TYPE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NOT_FOUND,
    ],
    weight: 2,
  },
  // A sub-region outlives its handles (zx_vmar_destroy.md): the program janitor unmaps each
  // sub-region of the root (zx_vmar_unmap over its extent destroys it) before it closes handles.
  zx_vmar_allocate: {
    params: [
      h("parent_vmar", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      p("options", "vmarOptions"),
      p("offset", "vmarOffset"),
      p("size", "size"),
    ],
    result: "handleAddr",
    produces: "vmar",
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_ALREADY_EXISTS,
      ZX_ERR_NO_RESOURCES,
    ],
    weight: 1,
  },
  zx_vmar_destroy: {
    params: [h("handle", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE)],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_NOT_SUPPORTED, ZX_ERR_BAD_STATE],
    weight: 1,
  },
  zx_vmar_protect: {
    params: [
      h("handle", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      p("options", "protectOptions"),
      p("addr", "address"),
      p("len", "length"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NOT_FOUND,
      ZX_ERR_NOT_SUPPORTED,
    ],
    weight: 1,
  },
  zx_vmar_op_range: {
    params: [
      h("handle", "vmar", ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      p("op", "vmarOp"),
      p("address", "address"),
      p("size", "length"),
    ],
    result: "status",
    produces: null,
    blocks: "pager",
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NOT_SUPPORTED,
    ],
    weight: 2,
    access: true,
    modifies: true,
  },
  mem_read: {
    params: [p("addr", "address"), p("length", "length")],
    result: "none",
    produces: null,
    blocks: "pager",
    errors: [],
    weight: 4,
  },
  mem_write: {
    params: [p("addr", "address"), p("data", "buffer")],
    result: "none",
    produces: null,
    blocks: "pager",
    errors: [],
    weight: 3,
    modifies: true,
  },
  zx_task_suspend: {
    params: [h("thread", "thread", ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE)],
    result: "handle",
    produces: "token",
    blocks: null,
    errors: [...HANDLE, ZX_ERR_BAD_STATE, ZX_ERR_NOT_SUPPORTED],
    weight: 3,
    wakes: true,
    creates: { type: ZX_OBJ_TYPE_SUSPEND_TOKEN, rights: ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS },
  },
  zx_task_kill: {
    params: [h("thread", "thread", ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY)],
    result: "status",
    produces: null,
    blocks: null,
    errors: [...HANDLE],
    weight: 1,
    decided: true,
    wakes: true,
  },
  zx_vmo_set_size: {
    params: [h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE), p("size", "size")],
    result: "status",
    produces: null,
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_UNAVAILABLE,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_MEMORY,
    ],
    weight: 1,
    wakes: true,
    modifies: true,
  },
  zx_vmo_create_child: {
    params: [
      h("handle", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ),
      p("options", "childOptions"),
      p("offset", "offset"),
      p("size", "size"),
    ],
    result: "handle",
    produces: "vmo",
    blocks: null,
    errors: [
      ...HANDLE,
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_NOT_SUPPORTED,
      ZX_ERR_OUT_OF_RANGE,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_MEMORY,
      ZX_ERR_NO_RESOURCES,
    ],
    weight: 1,
  },
  zx_pager_query_dirty_ranges: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      h("pager_vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ, 0),
      p("offset", "offset"),
      p("length", "length"),
      p("buffer_size", "bufferSize"),
    ],
    result: "ranges",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
    weight: 1,
  },
  zx_pager_query_vmo_stats: {
    params: [
      h("pager", "pager", ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      h("pager_vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ, 0),
      p("options", "options"),
      p("buffer_size", "bufferSize"),
    ],
    result: "stats",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_BUFFER_TOO_SMALL],
    weight: 1,
  },
  // BTI pinning in programs: BTIs and PMTs are resources like VMOs; a PMT closed without an
  // unpin stays pinned until its BTI's last handle closes (the janitor closes both).
  zx_bti_create: {
    params: [p("options", "options"), p("bti_id", "key")],
    result: "handle",
    produces: "bti",
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS],
    weight: 1,
    creates: { type: ZX_OBJ_TYPE_BTI, rights: ZX_DEFAULT_BTI_RIGHTS },
  },
  zx_bti_pin: {
    params: [
      h("bti", "bti", ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP),
      p("options", "btiOptions"),
      h("vmo", "vmo", ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP),
      a("offset", "offset"),
      a("size", "length"),
    ],
    result: "handle",
    produces: "pmt",
    blocks: "pager",
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE],
    weight: 1,
    access: true,
    creates: { type: ZX_OBJ_TYPE_PMT, rights: ZX_DEFAULT_PMT_RIGHTS },
  },
  // Needs a BTI: drawn as the BTI calls are (weight 1). Upstream checks size and alignment
  // before the BTI handle.
  zx_vmo_create_contiguous: {
    params: [
      h("bti", "handle", ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP),
      p("size", "size"),
      p("alignment_log2", "options"),
    ],
    result: "handle",
    produces: "vmo",
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE, ZX_ERR_NO_MEMORY],
    weight: 1,
    creates: { type: ZX_OBJ_TYPE_VMO, rights: ZX_DEFAULT_VMO_RIGHTS },
    // sys_vmo_create_contiguous checks the size and the alignment before the BTI lookup
    // (ddk.cc @ gnoliyil/fuchsia 014097ec), as the kernel's vmoCreateContiguous does.
    argsValid: ([, size, align], pageSize) =>
      typeof size === "number" && Number.isInteger(size) && size > 0 &&
      typeof align === "number" && Number.isInteger(align) && align >= 0 &&
      (align === 0 || (align >= Math.log2(pageSize) && align < 64)),
  },
  zx_pmt_unpin: {
    params: [h("handle", "pmt", ZX_OBJ_TYPE_PMT, ZX_RIGHT_NONE)],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE],
    weight: 1,
    decided: true,
  },
  zx_event_create: {
    params: [p("options", "options")],
    result: "handle",
    produces: "event",
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS, ZX_ERR_NO_MEMORY],
    weight: 1,
    creates: { type: ZX_OBJ_TYPE_EVENT, rights: ZX_DEFAULT_EVENT_RIGHTS },
  },
  zx_object_signal: {
    params: [
      h("handle", "handle", ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL),
      p("clear_mask", "options"),
      p("set_mask", "options"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_BAD_HANDLE, ZX_ERR_ACCESS_DENIED, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_SUPPORTED],
    weight: 1,
  },
  zx_object_wait_one: {
    params: [
      h("handle", "handle", ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT),
      p("signals", "options"),
      p("deadline", "deadline"),
    ],
    result: "value",
    produces: null,
    blocks: "object",
    errors: [...HANDLE, ZX_ERR_NOT_SUPPORTED, ZX_ERR_TIMED_OUT, ZX_ERR_CANCELED],
    weight: 0,
    // sys_object_wait_one (object_wait.cc @ vsrinivas/fuchsia 026c5c63): "Regardless of wait
    // outcome, we must call End()", and `observed` is copied out before the status returns.
    valueOnError: true,
  },
  // Signal waits are outside program fuzzing for now (weight 0): a new weighted call would
  // change every generated program, and the program corpus with it.
  // The port is looked up before the handle (sys_object_wait_async), so neither is a table
  // lookup: the handle model's parameter-order prediction would be wrong for them.
  zx_object_wait_async: {
    params: [
      p("handle", "handle"),
      p("port", "port"),
      p("key", "key"),
      p("signals", "options"),
      p("options", "options"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [...HANDLE, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_SUPPORTED],
    weight: 0,
  },
  // Futexes live on futex words (kernel/futex.ts), which program fuzzing has no resource for
  // (weight 0); the owner is validated after the value check, so it is no table lookup.
  zx_futex_wait: {
    params: [
      p("value_ptr", "address"),
      p("current_value", "options"),
      p("new_futex_owner", "thread"),
      p("deadline", "deadline"),
    ],
    result: "status",
    produces: null,
    blocks: "object",
    errors: [
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_BAD_STATE,
      ZX_ERR_BAD_HANDLE,
      ZX_ERR_WRONG_TYPE,
      ZX_ERR_TIMED_OUT,
    ],
    weight: 0,
  },
  zx_futex_wake: {
    params: [p("value_ptr", "address"), p("wake_count", "options")],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS],
    weight: 0,
  },
  // futex_get_owner.md; FutexContext::FutexGetOwner (futex_context.cc @ gnoliyil/fuchsia
  // 08c0dd7c): the pointer's check, then the owner's koid or ZX_KOID_INVALID. Weight 0 like its
  // siblings (no futex-word resource).
  zx_futex_get_owner: {
    params: [p("value_ptr", "address")],
    result: "value",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS],
    weight: 0,
  },
  // futex_requeue.md; FutexContext::FutexRequeue (futex_context.cc @ vsrinivas/fuchsia
  // 04544766). Weight 0 like its siblings (no futex-word resource); the owner is validated after
  // the value check, so it is no table lookup.
  zx_futex_requeue: {
    params: [
      p("value_ptr", "address"),
      p("wake_count", "options"),
      p("current_value", "options"),
      p("requeue_ptr", "address"),
      p("requeue_count", "options"),
      p("new_requeue_owner", "thread"),
    ],
    result: "status",
    produces: null,
    blocks: null,
    errors: [ZX_ERR_INVALID_ARGS, ZX_ERR_BAD_STATE, ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE],
    weight: 0,
  },
} as const satisfies Record<SyscallName, SyscallSpec>;

/**
 * Every call of {@linkcode KernelCalls} bound to a calling thread, in
 * camelCase: `zx_vmo_read(thread, ...)` is `vmoRead(...)` (sim/sys.ts).
 */
export type ThreadCalls = {
  [K in keyof KernelCalls as MethodName<K>]: KernelCalls[K] extends
    (t: KernelThread, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** Every call name, in table order. */
export const SYSCALL_NAMES: readonly SyscallName[] = Object.keys(SYSCALLS) as SyscallName[];

/** The row of `name`, widened to {@linkcode SyscallSpec}. */
export function spec(name: SyscallName): SyscallSpec {
  return SYSCALLS[name];
}

/** `snake_case` to `camelCase`. */
export type Camel<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<Camel<T>>}`
  : S;

/** The `Sys` method name of a call: `zx_vmo_read` is `vmoRead`, `mem_read` is `memRead`. */
export type MethodName<K extends string> = K extends `zx_${infer R}` ? Camel<R> : Camel<K>;

/** The `Sys` method name of a call, at run time. */
export function methodName<K extends SyscallName>(name: K): MethodName<K> {
  return name.replace(/^zx_/, "").replace(
    /_([a-z])/g,
    (_, c: string) => c.toUpperCase(),
  ) as MethodName<K>;
}

function isGenerator(x: unknown): x is Syscall<unknown> {
  // A body returns a status, a result tuple or a generator: not an array is a generator (a
  // `next` lookup here met every generator shape and cost 2% of the default workload).
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The result a failed call of `kind` returns besides its status. */
function failed(kind: ResultKind, status: Status): unknown {
  switch (kind) {
    case "handle":
    case "value":
      return [status, 0];
    case "handleAddr":
      return [status, 0, 0];
    case "bytes":
      return [status, new Uint8Array(0)];
    case "packet":
    case "record":
    case "stats":
      return [status, null];
    case "ranges":
      return [status, [], 0];
    default:
      return status;
  }
}

/** An argument as the `call` event shows it: a buffer by its length, a user packet by its key. */
function traced(kind: Param | undefined, a: unknown): unknown {
  const x = a as { length?: unknown; key?: unknown } | null | undefined;
  return kind === "buffer" ? x?.length : kind === "userPacket" ? x?.key : a;
}

/** What the entry and exit of a table call need of the kernel. */
export interface CallHost {
  /** Where the `call` and `ret` events go. */
  readonly sink: EventSink;
  /** Allocation-failure injection (kernel/alloc_fault.ts); absent or null: never. */
  readonly allocFailure?: AllocFailure | null;
  /** Handle lookups, for the checks an injected failure comes after. */
  readonly handles?: HandleTable;
  /** Page size, for the alignment checks an injected failure comes after. */
  readonly pageSize?: number;
}

/** True when `args` pass the table's alignment and handle checks of `s` (an allocation comes after). */
function checksPass(host: CallHost, s: SyscallSpec, args: readonly unknown[]): boolean {
  const ps = host.pageSize ?? 1;
  if (s.argsValid !== undefined && !s.argsValid(args, ps)) return false;
  return s.params.every((p, i) => {
    const a = args[i];
    if (p.alignedFirst === true && !(typeof a === "number" && a >= 0 && a % ps === 0)) return false;
    if (p.kind === "handle" && host.handles?.entry(a) === undefined) return false;
    return p.handle === undefined ||
      (host.handles?.get(a as number, p.handle.type, p.handle.rights).ok ?? false);
  });
}

/**
 * The `ret` event of a call that returned `out`: its status, and for the trace's text what a
 * successful call handed back (a value, a new handle and its address, dirty ranges). Only the
 * status enters the trace hash (sim/trace.ts), so showing more moves no hash.
 */
function retEvent(
  tid: number,
  name: string,
  result: ResultKind,
  status: Status,
  out: Status | unknown[],
): KernelEvent {
  if (status !== ZX_OK || typeof out === "number") return { k: "ret", tid, name, status };
  const first = out[1];
  switch (result) {
    case "value":
      return typeof first === "number"
        ? { k: "ret", tid, name, status, value: first }
        : { k: "ret", tid, name, status };
    case "handle":
      return typeof first === "number"
        ? { k: "ret", tid, name, status, handle: first }
        : { k: "ret", tid, name, status };
    case "handleAddr":
      return typeof first === "number" && typeof out[2] === "number"
        ? { k: "ret", tid, name, status, handle: first, value: out[2] }
        : { k: "ret", tid, name, status };
    case "ranges":
      return Array.isArray(first)
        ? {
          k: "ret",
          tid,
          name,
          status,
          ranges: (first as DirtyRange[]).map((r) => ({
            offset: r.offset,
            length: r.length,
            options: r.options,
          })),
        }
        : { k: "ret", tid, name, status };
    case "stats":
      // The stats' flags, so a checker can compare them with its own modified flag (dirty-state
      // K25); absent if the stats hold none.
      return { k: "ret", tid, name, status, value: (first as PagerVmoStats | null)?.modified };
    default:
      return { k: "ret", tid, name, status };
  }
}

/**
 * The kernel method of table call `name`: the scheduling point and the `call`
 * event, then the implementation (the kernel's method named
 * {@linkcode methodName}, which returns a bare status when it fails, as a
 * value or as a generator's result), then the `ret` event; a failure's result
 * gets its kind's empty values, a failed handle or value is 0.
 */
export function tableCall(
  name: keyof KernelCalls,
): (this: CallHost, t: KernelThread, ...args: unknown[]) => Syscall<unknown> {
  const s = spec(name);
  const impl = methodName(name);
  const kinds = s.params.map((p) => p.kind);
  const optional = s.params.map((p) => p.optional === true);
  return function* (this: CallHost, t: KernelThread, ...args: unknown[]): Syscall<unknown> {
    // A loop, not map and pop: this runs on every syscall.
    let n = kinds.length;
    // An optional parameter left out is not shown (older traces have no slot for it).
    while (n > 0 && optional[n - 1] && traced(kinds[n - 1], args[n - 1]) === undefined) n--;
    const shown: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) shown[i] = traced(kinds[i], args[i]);
    yield { kind: "syscall", name, args: shown };
    this.sink.emit({ k: "call", tid: t.tid, name, args: shown });
    if (
      this.allocFailure && ALLOCATING_CALLS.has(name) && checksPass(this, s, args) &&
      this.allocFailure(t, name)
    ) {
      this.sink.emit({ k: "ret", tid: t.tid, name, status: ZX_ERR_NO_MEMORY });
      return failed(s.result, ZX_ERR_NO_MEMORY);
    }
    const body = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[impl];
    const r = callBody(body, this, t, args);
    const out = (isGenerator(r) ? yield* r : r) as Status | unknown[];
    const status = (typeof out === "number" ? out : out[0]) as Status;
    this.sink.emit(retEvent(t.tid, name, s.result, status, out));
    if (typeof out === "number") return failed(s.result, status);
    if (status === ZX_OK) return out;
    if (s.result === "handleAddr") return [status, 0, 0];
    if (s.result === "handle" || (s.result === "value" && s.valueOnError !== true)) {
      return [status, 0];
    }
    return out;
  };
}

/**
 * `body.call(host, t, ...args)`, by arity for up to six arguments: a spread call on every
 * syscall cost 5% of a loop of cheap syscalls (bench/_loops.ts). The body sees the same
 * arguments, as many as the caller passed.
 */
function callBody(
  body: (...a: unknown[]) => unknown,
  host: CallHost,
  t: KernelThread,
  args: readonly unknown[],
): unknown {
  switch (args.length) {
    case 0:
      return body.call(host, t);
    case 1:
      return body.call(host, t, args[0]);
    case 2:
      return body.call(host, t, args[0], args[1]);
    case 3:
      return body.call(host, t, args[0], args[1], args[2]);
    case 4:
      return body.call(host, t, args[0], args[1], args[2], args[3]);
    case 5:
      return body.call(host, t, args[0], args[1], args[2], args[3], args[4]);
    case 6:
      return body.call(host, t, args[0], args[1], args[2], args[3], args[4], args[5]);
    default:
      return body.call(host, t, ...args);
  }
}

/** Names of calls with a property, for checkers and exploration. */
export function callsWhere(test: (s: SyscallSpec) => boolean): ReadonlySet<string> {
  return new Set(SYSCALL_NAMES.filter((n) => test(SYSCALLS[n])));
}
