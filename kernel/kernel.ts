/**
 * The syscall surface of the simulated Zircon kernel: `zx_*` calls with
 * Zircon's names, argument order and status codes.
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
  PAGER_FAIL_CODES,
  type Status,
  statusName,
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
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
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
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
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
import { type DirtyRange, dirtyRanges, dirtyRunEnd, isDirtyPage } from "./dirty.ts";
import { assert } from "./assert.ts";
import {
  type EventSink,
  NULL_SINK,
  type Packet,
  type PagePacket,
  type UserPacket,
} from "./events.ts";
import { HandleTable, type KernelObject, type Lookup } from "./handles.ts";
import {
  type KernelThread,
  KThread,
  MARKER,
  type Page,
  Pager,
  type Slot,
  slotKind,
  SuspendToken,
  Vmar,
  Vmo,
  ZeroSlot,
} from "./objects.ts";
import { PageSource, type RequestType, Waiter } from "./page_source.ts";
import { PagerProxy } from "./pager_proxy.ts";
import { Port } from "./port.ts";

/** A condition a parked thread waits for. */
export interface Wait {
  /** True once the thread may run again (woken, or its deadline passed). */
  ready(now: number): boolean;
  /** Virtual tick at which the wait times out (Infinity: never). */
  readonly deadline: number;
  /** What the thread waits on, for hang reports. */
  describe(): string;
}

/** What a syscall generator yields to the scheduler. */
export type KernelYield =
  | {
    readonly kind: "syscall";
    readonly name: string;
    /** The call's arguments, on the yield that starts a call (absent inside one). */
    readonly args?: readonly unknown[];
  }
  | { readonly kind: "block"; readonly wait: Wait }
  | { readonly kind: "crash"; readonly synth: Status; readonly addr: number };

/** A syscall in progress: yields steps, returns its result. */
export type Syscall<T> = Generator<KernelYield, T, void>;

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
  /** Rights of the handle that was queried. */
  readonly handleRights: number;
  /** Children (clones, slices, references) alive. */
  readonly numChildren: number;
}

/** `zx_pager_vmo_stats_t`. */
export interface PagerVmoStats {
  /** `ZX_PAGER_VMO_STATS_MODIFIED` or 0. */
  readonly modified: number;
}

/** Options of a simulated kernel. */
export interface KernelOptions {
  /** Page size in bytes (a power of two, 8 to 65536). Default 4096. */
  pageSize?: number;
  /** Overtime timeout for pager waits, in virtual ticks; 0 disables it. Default 0. */
  overtimeTicks?: number;
  /** Receives every kernel event. Default: dropped. */
  sink?: EventSink;
}

/** Model limit on pages per VMO, so a scenario cannot allocate unbounded memory. */
export const MAX_VMO_PAGES = 1 << 20;

const MAX_U64 = 2 ** 64;

function isU64(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= MAX_U64;
}

