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
  ZX_DEFAULT_EVENT_RIGHTS,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_CANCELED,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_EVENT_SIGNALED,
  ZX_INFO_VMO,
  ZX_INFO_VMO_BYTES,
  ZX_KOID_INVALID,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_PAGER_VMO_STATS_SIZE,
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
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_ALL,
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
  ZX_WAIT_ASYNC_ONCE,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from "./constants.ts";
import { dirtyRanges } from "./dirty.ts";
import type { UserPacket } from "./events.ts";
import type { Lookup } from "./handles.ts";
import { VmarCalls } from "./kernel_vmar.ts";
import {
  type Bti,
  Event,
  type KernelThread,
  KThread,
  LoanFrame,
  Pager,
  SuspendToken,
  Vmo,
} from "./objects.ts";
import { Port } from "./port.ts";
import {
  type CallArgs as In,
  type CallImpl as Out,
  type KernelCalls,
  SYSCALL_NAMES,
  tableCall,
} from "./syscalls.ts";
import { signalsOf } from "./signals.ts";
import { isU64, MAX_U64, MAX_VMO_PAGES, parentOf, type UserBuffer } from "./vmo_pages.ts";
import type { Syscall, Wait } from "./yields.ts";

export { MAX_VMO_PAGES } from "./vmo_pages.ts";
export { KernelObjects, type KernelOptions } from "./kernel_objects.ts";
export { VmarCalls } from "./kernel_vmar.ts";
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
export class Kernel extends VmarCalls {
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
   *
   * @calledWhen `zx_pager_detach_vmo`, past its handle and rights checks (the VMO is the
   * pager's). Not for a VMO's death or a pager close, which detach through `VmoPages.detach`
   * and `PageSource.detach` directly.
   * @must detach the VMO: `this.pages.detach(vmo, "detach")` (or `yield*
   * super.detachVmo(t, vmo)`), which completes its requests, queues COMPLETE, drops clean pages
   * and emits `detach`; a `yield { kind: "syscall", name: "zx_pager_detach_vmo.NAME" }` before
   * it is a lock drop.
   * @asserts nothing itself; `VmoPages.detach` does (below).
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
    if (!this.aligned(offset) || !this.aligned(length) || !this.aligned(auxOffset)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const v = this.#pagerVmo(pager, pagerVmo, ZX_RIGHT_WRITE);
    if (!v.ok) return v.status;
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!a.ok) return a.status;
    // TakePages refuses a contiguous aux before its range check (vm_object_paged.cc @
    // misttech/fuchsia 056f3590; spec 2.4 step 6).
    if (a.object.frames !== null) return ZX_ERR_NOT_SUPPORTED;
    if (auxOffset + length > a.object.size) return ZX_ERR_OUT_OF_RANGE;
    // TakePages and SupplyPages range-check an empty range too, then return before the detach
    // check (vm_object_paged.cc @ misttech 056f3590). Audit row A12.
    if (length === 0) return offset > v.object.size ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
    if (a.object.source !== null) return ZX_ERR_NOT_SUPPORTED;
    // TakePages will not take a pinned page out of aux (spec 2.4 step 6; `VmCowPages::TakePages`).
    const [auxPages, auxShift] = this.pages.view(a.object);
    const first = auxOffset / this.pageSize + auxShift;
    for (let q = first; q < first + length / this.pageSize; q++) {
      if (auxPages.pins.has(q)) return ZX_ERR_BAD_STATE;
    }
    return yield* this.pages.supply(t, v.object, offset, length, a.object, auxOffset);
  }

