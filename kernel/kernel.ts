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
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
  ZX_DEFAULT_THREAD_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
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
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
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
import { type DirtyRange, dirtyRanges } from "./dirty.ts";
import { assert } from "./assert.ts";
import {
  type EventSink,
  NULL_SINK,
  type Packet,
  type PagePacket,
  type UserPacket,
} from "./events.ts";
import { HandleTable, type KernelObject, type Lookup } from "./handles.ts";
import { type KernelThread, KThread, Pager, SuspendToken, Vmar, Vmo } from "./objects.ts";
import { PageSource, Waiter } from "./page_source.ts";
import { PagerProxy } from "./pager_proxy.ts";
import { Port } from "./port.ts";
import {
  type CallOut,
  type KernelCalls,
  type PagerVmoStats,
  SYSCALL_NAMES,
  tableCall,
  type VmoInfo,
} from "./syscalls.ts";
import { MAX_VMO_PAGES, parentOf, proxyOf, sourceOf, VmoPages } from "./vmo_pages.ts";
import type { Syscall, Wait } from "./yields.ts";

export { MAX_VMO_PAGES } from "./vmo_pages.ts";
export type { KernelYield, Syscall, Wait } from "./yields.ts";
export type { PagerVmoStats, VmoInfo } from "./syscalls.ts";
export { KernelAssertionError } from "./assert.ts";

/** Options of a simulated kernel. */
export interface KernelOptions {
  /** Page size in bytes (a power of two, 8 to 65536). Default 4096. */
  pageSize?: number;
  /** Overtime timeout for pager waits, in virtual ticks; 0 disables it. Default 0. */
  overtimeTicks?: number;
  /** Receives every kernel event. Default: dropped. */
  sink?: EventSink;
}

const MAX_U64 = 2 ** 64;

function isU64(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= MAX_U64;
}

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
export class Kernel {
  /** Virtual time in ticks; the simulator advances it. */
  now = 0;
  /** Page size in bytes. */
  readonly pageSize: number;
  /** Overtime timeout of pager waits in virtual ticks (0: never). */
  readonly overtimeTicks: number;
  /** @internal The handle table of the one simulated process. */
  readonly handles: HandleTable = new HandleTable();
  /** Where every kernel event goes. */
  readonly sink: EventSink;
  /** @internal The process's root VMAR, with its mappings. */
  readonly rootVmar: Vmar;
  /** Handle to the root VMAR (every thread of the process may use it). */
  readonly rootVmarHandle: number;
  /** @internal Every pager-backed VMO ever created, for invariants. */
  readonly pagerVmos: Vmo[] = [];
  /** @internal Every port ever created, for invariants. */
  readonly ports: Port[] = [];
  /** @internal The page machinery of every VMO. */
  readonly pages: VmoPages;
  #koid = 1000;
  #requestId = 0;
  #pagers = new Map<number, Pager>();

  static {
    // Each table call's entry and exit wraps the protected method of its `Sys` name (pagerCreate).
    for (const name of SYSCALL_NAMES) {
      if (name === "mem_read" || name === "mem_write") continue;
      const value = tableCall(name);
      Object.defineProperty(Kernel.prototype, name, { value, writable: true, configurable: true });
    }
  }

