/**
 * The syscall layer of the simulated Zircon kernel: `zx_*` calls with
 * Zircon's names, argument order and status codes, as the dispatchers and
 * `syscalls/*.cc` keep them: argument checks, handle lookups and object
 * lifetimes. The page machinery behind them (fault path, copy-on-write,
 * dirty and writeback, zero, resize, clones, supply) is {@linkcode VmoPages};
 * the calls themselves are the rows of {@linkcode SYSCALLS}.
 *
 * Every syscall is a generator. It first yields a `syscall` step (the point
 * where the scheduler may switch threads), then runs atomically until it
 * returns or must park the thread, where it yields a `block` step. A woken
 * thread re-runs its lookup from scratch (spec 3.6). Bad handles and bad
 * arguments return status codes; nothing here throws except a
 * {@linkcode KernelAssertionError} when the model's own bookkeeping breaks.
 *
 * @module
 */

import {
  LIMITS,
  type Status,
  ZX_BTI_COMPRESS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_EVENT_RIGHTS,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_EVENT_SIGNALED,
  ZX_INFO_VMO,
  ZX_INFO_VMO_BYTES,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_SIGNAL,
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
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_DIRTY_RANGE_SIZE,
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
} from "./constants.ts";
import { dirtyRanges } from "./dirty.ts";
import type { UserPacket } from "./events.ts";
import type { Lookup } from "./handles.ts";
import { KernelObjects } from "./kernel_objects.ts";
import {
  Bti,
  Event,
  type KernelThread,
  KThread,
  type Mapping,
  Pager,
  Pmt,
  SuspendToken,
  Vmar,
  Vmo,
} from "./objects.ts";
import { assert } from "./assert.ts";
import { Port } from "./port.ts";
import {
  type CallArgs as In,
  type CallImpl as Out,
  type KernelCalls,
  SYSCALL_NAMES,
  tableCall,
} from "./syscalls.ts";
import { isU64, MAX_U64, MAX_VMO_PAGES, parentOf, type UserBuffer } from "./vmo_pages.ts";
import type { Syscall } from "./yields.ts";

export { MAX_VMO_PAGES } from "./vmo_pages.ts";
export { KernelObjects, type KernelOptions } from "./kernel_objects.ts";
export type { KernelYield, Syscall, Wait } from "./yields.ts";
export type { PagerVmoStats, VmoInfo } from "./syscalls.ts";
export { KernelAssertionError } from "./assert.ts";

/** The kernel's `zx_*` calls, one per row of {@linkcode SYSCALLS} (see {@linkcode KernelCalls}). */
export interface Kernel extends KernelCalls {}

/**
 * The simulated kernel: objects, one process's handle table, and the `zx_*`
 * calls of {@linkcode SYSCALLS} (each `zx_name(thread, ...args)`).
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * const kernel = new Kernel({ pageSize: 64 });
 * const [thread] = kernel.createThread("main", 1);
 * const call = kernel.zx_vmo_create(thread, 64, 0);
 * call.next(); // the syscall's scheduling point
 * const [status, vmo] = call.next().value as [number, number];
 * console.assert(status === 0 && vmo > 0);
 * ```
 */
export class Kernel extends KernelObjects {
  static {
    // Each table call's entry and exit wraps the protected method of its `Sys` name (pagerCreate).
    for (const name of SYSCALL_NAMES) {
      if (name === "mem_read" || name === "mem_write") continue;
      const value = tableCall(name);
      Object.defineProperty(Kernel.prototype, name, { value, writable: true, configurable: true });
    }
  }

  // ---------------------------------------------------------------- pager

  /** `zx_pager_create(options, *out)`. */
  protected pagerCreate(
    _t: KernelThread,
    ...[options]: In<"zx_pager_create">
  ): Out<"zx_pager_create"> {
    if (options !== 0) return ZX_ERR_INVALID_ARGS;
    const pagerObject = new Pager(this.newKoid());
    this.pagers.set(pagerObject.koid, pagerObject);
    return this.handles.add(pagerObject, ZX_DEFAULT_PAGER_RIGHTS);
  }