/**
 * The simulated kernel: objects, one process's handle table, and the `zx_*` calls.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * // A kernel variant is a subclass, plugged in through `makeKernel`.
 * class Quiet extends Kernel {}
 * const k = new Quiet({ pageSize: 64 });
 * console.assert(k instanceof Kernel && k.pageSize === 64 && k.now === 0);
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
  #koid = 1000;
  #requestId = 0;
  #pagers = new Map<number, Pager>();

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

  // ---------------------------------------------------------------- pager

  /** `zx_pager_create(options, *out)`. */
  *zx_pager_create(t: KernelThread, options: number): Syscall<[Status, number]> {
    yield* this.#enter(t, "zx_pager_create", [options]);
    if (options !== 0) return this.#ret2(t, "zx_pager_create", ZX_ERR_INVALID_ARGS);
    const pagerObject = new Pager(this.#newKoid());
    this.#pagers.set(pagerObject.koid, pagerObject);
    const [st, h] = this.handles.add(pagerObject, ZX_DEFAULT_PAGER_RIGHTS);
    return this.#ret2(t, "zx_pager_create", st, h);
  }

  /** `zx_pager_create_vmo(pager, options, port, key, size, *out)` (spec 2.2). */
  *zx_pager_create_vmo(
    t: KernelThread,
    pager: number,
    options: number,
    port: number,
    key: number,
    size: number,
  ): Syscall<[Status, number]> {
    const name = "zx_pager_create_vmo";
    yield* this.#enter(t, name, [pager, options, port, key, size]);
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO);
    if (!pg.ok) return this.#ret2(t, name, pg.status);
    const pt = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!pt.ok) return this.#ret2(t, name, pt.status);
    if (pg.object.closed) return this.#ret2(t, name, ZX_ERR_BAD_STATE);
    const known = ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED | ZX_VMO_DISCARDABLE;
    if (!Number.isInteger(options) || (options & ~known) !== 0 || (options & ZX_VMO_DISCARDABLE)) {
      return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    }
    if (!isU64(key) || !isU64(size)) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    const rounded = this.#roundUp(size);
    if (rounded >= MAX_U64 || rounded > LIMITS.maxVmoBytes) {
      return this.#ret2(t, name, ZX_ERR_OUT_OF_RANGE);
    }
    if (rounded / this.pageSize > MAX_VMO_PAGES) return this.#ret2(t, name, ZX_ERR_NO_MEMORY);
    const koid = this.#newKoid();
    const proxy = this.createPagerProxy(koid, pt.object, key);
    const source = this.createPageSource(koid, proxy);
    const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    const vmo = new Vmo(
      koid,
      this.pageSize,
      rounded,
      resizable,
      pg.object.koid,
      source,
      proxy,
      key,
    );
    vmo.trapDirty = (options & ZX_VMO_TRAP_DIRTY) !== 0;
    const rights = ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0);
    const [st, h] = this.handles.add(vmo, rights);
    if (st !== ZX_OK) return this.#ret2(t, name, st);
    pg.object.vmos.push(vmo);
    this.pagerVmos.push(vmo);
    return this.#ret2(t, name, ZX_OK, h);
  }

  /** @internal Builds the packet delivery of a new pager VMO: the seam for kernel variants (zoo/). */
  protected createPagerProxy(vmoKoid: number, port: Port, key: number): PagerProxy {
    return new PagerProxy(vmoKoid, port, key, this.pageSize, this.sink);
  }

  /** @internal Builds the request tracking of a new pager VMO: the seam for kernel variants (zoo/). */
  protected createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    return new PageSource(vmoKoid, proxy, this.sink, () => ++this.#requestId);
  }

  /** `zx_pager_detach_vmo(pager, vmo)` (spec 2.3). */
  *zx_pager_detach_vmo(t: KernelThread, pager: number, vmo: number): Syscall<Status> {
    const name = "zx_pager_detach_vmo";
    yield* this.#enter(t, name, [pager, vmo]);
    const pg = this.handles.get<Pager>(
      pager,
      ZX_OBJ_TYPE_PAGER,
      ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO,
    );
    if (!pg.ok) return this.#ret(t, name, pg.status);
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return this.#ret(t, name, v.status);
    if (v.object.pagerKoid !== pg.object.koid) return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    this.#detach(v.object, "detach");
    return this.#ret(t, name, ZX_OK);
  }

  /** `zx_pager_supply_pages(pager, pager_vmo, offset, length, aux_vmo, aux_offset)` (spec 2.4). */
  *zx_pager_supply_pages(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status> {
    const name = "zx_pager_supply_pages";
    yield* this.#enter(t, name, [pager, pagerVmo, offset, length, auxVmo, auxOffset]);
    if (!this.#aligned(offset) || !this.#aligned(length) || !this.#aligned(auxOffset)) {
      return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    }
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return this.#ret(t, name, v.status);
    const vmo = v.object;
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!a.ok) return this.#ret(t, name, a.status);
    const aux = a.object;
    if (length === 0) return this.#ret(t, name, ZX_OK);
    if (auxOffset + length > aux.size) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
    if (aux.source !== null) return this.#ret(t, name, ZX_ERR_NOT_SUPPORTED);
    // Take the pages out of aux first: later errors leave aux decommitted (spec 2.4 note).
    const first = auxOffset / this.pageSize;
    const count = length / this.pageSize;
    const taken: (Page | undefined)[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const s = aux.slots[first + i];
      taken[i] = s === undefined || s === MARKER
        ? undefined
        : { data: (s as Page).data, state: "clean" };
      aux.slots[first + i] = undefined;
    }
    if (offset + length > vmo.size) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
    const source = vmo.source!;
    if (source.detached) return this.#ret(t, name, ZX_ERR_BAD_STATE);
    const base = offset / this.pageSize;
    let runStart = -1;
    for (let i = 0; i <= count; i++) {
      const p = base + i;
      const fill = i < count && vmo.slots[p] === undefined;
      if (i < count) {
        this.sink.emit({
          k: "supply",
          vmo: vmo.koid,
          page: p,
          inserted: fill,
          before: slotKind(vmo.slots[p]),
        });
        if (fill) vmo.slots[p] = taken[i] ?? MARKER;
      }
      if (fill && runStart < 0) runStart = p;
      if (!fill && runStart >= 0) {
        source.onPagesSupplied(runStart, p);
        runStart = -1;
      }
    }
    return this.#ret(t, name, ZX_OK);
  }

  /** `zx_pager_op_range(pager, op, pager_vmo, offset, length, data)` (spec 2.5). */
  *zx_pager_op_range(
    t: KernelThread,
    pager: number,
    op: number,
    pagerVmo: number,
    offset: number,
    length: number,
    data: number,
  ): Syscall<Status> {
    const name = "zx_pager_op_range";
    yield* this.#enter(t, name, [pager, op, pagerVmo, offset, length, data]);
    if (!this.#aligned(offset) || !this.#aligned(length)) {
      return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    }
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return this.#ret(t, name, v.status);
    const vmo = v.object;
    const inRange = offset + length <= vmo.size;
    const start = offset / this.pageSize;
    const end = (offset + length) / this.pageSize;
    switch (op) {
      case ZX_PAGER_OP_FAIL: {
        if (
          !Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 31 ||
          !PAGER_FAIL_CODES.includes(data)
        ) {
          return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
        }
        if (!inRange) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
        if (vmo.source!.detached) return this.#ret(t, name, ZX_ERR_BAD_STATE);
        if (length > 0) vmo.source!.onPagesFailed(start, end, data);
        return this.#ret(t, name, ZX_OK);
      }
      case ZX_PAGER_OP_DIRTY:
        return this.#ret(t, name, this.#opDirty(vmo, offset, length, data));
      case ZX_PAGER_OP_WRITEBACK_BEGIN:
      case ZX_PAGER_OP_WRITEBACK_END: {
        const begin = op === ZX_PAGER_OP_WRITEBACK_BEGIN;
        if (begin ? data !== 0 && data !== ZX_VMO_DIRTY_RANGE_IS_ZERO : data !== 0) {
          return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
        }
        if (!inRange) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
        if (begin) this.#writebackBegin(vmo, start, end, data === ZX_VMO_DIRTY_RANGE_IS_ZERO);
        else this.#writebackEnd(vmo, start, end);
        return this.#ret(t, name, ZX_OK);
      }
      default:
        return this.#ret(t, name, ZX_ERR_NOT_SUPPORTED);
    }
  }

  /**
   * `zx_pager_query_dirty_ranges(pager, pager_vmo, offset, length, buffer, buffer_size, *actual,
   * *avail)` (spec 2.6): returns the ranges that fit in `bufferSize` bytes and the total found.
   */
  *zx_pager_query_dirty_ranges(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    bufferSize: number,
  ): Syscall<[Status, DirtyRange[], number]> {
    const name = "zx_pager_query_dirty_ranges";
    yield* this.#enter(t, name, [pager, pagerVmo, offset, length, bufferSize]);
    const fail = (st: Status): [Status, DirtyRange[], number] => [this.#ret(t, name, st), [], 0];
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_READ);
    if (!v.ok) return fail(v.status);
    const vmo = v.object;
    if (!isU64(offset) || !isU64(length) || !isU64(bufferSize)) return fail(ZX_ERR_INVALID_ARGS);
    if (offset + length > vmo.size) return fail(ZX_ERR_OUT_OF_RANGE);
    const start = Math.floor(offset / this.pageSize);
    const end = Math.ceil((offset + length) / this.pageSize);
    const all = dirtyRanges(vmo.slots, start, end, this.pageSize);
    const fits = Math.floor(bufferSize / ZX_VMO_DIRTY_RANGE_SIZE);
    this.#ret(t, name, ZX_OK);
    return [ZX_OK, all.slice(0, fits), all.length];
  }

  /** `zx_pager_query_vmo_stats(pager, pager_vmo, options, buffer, buffer_size)` (spec 2.7). */
  *zx_pager_query_vmo_stats(
    t: KernelThread,
    pager: number,
    pagerVmo: number,
    options: number,
    bufferSize: number,
  ): Syscall<[Status, PagerVmoStats | null]> {
    const name = "zx_pager_query_vmo_stats";
    yield* this.#enter(t, name, [pager, pagerVmo, options, bufferSize]);
    const fail = (st: Status): [Status, null] => [this.#ret(t, name, st), null];
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_READ);
    if (!v.ok) return fail(v.status);
    const vmo = v.object;
    if (!isU64(bufferSize) || bufferSize < ZX_PAGER_VMO_STATS_SIZE) {
      return fail(ZX_ERR_BUFFER_TOO_SMALL);
    }
    if (options !== 0 && options !== ZX_PAGER_RESET_VMO_STATS) return fail(ZX_ERR_INVALID_ARGS);
    const stats: PagerVmoStats = { modified: vmo.modified ? ZX_PAGER_VMO_STATS_MODIFIED : 0 };
    if (options === ZX_PAGER_RESET_VMO_STATS) vmo.modified = false;
    this.#ret(t, name, ZX_OK);
    return [ZX_OK, stats];
  }

  /**
   * The kernel reclaims one Clean page of a pager VMO (spec 6.3): a scheduled
   * environment event, not a syscall. The page must be evictable now
   * ({@linkcode Kernel.evictablePages}); ZX_ERR_BAD_STATE otherwise.
   */
  *kernel_evict(t: KernelThread, handle: number, page: number): Syscall<Status> {
    const name = "kernel_evict";
    yield* this.#enter(t, name, [handle, page]);
    const e = this.handles.entry(handle);
    if (e === undefined || e.object.objType !== ZX_OBJ_TYPE_VMO) {
      return this.#ret(t, name, ZX_ERR_BAD_HANDLE);
    }
    const vmo = e.object as Vmo;
    if (!this.#evictable(vmo, page)) return this.#ret(t, name, ZX_ERR_BAD_STATE);
    vmo.slots[page] = undefined;
    return this.#ret(t, name, ZX_OK);
  }

  /** Pages of the VMO behind `handle` the kernel may evict now: Clean, not always-need (6.3). */
  evictablePages(handle: number): number[] {
    const e = this.handles.entry(handle);
    if (e === undefined || e.object.objType !== ZX_OBJ_TYPE_VMO) return [];
    const vmo = e.object as Vmo;
    const out: number[] = [];
    for (let p = 0; p < vmo.slots.length; p++) if (this.#evictable(vmo, p)) out.push(p);
    return out;
  }

  #evictable(vmo: Vmo, p: number): boolean {
    if (vmo.source === null || vmo.dead || !Number.isInteger(p)) return false;
    const s = vmo.slots[p];
    return s !== undefined && s !== MARKER && !(s instanceof ZeroSlot) &&
      (s as Page).state === "clean" && !vmo.alwaysNeed.has(p);
  }

  /** OP_DIRTY (spec 2.5.2): all or nothing; gaps give NOT_FOUND and resolve DIRTY requests. */
  #opDirty(vmo: Vmo, offset: number, length: number, data: number): Status {
    if (data !== 0) return ZX_ERR_INVALID_ARGS;
    if (!vmo.trapDirty) return ZX_ERR_NOT_SUPPORTED;
    const source = vmo.source!;
    const start = offset / this.pageSize;
    const end = (offset + length) / this.pageSize;
    if (offset > vmo.size || offset + length >= MAX_U64) return ZX_ERR_OUT_OF_RANGE;
    if (offset + length > vmo.size) {
      if (!source.detached && start < vmo.pageCount) source.onPagesDirtied(start, vmo.pageCount);
      return ZX_ERR_OUT_OF_RANGE;
    }
    if (source.detached) return ZX_ERR_BAD_STATE;
    for (let p = start; p < end; p++) {
      if (vmo.slots[p] === undefined) {
        source.onPagesDirtied(start, end);
        return ZX_ERR_NOT_FOUND;
      }
    }
    let runStart = -1;
    for (let p = start; p <= end; p++) {
      const dirtied = p < end && !isDirtyPage(vmo.slots[p]);
      if (dirtied) {
        const s = vmo.slots[p];
        if (s === MARKER || s instanceof ZeroSlot) {
          vmo.slots[p] = { data: new Uint8Array(this.pageSize), state: "dirty" };
        } else (s as Page).state = "dirty";
        if (runStart < 0) runStart = p;
      } else if (runStart >= 0) {
        source.onPagesDirtied(runStart, p);
        runStart = -1;
      }
    }
    return ZX_OK;
  }

  /**
   * WRITEBACK_BEGIN (spec 2.5.3): Dirty pages become AwaitingClean (not with
   * IS_ZERO); a zero interval's awaiting-clean window grows from its start, so a
   * range beginning past the current window has no effect on it.
   */
  #writebackBegin(vmo: Vmo, start: number, end: number, isZero: boolean): void {
    for (let p = start; p < end; p++) {
      const s = vmo.slots[p];
      if (!isZero && isDirtyPage(s)) (s as Page).state = "awaiting-clean";
    }
    let p = start;
    while (p > 0 && vmo.slots[p - 1] instanceof ZeroSlot) p--;
    while (p < end) {
      if (!(vmo.slots[p] instanceof ZeroSlot)) {
        p++;
        continue;
      }
      let window = p;
      while (window < end && (vmo.slots[window] as ZeroSlot | undefined)?.awaitingClean === true) {
        window++;
      }
      let q = window;
      if (start <= window) {
        for (; q < end && vmo.slots[q] instanceof ZeroSlot; q++) {
          (vmo.slots[q] as ZeroSlot).awaitingClean = true;
        }
      }
      while (q < vmo.slots.length && vmo.slots[q] instanceof ZeroSlot) q++;
      p = q;
    }
  }

  /** WRITEBACK_END (spec 2.5.4): AwaitingClean pages become Clean; awaited zero slots go absent. */
  #writebackEnd(vmo: Vmo, start: number, end: number): void {
    for (let p = start; p < end; p++) {
      const s = vmo.slots[p];
      if (s instanceof ZeroSlot) {
        if (s.awaitingClean) vmo.slots[p] = undefined;
      } else if (s !== undefined && s !== MARKER && (s as Page).state === "awaiting-clean") {
        (s as Page).state = "clean";
      }
    }
  }

  // ---------------------------------------------------------------- ports

  /** `zx_port_create(options, *out)`. */
  *zx_port_create(t: KernelThread, options: number): Syscall<[Status, number]> {
    yield* this.#enter(t, "zx_port_create", [options]);
    if (options !== 0) return this.#ret2(t, "zx_port_create", ZX_ERR_INVALID_ARGS);
    const port = new Port(this.#newKoid());
    this.ports.push(port);
    const [st, h] = this.handles.add(port, ZX_DEFAULT_PORT_RIGHTS);
    return this.#ret2(t, "zx_port_create", st, h);
  }

  /** `zx_port_queue(port, packet)`: user packets only. */
  *zx_port_queue(t: KernelThread, port: number, packet: UserPacket): Syscall<Status> {
    yield* this.#enter(t, "zx_port_queue", [port, packet?.key]);
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return this.#ret(t, "zx_port_queue", p.status);
    if (typeof packet !== "object" || packet === null || !isU64(packet.key)) {
      return this.#ret(t, "zx_port_queue", ZX_ERR_INVALID_ARGS);
    }
    const user: UserPacket = {
      type: ZX_PKT_TYPE_USER,
      key: packet.key,
      status: Number.isInteger(packet.status) ? packet.status : 0,
      user: Array.isArray(packet.user) ? [...packet.user] : [],
    };
    if (!p.object.queue(user, null)) return this.#ret(t, "zx_port_queue", ZX_ERR_SHOULD_WAIT);
    return this.#ret(t, "zx_port_queue", ZX_OK);
  }

  /** `zx_port_wait(port, deadline, *packet)`: parks until a packet arrives or the deadline passes. */
  *zx_port_wait(t: KernelThread, port: number, deadline: number): Syscall<[Status, Packet | null]> {
    const name = "zx_port_wait";
    yield* this.#enter(t, name, [port, deadline]);
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ);
    if (!p.ok) return this.#retP(t, p.status, null);
    if (typeof deadline !== "number" || Number.isNaN(deadline)) {
      return this.#retP(t, ZX_ERR_INVALID_ARGS, null);
    }
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
        return this.#retP(t, ZX_OK, packet);
      }
      if (this.now >= deadline) return this.#retP(t, ZX_ERR_TIMED_OUT, null);
      this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
      yield { kind: "block", wait };
      if (!t.alive) return this.#retP(t, ZX_ERR_INTERNAL_INTR_KILLED, null);
    }
  }

  /** `zx_port_cancel_key(port, options, key)`: removes queued packets with `key`. */
  *zx_port_cancel_key(
    t: KernelThread,
    port: number,
    options: number,
    key: number,
  ): Syscall<Status> {
    const name = "zx_port_cancel_key";
    yield* this.#enter(t, name, [port, options, key]);
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return this.#ret(t, name, p.status);
    if (options !== 0 || !isU64(key)) return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    return this.#ret(t, name, p.object.cancelKey(key) > 0 ? ZX_OK : ZX_ERR_NOT_FOUND);
  }

  // ---------------------------------------------------------------- handles

  /** `zx_handle_close(handle)`: 0 (ZX_HANDLE_INVALID) is a no-op. */
  *zx_handle_close(t: KernelThread, handle: number): Syscall<Status> {
    yield* this.#enter(t, "zx_handle_close", [handle]);
    if (handle === 0) return this.#ret(t, "zx_handle_close", ZX_OK);
    const object = this.handles.remove(handle);
    if (object === undefined) return this.#ret(t, "zx_handle_close", ZX_ERR_BAD_HANDLE);
    if (object.handleCount === 0) this.#onZeroHandles(object);
    return this.#ret(t, "zx_handle_close", ZX_OK);
  }

  /** `zx_handle_duplicate(handle, rights, *out)`: needs DUPLICATE; rights must be a subset. */
  *zx_handle_duplicate(t: KernelThread, handle: number, rights: number): Syscall<[Status, number]> {
    const name = "zx_handle_duplicate";
    yield* this.#enter(t, name, [handle, rights]);
    const e = this.handles.entry(handle);
    if (e === undefined) return this.#ret2(t, name, ZX_ERR_BAD_HANDLE);
    if (!(e.rights & ZX_RIGHT_DUPLICATE)) return this.#ret2(t, name, ZX_ERR_ACCESS_DENIED);
    const r = this.#subRights(e.rights, rights);
    if (r === undefined) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    const [st, h] = this.handles.add(e.object, r);
    return this.#ret2(t, name, st, h);
  }

  /** `zx_handle_replace(handle, rights, *out)`: the old handle is gone even when this fails. */
  *zx_handle_replace(t: KernelThread, handle: number, rights: number): Syscall<[Status, number]> {
    const name = "zx_handle_replace";
    yield* this.#enter(t, name, [handle, rights]);
    const e = this.handles.entry(handle);
    if (e === undefined) return this.#ret2(t, name, ZX_ERR_BAD_HANDLE);
    const r = this.#subRights(e.rights, rights);
    const [st, h] = r === undefined ? [ZX_ERR_INVALID_ARGS, 0] : this.handles.add(e.object, r);
    this.handles.remove(handle);
    if (e.object.handleCount === 0) this.#onZeroHandles(e.object);
    return this.#ret2(t, name, st, h);
  }

  /** `zx_object_get_info(handle, ZX_INFO_VMO, ...)`. */
  *zx_object_get_info(
    t: KernelThread,
    handle: number,
    topic: number,
  ): Syscall<[Status, VmoInfo | null]> {
    const name = "zx_object_get_info";
    yield* this.#enter(t, name, [handle, topic]);
    // sys_object_get_info switches on the topic before it looks at the handle.
    if (topic !== ZX_INFO_VMO) return this.#retInfo(t, ZX_ERR_NOT_SUPPORTED);
    const e = this.handles.entry(handle);
    if (e === undefined) return this.#retInfo(t, ZX_ERR_BAD_HANDLE);
    if (e.object.objType !== ZX_OBJ_TYPE_VMO) return this.#retInfo(t, ZX_ERR_WRONG_TYPE);
    if (!(e.rights & ZX_RIGHT_INSPECT)) return this.#retInfo(t, ZX_ERR_ACCESS_DENIED);
    const vmo = e.object as Vmo;
    const committed = vmo.committedPages() * this.pageSize;
    const info: VmoInfo = {
      koid: vmo.koid,
      sizeBytes: vmo.size,
      flags: ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE |
        (vmo.resizable ? ZX_INFO_VMO_RESIZABLE : 0) |
        (vmo.source !== null || vmo.parent !== null ? ZX_INFO_VMO_PAGER_BACKED : 0) |
        (vmo.childKind === "clone" ? ZX_INFO_VMO_IS_COW_CLONE : 0),
      committedBytes: committed,
      populatedBytes: committed,
      handleRights: e.rights,
      numChildren: vmo.children.length,
    };
    return this.#retInfo(t, ZX_OK, info);
  }

  // ---------------------------------------------------------------- VMOs

  /** `zx_vmo_create(size, options, *out)`: an anonymous VMO. */
  *zx_vmo_create(t: KernelThread, size: number, options: number): Syscall<[Status, number]> {
    yield* this.#enter(t, "zx_vmo_create", [size, options]);
    if (!Number.isInteger(options) || (options & ~(ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE)) !== 0) {
      return this.#ret2(t, "zx_vmo_create", ZX_ERR_INVALID_ARGS);
    }
    if (!isU64(size)) return this.#ret2(t, "zx_vmo_create", ZX_ERR_INVALID_ARGS);
    const rounded = this.#roundUp(size);
    if (rounded >= MAX_U64 || rounded > LIMITS.maxVmoBytes) {
      return this.#ret2(t, "zx_vmo_create", ZX_ERR_OUT_OF_RANGE);
    }
    if (rounded / this.pageSize > MAX_VMO_PAGES) {
      return this.#ret2(t, "zx_vmo_create", ZX_ERR_NO_MEMORY);
    }
    const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    const vmo = new Vmo(this.#newKoid(), this.pageSize, rounded, resizable, 0, null, null, 0);
    const [st, h] = this.handles.add(
      vmo,
      ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0),
    );
    return this.#ret2(t, "zx_vmo_create", st, h);
  }

  /** `zx_vmo_get_size(handle, *size)`. */
  *zx_vmo_get_size(t: KernelThread, handle: number): Syscall<[Status, number]> {
    yield* this.#enter(t, "zx_vmo_get_size", [handle]);
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
    if (!v.ok) return this.#ret2(t, "zx_vmo_get_size", v.status);
    return this.#ret2(t, "zx_vmo_get_size", ZX_OK, v.object.size);
  }

  /** `zx_vmo_read(handle, buffer, offset, buffer_size)`: blocks on the pager; early wake (3.8). */
  *zx_vmo_read(
    t: KernelThread,
    handle: number,
    offset: number,
    length: number,
  ): Syscall<[Status, Uint8Array]> {
    yield* this.#enter(t, "zx_vmo_read", [handle, offset, length]);
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ);
    if (!v.ok) return this.#retBytes(t, v.status, new Uint8Array(0));
    if (!isU64(offset) || !isU64(length)) {
      return this.#retBytes(t, ZX_ERR_INVALID_ARGS, new Uint8Array(0));
    }
    if (offset + length > v.object.size) {
      return this.#retBytes(t, ZX_ERR_OUT_OF_RANGE, new Uint8Array(0));
    }
    const out = new Uint8Array(length);
    if (length === 0) return this.#retBytes(t, ZX_OK, out);
    this.#hold(t, v.object);
    const st = yield* this.#access(t, v.object, offset, out, false);
    this.#releaseOne(t, v.object);
    return this.#retBytes(t, st, out);
  }

  /** `zx_vmo_write(handle, buffer, offset, buffer_size)`: blocks on the pager, up to 16 pages a request. */
  *zx_vmo_write(
    t: KernelThread,
    handle: number,
    data: Uint8Array,
    offset: number,
  ): Syscall<Status> {
    yield* this.#enter(t, "zx_vmo_write", [handle, data?.length, offset]);
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return this.#ret(t, "zx_vmo_write", v.status);
    if (!(data instanceof Uint8Array) || !isU64(offset)) {
      return this.#ret(t, "zx_vmo_write", ZX_ERR_INVALID_ARGS);
    }
    if (offset + data.length > v.object.size) {
      return this.#ret(t, "zx_vmo_write", ZX_ERR_OUT_OF_RANGE);
    }
    if (data.length === 0) return this.#ret(t, "zx_vmo_write", ZX_OK);
    this.#hold(t, v.object);
    const st = yield* this.#access(t, v.object, offset, data, true);
    this.#releaseOne(t, v.object);
    return this.#ret(t, "zx_vmo_write", st);
  }

  /**
   * `zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size)`: COMMIT, DECOMMIT, ZERO and
   * the eviction hints ALWAYS_NEED, DONT_NEED, PREFETCH (spec 2.8.2).
   */
  *zx_vmo_op_range(
    t: KernelThread,
    handle: number,
    op: number,
    offset: number,
    size: number,
  ): Syscall<Status> {
    const name = "zx_vmo_op_range";
    yield* this.#enter(t, name, [handle, op, offset, size]);
    const e = this.handles.entry(handle);
    if (e === undefined) return this.#ret(t, name, ZX_ERR_BAD_HANDLE);
    if (e.object.objType !== ZX_OBJ_TYPE_VMO) return this.#ret(t, name, ZX_ERR_WRONG_TYPE);
    const vmo = e.object as Vmo;
    const hint = op === ZX_VMO_OP_ALWAYS_NEED || op === ZX_VMO_OP_DONT_NEED;
    const known = hint || op === ZX_VMO_OP_PREFETCH || op === ZX_VMO_OP_COMMIT ||
      op === ZX_VMO_OP_DECOMMIT || op === ZX_VMO_OP_ZERO;
    if (!known) return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    const need = hint ? ZX_RIGHT_NONE : op === ZX_VMO_OP_PREFETCH ? ZX_RIGHT_READ : ZX_RIGHT_WRITE;
    if ((e.rights & need) !== need) return this.#ret(t, name, ZX_ERR_ACCESS_DENIED);
    if (!isU64(offset) || !isU64(size)) return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    const start = Math.floor(offset / this.pageSize);
    const end = Math.ceil((offset + size) / this.pageSize);
    if (end * this.pageSize > vmo.size) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
    const pagerBacked = vmo.source !== null || vmo.parent !== null;
    if (op === ZX_VMO_OP_DECOMMIT) {
      if (pagerBacked) return this.#ret(t, name, ZX_ERR_NOT_SUPPORTED);
      for (let p = start; p < end; p++) vmo.slots[p] = undefined;
      return this.#ret(t, name, ZX_OK);
    }
    if (op === ZX_VMO_OP_ZERO) {
      if (size === 0) return this.#ret(t, name, ZX_OK);
      this.#hold(t, vmo);
      const st = yield* this.#zero(t, vmo, offset, offset + size);
      this.#releaseOne(t, vmo);
      return this.#ret(t, name, st);
    }
    if (!pagerBacked) {
      if (op === ZX_VMO_OP_COMMIT) { for (let p = start; p < end; p++) this.#materialize(vmo, p); }
      return this.#ret(t, name, ZX_OK);
    }
    if (op === ZX_VMO_OP_DONT_NEED) return this.#ret(t, name, ZX_OK);
    this.#hold(t, vmo);
    const st = yield* this.#commit(t, vmo, start, end, op === ZX_VMO_OP_COMMIT);
    this.#releaseOne(t, vmo);
    if (op === ZX_VMO_OP_ALWAYS_NEED) {
      const tgt = this.#view(vmo);
      const shift = this.#viewOffset + (tgt.parent === null ? 0 : tgt.parentOffset);
      const root = tgt.parent ?? tgt;
      for (let p = start; p < end; p++) root.alwaysNeed.add(p + shift);
      // The hint's commit is best effort: its errors are not reported (spec 2.8.2).
      return this.#ret(t, name, ZX_OK);
    }
    return this.#ret(t, name, st);
  }

  /**
   * `zx_vmo_set_size(handle, size)` (spec 2.8.3): a shrink resolves requests for
   * the cut range and discards its content; a grow of a pager VMO adds a Dirty
   * zero interval.
   */
  *zx_vmo_set_size(t: KernelThread, handle: number, size: number): Syscall<Status> {
    const name = "zx_vmo_set_size";
    yield* this.#enter(t, name, [handle, size]);
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return this.#ret(t, name, v.status);
    const vmo = v.object;
    if (!vmo.resizable) return this.#ret(t, name, ZX_ERR_UNAVAILABLE);
    if (!(v.rights & ZX_RIGHT_RESIZE)) return this.#ret(t, name, ZX_ERR_ACCESS_DENIED);
    if (!isU64(size)) return this.#ret(t, name, ZX_ERR_INVALID_ARGS);
    const rounded = this.#roundUp(size);
    if (rounded > LIMITS.maxVmoBytes) return this.#ret(t, name, ZX_ERR_OUT_OF_RANGE);
    if (rounded / this.pageSize > MAX_VMO_PAGES) return this.#ret(t, name, ZX_ERR_NO_MEMORY);
    const pages = rounded / this.pageSize;
    const old = vmo.pageCount;
    const source = vmo.source;
    if (pages < old) {
      if (source !== null && !source.detached) {
        let gap = -1;
        for (let p = pages; p <= old; p++) {
          const absent = p < old && vmo.slots[p] === undefined;
          if (absent && gap < 0) gap = p;
          if (!absent && gap >= 0) {
            source.onPagesInvalidated("READ", gap, p);
            gap = -1;
          }
        }
        source.onPagesInvalidated("DIRTY", pages, old);
      }
      vmo.slots.length = pages;
      for (const c of vmo.children) {
        if (c.childKind === "clone") {
          c.parentLimit = Math.max(0, Math.min(c.parentLimit, pages - c.parentOffset));
        }
      }
      if (vmo.childKind === "clone") vmo.parentLimit = Math.min(vmo.parentLimit, pages);
    } else {
      vmo.slots.length = pages;
      if (source !== null) { for (let p = old; p < pages; p++) vmo.slots[p] = new ZeroSlot(); }
      if (pages > old) {
        const bytes = new Uint8Array((pages - old) * this.pageSize);
        this.sink.emit({ k: "store", tid: t.tid, vmo: vmo.koid, offset: vmo.size, bytes });
      }
    }
    vmo.size = rounded;
    for (const c of vmo.children) if (c.childKind === "reference") c.size = rounded;
    // The tail of a partial last page is zeroed in place; the model raises no request for it.
    const tail = size % this.pageSize;
    const last = vmo.slots[pages - 1];
    if (tail !== 0 && last !== undefined && last !== MARKER && !(last instanceof ZeroSlot)) {
      (last as Page).data.fill(0, tail);
    }
    if (source !== null) vmo.modified = true;
    return this.#ret(t, name, ZX_OK);
  }

  /**
   * `zx_vmo_create_child(handle, options, offset, size, *out)` on a pager-backed
   * VMO (spec 6.1): SNAPSHOT_AT_LEAST_ON_WRITE and SNAPSHOT_MODIFIED clones,
   * SLICE and REFERENCE. Children of anonymous VMOs are outside the model
   * (NOT_SUPPORTED).
   */
  *zx_vmo_create_child(
    t: KernelThread,
    handle: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number]> {
    const name = "zx_vmo_create_child";
    yield* this.#enter(t, name, [handle, options, offset, size]);
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    if (!v.ok) return this.#ret2(t, name, v.status);
    const parent = v.object;
    const types = ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SLICE |
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_REFERENCE |
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
    const known = types | ZX_VMO_CHILD_RESIZABLE | ZX_VMO_CHILD_NO_WRITE;
    const type = Number.isInteger(options) ? options & types : 0;
    if ((options & ~known) !== 0 || type === 0 || (type & (type - 1)) !== 0) {
      return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    }
    if (!this.#aligned(offset) || !isU64(size)) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    if (parent.source === null && parent.parent === null) {
      return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
    }
    if (type === ZX_VMO_CHILD_SNAPSHOT) return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
    const resizable = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
    const rounded = this.#roundUp(size);
    if (rounded > LIMITS.maxVmoBytes) return this.#ret2(t, name, ZX_ERR_OUT_OF_RANGE);
    const ps = this.pageSize;
    let child: Vmo;
    if (type === ZX_VMO_CHILD_SLICE || type === ZX_VMO_CHILD_REFERENCE) {
      const slice = type === ZX_VMO_CHILD_SLICE;
      if (resizable) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
      if (slice && parent.resizable) return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
      if (slice && offset + rounded > parent.size) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
      if (!slice && offset !== 0) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
      child = new Vmo(this.#newKoid(), ps, slice ? rounded : parent.size, false, 0, null, null, 0);
      child.childKind = slice ? "slice" : "reference";
      child.parent = parent;
      child.parentOffset = offset / ps;
    } else {
      const base = this.#view(parent);
      const at = this.#viewOffset + offset / ps;
      // An at-least-on-write child of a slice of a clone has no node to hang from (test S22).
      if (base !== parent && base.parent !== null) return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
      if (rounded / ps > MAX_VMO_PAGES) return this.#ret2(t, name, ZX_ERR_NO_MEMORY);
      child = new Vmo(this.#newKoid(), ps, rounded, resizable, 0, null, null, 0);
      child.childKind = "clone";
      const pages = rounded / ps;
      if (base.parent === null) {
        child.parent = base;
        child.parentOffset = at;
        child.parentLimit = Math.max(0, Math.min(pages, base.pageCount - at));
      } else {
        // The clone's private pages are snapshotted now; what it shows of the root stays live.
        child.parent = base.parent;
        child.parentOffset = base.parentOffset + at;
        child.parentLimit = Math.max(0, Math.min(pages, base.parentLimit - at));
        for (let p = 0; p < pages && p + at < base.pageCount; p++) {
          const s = base.slots[p + at];
          if (s === MARKER) child.slots[p] = MARKER;
          else if (s !== undefined) {
            child.slots[p] = { data: (s as Page).data.slice(), state: "dirty" };
          }
        }
      }
    }
    const rights = (ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0)) &
      ~((options & ZX_VMO_CHILD_NO_WRITE) ? ZX_RIGHT_WRITE : 0);
    const [st, h] = this.handles.add(child, rights);
    if (st !== ZX_OK) return this.#ret2(t, name, st);
    child.parent!.children.push(child);
    return this.#ret2(t, name, ZX_OK, h);
  }

  /** ZERO (spec 2.8.2): whole pages become Dirty zero slots (clones: own zero markers). */
  *#zero(t: KernelThread, vmo: Vmo, from: number, to: number): Syscall<Status> {
    const ps = this.pageSize;
    const headEnd = Math.min(to, Math.ceil(from / ps) * ps);
    if (headEnd > from) {
      const st = yield* this.#access(t, vmo, from, new Uint8Array(headEnd - from), true);
      if (st !== ZX_OK) return st;
    }
    const tailStart = Math.max(headEnd, Math.floor(to / ps) * ps);
    if (to > tailStart) {
      const st = yield* this.#access(t, vmo, tailStart, new Uint8Array(to - tailStart), true);
      if (st !== ZX_OK) return st;
    }
    if (tailStart <= headEnd) return ZX_OK;
    const tgt = this.#view(vmo);
    const off = this.#viewOffset;
    const a = headEnd / ps + off;
    const b = tailStart / ps + off;
    if (tgt.source === null) {
      for (let q = a; q < b; q++) tgt.slots[q] = tgt.parent !== null ? MARKER : undefined;
      return ZX_OK;
    }
    const source = tgt.source;
    let gap = -1;
    for (let q = a; q <= b; q++) {
      const s = q < b ? tgt.slots[q] : MARKER;
      if (s === undefined && gap < 0) gap = q;
      if (s !== undefined && gap >= 0) {
        if (!source.detached) source.onPagesInvalidated("READ", gap, q);
        gap = -1;
      }
      if (q < b && !(s instanceof ZeroSlot)) {
        tgt.slots[q] = new ZeroSlot();
        tgt.modified = true;
        this.sink.emit({
          k: "store",
          tid: t.tid,
          vmo: tgt.koid,
          offset: q * ps,
          bytes: new Uint8Array(ps),
        });
      }
    }
    return ZX_OK;
  }

  // ---------------------------------------------------------------- mappings

  /**
   * `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len, *addr)`; vmar_offset only with
   * `ZX_VM_SPECIFIC` or `ZX_VM_SPECIFIC_OVERWRITE` (which replaces whole mappings).
   */
  *zx_vmar_map(
    t: KernelThread,
    vmar: number,
    options: number,
    vmarOffset: number,
    vmo: number,
    vmoOffset: number,
    len: number,
  ): Syscall<[Status, number]> {
    const name = "zx_vmar_map";
    yield* this.#enter(t, name, [vmar, options, vmarOffset, vmo, vmoOffset, len]);
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return this.#ret2(t, name, r.status);
    const writable = (options & ZX_VM_PERM_WRITE) !== 0;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
    if (!v.ok) return this.#ret2(t, name, v.status);
    // A write-only mapping is invalid before the VMO's READ/WRITE rights are looked at.
    if (writable && !(options & ZX_VM_PERM_READ)) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    const need = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
    if ((v.rights & need) !== need) return this.#ret2(t, name, ZX_ERR_ACCESS_DENIED);
    const known = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE |
      ZX_VM_MAP_RANGE;
    if (
      !Number.isInteger(options) || (options & ~known) !== 0 || !(options & ZX_VM_PERM_READ)
    ) return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    const specific = (options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) !== 0;
    if (!specific && vmarOffset !== 0) return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
    if (!this.#aligned(vmoOffset) || !isU64(len) || len === 0 || !this.#aligned(vmarOffset)) {
      return this.#ret2(t, name, ZX_ERR_INVALID_ARGS);
    }
    const length = this.#roundUp(len);
    // The root VMAR spans 2^47 bytes (user space): a mapping must fit in it (zx_vmar_map.md).
    const at = specific ? r.object.base + vmarOffset : r.object.nextAddr;
    if (at + length > r.object.base + 2 ** 47) {
      return this.#ret2(t, name, specific ? ZX_ERR_INVALID_ARGS : ZX_ERR_NO_RESOURCES);
    }
    // MAP_RANGE needs nothing here: the model has no page tables, so faults never differ.
    let addr = r.object.nextAddr;
    if (specific) {
      addr = r.object.base + vmarOffset;
      const hit = r.object.mappings.filter((m) => m.addr < addr + length && addr < m.addr + m.len);
      if (hit.length > 0 && !(options & ZX_VM_SPECIFIC_OVERWRITE)) {
        return this.#ret2(t, name, ZX_ERR_ALREADY_EXISTS);
      }
      // The model replaces whole mappings only (as it unmaps whole mappings only).
      if (hit.some((m) => m.addr < addr || m.addr + m.len > addr + length)) {
        return this.#ret2(t, name, ZX_ERR_NOT_SUPPORTED);
      }
      for (const m of hit) {
        r.object.mappings.splice(r.object.mappings.indexOf(m), 1);
        m.vmo.mappings--;
        this.#maybeDestroy(m.vmo);
      }
      r.object.nextAddr = Math.max(r.object.nextAddr, addr + length + this.pageSize);
    } else {
      r.object.nextAddr += length + this.pageSize; // a guard page between mappings
    }
    r.object.mappings.push({ addr, len: length, vmo: v.object, vmoOffset, writable });
    v.object.mappings++;
    return this.#ret2(t, name, ZX_OK, addr);
  }

  /** `zx_vmar_unmap(vmar, addr, len)`: the model unmaps whole mappings only. */
  *zx_vmar_unmap(t: KernelThread, vmar: number, addr: number, len: number): Syscall<Status> {
    yield* this.#enter(t, "zx_vmar_unmap", [vmar, addr, len]);
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return this.#ret(t, "zx_vmar_unmap", r.status);
    if (!this.#aligned(addr) || !isU64(len) || len === 0) {
      return this.#ret(t, "zx_vmar_unmap", ZX_ERR_INVALID_ARGS);
    }
    const i = r.object.mappings.findIndex((m) => m.addr === addr && m.len === this.#roundUp(len));
    if (i < 0) return this.#ret(t, "zx_vmar_unmap", ZX_ERR_NOT_FOUND);
    const [m] = r.object.mappings.splice(i, 1);
    m.vmo.mappings--;
    this.#maybeDestroy(m.vmo);
    return this.#ret(t, "zx_vmar_unmap", ZX_OK);
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

  // ---------------------------------------------------------------- threads

  /** `zx_task_suspend(thread, *token)`: a blocked pager wait is cancelled and restarts on resume. */
  *zx_task_suspend(t: KernelThread, thread: number): Syscall<[Status, number]> {
    yield* this.#enter(t, "zx_task_suspend", [thread]);
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE);
    if (!th.ok) return this.#ret2(t, "zx_task_suspend", th.status);
    const target = th.object;
    // It would never receive the token to resume itself (task_suspend.md).
    if (target === t) return this.#ret2(t, "zx_task_suspend", ZX_ERR_NOT_SUPPORTED);
    if (!target.alive) return this.#ret2(t, "zx_task_suspend", ZX_ERR_BAD_STATE);
    const [st, h] = this.handles.add(
      new SuspendToken(this.#newKoid(), target),
      ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
    );
    if (st !== ZX_OK) return this.#ret2(t, "zx_task_suspend", st);
    if (target.suspendCount++ === 0) {
      this.sink.emit({ k: "thread", tid: target.tid, what: "suspended" });
      this.#interruptWait(target, ZX_ERR_INTERNAL_INTR_RETRY);
    }
    return this.#ret2(t, "zx_task_suspend", ZX_OK, h);
  }

  /** `zx_task_kill(thread)`: a blocked pager wait is cancelled; the thread never runs again. */
  *zx_task_kill(t: KernelThread, thread: number): Syscall<Status> {
    yield* this.#enter(t, "zx_task_kill", [thread]);
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY);
    if (!th.ok) return this.#ret(t, "zx_task_kill", th.status);
    const target = th.object;
    if (target.alive) {
      this.#interruptWait(target, ZX_ERR_INTERNAL_INTR_KILLED);
      target.killed = true;
      this.#releaseAll(target);
      this.sink.emit({ k: "thread", tid: target.tid, what: "killed" });
    }
    return this.#ret(t, "zx_task_kill", ZX_OK);
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

  #ret(t: KernelThread, name: string, status: Status): Status {
    this.sink.emit({ k: "ret", tid: t.tid, name, status });
    return status;
  }

  #ret2(t: KernelThread, name: string, status: Status, value = 0): [Status, number] {
    this.sink.emit({ k: "ret", tid: t.tid, name, status });
    return [status, status === ZX_OK ? value : 0];
  }

  #retP(t: KernelThread, status: Status, packet: Packet | null): [Status, Packet | null] {
    this.sink.emit({ k: "ret", tid: t.tid, name: "zx_port_wait", status });
    return [status, packet];
  }

  #retBytes(t: KernelThread, status: Status, bytes: Uint8Array): [Status, Uint8Array] {
    this.sink.emit({ k: "ret", tid: t.tid, name: "zx_vmo_read", status });
    return [status, bytes];
  }

  #retInfo(t: KernelThread, status: Status, info: VmoInfo | null = null): [Status, VmoInfo | null] {
    this.sink.emit({ k: "ret", tid: t.tid, name: "zx_object_get_info", status });
    return [status, info];
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

  #subRights(have: number, want: number): number | undefined {
    if (want >>> 0 === ZX_RIGHT_SAME_RIGHTS) return have;
    if (!Number.isInteger(want) || ((want >>> 0) & ~have) !== 0) return undefined;
    return want >>> 0;
  }

  /** A page slot made writable: a marker, zero slot or gap becomes a zeroed page; clean becomes dirty. */
  #materialize(vmo: Vmo, p: number): Page {
    const s = vmo.slots[p];
    if (s === undefined || s === MARKER || s instanceof ZeroSlot) {
      const page: Page = { data: new Uint8Array(this.pageSize), state: "dirty" };
      vmo.slots[p] = page;
      return page;
    }
    const page = s as Page;
    page.state = "dirty";
    return page;
  }

  /** The VMO whose pages a slice or reference shows, and the page offset into it. */
  #view(vmo: Vmo): Vmo {
    this.#viewOffset = 0;
    while (vmo.childKind === "slice" || vmo.childKind === "reference") {
      this.#viewOffset += vmo.parentOffset;
      vmo = vmo.parent!;
    }
    return vmo;
  }
  #viewOffset = 0;

  /**
   * An access to page `q` of `tgt` (a root, an anonymous VMO or a clone): the
   * slot to read or the page to write into, or the request it needs first.
   * Writes to a clone fork the page; writes to a trap-dirty root need a
   * Dirty page (spec 5.2, 6.1).
   */
  #touch(tgt: Vmo, q: number, write: boolean): Slot | RequestType {
    const parent = tgt.parent;
    const s = tgt.slots[q];
    if (parent === null) {
      if (s === undefined) {
        if (tgt.source !== null) return "READ";
        if (!write) return undefined;
      } else if (!write) return s;
      if (tgt.source !== null) {
        if (tgt.trapDirty && !isDirtyPage(s!)) return "DIRTY";
        tgt.modified = true;
      }
      return this.#materialize(tgt, q);
    }
    if (s !== undefined) return write ? this.#materialize(tgt, q) : s;
    if (q >= tgt.parentLimit) return write ? this.#materialize(tgt, q) : undefined;
    const rs = parent.slots[q + tgt.parentOffset];
    if (rs === undefined && parent.source !== null) return "READ";
    if (!write) return rs;
    const page: Page = { data: new Uint8Array(this.pageSize), state: "dirty" };
    if (rs !== undefined && rs !== MARKER && !(rs instanceof ZeroSlot)) {
      page.data.set((rs as Page).data);
    }
    tgt.slots[q] = page;
    return page;
  }

  /**
   * One past the last page of a request of `type` for `tgt` starting at page
   * `q` and bounded by `limit` (spec 3.4): a READ stops at content in the root
   * or a page the clone owns; a DIRTY at the first Dirty page or gap.
   */
  #runEnd(tgt: Vmo, type: RequestType, q: number, limit: number): number {
    const parent = tgt.parent;
    if (type === "DIRTY") return dirtyRunEnd(tgt.slots, q, limit);
    let e = q + 1;
    if (parent === null) {
      while (e < limit && tgt.slots[e] === undefined) e++;
      return e;
    }
    limit = Math.min(limit, tgt.parentLimit);
    while (
      e < limit && tgt.slots[e] === undefined && parent.slots[e + tgt.parentOffset] === undefined
    ) e++;
    return e;
  }

  /** The loop shared by zx_vmo_read and zx_vmo_write: copy what is present, request what is not. */
  *#access(
    t: KernelThread,
    vmo: Vmo,
    offset: number,
    buf: Uint8Array,
    write: boolean,
  ): Syscall<Status> {
    const ps = this.pageSize;
    const end = offset + buf.length;
    const endPage = Math.ceil(end / ps);
    let pos = offset;
    const w = new Waiter(t.tid);
    w.earlyWake = !write;
    let waitRoot: Vmo | null = null;
    for (;;) {
      if (end > vmo.size) return this.#dropWaiter(waitRoot, w, ZX_ERR_OUT_OF_RANGE);
      const tgt = this.#view(vmo);
      const off = this.#viewOffset;
      let need: RequestType | null = null;
      while (pos < end) {
        const p = Math.floor(pos / ps);
        const got = this.#touch(tgt, p + off, write);
        if (got === "READ" || got === "DIRTY") {
          need = got;
          break;
        }
        const inPage = pos - p * ps;
        const n = Math.min(end - pos, ps - inPage);
        const chunk = buf.subarray(pos - offset, pos - offset + n);
        const at = pos + off * ps;
        if (write) {
          (got as Page).data.set(chunk, inPage);
          this.sink.emit({ k: "store", tid: t.tid, vmo: tgt.koid, offset: at, bytes: chunk });
        } else {
          if (got !== undefined && got !== MARKER && !(got instanceof ZeroSlot)) {
            chunk.set((got as Page).data.subarray(inPage, inPage + n));
          }
          this.sink.emit({ k: "copy", tid: t.tid, vmo: tgt.koid, offset: at, bytes: chunk });
        }
        pos += n;
      }
      if (need === null) return this.#dropWaiter(waitRoot, w, ZX_OK);
      const p = Math.floor(pos / ps);
      const root = tgt.parent ?? tgt;
      const shift = tgt.parent === null ? off : off + tgt.parentOffset;
      const rp = p + shift;
      const source = root.source!;
      const r = w.request;
      if (
        r !== null && need === "READ" && !write && waitRoot === root && rp >= r.start && rp < r.end
      ) {
        source.rewait(w, rp);
      } else {
        if (r !== null) waitRoot!.source!.cancel(w, ZX_OK);
        const limit = write ? Math.min(endPage, p + LIMITS.maxWriteWaitPages) : endPage;
        const q = this.#runEnd(tgt, need, p + off, limit + off) - off;
        const st = source.populate(w, need, rp, q + shift);
        if (st !== ZX_OK) return st;
        waitRoot = root;
      }
      if (t.failInsteadOfBlock) {
        source.release(w);
        return ZX_ERR_SHOULD_WAIT;
      }
      const st = yield* this.#wait(t, root, w);
      if (st !== ZX_OK && st !== ZX_ERR_INTERNAL_INTR_RETRY) return st;
    }
  }

  /**
   * COMMIT (and the eviction hints): request every absent page, split around
   * present ones; no early wake. `fork` copies root pages into a clone (COMMIT);
   * hints only bring pages into the root. On a trap-dirty root, COMMIT of a
   * zero-interval slot allocates a Dirty page, so it needs a DIRTY request first.
   */
  *#commit(t: KernelThread, vmo: Vmo, start: number, end: number, fork: boolean): Syscall<Status> {
    const w = new Waiter(t.tid);
    for (;;) {
      const tgt = this.#view(vmo);
      const off = this.#viewOffset;
      const stop = Math.min(end, vmo.pageCount);
      const root = tgt.parent ?? tgt;
      const shift = tgt.parent === null ? off : off + tgt.parentOffset;
      let p = start;
      let need: RequestType | null = null;
      for (; p < stop; p++) {
        const q = p + off;
        const s = tgt.slots[q];
        if (tgt.parent === null) {
          if (s === undefined) need = "READ";
          else if (fork && s instanceof ZeroSlot) {
            if (root.trapDirty) need = "DIRTY";
            else this.#materialize(root, q);
          }
        } else if (s === undefined && q < tgt.parentLimit) {
          if (root.slots[q + tgt.parentOffset] === undefined) need = "READ";
          else if (fork) this.#touch(tgt, q, true);
        }
        if (need !== null) break;
      }
      if (need === null) return ZX_OK;
      const q = this.#runEnd(tgt, need, p + off, stop + off) - off;
      const st = root.source!.populate(w, need, p + shift, q + shift);
      if (st !== ZX_OK) return st;
      if (t.failInsteadOfBlock) {
        root.source!.release(w);
        return ZX_ERR_SHOULD_WAIT;
      }
      const ws = yield* this.#wait(t, root, w);
      if (ws !== ZX_OK && ws !== ZX_ERR_INTERNAL_INTR_RETRY) return ws;
    }
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
      const p = Math.floor(o / ps);
      const n = Math.min(buf.length - pos, ps - (o - p * ps), m.addr + m.len - a);
      if (o + Math.max(n, 1) > m.vmo.size) {
        return yield* this.#crash(t, m.vmo.koid, ZX_ERR_OUT_OF_RANGE, a);
      }
      const tgt = this.#view(m.vmo);
      const off = this.#viewOffset;
      const got = this.#touch(tgt, p + off, write);
      if (got === "READ" || got === "DIRTY") {
        const root = tgt.parent ?? tgt;
        const rp = p + off + (tgt.parent === null ? 0 : tgt.parentOffset);
        this.#hold(t, m.vmo);
        const st = root.source!.populate(w, got, rp, rp + 1);
        const ws = st === ZX_OK ? yield* this.#wait(t, root, w) : st;
        this.#releaseOne(t, m.vmo);
        if (ws === ZX_OK || ws === ZX_ERR_INTERNAL_INTR_RETRY) continue; // refault on the same address
        return yield* this.#crash(t, m.vmo.koid, ws, a);
      }
      const chunk = buf.subarray(pos, pos + n);
      const at = o + off * ps;
      const inPage = o - p * ps;
      if (write) {
        (got as Page).data.set(chunk, inPage);
        this.sink.emit({ k: "store", tid: t.tid, vmo: tgt.koid, offset: at, bytes: chunk });
      } else {
        if (got !== undefined && got !== MARKER && !(got instanceof ZeroSlot)) {
          chunk.set((got as Page).data.subarray(inPage, inPage + n));
        }
        this.sink.emit({ k: "copy", tid: t.tid, vmo: tgt.koid, offset: at, bytes: chunk });
      }
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

  *#wait(t: KernelThread, vmo: Vmo, w: Waiter): Syscall<Status> {
    w.deadline = this.overtimeTicks > 0 ? this.now + this.overtimeTicks : Number.POSITIVE_INFINITY;
    t.waiter = w;
    t.waiterVmo = vmo;
    const wait: Wait = {
      deadline: w.deadline,
      ready: (now) => !w.waiting || now >= w.deadline,
      describe: () =>
        w.describe(vmo.koid) +
        (vmo.proxy !== null && vmo.proxy.port.dead
          ? " (port closed: no packet will be delivered)"
          : ""),
    };
    this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
    yield { kind: "block", wait };
    t.waiter = null;
    t.waiterVmo = null;
    if (w.waiting) {
      vmo.source!.cancel(w, ZX_ERR_TIMED_OUT);
      this.sink.emit({ k: "wake", tid: t.tid, status: ZX_ERR_TIMED_OUT, why: "overtime" });
      return ZX_ERR_TIMED_OUT;
    }
    return w.status;
  }

  #dropWaiter(root: Vmo | null, w: Waiter, status: Status): Status {
    if (w.request !== null) root!.source!.cancel(w, ZX_OK);
    return status;
  }

  #interruptWait(target: KernelThread, why: Status): void {
    const w = target.waiter;
    if (w === null || !w.waiting) return;
    target.waiterVmo!.source!.cancel(w, why);
    this.sink.emit({ k: "wake", tid: target.tid, status: why, why: statusName(why) });
  }

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
    switch (object.objType) {
      case ZX_OBJ_TYPE_PAGER:
        return this.#closePager(object as Pager);
      case ZX_OBJ_TYPE_PORT: {
        const port = object as Port;
        for (const { owner } of port.dropAll()) {
          if (owner !== null) {
            this.sink.emit({ k: "packet-dropped", port: port.koid, vmo: owner.vmoKoid, id: 0 });
          }
        }
        return;
      }
      case ZX_OBJ_TYPE_VMO:
        return this.#maybeDestroy(object as Vmo);
      default:
        if (object instanceof SuspendToken && !object.released) {
          object.released = true;
          const th = object.thread;
          if (--th.suspendCount === 0 && th.alive) {
            this.sink.emit({ k: "thread", tid: th.tid, what: "resumed" });
          }
        }
    }
  }

  #closePager(pager: Pager): void {
    pager.closed = true;
    for (const vmo of pager.vmos) {
      vmo.source!.detach();
      vmo.proxy!.close();
      this.sink.emit({ k: "detach", vmo: vmo.koid, why: "pager-closed" });
    }
    pager.vmos.length = 0;
  }

  #detach(vmo: Vmo, why: "detach" | "vmo-dead"): void {
    const source = vmo.source!;
    if (source.detached) return;
    source.detach();
    vmo.proxy!.complete();
    if (why === "detach") {
      for (let p = 0; p < vmo.slots.length; p++) {
        const s = vmo.slots[p];
        if (s === MARKER || (s !== undefined && (s as Page).state === "clean")) {
          vmo.slots[p] = undefined;
        }
      }
    }
    this.sink.emit({ k: "detach", vmo: vmo.koid, why });
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
      this.#detach(vmo, "vmo-dead");
      const pager = this.#pagers.get(vmo.pagerKoid)!;
      const i = pager.vmos.indexOf(vmo);
      if (i >= 0) pager.vmos.splice(i, 1);
    }
    vmo.slots.fill(undefined);
  }
}