  /** A kernel with no objects but the root VMAR. */
  constructor(options: KernelOptions = {}) {
    this.pageSize = options.pageSize ?? 4096;
    this.overtimeTicks = options.overtimeTicks ?? 0;
    this.sink = options.sink ?? NULL_SINK;
    assert(
      Number.isInteger(this.pageSize) && (this.pageSize & (this.pageSize - 1)) === 0 &&
        this.pageSize >= LIMITS.minPageSize && this.pageSize <= LIMITS.maxPageSize,
      () => `page size ${this.pageSize} is not a power of two in [8, 65536]`,
    );
    this.pages = this.createPages();
    this.rootVmar = new Vmar(this.#newKoid());
    this.rootVmarHandle = this.handles.add(this.rootVmar, ZX_DEFAULT_VMAR_RIGHTS)[1];
  }

  /** @internal Creates a simulated thread and a handle to it (process setup, not a syscall). */
  createThread(name: string, tid: number, failInsteadOfBlock = false): [KThread, number] {
    const thread = new KThread(this.#newKoid(), tid, name, failInsteadOfBlock);
    const [, handle] = this.handles.add(thread, ZX_DEFAULT_THREAD_RIGHTS);
    return [thread, handle];
  }

  /** @internal A thread's body returned: it holds nothing any more. */
  threadExited(t: KernelThread): void {
    assert(t.waiter === null, () => `t${t.tid} exited while waiting`);
    t.exited = true;
    this.#releaseAll(t);
    this.sink.emit({ k: "thread", tid: t.tid, what: "exited" });
  }

  /** @internal Builds the page machinery: the seam for kernel variants that override a step (zoo/). */
  protected createPages(): VmoPages {
    return new VmoPages(this);
  }

  /** @internal Builds the packet delivery of a new pager VMO: the seam for kernel variants (zoo/). */
  protected createPagerProxy(vmoKoid: number, port: Port, key: number): PagerProxy {
    return new PagerProxy(vmoKoid, port, key, this.pageSize, this.sink);
  }

  /** @internal Builds the request tracking of a new pager VMO: the seam for kernel variants (zoo/). */
  protected createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    return new PageSource(vmoKoid, proxy, this.sink, () => ++this.#requestId);
  }

  // ---------------------------------------------------------------- pager

  /** `zx_pager_create(options, *out)`. */
  protected pagerCreate(_t: KernelThread, options: number): CallOut<[Status, number]> {
    if (options !== 0) return ZX_ERR_INVALID_ARGS;
    const pagerObject = new Pager(this.#newKoid());
    this.#pagers.set(pagerObject.koid, pagerObject);
    return this.handles.add(pagerObject, ZX_DEFAULT_PAGER_RIGHTS);
  }

  /** `zx_pager_create_vmo(pager, options, port, key, size, *out)` (spec 2.2). */
  protected pagerCreateVmo(
    _t: KernelThread,
    pager: number,
    options: number,
    port: number,
    key: number,
    size: number,
  ): CallOut<[Status, number]> {
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
    const koid = this.#newKoid();
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
  protected *pagerDetachVmo(t: KernelThread, pager: number, vmo: number): Syscall<Status> {
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
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status> {
    if (!this.#aligned(offset) || !this.#aligned(length) || !this.#aligned(auxOffset)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!a.ok) return a.status;
    if (length === 0) return ZX_OK;
    if (auxOffset + length > a.object.size) return ZX_ERR_OUT_OF_RANGE;
    if (a.object.source !== null) return ZX_ERR_NOT_SUPPORTED;
    return yield* this.pages.supply(t, v.object, offset, length, a.object, auxOffset);
  }

  /** `zx_pager_op_range(pager, op, pager_vmo, offset, length, data)` (spec 2.5). */
  protected pagerOpRange(
    _t: KernelThread,
    pager: number,
    op: number,
    pagerVmo: number,
    offset: number,
    length: number,
    data: number,
  ): Status {
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
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    bufferSize: number,
  ): CallOut<[Status, DirtyRange[], number]> {
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
    pager: number,
    pagerVmo: number,
    options: number,
    bufferSize: number,
  ): CallOut<[Status, PagerVmoStats]> {
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    if (!isU64(bufferSize) || bufferSize < ZX_PAGER_VMO_STATS_SIZE) return ZX_ERR_BUFFER_TOO_SMALL;
    if (options !== 0 && options !== ZX_PAGER_RESET_VMO_STATS) return ZX_ERR_INVALID_ARGS;
    const stats = { modified: v.object.modified ? ZX_PAGER_VMO_STATS_MODIFIED : 0 };
    if (options === ZX_PAGER_RESET_VMO_STATS) v.object.modified = false;
    return [ZX_OK, stats];
  }

  /**
   * The kernel reclaims one Clean page of a pager VMO (spec 6.3): a scheduled
   * environment event, not a syscall. The page must be evictable now
   * ({@linkcode Kernel.evictablePages}); ZX_ERR_BAD_STATE otherwise.
   */
  *kernel_evict(t: KernelThread, handle: number, page: number): Syscall<Status> {
    yield* this.#enter(t, "kernel_evict", [handle, page]);
    const e = this.handles.entry(handle);
    let st: Status = ZX_ERR_BAD_HANDLE;
    if (e !== undefined && e.object instanceof Vmo) {
      st = this.pages.evictable(e.object, page) ? ZX_OK : ZX_ERR_BAD_STATE;
      if (st === ZX_OK) e.object.slots[page] = undefined;
    }
    this.sink.emit({ k: "ret", tid: t.tid, name: "kernel_evict", status: st });
    return st;
  }

  /** Pages of the VMO behind `handle` the kernel may evict now: Clean, not always-need (6.3). */
  evictablePages(handle: number): number[] {
    const vmo = this.handles.entry(handle)?.object;
    if (!(vmo instanceof Vmo)) return [];
    return [...vmo.slots.keys()].filter((p) => this.pages.evictable(vmo, p));
  }

  // ---------------------------------------------------------------- ports

  /** `zx_port_create(options, *out)`. */
  protected portCreate(_t: KernelThread, options: number): CallOut<[Status, number]> {
    if (options !== 0) return ZX_ERR_INVALID_ARGS;
    const port = new Port(this.#newKoid());
    this.ports.push(port);
    return this.handles.add(port, ZX_DEFAULT_PORT_RIGHTS);
  }

  /** `zx_port_queue(port, packet)`: user packets only. */
  protected portQueue(_t: KernelThread, port: number, packet: UserPacket): Status {
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
    port: number,
    deadline: number,
  ): Syscall<CallOut<[Status, Packet]>> {
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ);
    if (!p.ok) return p.status;
    if (typeof deadline !== "number" || Number.isNaN(deadline)) return ZX_ERR_INVALID_ARGS;
    const pt = p.object;
    const wait: Wait = {
      deadline,
      ready: (now) => pt.depth > 0 || now >= deadline,
      describe: () => `port ${pt.koid}${pt.dead ? " (no handles left)" : ""}`,
    };
    for (;;) {
      // Keys need not be unique (spec 1.4): the packet's owner, not its key, names the VMO.
      const owner = pt.headOwner();
      const packet = pt.dequeue();
      if (packet !== undefined) {
        if (packet.type === ZX_PKT_TYPE_PAGE_REQUEST) {
          const vmo = this.pagerVmos.find((v) => v.koid === owner?.vmoKoid);
          this.sink.emit({
            k: "packet-dequeued",
            port: pt.koid,
            vmo: vmo?.koid ?? -1,
            packet: packet as PagePacket,
            id: 0,
            tid: t.tid,
          });
        }
        return [ZX_OK, packet];
      }
      if (this.now >= deadline) return ZX_ERR_TIMED_OUT;
      this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
      yield { kind: "block", wait };
      if (!t.alive) return ZX_ERR_INTERNAL_INTR_KILLED;
    }
  }

  /** `zx_port_cancel_key(port, options, key)`: removes queued packets with `key`. */
  protected portCancelKey(_t: KernelThread, port: number, options: number, key: number): Status {
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return p.status;
    if (options !== 0 || !isU64(key)) return ZX_ERR_INVALID_ARGS;
    return p.object.cancelKey(key) > 0 ? ZX_OK : ZX_ERR_NOT_FOUND;
  }

  // ---------------------------------------------------------------- handles

  /** `zx_handle_close(handle)`: 0 (ZX_HANDLE_INVALID) is a no-op. */
  protected handleClose(_t: KernelThread, handle: number): Status {
    if (handle === 0) return ZX_OK;
    const object = this.handles.remove(handle);
    if (object === undefined) return ZX_ERR_BAD_HANDLE;
    if (object.handleCount === 0) this.#onZeroHandles(object);
    return ZX_OK;
  }

  /** `zx_handle_duplicate(handle, rights, *out)`: needs DUPLICATE; rights must be a subset. */
  protected handleDuplicate(
    _t: KernelThread,
    handle: number,
    rights: number,
  ): CallOut<[Status, number]> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.rights & ZX_RIGHT_DUPLICATE)) return ZX_ERR_ACCESS_DENIED;
    const r = this.#subRights(e.rights, rights);
    return r === undefined ? ZX_ERR_INVALID_ARGS : this.handles.add(e.object, r);
  }

  /** `zx_handle_replace(handle, rights, *out)`: the old handle is gone even when this fails. */
  protected handleReplace(
    _t: KernelThread,
    handle: number,
    rights: number,
  ): CallOut<[Status, number]> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    const r = this.#subRights(e.rights, rights);
    const out: CallOut<[Status, number]> = r === undefined
      ? ZX_ERR_INVALID_ARGS
      : this.handles.add(e.object, r);
    this.handles.remove(handle);
    if (e.object.handleCount === 0) this.#onZeroHandles(e.object);
    return out;
  }

  /** `zx_object_get_info(handle, ZX_INFO_VMO, ...)`. */
  protected objectGetInfo(
    _t: KernelThread,
    handle: number,
    topic: number,
  ): CallOut<[Status, VmoInfo]> {
    // sys_object_get_info switches on the topic before it looks at the handle.
    if (topic !== ZX_INFO_VMO) return ZX_ERR_NOT_SUPPORTED;
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_INSPECT);
    if (!v.ok) return v.status;
    return [ZX_OK, this.pages.info(v.object, v.rights)];
  }

  // ---------------------------------------------------------------- VMOs

  /** `zx_vmo_create(size, options, *out)`: an anonymous VMO. */
  protected vmoCreate(_t: KernelThread, size: number, options: number): CallOut<[Status, number]> {
    if (!Number.isInteger(options) || (options & ~(ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE)) !== 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(size)) return ZX_ERR_INVALID_ARGS;
    const rounded = this.#checkSize(size);
    if (rounded < 0) return rounded;
    const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    const vmo = new Vmo(this.#newKoid(), this.pageSize, rounded, resizable, 0, null, null, 0);
    return this.handles.add(vmo, ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0));
  }

  /** `zx_vmo_get_size(handle, *size)`. */
  protected vmoGetSize(_t: KernelThread, handle: number): CallOut<[Status, number]> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
    return v.ok ? [ZX_OK, v.object.size] : v.status;
  }