  /** `zx_pager_op_range(pager, op, pager_vmo, offset, length, data)` (spec 2.5). */
  protected pagerOpRange(
    _t: KernelThread,
    ...[pager, op, pagerVmo, offset, length, data]: In<"zx_pager_op_range">
  ): Out<"zx_pager_op_range"> {
    if (!this.aligned(offset) || !this.aligned(length)) return ZX_ERR_INVALID_ARGS;
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
    if (typeof got === "number") return got;
    if ("signal" in got) {
      const koid = this.asyncWaits.source(got);
      this.sink.emit({
        k: "observed",
        tid: t.tid,
        koid,
        signals: got.signal.observed,
        key: got.key,
      });
    }
    return [ZX_OK, got];
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
    // SoloDispatcher::user_signal_self (dispatcher.h @ vsrinivas/fuchsia 005edc33): not waitable
    // is NOT_SUPPORTED; then "Generic objects can set all USER_SIGNALs. Particular object types
    // (events and eventpairs) may be able to set more": a VMO (VmObjectDispatcher, no extra
    // signals) takes ZX_USER_SIGNAL_ALL only, an event ZX_EVENT_SIGNALED too. Threads, ports
    // and the rest keep NOT_SUPPORTED (their signals are not modelled).
    const o = e.object;
    if (!(o instanceof Event) && !(o instanceof Vmo)) return ZX_ERR_NOT_SUPPORTED;
    const allowed = o instanceof Event
      ? ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED
      : ZX_USER_SIGNAL_ALL;
    if (!isU32(clear) || !isU32(set) || ((clear | set) & ~allowed) !== 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (o instanceof Event) o.signals = ((o.signals & ~clear) | set) >>> 0;
    else o.userSignals = ((o.userSignals & ~clear) | set) >>> 0;
    this.signalChanges?.add(o.koid);
    this.asyncWaits.poll(this.now);
    return ZX_OK;
  }

  /** `zx_object_wait_one(handle, signals, deadline, *observed)`. */
  protected *objectWaitOne(
    t: KernelThread,
    ...[handle, signals, deadline]: In<"zx_object_wait_one">
  ): Syscall<Out<"zx_object_wait_one">> {
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.rights & ZX_RIGHT_WAIT)) return ZX_ERR_ACCESS_DENIED;
    const object = e.object;
    if (signalsOf(object) === null) return ZX_ERR_NOT_SUPPORTED;
    if (!isU32(signals)) return ZX_ERR_INVALID_ARGS;
    if (typeof deadline !== "number" || Number.isNaN(deadline)) return ZX_ERR_INVALID_ARGS;
    const want = signals >>> 0;
    const active = () => signalsOf(object) ?? 0;
    // Closing the handle during the wait ends it with CANCELED (ZX_SIGNAL_HANDLE_CLOSED).
    const closed = () => this.handles.entry(handle)?.object !== object;
    const wait: Wait = {
      deadline,
      ready: (now) => (active() & want) !== 0 || closed() || now >= deadline,
      describe: () => `signals 0x${want.toString(16)} of ${objectName(object)} ${object.koid}`,
    };
    let status: Status = ZX_OK;
    if ((active() & want) === 0) {
      if (this.now >= deadline) status = ZX_ERR_TIMED_OUT;
      else {
        this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
        yield { kind: "block", wait };
        if (!t.alive) return ZX_ERR_INTERNAL_INTR_KILLED;
        status = (active() & want) !== 0 ? ZX_OK : closed() ? ZX_ERR_CANCELED : ZX_ERR_TIMED_OUT;
      }
    }
    const observed = active();
    this.sink.emit({ k: "observed", tid: t.tid, koid: object.koid, signals: observed, key: 0 });
    return [status, observed];
  }

  /** `zx_object_wait_async(handle, port, key, signals, options)`. */
  protected objectWaitAsync(
    _t: KernelThread,
    ...[handle, port, key, signals, options]: In<"zx_object_wait_async">
  ): Out<"zx_object_wait_async"> {
    // sys_object_wait_async: options, then the port, then the handle (object/wait_async.cc).
    if (options !== ZX_WAIT_ASYNC_ONCE && options !== ZX_WAIT_ASYNC_TIMESTAMP) {
      return ZX_ERR_INVALID_ARGS;
    }
    const p = this.handles.get<Port>(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE);
    if (!p.ok) return p.status;
    const e = this.handles.entry(handle);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.rights & ZX_RIGHT_WAIT)) return ZX_ERR_ACCESS_DENIED;
    if (signalsOf(e.object) === null) return ZX_ERR_NOT_SUPPORTED;
    if (!isU64(key) || !isU32(signals)) return ZX_ERR_INVALID_ARGS;
    const w = { object: e.object, handle, port: p.object, key, signals: signals >>> 0, options };
    this.asyncWaits.add(w, this.now);
    return ZX_OK;
  }

  // ---------------------------------------------------------------- futexes

  /**
   * A futex call's new owner: the live thread `owner` names (0 and a dead thread: none), and
   * the lookup's status, which wait and requeue report only after their value check
   * (`GetDispatcherWithRightsNoPolicyCheck(handle, 0)`: any rights will do).
   */
  #futexOwner(owner: number): [KThread | null, Status] {
    if (owner === 0) return [null, ZX_OK];
    const o = this.handles.get<KThread>(owner, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_NONE);
    if (!o.ok) return [null, o.status];
    return [o.object.alive ? o.object : null, ZX_OK];
  }

  /** `zx_futex_wait(value_ptr, current_value, new_futex_owner, deadline)`. */
  protected *futexWait(
    t: KernelThread,
    ...[valuePtr, current, owner, deadline]: In<"zx_futex_wait">
  ): Syscall<Out<"zx_futex_wait">> {
    // futex_context.cc FutexWait: the pointer; the owner's lookup, whose failure is reported
    // only after the value check; the value; the owner's own rules; then the wait.
    const futexes = this.futexes;
    if (!futexes.valid(valuePtr)) return ZX_ERR_INVALID_ARGS;
    if (typeof deadline !== "number" || Number.isNaN(deadline)) return ZX_ERR_INVALID_ARGS;
    const [ownerThread, ownerStatus] = this.#futexOwner(owner);
    if (!Number.isInteger(current) || futexes.load(valuePtr) !== (current | 0)) {
      return ZX_ERR_BAD_STATE;
    }
    if (ownerStatus !== ZX_OK) return ownerStatus;
    if (ownerThread === t) return ZX_ERR_INVALID_ARGS;
    if (ownerThread !== null && futexes.waitsOn(valuePtr, ownerThread)) return ZX_ERR_INVALID_ARGS;
    if (this.now >= deadline) {
      futexes.assignOwner(valuePtr, ownerThread);
      return ZX_ERR_TIMED_OUT;
    }
    const w = futexes.enqueue(valuePtr, t, ownerThread);
    // `w.addr`, not `valuePtr`: a zx_futex_requeue may have moved the waiter to another futex.
    const wait: Wait = {
      deadline,
      ready: (now) => w.woken || now >= deadline,
      describe: () => {
        const o = futexes.ownerOf(w.addr);
        return `${futexes.describe(w.addr)}${o === null ? "" : ` owned by t${o.tid}`}`;
      },
      holders: () => {
        const o = futexes.ownerOf(w.addr);
        return o === null ? [] : [o.tid];
      },
      futex: () => w.addr,
    };
    this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
    yield { kind: "block", wait };
    if (!t.alive) {
      futexes.leave(w);
      return ZX_ERR_INTERNAL_INTR_KILLED;
    }
    if (w.woken) return ZX_OK;
    futexes.leave(w);
    return ZX_ERR_TIMED_OUT;
  }

  /** `zx_futex_wake(value_ptr, wake_count)`. */
  protected futexWake(
    _t: KernelThread,
    ...[valuePtr, count]: In<"zx_futex_wake">
  ): Out<"zx_futex_wake"> {
    if (!this.futexes.valid(valuePtr)) return ZX_ERR_INVALID_ARGS;
    if (!isU32(count)) return ZX_ERR_INVALID_ARGS;
    this.futexes.wake(valuePtr, count >>> 0);
    return ZX_OK;
  }

  /**
   * `zx_futex_get_owner(value_ptr, *koid)`: FutexContext::FutexGetOwner (futex_context.cc @
   * gnoliyil/fuchsia 08c0dd7c): `ValidateFutexPointer` (null or unaligned: INVALID_ARGS; the
   * model's only futex memory is its words, so any other pointer is INVALID_ARGS too, as for the
   * other futex calls), then the owner's koid, or ZX_KOID_INVALID (0) for a futex nobody owns or
   * waits on ({@linkcode Futexes.currentOwner}). The out-pointer is the result (no fault modelled).
   */
  protected futexGetOwner(
    _t: KernelThread,
    ...[valuePtr]: In<"zx_futex_get_owner">
  ): Out<"zx_futex_get_owner"> {
    if (!this.futexes.valid(valuePtr)) return ZX_ERR_INVALID_ARGS;
    return [ZX_OK, this.futexes.currentOwner(valuePtr)?.koid ?? ZX_KOID_INVALID];
  }

  /** `zx_futex_requeue(value_ptr, wake_count, current_value, requeue_ptr, requeue_count, new_requeue_owner)`. */
  protected futexRequeue(
    _t: KernelThread,
    ...[valuePtr, wakeCount, current, requeuePtr, requeueCount, owner]: In<"zx_futex_requeue">
  ): Out<"zx_futex_requeue"> {
    // FutexContext::FutexRequeue (futex_context.cc @ vsrinivas/fuchsia 04544766): both pointers
    // (ValidateFutexPointer), then "if (wake_ptr.get() == requeue_ptr.get()) return
    // ZX_ERR_INVALID_ARGS", then the owner's lookup, whose failure FutexRequeueInternal reports
    // only after the value check ("bail out now (after we have passed the state check)"); a dead
    // owner is no owner. Then the owner may wait on neither futex, then the queues move.
    const futexes = this.futexes;
    if (!futexes.valid(valuePtr) || !futexes.valid(requeuePtr)) return ZX_ERR_INVALID_ARGS;
    if (valuePtr === requeuePtr) return ZX_ERR_INVALID_ARGS;
    if (!isU32(wakeCount) || !isU32(requeueCount)) return ZX_ERR_INVALID_ARGS;
    const [ownerThread, ownerStatus] = this.#futexOwner(owner);
    if (!Number.isInteger(current) || futexes.load(valuePtr) !== (current | 0)) {
      return ZX_ERR_BAD_STATE;
    }
    if (ownerStatus !== ZX_OK) return ownerStatus;
    if (
      ownerThread !== null &&
      (futexes.waitsOn(valuePtr, ownerThread) || futexes.waitsOn(requeuePtr, ownerThread))
    ) {
      return ZX_ERR_INVALID_ARGS;
    }
    futexes.requeue(valuePtr, wakeCount >>> 0, requeuePtr, requeueCount >>> 0, ownerThread);
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
    this.asyncWaits.cancelHandle(handle);
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
    this.asyncWaits.cancelHandle(handle);
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

  /**
   * `zx_vmo_create_contiguous(bti, size, alignment_log2, *out)`: an anonymous, non-resizable VMO
   * whose pages are physically contiguous, all committed (zeros). As sys_vmo_create_contiguous
   * (zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec): size 0 and an alignment
   * outside `[log2(page size), 64)` (0 means the page size) are INVALID_ARGS before the BTI is
   * looked up (with MAP); then `VmObjectPaged::CreateContiguous` rounds the size up to pages
   * (OUT_OF_RANGE or NO_MEMORY past the model's limits, as `zx_vmo_create`). The model has no
   * physical addresses, so any alignment is met. Its DECOMMIT lends the pages (kernel/loans.ts),
   * `zx_bti_pin` accepts `ZX_BTI_CONTIGUOUS` for it, and it has no children (NOT_SUPPORTED, as
   * every anonymous VMO of the model).
   */
  protected vmoCreateContiguous(
    _t: KernelThread,
    ...[bti, size, alignmentLog2]: In<"zx_vmo_create_contiguous">
  ): Out<"zx_vmo_create_contiguous"> {
    if (!isU64(size) || size === 0) return ZX_ERR_INVALID_ARGS;
    const pageShift = Math.log2(this.pageSize);
    if (!Number.isInteger(alignmentLog2) || alignmentLog2 < 0) return ZX_ERR_INVALID_ARGS;
    const align = alignmentLog2 === 0 ? pageShift : alignmentLog2;
    if (align < pageShift || align >= 64) return ZX_ERR_INVALID_ARGS;
    const b = this.handles.get<Bti>(bti, ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP);
    if (!b.ok) return b.status;
    const rounded = this.#checkSize(size);
    if (rounded < 0) return rounded;
    const vmo = new Vmo(this.newKoid(), this.pageSize, rounded, false, 0, null, null, 0);
    const frames: LoanFrame[] = [];
    for (let p = 0; p < vmo.pageCount; p++) {
      frames.push(new LoanFrame(vmo, p));
      this.pages.materialize(vmo, p);
    }
    vmo.frames = frames;
    return this.handles.add(vmo, ZX_DEFAULT_VMO_RIGHTS);
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
    const rounded = this.roundUp(size);
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
    // ZX_VMO_ZERO_CHILDREN falls on the VMO the child was created from.
    this.signalChanges?.add(v.object.koid);
    child.userParent = v.object;
    v.object.userChildren.push(child);
    return [ZX_OK, h];
  }

  // ---------------------------------------------------------------- threads

  /**
   * `zx_task_suspend(thread, *token)`: a blocked pager wait is cancelled and restarts on resume,
   * except a kernel usercopy's page-fault wait, which goes on until its request resolves; the
   * thread then finishes its syscall and stops (`KThread.suspended`; rows PX5, PX6).
   */
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

  /**
   * `zx_task_kill(thread)`: a blocked pager wait is cancelled; the thread never runs again. A
   * thread inside a harness entry (a file's open or close) takes it when it leaves (`deferKill`).
   */
  protected taskKill(_t: KernelThread, ...[thread]: In<"zx_task_kill">): Out<"zx_task_kill"> {
    const th = this.handles.get<KThread>(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_DESTROY);
    if (!th.ok) return th.status;
    const target = th.object;
    if (target.alive && target.entries > 0) this.deferKill(target);
    else if (target.alive) this.kill(target);
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

  /** A new VMO's size rounded up, or the (negative) status that refuses it. */
  #checkSize(size: number): number {
    const rounded = this.roundUp(size);
    if (rounded >= MAX_U64 || rounded > LIMITS.maxVmoBytes) return ZX_ERR_OUT_OF_RANGE;
    return rounded / this.pageSize > MAX_VMO_PAGES ? ZX_ERR_NO_MEMORY : rounded;
  }

  #subRights(have: number, want: number): number | undefined {
    if (want >>> 0 === ZX_RIGHT_SAME_RIGHTS) return have;
    if (!Number.isInteger(want) || ((want >>> 0) & ~have) !== 0) return undefined;
    return want >>> 0;
  }
}

/** A `uint32_t` argument: masks may arrive as `1 << 31` (negative) or `2 ** 31`. */
function isU32(x: unknown): x is number {
  return Number.isInteger(x) && Number(x) >= -(2 ** 31) && Number(x) < 2 ** 32;
}

/** How a hang report names a waitable object. */
function objectName(o: { readonly objType: number }): string {
  return o instanceof Vmo ? "vmo" : o instanceof Event ? "event" : `object(type ${o.objType})`;
}
