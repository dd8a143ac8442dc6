/**
 * The object layer of the simulated kernel, as Zircon keeps it in
 * `kernel/object/` under the syscall layer: the one process's handle table
 * and objects, kernel object ids, the seams that build a pager VMO's parts,
 * and object lifetimes (what keeps a VMO alive, what the last handle's close
 * does, a thread's death). The syscall layer ({@linkcode ./kernel.ts},
 * {@linkcode ./kernel_vmar.ts}) checks
 * arguments and calls down into this layer and the page machinery
 * ({@linkcode ./vmo_pages.ts}).
 *
 * @module
 */

import {
  LIMITS,
  type Status,
  ZX_DEFAULT_THREAD_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_OK,
} from "./constants.ts";
import { assert } from "./assert.ts";
import { type EventSink, type EvictDetail, NULL_SINK } from "./events.ts";
import { HandleTable, type KernelObject } from "./handles.ts";
import {
  Bti,
  type KernelThread,
  KThread,
  type Mapping,
  Pager,
  Pmt,
  releaseUserChildren,
  slotKind,
  SuspendToken,
  Vmar,
  Vmo,
} from "./objects.ts";
import { Futexes } from "./futex.ts";
import { PageSource } from "./page_source.ts";
import { PagerProxy } from "./pager_proxy.ts";
import { Port } from "./port.ts";
import { AsyncWaits } from "./signals.ts";
import type { AllocFailure } from "./alloc_fault.ts";
import { type PageFault, proxyOf, sourceOf, VmoPages } from "./vmo_pages.ts";
import type { Syscall } from "./yields.ts";

/** Options of a simulated kernel. */
export interface KernelOptions {
  /** Page size in bytes (a power of two, 8 to 65536). Default 4096. */
  pageSize?: number;
  /** Overtime timeout for pager waits, in virtual ticks; 0 disables it. Default 0. */
  overtimeTicks?: number;
  /** Receives every kernel event. Default: dropped. */
  sink?: EventSink;
  /**
   * Page loaning (`ppb` loaning): a DECOMMIT of a contiguous VMO lends its pages to pager VMOs'
   * supplies; off, it is NOT_SUPPORTED (kernel/loans.ts). Default on.
   */
  pageLoaning?: boolean;
}

/**
 * The objects of a simulated kernel and their lifetimes; {@linkcode Kernel}
 * adds the `zx_*` calls.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * const kernel = new Kernel({ pageSize: 64 });
 * const [thread, handle] = kernel.createThread("main", 1);
 * console.assert(thread.alive && handle > 0 && kernel.pageSize === 64);
 * ```
 */