  /** `zx_vmo_read(handle, buffer, offset, buffer_size)`: blocks on the pager; early wake (3.8). */
  protected *vmoRead(
    t: KernelThread,
    handle: number,
    offset: number,
    length: number,
  ): Syscall<CallOut<[Status, Uint8Array]>> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    if (!isU64(offset) || !isU64(length)) return ZX_ERR_INVALID_ARGS;
    if (offset + length > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    const out = new Uint8Array(length);
    if (length === 0) return [ZX_OK, out];
    this.#hold(t, v.object);
    const st = yield* this.pages.access(t, v.object, offset, out, false);
    this.#releaseOne(t, v.object);
    return [st, out];
  }

  /** `zx_vmo_write(handle, buffer, offset, buffer_size)`: blocks on the pager, up to 16 pages a request. */
  protected *vmoWrite(
    t: KernelThread,
    handle: number,
    data: Uint8Array,
    offset: number,
  ): Syscall<Status> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    if (!(data instanceof Uint8Array) || !isU64(offset)) return ZX_ERR_INVALID_ARGS;
    if (offset + data.length > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    if (data.length === 0) return ZX_OK;
    this.#hold(t, v.object);
    const st = yield* this.pages.access(t, v.object, offset, data, true);
    this.#releaseOne(t, v.object);
    return st;
  }