  /** `zx_pager_create_vmo(pager, options, port, key, size, *out)` (spec 2.2). */
  protected pagerCreateVmo(
    _t: KernelThread,
    ...[pager, options, port, key, size]: In<"zx_pager_create_vmo">
  ): Out<"zx_pager_create_vmo"> {
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO);
    if (!pg.ok) return pg.status;
    const pt = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!pt.ok) return pt.status;
    if (pg.object.closed) return ZX_ERR_BAD_STATE;
    const known = ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED | ZX_VMO_DISCARDABLE;
    if (!Number.isInteger(options) || (options & ~known) !== 0 || (options & ZX_VMO_DISCARDABLE)) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(key) || !isU64(size)) return ZX_ERR_INVALID_ARGS;
    const rounded = this.#checkSize(size);
    if (rounded < 0) return rounded;
    const koid = this.newKoid();
    const proxy = this.createPagerProxy(koid, pt.object, key);
    const source = this.createPageSource(koid, proxy);
    const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    const ps = this.pageSize;
    const vmo = new Vmo(koid, ps, rounded, resizable, pg.object.koid, source, proxy, key);
    vmo.trapDirty = (options & ZX_VMO_TRAP_DIRTY) !== 0;
    const [st, h] = this.handles.add(
      vmo,
      ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0),
    );
    if (st !== ZX_OK) return st;
    pg.object.vmos.push(vmo);
    this.pagerVmos.push(vmo);
    return [ZX_OK, h];
  }

  /** `zx_pager_detach_vmo(pager, vmo)` (spec 2.3). */
  protected *pagerDetachVmo(
    t: KernelThread,
    ...[pager, vmo]: In<"zx_pager_detach_vmo">
  ): Syscall<Out<"zx_pager_detach_vmo">> {
    const rights = ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO;
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, rights);
    if (!pg.ok) return pg.status;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    if (v.object.pagerKoid !== pg.object.koid) return ZX_ERR_INVALID_ARGS;
    yield* this.detachVmo(t, v.object);
    return ZX_OK;
  }

  /**
   * @internal Step: the pager stops backing `vmo` at `zx_pager_detach_vmo` (spec 2.3).
   * A scheduling point only in variants that drop the lock here.
   */
  // deno-lint-ignore require-yield
  protected *detachVmo(_t: KernelThread, vmo: Vmo): Syscall<void> {
    this.pages.detach(vmo, "detach");
  }

  /** `zx_pager_supply_pages(pager, pager_vmo, offset, length, aux_vmo, aux_offset)` (spec 2.4). */
  protected *pagerSupplyPages(
    t: KernelThread,
    ...[pager, pagerVmo, offset, length, auxVmo, auxOffset]: In<"zx_pager_supply_pages">
  ): Syscall<Out<"zx_pager_supply_pages">> {
    if (!this.#aligned(offset) || !this.#aligned(length) || !this.#aligned(auxOffset)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!a.ok) return a.status;
    if (auxOffset + length > a.object.size) return ZX_ERR_OUT_OF_RANGE;
    // TakePages and SupplyPages range-check an empty range too, then return before the detach
    // check (vm_object_paged.cc @ misttech 056f3590). Audit row A12.
    if (length === 0) return offset > v.object.size ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
    if (a.object.source !== null) return ZX_ERR_NOT_SUPPORTED;
    return yield* this.pages.supply(t, v.object, offset, length, a.object, auxOffset);
  }

  /** `zx_pager_op_range(pager, op, pager_vmo, offset, length, data)` (spec 2.5). */
  protected pagerOpRange(
    _t: KernelThread,
    ...[pager, op, pagerVmo, offset, length, data]: In<"zx_pager_op_range">
  ): Out<"zx_pager_op_range"> {
    if (!this.#aligned(offset) || !this.#aligned(length)) return ZX_ERR_INVALID_ARGS;
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    return this.pages.pagerOp(v.object, op, offset, length, data);
  }

  /**
   * `zx_pager_query_dirty_ranges(pager, pager_vmo, offset, length, buffer, buffer_size, *actual,
   * *avail)` (spec 2.6): returns the ranges that fit in `bufferSize` bytes and the total found.
   */
  protected pagerQueryDirtyRanges(
    _t: KernelThread,
    ...[pager, pagerVmo, offset, length, bufferSize]: In<"zx_pager_query_dirty_ranges">
  ): Out<"zx_pager_query_dirty_ranges"> {
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    if (!isU64(offset) || !isU64(length) || !isU64(bufferSize)) return ZX_ERR_INVALID_ARGS;
    if (offset + length > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    const start = Math.floor(offset / this.pageSize);
    const end = Math.ceil((offset + length) / this.pageSize);
    const all = dirtyRanges(v.object.slots, start, end, this.pageSize);
    return [ZX_OK, all.slice(0, Math.floor(bufferSize / ZX_VMO_DIRTY_RANGE_SIZE)), all.length];
  }

  /** `zx_pager_query_vmo_stats(pager, pager_vmo, options, buffer, buffer_size)` (spec 2.7). */
  protected pagerQueryVmoStats(
    _t: KernelThread,
    ...[pager, pagerVmo, options, bufferSize]: In<"zx_pager_query_vmo_stats">
  ): Out<"zx_pager_query_vmo_stats"> {
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    if (!isU64(bufferSize) || bufferSize < ZX_PAGER_VMO_STATS_SIZE) return ZX_ERR_BUFFER_TOO_SMALL;
    if (options !== 0 && options !== ZX_PAGER_RESET_VMO_STATS) return ZX_ERR_INVALID_ARGS;
    const stats = { modified: v.object.modified ? ZX_PAGER_VMO_STATS_MODIFIED : 0 };
    if (options === ZX_PAGER_RESET_VMO_STATS) v.object.modified = false;
    return [ZX_OK, stats];
  }

  // ---------------------------------------------------------------- ports

  /** `zx_port_create(options, *out)`. */
  protected portCreate(
    _t: KernelThread,
    ...[options]: In<"zx_port_create">
  ): Out<"zx_port_create"> {
    if (options !== 0) return ZX_ERR_INVALID_ARGS;
    const port = new Port(this.newKoid());
    this.ports.push(port);
    return this.handles.add(port, ZX_DEFAULT_PORT_RIGHTS);
  }

  /** `zx_port_queue(port, packet)`: user packets only. */
  protected portQueue(
    _t: KernelThread,
    ...[port, packet]: In<"zx_port_queue">
  ): Out<"zx_port_queue"> {
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return p.status;
    if (typeof packet !== "object" || packet === null || !isU64(packet.key)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const user: UserPacket = {
      type: ZX_PKT_TYPE_USER,
      key: packet.key,
      status: Number.isInteger(packet.status) ? packet.status : 0,
      user: Array.isArray(packet.user) ? [...packet.user] : [],
    };
    return p.object.queue(user, null) ? ZX_OK : ZX_ERR_SHOULD_WAIT;
  }

  /** `zx_port_wait(port, deadline, *packet)`: parks until a packet arrives or the deadline passes. */
  protected *portWait(
    t: KernelThread,
    ...[port, deadline]: In<"zx_port_wait">
  ): Syscall<Out<"zx_port_wait">> {
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ);
    if (!p.ok) return p.status;
    if (typeof deadline !== "number" || Number.isNaN(deadline)) return ZX_ERR_INVALID_ARGS;
    const vmoOf = (koid: number | undefined) => this.pagerVmos.find((v) => v.koid === koid)?.koid;
    const got = yield* p.object.wait(t, deadline, this, vmoOf);
    return typeof got === "number" ? got : [ZX_OK, got];
  }

  /** `zx_port_cancel_key(port, options, key)`: removes queued packets with `key`. */
  protected portCancelKey(
    _t: KernelThread,
    ...[port, options, key]: In<"zx_port_cancel_key">
  ): Out<"zx_port_cancel_key"> {
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return p.status;
    if (options !== 0 || !isU64(key)) return ZX_ERR_INVALID_ARGS;
    return p.object.cancelKey(key) > 0 ? ZX_OK : ZX_ERR_NOT_FOUND;
  }

  // ---------------------------------------------------------------- events

  /** `zx_event_create(options, *out)`. */
  protected eventCreate(
    _t: KernelThread,
    ...[options]: In<"zx_event_create">
  ): Out<"zx_event_create"> {
    if (options !== 0) return ZX_ERR_INVALID_ARGS;
    return this.handles.add(new Event(this.newKoid()), ZX_DEFAULT_EVENT_RIGHTS);
  }

  /** `zx_object_signal(handle, clear_mask, set_mask)`. */
  protected objectSignal(
    _t: KernelThread,
    ...[handle, clear, set]: In<"zx_object_signal">
  ): Out<"zx_object_signal"> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.rights & ZX_RIGHT_SIGNAL)) return ZX_ERR_ACCESS_DENIED;
    if (!(e.object instanceof Event)) return ZX_ERR_NOT_SUPPORTED;
    // Masks are uint32_t: ZX_USER_SIGNAL_7 may arrive as 1 << 31 (negative) or 2 ** 31.
    const u32 = (x: unknown) =>
      Number.isInteger(x) && Number(x) >= -(2 ** 31) && Number(x) < 2 ** 32;
    const allowed = ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED;
    if (!u32(clear) || !u32(set) || ((clear | set) & ~allowed) !== 0) return ZX_ERR_INVALID_ARGS;
    e.object.signals = ((e.object.signals & ~clear) | set) >>> 0;
    return ZX_OK;
  }

  // ---------------------------------------------------------------- handles

  /** `zx_handle_close(handle)`: 0 (ZX_HANDLE_INVALID) is a no-op. */
  protected handleClose(
    _t: KernelThread,
    ...[handle]: In<"zx_handle_close">
  ): Out<"zx_handle_close"> {
    if (handle === 0) return ZX_OK;
    const object = this.handles.remove(handle);
    if (object === undefined) return ZX_ERR_BAD_HANDLE;
    if (object.handleCount === 0) this.onZeroHandles(object);
    return ZX_OK;
  }

  /** `zx_handle_duplicate(handle, rights, *out)`: needs DUPLICATE; rights must be a subset. */
  protected handleDuplicate(
    _t: KernelThread,
    ...[handle, rights]: In<"zx_handle_duplicate">
  ): Out<"zx_handle_duplicate"> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.rights & ZX_RIGHT_DUPLICATE)) return ZX_ERR_ACCESS_DENIED;
    const r = this.#subRights(e.rights, rights);
    return r === undefined ? ZX_ERR_INVALID_ARGS : this.handles.add(e.object, r);
  }

  /** `zx_handle_replace(handle, rights, *out)`: the old handle is gone even when this fails. */
  protected handleReplace(
    _t: KernelThread,
    ...[handle, rights]: In<"zx_handle_replace">
  ): Out<"zx_handle_replace"> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    const r = this.#subRights(e.rights, rights);
    const out: Out<"zx_handle_replace"> = r === undefined
      ? ZX_ERR_INVALID_ARGS
      : this.handles.add(e.object, r);
    this.handles.remove(handle);
    if (e.object.handleCount === 0) this.onZeroHandles(e.object);
    return out;
  }

  /** `zx_object_get_info(handle, ZX_INFO_VMO, ...)`. */
  protected *objectGetInfo(
    t: KernelThread,
    ...[handle, topic, buffer]: In<"zx_object_get_info">
  ): Syscall<Out<"zx_object_get_info">> {
    // sys_object_get_info switches on the topic before it looks at the handle.
    if (topic !== ZX_INFO_VMO) return ZX_ERR_NOT_SUPPORTED;
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_INSPECT);
    if (!v.ok) return v.status;
    const info = this.pages.info(v.object, v.rights);
    if (buffer !== undefined) {
      // The record's copy-out to the caller's buffer, which may fault on a pager VMO (K3).
      const record = new Uint8Array(ZX_INFO_VMO_BYTES);
      new DataView(record.buffer).setBigUint64(0, BigInt(info.koid), true);
      const [st] = yield* this.pages.userCopy(t, this.#user(buffer), 0, record, true);
      if (st !== ZX_OK) return st;
    }
    return [ZX_OK, info];
  }

  // ---------------------------------------------------------------- VMOs

  /** `zx_vmo_create(size, options, *out)`: an anonymous VMO. */
  protected vmoCreate(
    _t: KernelThread,
    ...[size, options]: In<"zx_vmo_create">
  ): Out<"zx_vmo_create"> {
    if (!Number.isInteger(options) || (options & ~(ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE)) !== 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(size)) return ZX_ERR_INVALID_ARGS;
    const rounded = this.#checkSize(size);
    if (rounded < 0) return rounded;
    const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    const vmo = new Vmo(this.newKoid(), this.pageSize, rounded, resizable, 0, null, null, 0);
    return this.handles.add(vmo, ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0));
  }

  /** `zx_vmo_get_size(handle, *size)`. */
  protected vmoGetSize(
    _t: KernelThread,
    ...[handle]: In<"zx_vmo_get_size">
  ): Out<"zx_vmo_get_size"> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
    return v.ok ? [ZX_OK, v.object.size] : v.status;
  }

  /** `zx_vmo_read(handle, buffer, offset, buffer_size)`: blocks on the pager; early wake (3.8). */
  protected *vmoRead(
    t: KernelThread,
    ...[handle, offset, length, buffer]: In<"zx_vmo_read">
  ): Syscall<Out<"zx_vmo_read">> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    if (!isU64(offset) || !isU64(length)) return ZX_ERR_INVALID_ARGS;
    if (buffer !== undefined && !isU64(buffer)) return ZX_ERR_INVALID_ARGS;
    if (offset + length > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    const out = new Uint8Array(length);
    if (length === 0) return [ZX_OK, out];
    this.hold(t, v.object);
    const user = buffer === undefined ? undefined : this.#user(buffer);
    const st = yield* this.pages.access(t, v.object, offset, out, false, user);
    this.release(t, v.object);
    return [st, out];
  }

  /** `zx_vmo_write(handle, buffer, offset, buffer_size)`: blocks on the pager, up to 16 pages a request. */
  protected *vmoWrite(
    t: KernelThread,
    ...[handle, data, offset, buffer]: In<"zx_vmo_write">
  ): Syscall<Out<"zx_vmo_write">> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    if (!(data instanceof Uint8Array) || !isU64(offset)) return ZX_ERR_INVALID_ARGS;
    if (buffer !== undefined && !isU64(buffer)) return ZX_ERR_INVALID_ARGS;
    if (offset + data.length > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    if (data.length === 0) return ZX_OK;
    this.hold(t, v.object);
    // A user buffer's bytes are copied in page by page as the write goes (K4, W77).
    const user = buffer === undefined ? undefined : this.#user(buffer);
    const bytes = user === undefined ? data : new Uint8Array(data.length);
    const st = yield* this.pages.access(t, v.object, offset, bytes, true, user);
    this.release(t, v.object);
    return st;
  }

  /**
   * `zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size)`: COMMIT, DECOMMIT, ZERO and
   * the eviction hints ALWAYS_NEED, DONT_NEED, PREFETCH (spec 2.8.2).
   */
  protected *vmoOpRange(
    t: KernelThread,
    ...[handle, op, offset, size]: In<"zx_vmo_op_range">
  ): Syscall<Out<"zx_vmo_op_range">> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.object instanceof Vmo)) return ZX_ERR_WRONG_TYPE;
    const vmo = e.object;
    const hint = op === ZX_VMO_OP_ALWAYS_NEED || op === ZX_VMO_OP_DONT_NEED;
    const known = hint || op === ZX_VMO_OP_PREFETCH || op === ZX_VMO_OP_COMMIT ||
      op === ZX_VMO_OP_DECOMMIT || op === ZX_VMO_OP_ZERO;
    if (!known) return ZX_ERR_INVALID_ARGS;
    const need = hint ? ZX_RIGHT_NONE : op === ZX_VMO_OP_PREFETCH ? ZX_RIGHT_READ : ZX_RIGHT_WRITE;
    if ((e.rights & need) !== need) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(offset) || !isU64(size)) return ZX_ERR_INVALID_ARGS;
    if (Math.ceil((offset + size) / this.pageSize) * this.pageSize > vmo.size) {
      return ZX_ERR_OUT_OF_RANGE;
    }
    this.hold(t, vmo);
    const st = yield* this.pages.rangeOp(t, vmo, op, offset, size);
    this.release(t, vmo);
    return st;
  }

  /**
   * `zx_vmo_set_size(handle, size)` (spec 2.8.3): a shrink resolves requests for
   * the cut range and discards its content; a grow of a pager VMO adds a Dirty
   * zero interval.
   */
  protected vmoSetSize(
    t: KernelThread,
    ...[handle, size]: In<"zx_vmo_set_size">
  ): Out<"zx_vmo_set_size"> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    if (!v.object.resizable) return ZX_ERR_UNAVAILABLE;
    if (!(v.rights & ZX_RIGHT_RESIZE)) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(size)) return ZX_ERR_INVALID_ARGS;
    const rounded = this.#roundUp(size);
    if (rounded > LIMITS.maxVmoBytes) return ZX_ERR_OUT_OF_RANGE;
    if (rounded / this.pageSize > MAX_VMO_PAGES) return ZX_ERR_NO_MEMORY;
    // A shrink may not cut pinned pages (VmCowPages::Resize: BAD_STATE).
    const keep = rounded / this.pageSize;
    for (const q of v.object.pins.keys()) if (q >= keep) return ZX_ERR_BAD_STATE;
    this.pages.resize(t, v.object, size, keep);
    return ZX_OK;
  }

  /**
   * `zx_vmo_create_child(handle, options, offset, size, *out)` on a pager-backed
   * VMO (spec 6.1): SNAPSHOT_AT_LEAST_ON_WRITE and SNAPSHOT_MODIFIED clones,
   * SLICE and REFERENCE. Children of anonymous VMOs are outside the model
   * (NOT_SUPPORTED).
   */
  protected vmoCreateChild(
    _t: KernelThread,
    ...[handle, options, offset, size]: In<"zx_vmo_create_child">
  ): Out<"zx_vmo_create_child"> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    const child = this.pages.createChild(v.object, options, offset, size, () => this.newKoid());
    if (typeof child === "number") return child;
    const resizable = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
    const rights = (ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0)) &
      ~((options & ZX_VMO_CHILD_NO_WRITE) ? ZX_RIGHT_WRITE : 0);
    const [st, h] = this.handles.add(child, rights);
    if (st !== ZX_OK) return st;
    parentOf(child).children.push(child);
    child.userParent = v.object;
    v.object.userChildren.push(child);
    return [ZX_OK, h];
  }

  // ---------------------------------------------------------------- mappings

  /**
   * `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len, *addr)`; vmar_offset only with
   * `ZX_VM_SPECIFIC` or `ZX_VM_SPECIFIC_OVERWRITE` (which replaces whole mappings).
   */
  protected vmarMap(
    _t: KernelThread,
    ...[vmar, options, vmarOffset, vmo, vmoOffset, len]: In<"zx_vmar_map">
  ): Out<"zx_vmar_map"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    const writable = (options & ZX_VM_PERM_WRITE) !== 0;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
    if (!v.ok) return v.status;
    // A write-only mapping is invalid before the VMO's READ/WRITE rights are looked at.
    if (writable && !(options & ZX_VM_PERM_READ)) return ZX_ERR_INVALID_ARGS;
    const need = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
    if ((v.rights & need) !== need) return ZX_ERR_ACCESS_DENIED;
    const known = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE |
      ZX_VM_MAP_RANGE;
    if (!Number.isInteger(options) || (options & ~known) !== 0 || !(options & ZX_VM_PERM_READ)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const specific = (options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) !== 0;
    if (!specific && vmarOffset !== 0) return ZX_ERR_NOT_SUPPORTED;
    if (!this.#aligned(vmoOffset) || !isU64(len) || len === 0 || !this.#aligned(vmarOffset)) {
      return ZX_ERR_INVALID_ARGS;
    }
    // A sub-region's checks (the root passes them all): alive, its CAN_MAP_* flags and the
    // VMAR handle's rights bound the mapping (sys_vmar_map and VmAddressRegion::CreateVmMapping,
    // vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc).
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const canWrite = (v.rights & ZX_RIGHT_WRITE) !== 0 && (r.rights & ZX_RIGHT_WRITE) !== 0 &&
      region.flags.write;
    if (
      (specific && !region.flags.specific) || !region.flags.read || !(r.rights & ZX_RIGHT_READ) ||
      (writable && !canWrite)
    ) return ZX_ERR_ACCESS_DENIED;
    // MAP_RANGE needs nothing here: the model has no page tables, so faults never differ.
    const mapping = {
      len: this.#roundUp(len),
      vmo: v.object,
      vmoOffset,
      readable: true,
      writable,
      canWrite,
    };
    const overwrite = (options & ZX_VM_SPECIFIC_OVERWRITE) !== 0;
    const [st, at, replaced] = r.object.place(
      mapping,
      vmarOffset,
      specific,
      overwrite,
      this.pageSize,
    );
    for (const m of replaced) this.unmapped(m);
    if (st !== ZX_OK) return st;
    v.object.mappings++;
    return [ZX_OK, at];
  }

  /** `zx_vmar_unmap(vmar, addr, len)`: the model unmaps whole mappings only. */
  protected vmarUnmap(
    _t: KernelThread,
    ...[vmar, addr, len]: In<"zx_vmar_unmap">
  ): Out<"zx_vmar_unmap"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    if (!this.#aligned(addr) || !isU64(len) || len === 0) return ZX_ERR_INVALID_ARGS;
    const m = r.object.remove(addr, this.#roundUp(len));
    if (m === undefined) return ZX_ERR_NOT_FOUND;
    this.unmapped(m);
    return ZX_OK;
  }

  /**
   * `zx_vmar_allocate(parent_vmar, options, offset, size, *child_vmar, *child_addr)`: a
   * sub-region, placed at `offset` with `ZX_VM_SPECIFIC`, else packed after the last placement
   * (`ZX_VM_COMPACT` is a hint the model always follows). The parent handle needs the rights
   * the CAN_MAP flags ask for, looked up before anything else (sys_vmar_allocate,
   * vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc); the child's handle has the
   * default VMAR rights less READ/WRITE/EXECUTE its CAN_MAP flags do not allow.
   */
  protected vmarAllocate(
    _t: KernelThread,
    ...[parent, options, offset, size]: In<"zx_vmar_allocate">
  ): Out<"zx_vmar_allocate"> {
    const o = Number.isInteger(options) ? options : 0;
    const need = (o & ZX_VM_CAN_MAP_READ ? ZX_RIGHT_READ : 0) |
      (o & ZX_VM_CAN_MAP_WRITE ? ZX_RIGHT_WRITE : 0) |
      (o & ZX_VM_CAN_MAP_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    const r = this.handles.get<Vmar>(parent, ZX_OBJ_TYPE_VMAR, need);
    if (!r.ok) return r.status;
    // PERM_* bits are MMU flags, which a region may not carry (VmAddressRegionDispatcher::Allocate).
    const known = ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ |
      ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE;
    if (!Number.isInteger(options) || (options & ~known) !== 0) return ZX_ERR_INVALID_ARGS;
    if (!isU64(size) || size === 0 || !this.#aligned(offset)) return ZX_ERR_INVALID_ARGS;
    const specific = (options & ZX_VM_SPECIFIC) !== 0;
    if (!specific && offset !== 0) return ZX_ERR_INVALID_ARGS;
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const flags = {
      specific: (options & ZX_VM_CAN_MAP_SPECIFIC) !== 0,
      read: (options & ZX_VM_CAN_MAP_READ) !== 0,
      write: (options & ZX_VM_CAN_MAP_WRITE) !== 0,
      execute: (options & ZX_VM_CAN_MAP_EXECUTE) !== 0,
    };
    // A region can grant no more than its parent (VmAddressRegion::CreateSubVmarInternal).
    if (
      (specific && !region.flags.specific) || (flags.specific && !region.flags.specific) ||
      (flags.read && !region.flags.read) || (flags.write && !region.flags.write) ||
      (flags.execute && !region.flags.execute)
    ) return ZX_ERR_ACCESS_DENIED;
    const [st, child] = region.allocate(
      () => this.newKoid(),
      offset,
      this.#roundUp(size),
      specific,
      flags,
      this.pageSize,
    );
    if (st !== ZX_OK) return st;
    assert(child !== null, () => "an allocated region exists");
    const rights = ZX_DEFAULT_VMAR_RIGHTS & ~(flags.read ? 0 : ZX_RIGHT_READ) &
      ~(flags.write ? 0 : ZX_RIGHT_WRITE) & ~(flags.execute ? 0 : ZX_RIGHT_EXECUTE);
    const [hs, h] = this.handles.add(child, rights);
    if (hs !== ZX_OK) {
      child.destroy();
      return hs;
    }
    return [ZX_OK, h, child.base];
  }

  /**
   * `zx_vmar_destroy(handle)`: unmaps everything in the region and its sub-regions, which can
   * hold nothing again; the root VMAR cannot be destroyed (VmAddressRegionDispatcher::Destroy).
   */
  protected vmarDestroy(
    _t: KernelThread,
    ...[vmar]: In<"zx_vmar_destroy">
  ): Out<"zx_vmar_destroy"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    if (r.object === this.rootVmar) return ZX_ERR_NOT_SUPPORTED;
    if (r.object.destroyed) return ZX_ERR_BAD_STATE;
    for (const m of r.object.destroy()) this.unmapped(m);
    return ZX_OK;
  }

  /**
   * `zx_vmar_protect(handle, options, addr, len)`: new permissions for the mappings of
   * `[addr, addr + len)`, which must be mapped without a gap, directly in this region, and
   * allow no more than the mapping's VMO handle allowed when it was mapped
   * (sys_vmar_protect and VmAddressRegion::Protect, vsrinivas/fuchsia 2cf39818). The model
   * changes whole mappings only (NOT_SUPPORTED for a part of one), and a store through a
   * newly writable mapping still takes the trap-dirty fault path: protect grants no page.
   */
  protected vmarProtect(
    _t: KernelThread,
    ...[vmar, options, addr, len]: In<"zx_vmar_protect">
  ): Out<"zx_vmar_protect"> {
    const o = Number.isInteger(options) ? options : 0;
    const need = (o & ZX_VM_PERM_READ ? ZX_RIGHT_READ : 0) |
      (o & ZX_VM_PERM_WRITE ? ZX_RIGHT_WRITE : 0) |
      (o & ZX_VM_PERM_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, need);
    if (!r.ok) return r.status;
    if (!this.#aligned(addr)) return ZX_ERR_INVALID_ARGS;
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    if (!Number.isInteger(options) || (options & ~perms) !== 0) return ZX_ERR_INVALID_ARGS;
    if ((options & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)) && !(options & ZX_VM_PERM_READ)) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(len) || len === 0) return ZX_ERR_INVALID_ARGS;
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const end = addr + this.#roundUp(len);
    if (!region.contains(addr, end - addr)) return ZX_ERR_INVALID_ARGS;
    const hit: Mapping[] = [];
    for (let at = addr; at < end;) {
      const m = region.mappings.find((x) => at >= x.addr && at < x.addr + x.len);
      if (m === undefined) {
        const sub = region.regions.some((x) => at >= x.base && at < x.base + x.size);
        return sub ? ZX_ERR_INVALID_ARGS : ZX_ERR_NOT_FOUND;
      }
      if ((options & ZX_VM_PERM_WRITE && !m.canWrite) || options & ZX_VM_PERM_EXECUTE) {
        return ZX_ERR_ACCESS_DENIED;
      }
      hit.push(m);
      at = m.addr + m.len;
    }
    if (hit[0].addr !== addr || hit[hit.length - 1].addr + hit[hit.length - 1].len !== end) {
      return ZX_ERR_NOT_SUPPORTED;
    }
    for (const m of hit) {
      m.readable = (options & ZX_VM_PERM_READ) !== 0;
      m.writable = (options & ZX_VM_PERM_WRITE) !== 0;
    }
    return ZX_OK;
  }

  /**
   * `zx_vmar_op_range(handle, op, address, size, buffer, buffer_size)`: the VMO op on every
   * mapping of `[address, address + size)` in this region's tree, in address order, each
   * blocking as its VMO op does; a gap before or between mappings ends the walk with
   * BAD_STATE after the mappings before it were done (VmAddressRegionDispatcher::RangeOp and
   * VmAddressRegion::RangeOp, zircon/kernel/object/vm_address_region_dispatcher.cc and
   * zircon/kernel/vm/vm_address_region.cc). COMMIT and DECOMMIT need a handle with WRITE and
   * mappings that could be writable; MAP_RANGE and PREFETCH a handle with READ. ZERO is
   * outside the model (INVALID_ARGS, as an unknown op).
   */
  protected *vmarOpRange(
    t: KernelThread,
    ...[vmar, op, addr, len]: In<"zx_vmar_op_range">
  ): Syscall<Out<"zx_vmar_op_range">> {
    const e = this.handles.entry(vmar);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.object instanceof Vmar)) return ZX_ERR_WRONG_TYPE;
    const region = e.object;
    const write = op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_DECOMMIT;
    const read = op === ZX_VMAR_OP_MAP_RANGE || op === ZX_VMAR_OP_PREFETCH;
    if (!write && !read && op !== ZX_VMAR_OP_ALWAYS_NEED && op !== ZX_VMAR_OP_DONT_NEED) {
      return ZX_ERR_INVALID_ARGS;
    }
    const need = write ? ZX_RIGHT_WRITE : read ? ZX_RIGHT_READ : ZX_RIGHT_NONE;
    if ((e.rights & need) !== need) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(len) || !this.#aligned(addr)) return ZX_ERR_INVALID_ARGS;
    const size = this.#roundUp(len);
    if (size === 0) return ZX_ERR_INVALID_ARGS;
    if (!region.contains(addr, size)) return ZX_ERR_OUT_OF_RANGE;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const last = addr + size;
    for (let expected = addr; expected < last;) {
      const m = region.nextMapping(expected, last);
      if (m === undefined || m.addr > expected) return ZX_ERR_BAD_STATE;
      const inMapping = expected - m.addr;
      const n = Math.min(last - expected, m.len - inMapping);
      if (write && !m.canWrite) return ZX_ERR_ACCESS_DENIED;
      let st: Status = ZX_OK;
      if (op !== ZX_VMAR_OP_MAP_RANGE) {
        // The VMAR ops share the VMO ops' numbers; a mapping past a shrunk VMO's end is out of range.
        const vo = m.vmoOffset + inMapping;
        if (vo + n > m.vmo.size) st = ZX_ERR_OUT_OF_RANGE;
        else {
          this.hold(t, m.vmo);
          st = yield* this.pages.rangeOp(t, m.vmo, op, vo, n);
          this.release(t, m.vmo);
        }
      }
      // The walk re-validates after each mapping's op, which may have blocked.
      if (region.destroyed) return ZX_ERR_BAD_STATE;
      if (st !== ZX_OK) return st;
      expected += n;
    }
    return ZX_OK;
  }

  /**
   * A load through a mapping: faults one page at a time (1-page READ requests,
   * no early wake). A fault that cannot be resolved kills the thread with a
   * fatal page fault whose synthetic code says why (spec 4.3).
   */
  *memRead(t: KernelThread, addr: number, length: number): Syscall<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.floor(length)));
    const fault = yield* this.pages.mem(t, this.rootVmar, addr, out, false);
    if (fault !== null) yield* this.crash(t, fault);
    return out;
  }

  /** A store through a mapping; faults like {@linkcode Kernel.memRead}. */
  *memWrite(t: KernelThread, addr: number, data: Uint8Array): Syscall<void> {
    const fault = yield* this.pages.mem(t, this.rootVmar, addr, data, true);
    if (fault !== null) yield* this.crash(t, fault);
  }

  // ---------------------------------------------------------------- BTI pinning

  /**
   * `zx_bti_create(iommu, options, bti_id, *out)` on the model's one dummy IOMMU, which is
   * implicit: `(options, bti_id)` (upstream `BtiDispatcher::Create`).
   */
  protected btiCreate(
    _t: KernelThread,
    ...[options, btiId]: In<"zx_bti_create">
  ): Out<"zx_bti_create"> {
    if (options !== 0 || !isU64(btiId)) return ZX_ERR_INVALID_ARGS;
    return this.handles.add(new Bti(this.newKoid(), btiId), ZX_DEFAULT_BTI_RIGHTS);
  }

  /**
   * `zx_bti_pin(bti, options, vmo, offset, size, addrs, num_addrs, *pmt)` (the device addresses
   * are not modelled): alignment first, then the BTI with MAP, the VMO with MAP and the rights
   * the permissions need, then the options (sys_bti_pin, zircon/kernel/lib/syscalls/ddk.cc;
   * BtiDispatcher::Pin). Commits like COMMIT (requests, parking) and pins the pages: they are
   * not evicted, and a shrink over them fails with BAD_STATE until `zx_pmt_unpin`.
   */
  protected *btiPin(
    t: KernelThread,
    ...[bti, options, vmo, offset, size]: In<"zx_bti_pin">
  ): Syscall<Out<"zx_bti_pin">> {
    if (!this.#aligned(offset) || !this.#aligned(size)) return ZX_ERR_INVALID_ARGS;
    const b = this.handles.get<Bti>(bti, ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP);
    if (!b.ok) return b.status;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
    if (!v.ok) return v.status;
    const o = Number.isInteger(options) ? options : 0;
    if (
      (o & ZX_BTI_PERM_READ && !(v.rights & ZX_RIGHT_READ)) ||
      (o & ZX_BTI_PERM_WRITE && !(v.rights & ZX_RIGHT_WRITE)) ||
      (o & ZX_BTI_PERM_EXECUTE && !(v.rights & ZX_RIGHT_EXECUTE))
    ) return ZX_ERR_ACCESS_DENIED;
    const known = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_PERM_EXECUTE | ZX_BTI_COMPRESS;
    // CONTIGUOUS needs a contiguous VMO, which the model has none of.
    if (!Number.isInteger(options) || (options & ~known) !== 0) return ZX_ERR_INVALID_ARGS;
    if (size === 0) return ZX_ERR_INVALID_ARGS;
    if (offset + size > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    const start = offset / this.pageSize;
    const end = (offset + size) / this.pageSize;
    this.hold(t, v.object);
    const st = yield* this.pages.pin(t, v.object, start, end);
    this.release(t, v.object);
    if (st !== ZX_OK) return st;
    const writable = (options & ZX_BTI_PERM_WRITE) !== 0;
    const pmt = new Pmt(this.newKoid(), b.object, v.object, start, end, writable);
    const [hs, h] = this.handles.add(pmt, ZX_DEFAULT_PMT_RIGHTS);
    if (hs !== ZX_OK) {
      this.pages.unpin(v.object, start, end);
      return hs;
    }
    v.object.pinTokens++;
    return [ZX_OK, h];
  }

  /**
   * `zx_pmt_unpin(handle)`: unpins the token's pages and consumes the handle (the model checks
   * the type before it removes the handle; PinnedMemoryTokenDispatcher::Unpin).
   */
  protected pmtUnpin(
    _t: KernelThread,
    ...[pmt]: In<"zx_pmt_unpin">
  ): Out<"zx_pmt_unpin"> {
    const p = this.handles.get<Pmt>(pmt, ZX_OBJ_TYPE_PMT, ZX_RIGHT_NONE);
    if (!p.ok) return p.status;
    this.unpinToken(p.object);
    this.handles.remove(pmt);
    if (p.object.handleCount === 0) this.onZeroHandles(p.object);
    return ZX_OK;
  }

  // ---------------------------------------------------------------- threads

  /** `zx_task_suspend(thread, *token)`: a blocked pager wait is cancelled and restarts on resume. */
  protected taskSuspend(
    t: KernelThread,
    ...[thread]: In<"zx_task_suspend">
  ): Out<"zx_task_suspend"> {
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE);
    if (!th.ok) return th.status;
    const target = th.object;
    // It would never receive the token to resume itself (task_suspend.md).
    if (target === t) return ZX_ERR_NOT_SUPPORTED;
    if (!target.alive) return ZX_ERR_BAD_STATE;
    const token = new SuspendToken(this.newKoid(), target);
    const [st, h] = this.handles.add(token, ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS);
    if (st !== ZX_OK) return st;
    if (target.suspendCount++ === 0) {
      this.sink.emit({ k: "thread", tid: target.tid, what: "suspended" });
      this.pages.interrupt(target, ZX_ERR_INTERNAL_INTR_RETRY);
    }
    return [ZX_OK, h];
  }

  /** `zx_task_kill(thread)`: a blocked pager wait is cancelled; the thread never runs again. */
  protected taskKill(_t: KernelThread, ...[thread]: In<"zx_task_kill">): Out<"zx_task_kill"> {
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY);
    if (!th.ok) return th.status;
    const target = th.object;
    if (target.alive) {
      this.pages.interrupt(target, ZX_ERR_INTERNAL_INTR_KILLED);
      target.killed = true;
      this.releaseAll(target);
      this.sink.emit({ k: "thread", tid: target.tid, what: "killed" });
    }
    return ZX_OK;
  }

  // ---------------------------------------------------------------- internals

  /**
   * The handle lookups pager calls share (spec 2.4 steps 1-3): the pager with
   * MANAGE_VMO, then the VMO with `rights`, then INVALID_ARGS unless the VMO
   * is that pager's.
   */
  #pagerVmo(pager: number, pagerVmo: number, rights: number): Lookup<Vmo> {
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO);
    if (!pg.ok) return pg;
    const v = this.handles.get<Vmo>(pagerVmo, ZX_OBJ_TYPE_VMO, rights);
    if (v.ok && v.object.pagerKoid !== pg.object.koid) {
      return { ok: false, status: ZX_ERR_INVALID_ARGS };
    }
    return v;
  }

  /** The calling process's memory at `addr` (the one process: the root VMAR's tree). */
  #user(addr: number): UserBuffer {
    return { vmar: this.rootVmar, addr };
  }

  #aligned(x: unknown): x is number {
    return isU64(x) && x % this.pageSize === 0;
  }

  #roundUp(x: number): number {
    return Math.ceil(x / this.pageSize) * this.pageSize;
  }

  /** A new VMO's size rounded up, or the (negative) status that refuses it. */
  #checkSize(size: number): number {
    const rounded = this.#roundUp(size);
    if (rounded >= MAX_U64 || rounded > LIMITS.maxVmoBytes) return ZX_ERR_OUT_OF_RANGE;
    return rounded / this.pageSize > MAX_VMO_PAGES ? ZX_ERR_NO_MEMORY : rounded;
  }

  #subRights(have: number, want: number): number | undefined {
    if (want >>> 0 === ZX_RIGHT_SAME_RIGHTS) return have;
    if (!Number.isInteger(want) || ((want >>> 0) & ~have) !== 0) return undefined;
    return want >>> 0;
  }
}