export class KernelObjects {
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
  /**
   * Allocation-failure injection (kernel/alloc_fault.ts): asked at each
   * allocating call whose argument checks passed; true makes it fail with
   * ZX_ERR_NO_MEMORY. Null (the default): allocations never fail.
   */
  allocFailure: AllocFailure | null = null;
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
  /** @internal Every pager, by koid. */
  protected readonly pagers: Map<number, Pager> = new Map();
  /** @internal The process's futex words and the futexes on them (kernel/futex.ts). */
  readonly futexes: Futexes = new Futexes();
  /** @internal Pending `zx_object_wait_async` waits (kernel/signals.ts). */
  readonly asyncWaits: AsyncWaits = new AsyncWaits();
  /**
   * @internal Koids whose signals changed, kept only while exploration records footprints (it
   * sets and drains the set each step); null otherwise.
   */
  signalChanges: Set<number> | null = null;
  #koid = 1000;
  #requestId = 0;

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
    this.pages.loans.enabled = options.pageLoaning ?? true;
    this.rootVmar = new Vmar(this.newKoid());
    this.rootVmarHandle = this.handles.add(this.rootVmar, ZX_DEFAULT_VMAR_RIGHTS)[1];
  }

  /** @internal Creates a simulated thread and a handle to it (process setup, not a syscall). */
  createThread(name: string, tid: number, failInsteadOfBlock = false): [KThread, number] {
    const thread = new KThread(this.newKoid(), tid, name, failInsteadOfBlock);
    const [, handle] = this.handles.add(thread, ZX_DEFAULT_THREAD_RIGHTS);
    thread.selfHandle = handle;
    return [thread, handle];
  }

  /** @internal A thread's body returned: it holds nothing any more. */
  threadExited(t: KernelThread): void {
    assert(t.waiter === null, () => `t${t.tid} exited while waiting`);
    t.exited = true;
    this.releaseAll(t);
    this.sink.emit({ k: "thread", tid: t.tid, what: "exited" });
  }

  /**
   * @internal Builds the page machinery: the seam for kernel variants that override a step (zoo/).
   *
   * @calledWhen once, in the kernel's constructor (before any object exists).
   * @must return a `VmoPages` for this kernel: `new MyPages(this)`, a subclass overriding one of
   * its steps (`touch`, `requestPages`, `park`, `fault`, `insertSupplied`, `detach`).
   * @asserts nothing.
   */
  protected createPages(): VmoPages {
    return new VmoPages(this);
  }

  /**
   * @internal Builds the packet delivery of a new pager VMO: the seam for kernel variants (zoo/).
   *
   * @calledWhen `zx_pager_create_vmo`, past its checks, with the VMO's new koid, the port and
   * the key; `createPageSource` is called next with what it returns.
   * @must return a `PagerProxy` (or subclass) built as
   * `new MyProxy(vmoKoid, port, key, this.pageSize, this.sink)`.
   * @asserts nothing.
   */
  protected createPagerProxy(vmoKoid: number, port: Port, key: number): PagerProxy {
    return new PagerProxy(vmoKoid, port, key, this.pageSize, this.sink);
  }

  /**
   * @internal Builds the request tracking of a new pager VMO: the seam for kernel variants (zoo/).
   *
   * @calledWhen `zx_pager_create_vmo`, right after `createPagerProxy`, with its proxy.
   * @must return a `PageSource` (or subclass) sending to `proxy`, with the kernel's request ids:
   * `new MySource(vmoKoid, proxy, this.sink, super.createPageSource(vmoKoid, proxy).nextId)`.
   * @asserts nothing.
   */
  protected createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    return new PageSource(vmoKoid, proxy, this.sink, () => ++this.#requestId);
  }

  /** @internal A new kernel object id. */
  protected newKoid(): number {
    return ++this.#koid;
  }

  /**
   * The kernel reclaims one Clean page of a pager VMO (spec 6.3): a scheduled
   * environment event, not a syscall. The page must be evictable now
   * ({@linkcode Kernel.evictablePages}); ZX_ERR_BAD_STATE otherwise.
   */
  *kernel_evict(t: KernelThread, handle: number, page: number): Syscall<Status> {
    yield* this.enter(t, "kernel_evict", [handle, page]);
    const e = this.handles.entry(handle);
    let st: Status = ZX_ERR_BAD_HANDLE;
    let evict: EvictDetail | undefined;
    if (e !== undefined && e.object instanceof Vmo) {
      const v = e.object;
      // What the page was, for the trace text only (which page went, or what kept it).
      // Stryker disable all: trace text, not hashed, no checker reads it (kernel/evict_test.ts)
      evict = {
        vmo: v.koid,
        page,
        pager: v.source !== null && !v.dead,
        slot: slotKind(v.slots[page]),
        pinned: v.pins.has(page),
        alwaysNeed: v.alwaysNeed.has(page),
      };
      // Stryker restore all
      st = this.pages.evictable(v, page) ? ZX_OK : ZX_ERR_BAD_STATE;
      if (st === ZX_OK) v.slots[page] = undefined;
    }
    this.sink.emit({
      k: "ret",
      tid: t.tid,
      name: "kernel_evict",
      status: st,
      // Stryker disable next-line all: trace text, not hashed (kernel/evict_test.ts)
      ...(evict === undefined ? {} : { evict }),
    });
    return st;
  }

  /** @internal A call's scheduling point and its `call` event. */
  protected *enter(t: KernelThread, name: string, args: unknown[]): Syscall<void> {
    yield { kind: "syscall", name, args };
    this.sink.emit({ k: "call", tid: t.tid, name, args });
  }

  /** Pages of the VMO behind `handle` the kernel may evict now: Clean, not always-need (6.3). */
  evictablePages(handle: number): number[] {
    const vmo = this.handles.entry(handle)?.object;
    if (!(vmo instanceof Vmo)) return [];
    return [...vmo.slots.keys()].filter((p) => this.pages.evictable(vmo, p));
  }

  /** @internal A mapping of `m.vmo` is gone: the VMO may die now. */
  protected unmapped(m: Mapping): void {
    m.vmo.mappings--;
    this.maybeDestroy(m.vmo);
  }

  /** @internal A fatal page fault kills `t` (spec 4.3). */
  protected *crash(t: KernelThread, { vmo, synth, addr }: PageFault): Syscall<never> {
    this.sink.emit({ k: "page-fault", tid: t.tid, vmo, synth, addr });
    t.killed = true;
    this.releaseAll(t);
    yield { kind: "crash", synth, addr };
    throw new Error("unreachable: a crashed thread was resumed");
  }

  // ---------------------------------------------------------------- lifetimes

  /** @internal `t`'s operation in flight keeps `vmo` alive until {@linkcode KernelObjects.release}. */
  hold(t: KernelThread, vmo: Vmo): void {
    vmo.inflight++;
    t.held.push(vmo);
  }

  /** @internal `t`'s operation on `vmo` is over: it may die now. */
  release(t: KernelThread, vmo: Vmo): void {
    const i = t.held.lastIndexOf(vmo);
    assert(i >= 0, () => `t${t.tid} releases vmo ${vmo.koid} it does not hold`);
    t.held.splice(i, 1);
    vmo.inflight--;
    this.maybeDestroy(vmo);
  }

  /** @internal `t` is gone (exited, killed, crashed): it holds no VMO any more. */
  protected releaseAll(t: KernelThread): void {
    while (t.held.length > 0) this.release(t, t.held[t.held.length - 1]);
  }

  /** @internal The last handle to `object` closed (Zircon's `on_zero_handles`). */
  protected onZeroHandles(object: KernelObject): void {
    if (object instanceof Pager) return this.closePager(object);
    if (object instanceof Pmt) {
      // Closed without an unpin: quarantined in its BTI, its pages pinned for good, even when
      // the BTI's last handle already closed (BusTransactionInitiatorDispatcher::Quarantine,
      // zircon/kernel/object/bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia 3281dd6b).
      if (!object.unpinned) object.bti.quarantine.push(object);
      return;
    }
    // A BTI's last close keeps its quarantine: "We intentionally leak the BTI, all quarantined
    // PMTs, and their underlying VMOs" (on_zero_handles, the same file).
    if (object instanceof Bti) return;
    if (object instanceof Vmo) return this.maybeDestroy(object);
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

  /** @internal A pinned-memory token lets go of its pages; its VMO may die now. */
  protected unpinToken(pmt: Pmt): void {
    if (pmt.unpinned) return;
    pmt.unpinned = true;
    this.pages.unpin(pmt.vmo, pmt.start, pmt.end, pmt.writable);
    pmt.vmo.pinTokens--;
    this.maybeDestroy(pmt.vmo);
  }

  /** @internal The pager's last handle closed: every VMO it backs detaches (spec 1.1). */
  protected closePager(pager: Pager): void {
    pager.closed = true;
    for (const vmo of pager.vmos) {
      // Only a VMO still attached detaches: PageSource::Detach returns early on a source an
      // earlier zx_pager_detach_vmo detached (PagerProxy::OnDispatcherClose), so no second event.
      const attached = !sourceOf(vmo).detached;
      sourceOf(vmo).detach();
      proxyOf(vmo).close();
      if (attached) this.sink.emit({ k: "detach", vmo: vmo.koid, why: "pager-closed" });
    }
    pager.vmos.length = 0;
    // VMOs that died before it: an unread COMPLETE is withdrawn, one read already stays read.
    for (const vmo of pager.completing) proxyOf(vmo).close();
    pager.completing.length = 0;
  }

  /** @internal `vmo` dies when nothing keeps it alive: its pager's COMPLETE, its pages freed. */
  protected maybeDestroy(vmo: Vmo): void {
    // Once nothing but children keeps it, the VMO is gone for userspace (its children count on
    // its parent: snapshot.cc ReleaseCowParentPagesRight, audit T1); a clone's pages may still
    // serve the children hanging from it.
    if (vmo.handleCount + vmo.mappings + vmo.inflight === 0 && vmo.userParent !== null) {
      this.signalChanges?.add(vmo.userParent.koid);
      releaseUserChildren(vmo);
      // The parent may have lost its last child: ZX_VMO_ZERO_CHILDREN rises.
      this.asyncWaits.poll(this.now);
    } else if (vmo.handleCount + vmo.mappings + vmo.inflight === 0) releaseUserChildren(vmo);
    if (vmo.dead || vmo.refs > 0) return;
    vmo.dead = true;
    const parent = vmo.parent;
    if (parent !== null) {
      parent.children.splice(parent.children.indexOf(vmo), 1);
      this.maybeDestroy(parent);
    }
    if (vmo.source !== null) {
      this.pages.detach(vmo, "vmo-dead");
      const pager = this.pagers.get(vmo.pagerKoid);
      assert(pager !== undefined, () => `vmo ${vmo.koid} names no pager (${vmo.pagerKoid})`);
      const i = pager.vmos.indexOf(vmo);
      if (i >= 0) pager.vmos.splice(i, 1);
      if (!pager.closed) {
        // Kept while its COMPLETE may be unread (those already read leave the list here).
        const c = pager.completing;
        let n = 0;
        for (const v of c) if (proxyOf(v).completesDelivered === 0) c[n++] = v;
        c.length = n;
        if (proxyOf(vmo).completesDelivered === 0) c.push(vmo);
      }
    }
    // A contiguous VMO takes its lent frames back before it goes (`~PhysicalPageProvider`).
    if (vmo.frames !== null) this.pages.loans.retire(vmo);
    vmo.slots.fill(undefined);
  }

  // ---------------------------------------------------------------- kills

  /** @internal Kills `t` now: a blocked pager wait is cancelled; the thread never runs again. */
  protected kill(t: KernelThread): void {
    this.pages.interrupt(t, ZX_ERR_INTERNAL_INTR_KILLED);
    t.killed = true;
    this.releaseAll(t);
    this.sink.emit({ k: "thread", tid: t.tid, what: "killed" });
  }

  /**
   * @internal A kill of `t` landed inside a harness entry: it is marked and takes effect when `t`
   * leaves the entry ({@linkcode KernelObjects.leaveEntry}). Upstream a kill only sets
   * `THREAD_SIGNAL_KILL` on a thread that is running, and the thread exits when it next reaches a
   * kernel boundary (`Thread::Kill`, `Thread::Current::ProcessPendingSignals`:
   * zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a); an entry is the filesystem's
   * work, done in its own context in reality, so the calling thread reaches that boundary when
   * the entry returns.
   */
  protected deferKill(t: KernelThread): void {
    if (t.killDeferred) return;
    t.killDeferred = true;
    this.sink.emit({ k: "thread", tid: t.tid, what: "kill-deferred" });
  }

  /**
   * @internal Thread `t` enters a harness entry (a file's open or close, run on the calling
   * thread: scenario/files.ts): a kill that lands before it leaves is deferred.
   */
  enterEntry(t: KernelThread): void {
    t.entries++;
  }

  /** @internal Thread `t` leaves a harness entry; a kill deferred inside it takes effect now. */
  leaveEntry(t: KernelThread): void {
    assert(t.entries > 0, () => `t${t.tid} leaves a harness entry it is not inside`);
    if (--t.entries > 0 || !t.killDeferred) return;
    t.killDeferred = false;
    if (t.alive) this.kill(t);
  }
}