  /**
   * `zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size)`: COMMIT, DECOMMIT, ZERO and
   * the eviction hints ALWAYS_NEED, DONT_NEED, PREFETCH (spec 2.8.2).
   */
  protected *vmoOpRange(
    t: KernelThread,
    handle: number,
    op: number,
    offset: number,
    size: number,
  ): Syscall<Status> {
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
    this.#hold(t, vmo);
    const st = yield* this.pages.rangeOp(t, vmo, op, offset, size);
    this.#releaseOne(t, vmo);
    return st;
  }

  /**
   * `zx_vmo_set_size(handle, size)` (spec 2.8.3): a shrink resolves requests for
   * the cut range and discards its content; a grow of a pager VMO adds a Dirty
   * zero interval.
   */
  protected vmoSetSize(t: KernelThread, handle: number, size: number): Status {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    if (!v.object.resizable) return ZX_ERR_UNAVAILABLE;
    if (!(v.rights & ZX_RIGHT_RESIZE)) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(size)) return ZX_ERR_INVALID_ARGS;
    const rounded = this.#roundUp(size);
    if (rounded > LIMITS.maxVmoBytes) return ZX_ERR_OUT_OF_RANGE;
    if (rounded / this.pageSize > MAX_VMO_PAGES) return ZX_ERR_NO_MEMORY;
    this.pages.resize(t, v.object, size, rounded / this.pageSize);
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
    handle: number,
    options: number,
    offset: number,
    size: number,
  ): CallOut<[Status, number]> {
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    if (!v.ok) return v.status;
    const child = this.pages.createChild(v.object, options, offset, size, () => this.#newKoid());
    if (typeof child === "number") return child;
    const resizable = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
    const rights = (ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0)) &
      ~((options & ZX_VMO_CHILD_NO_WRITE) ? ZX_RIGHT_WRITE : 0);
    const [st, h] = this.handles.add(child, rights);
    if (st !== ZX_OK) return st;
    parentOf(child).children.push(child);
    return [ZX_OK, h];
  }

  // ---------------------------------------------------------------- mappings

  /**
   * `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len, *addr)`; vmar_offset only with
   * `ZX_VM_SPECIFIC` or `ZX_VM_SPECIFIC_OVERWRITE` (which replaces whole mappings).
   */
  protected vmarMap(
    _t: KernelThread,
    vmar: number,
    options: number,
    vmarOffset: number,
    vmo: number,
    vmoOffset: number,
    len: number,
  ): CallOut<[Status, number]> {
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
    const length = this.#roundUp(len);
    const root = r.object;
    // The root VMAR spans 2^47 bytes (user space): a mapping must fit in it (zx_vmar_map.md).
    const at = specific ? root.base + vmarOffset : root.nextAddr;
    if (at + length > root.base + 2 ** 47) {
      return specific ? ZX_ERR_INVALID_ARGS : ZX_ERR_NO_RESOURCES;
    }
    // MAP_RANGE needs nothing here: the model has no page tables, so faults never differ.
    if (specific) {
      const hit = root.mappings.filter((m) => m.addr < at + length && at < m.addr + m.len);
      if (hit.length > 0 && !(options & ZX_VM_SPECIFIC_OVERWRITE)) return ZX_ERR_ALREADY_EXISTS;
      // The model replaces whole mappings only (as it unmaps whole mappings only).
      if (hit.some((m) => m.addr < at || m.addr + m.len > at + length)) {
        return ZX_ERR_NOT_SUPPORTED;
      }
      for (const m of hit) this.#unmap(root, root.mappings.indexOf(m));
      root.nextAddr = Math.max(root.nextAddr, at + length + this.pageSize);
    } else {
      root.nextAddr += length + this.pageSize; // a guard page between mappings
    }
    root.mappings.push({ addr: at, len: length, vmo: v.object, vmoOffset, writable });
    v.object.mappings++;
    return [ZX_OK, at];
  }

  /** `zx_vmar_unmap(vmar, addr, len)`: the model unmaps whole mappings only. */
  protected vmarUnmap(_t: KernelThread, vmar: number, addr: number, len: number): Status {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    if (!this.#aligned(addr) || !isU64(len) || len === 0) return ZX_ERR_INVALID_ARGS;
    const i = r.object.mappings.findIndex((m) => m.addr === addr && m.len === this.#roundUp(len));
    if (i < 0) return ZX_ERR_NOT_FOUND;
    this.#unmap(r.object, i);
    return ZX_OK;
  }

  #unmap(vmar: Vmar, i: number): void {
    const [m] = vmar.mappings.splice(i, 1);
    m.vmo.mappings--;
    this.#maybeDestroy(m.vmo);
  }

  /**
   * A load through a mapping: faults one page at a time (1-page READ requests,
   * no early wake). A fault that cannot be resolved kills the thread with a
   * fatal page fault whose synthetic code says why (spec 4.3).
   */
  *memRead(t: KernelThread, addr: number, length: number): Syscall<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.floor(length)));
    yield* this.#mem(t, addr, out, false);
    return out;
  }

  /** A store through a mapping; faults like {@linkcode Kernel.memRead}. */
  *memWrite(t: KernelThread, addr: number, data: Uint8Array): Syscall<void> {
    yield* this.#mem(t, addr, data, true);
  }

  *#mem(t: KernelThread, addr: number, buf: Uint8Array, write: boolean): Syscall<void> {
    const ps = this.pageSize;
    const name = write ? "mem_write" : "mem_read";
    let pos = 0;
    const w = new Waiter(t.tid);
    while (pos < buf.length || pos === 0) {
      yield* this.#enter(t, name, [addr + pos]);
      const a = addr + pos;
      const m = typeof a === "number" && Number.isFinite(a) ? this.rootVmar.find(a) : undefined;
      if (m === undefined) return yield* this.#crash(t, -1, ZX_ERR_NOT_FOUND, a);
      if (write && !m.writable) return yield* this.#crash(t, m.vmo.koid, ZX_ERR_ACCESS_DENIED, a);
      const o = m.vmoOffset + (a - m.addr);
      const n = Math.min(buf.length - pos, ps - (o % ps), m.addr + m.len - a);
      if (o + Math.max(n, 1) > m.vmo.size) {
        return yield* this.#crash(t, m.vmo.koid, ZX_ERR_OUT_OF_RANGE, a);
      }
      this.#hold(t, m.vmo);
      const st = yield* this.pages.fault(t, m.vmo, o, buf.subarray(pos, pos + n), write, w);
      this.#releaseOne(t, m.vmo);
      if (st === ZX_ERR_INTERNAL_INTR_RETRY) continue; // refault on the same address
      if (st !== ZX_OK) return yield* this.#crash(t, m.vmo.koid, st, a);
      this.sink.emit({ k: "ret", tid: t.tid, name, status: ZX_OK });
      pos += Math.max(n, 1);
    }
  }

  *#crash(t: KernelThread, vmoKoid: number, synth: Status, addr: number): Syscall<never> {
    this.sink.emit({ k: "page-fault", tid: t.tid, vmo: vmoKoid, synth, addr });
    t.killed = true;
    this.#releaseAll(t);
    yield { kind: "crash", synth, addr };
    throw new Error("unreachable: a crashed thread was resumed");
  }

  // ---------------------------------------------------------------- threads

  /** `zx_task_suspend(thread, *token)`: a blocked pager wait is cancelled and restarts on resume. */
  protected taskSuspend(t: KernelThread, thread: number): CallOut<[Status, number]> {
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE);
    if (!th.ok) return th.status;
    const target = th.object;
    // It would never receive the token to resume itself (task_suspend.md).
    if (target === t) return ZX_ERR_NOT_SUPPORTED;
    if (!target.alive) return ZX_ERR_BAD_STATE;
    const token = new SuspendToken(this.#newKoid(), target);
    const [st, h] = this.handles.add(token, ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS);
    if (st !== ZX_OK) return st;
    if (target.suspendCount++ === 0) {
      this.sink.emit({ k: "thread", tid: target.tid, what: "suspended" });
      this.pages.interrupt(target, ZX_ERR_INTERNAL_INTR_RETRY);
    }
    return [ZX_OK, h];
  }

  /** `zx_task_kill(thread)`: a blocked pager wait is cancelled; the thread never runs again. */
  protected taskKill(_t: KernelThread, thread: number): Status {
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY);
    if (!th.ok) return th.status;
    const target = th.object;
    if (target.alive) {
      this.pages.interrupt(target, ZX_ERR_INTERNAL_INTR_KILLED);
      target.killed = true;
      this.#releaseAll(target);
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

  *#enter(t: KernelThread, name: string, args: unknown[]): Syscall<void> {
    yield { kind: "syscall", name, args };
    this.sink.emit({ k: "call", tid: t.tid, name, args });
  }

  #newKoid(): number {
    return ++this.#koid;
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

  // ---------------------------------------------------------------- lifetimes

  #hold(t: KernelThread, vmo: Vmo): void {
    vmo.inflight++;
    t.held.push(vmo);
  }

  #releaseOne(t: KernelThread, vmo: Vmo): void {
    const i = t.held.lastIndexOf(vmo);
    assert(i >= 0, () => `t${t.tid} releases vmo ${vmo.koid} it does not hold`);
    t.held.splice(i, 1);
    vmo.inflight--;
    this.#maybeDestroy(vmo);
  }

  #releaseAll(t: KernelThread): void {
    while (t.held.length > 0) this.#releaseOne(t, t.held[t.held.length - 1]);
  }

  #onZeroHandles(object: KernelObject): void {
    if (object instanceof Pager) return this.#closePager(object);
    if (object instanceof Vmo) return this.#maybeDestroy(object);
    if (object instanceof Port) {
      for (const { owner } of object.dropAll()) {
        if (owner !== null) {
          this.sink.emit({ k: "packet-dropped", port: object.koid, vmo: owner.vmoKoid, id: 0 });
        }
      }
    } else if (object instanceof SuspendToken && !object.released) {
      object.released = true;
      const th = object.thread;
      if (--th.suspendCount === 0 && th.alive) {
        this.sink.emit({ k: "thread", tid: th.tid, what: "resumed" });
      }
    }
  }

  #closePager(pager: Pager): void {
    pager.closed = true;
    for (const vmo of pager.vmos) {
      sourceOf(vmo).detach();
      proxyOf(vmo).close();
      this.sink.emit({ k: "detach", vmo: vmo.koid, why: "pager-closed" });
    }
    pager.vmos.length = 0;
  }

  #maybeDestroy(vmo: Vmo): void {
    if (vmo.dead || vmo.refs > 0) return;
    vmo.dead = true;
    const parent = vmo.parent;
    if (parent !== null) {
      parent.children.splice(parent.children.indexOf(vmo), 1);
      this.#maybeDestroy(parent);
    }
    if (vmo.source !== null) {
      this.pages.detach(vmo, "vmo-dead");
      const pager = this.#pagers.get(vmo.pagerKoid);
      assert(pager !== undefined, () => `vmo ${vmo.koid} names no pager (${vmo.pagerKoid})`);
      const i = pager.vmos.indexOf(vmo);
      if (i >= 0) pager.vmos.splice(i, 1);
    }
    vmo.slots.fill(undefined);
  }
}
