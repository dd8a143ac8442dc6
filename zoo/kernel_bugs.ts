/**
 * Kernel bugs a pager change could introduce, each a variant of the model
 * that plugs in through the kernel's seams (`makeKernel`, and the
 * `createPageSource` / `createPagerProxy` factories of {@linkcode Kernel}):
 * production code carries no flags for them. Each doc comment says what real
 * mistake the variant models, how deep an interleaving exposes it, and which
 * checker catches it.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from "../kernel/constants.ts";
import type { EventSink, PagePacket } from "../kernel/events.ts";
import { Kernel, type KernelOptions, type Syscall, type Wait } from "../kernel/kernel.ts";
import { type KThread, type Page, type Pager, type Slot, Vmo } from "../kernel/objects.ts";
import {
  type PageRequest,
  PageSource,
  type RequestProvider,
  type RequestType,
  Waiter,
} from "../kernel/page_source.ts";
import { PagerProxy } from "../kernel/pager_proxy.ts";
import type { Port } from "../kernel/port.ts";

/** A kernel factory, as `runScenario`'s `makeKernel` takes it. */
export type MakeKernel = (options: KernelOptions) => Kernel;

type SourceClass = new (
  vmoKoid: number,
  provider: RequestProvider,
  sink: EventSink,
  nextId: () => number,
) => PageSource;

type ProxyClass = new (
  vmoKoid: number,
  port: Port,
  key: number,
  pageSize: number,
  sink: EventSink,
) => PagerProxy;

/** A kernel whose pager VMOs get the given request tracking and/or packet delivery. */
function kernelWith(parts: { source?: SourceClass; proxy?: ProxyClass }): MakeKernel {
  class Variant extends Kernel {
    protected override createPagerProxy(vmoKoid: number, port: Port, key: number): PagerProxy {
      return parts.proxy === undefined
        ? super.createPagerProxy(vmoKoid, port, key)
        : new parts.proxy(vmoKoid, port, key, this.pageSize, this.sink);
    }

    protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
      const base = super.createPageSource(vmoKoid, proxy);
      // The request-id counter is the kernel's: the variant shares it through the base source.
      return parts.source === undefined
        ? base
        : new parts.source(vmoKoid, proxy, this.sink, base.nextId);
    }
  }
  return (options) => new Variant(options);
}

/**
 * `partial-supply-no-wake`: a supply is counted against a READ request only
 * when it covers the whole request, so a request answered in pieces (a
 * read-ahead that overlaps the front of a later request, a pager that
 * supplies page by page) never completes and its waiters, early-wake readers
 * included, are never woken. Models a "fast path" that resolves requests by
 * range containment instead of counting pages (spec 3.6).
 *
 * Depth 1: a supply must cover only part of a request while it is
 * outstanding. Caught by `no-lost-requests` (hang).
 */
export class PartialSupplyNoWakeSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    for (const r of [...this.outstanding("READ")]) {
      if (start <= r.start && r.end <= end) super.onPagesSupplied(r.start, r.end);
    }
  }
}

/** The kernel variant with {@linkcode PartialSupplyNoWakeSource}. */
export const partialSupplyNoWake: MakeKernel = kernelWith({ source: PartialSupplyNoWakeSource });

/**
 * `duplicate-read`: when a fault coalesces into an outstanding READ, the
 * coalescing path still hands that request to the packet provider as if it
 * were new, so the pager receives a second READ for a range that is already
 * outstanding (spec 3.5: overlap waiters get no packet).
 *
 * Depth 1: a second access must touch the range between the first access's
 * request and its resolution. Caught by `packet-discipline` (K4: a packet
 * queued out of creation order, or `withdrawn`).
 */
export class DuplicateReadSource extends PageSource {
  override populate(waiter: Waiter, type: RequestType, start: number, end: number): Status {
    const covering = this.outstanding(type).find((r) => r.start <= start && start < r.end);
    const st = super.populate(waiter, type, start, end);
    if (st === ZX_OK && covering !== undefined) this.provider.send(covering);
    return st;
  }
}

/** The kernel variant with {@linkcode DuplicateReadSource}. */
export const duplicateRead: MakeKernel = kernelWith({ source: DuplicateReadSource });

/**
 * Packet delivery that, while its VMO detaches, withdraws only the requests
 * still waiting in its FIFO and leaves the READ packet already sitting in the
 * port, so COMPLETE is queued behind a packet that should have been withdrawn.
 */
export class ForgetsInPortPacketProxy extends PagerProxy {
  /** Set by the page source for the duration of its detach. */
  detaching = false;

  override withdraw(request: PageRequest): void {
    if (this.detaching && this.#inPort(request)) return;
    super.withdraw(request);
  }

  #inPort(request: PageRequest): boolean {
    return this.port.packets().some((p) =>
      p.type === ZX_PKT_TYPE_PAGE_REQUEST && p.key === this.key &&
      (p as PagePacket).command === ZX_PAGER_VMO_READ &&
      (p as PagePacket).offset === request.start * this.pageSize
    );
  }
}

/** Request tracking that tells its {@linkcode ForgetsInPortPacketProxy} when it detaches. */
export class DetachFlaggingSource extends PageSource {
  override detach(): void {
    const proxy = this.provider as ForgetsInPortPacketProxy;
    proxy.detaching = true;
    try {
      super.detach();
    } finally {
      proxy.detaching = false;
    }
  }
}

/**
 * `complete-before-withdraw`: detach queues COMPLETE while the unread READ
 * packet already in the port has not been withdrawn (only requests still in
 * the FIFO are), so the pager dequeues a READ for a resolved request after
 * the VMO detached. Models reordering "withdraw pending packets" after
 * "queue COMPLETE" and forgetting the packet that owns the slot (spec 3.3).
 *
 * Depth 1: the detach must land between a READ packet being queued and the
 * pager dequeuing it. Caught by `packet-discipline` (K6).
 */
export const completeBeforeWithdraw: MakeKernel = kernelWith({
  source: DetachFlaggingSource,
  proxy: ForgetsInPortPacketProxy,
});

/**
 * `detach-forgets-waiters`: detach completes each outstanding request by
 * waking its primary waiter only; threads that coalesced into the request
 * (overlap waiters) stay parked forever. Models iterating `primary` instead
 * of every waiter when resolving at detach (spec 2.3, 3.5).
 *
 * Depth 2: a second thread must coalesce into an outstanding request, and
 * the detach must come before the request is resolved. Caught by
 * `no-lost-requests` (hang).
 */
export class DetachForgetsWaitersSource extends PageSource {
  override detach(): void {
    if (!this.detached) {
      for (const r of [...this.outstanding("READ"), ...this.outstanding("DIRTY")]) r.overlap = [];
    }
    super.detach();
  }
}

/** The kernel variant with {@linkcode DetachForgetsWaitersSource}. */
export const detachForgetsWaiters: MakeKernel = kernelWith({ source: DetachForgetsWaitersSource });

/** The pager VMOs of a kernel, for a page source that (wrongly) looks beyond its own VMO. */
class WrongWaiterSource extends PageSource {
  constructor(
    vmoKoid: number,
    provider: RequestProvider,
    sink: EventSink,
    nextId: () => number,
    readonly vmos: readonly Vmo[],
  ) {
    super(vmoKoid, provider, sink, nextId);
  }

  override onPagesFailed(start: number, end: number, error: Status): void {
    const pager = this.vmos.find((v) => v.koid === this.vmoKoid)?.pagerKoid;
    const owner = this.vmos.find((v) =>
      v.pagerKoid === pager && v.source !== null && !v.source.detached &&
      v.source.outstanding("READ").some((r) => r.start < end && start < r.end)
    );
    const target = owner?.source ?? this;
    if (target === this) super.onPagesFailed(start, end, error);
    else target.onPagesFailed(start, end, error);
  }
}

/**
 * `op-fail-wrong-waiter`: OP_FAIL matches the failed range to outstanding
 * requests by page offset across all of the pager's VMOs, first match wins,
 * so the error is reported to a waiter of another VMO that happens to wait
 * on the same offsets, while the failed VMO's waiter is left waiting. Models
 * a lookup keyed by offset where it must be keyed by (VMO, offset) (spec 3.7).
 *
 * Depth 2: two VMOs of one pager must have requests outstanding at
 * overlapping offsets when the service fails one. Caught by
 * `syscall-contract` (K14: an accessor got a code never passed to OP_FAIL
 * for its VMO), or `no-lost-requests` when the hang shows first.
 */
export const opFailWrongWaiter: MakeKernel = (options) => {
  class Variant extends Kernel {
    protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
      const base = super.createPageSource(vmoKoid, proxy);
      return new WrongWaiterSource(vmoKoid, proxy, this.sink, base.nextId, this.pagerVmos);
    }
  }
  return new Variant(options);
};

function isPage(s: Slot): s is Page {
  return typeof s === "object" && s !== null && "data" in s;
}

/**
 * `early-wake-skips-page`: `zx_vmo_read` on a pager VMO re-implemented with
 * an early-wake bug: after being woken early (the page it waited for
 * arrived, the request is still outstanding), the reader treats every page
 * up to the end of its request as supplied and copies them, so pages the
 * pager has not supplied yet read as zeros. Models trusting the wake instead
 * of re-running the lookup after every wake (spec 3.6, 3.8).
 *
 * Depth 1: a supply must cover the reader's next page but not the rest of
 * its request (out-of-order or page-by-page supply, or a read-ahead from
 * another request). Caught by `data-integrity`.
 *
 * Reads the model's level-1 read path would serve the same way (no clones,
 * no fail-instead-of-block) take this path; everything else is the model's.
 */
export class EarlyWakeSkipsPageKernel extends Kernel {
  override *zx_vmo_read(
    t: KThread,
    handle: number,
    offset: number,
    length: number,
  ): Syscall<[Status, Uint8Array]> {
    const e = this.handles.entry(handle);
    const vmo = e?.object;
    const plain = vmo instanceof Vmo && vmo.source !== null && vmo.parent === null &&
      (e!.rights & ZX_RIGHT_READ) !== 0 && Number.isInteger(offset) && Number.isInteger(length) &&
      offset >= 0 && length > 0 && offset + length <= vmo.size && !t.failInsteadOfBlock;
    if (!plain) return yield* super.zx_vmo_read(t, handle, offset, length);
    yield { kind: "syscall", name: "zx_vmo_read" };
    this.sink.emit({ k: "call", tid: t.tid, name: "zx_vmo_read", args: [handle, offset, length] });
    const out = new Uint8Array(length);
    let st: Status = ZX_ERR_BAD_HANDLE;
    if (this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ).ok) {
      // Held like the model's read: the VMO cannot die under the reader.
      vmo.inflight++;
      t.held.push(vmo);
      st = yield* this.#read(t, vmo, offset, out);
      t.held.splice(t.held.lastIndexOf(vmo), 1);
      vmo.inflight--;
    }
    this.sink.emit({ k: "ret", tid: t.tid, name: "zx_vmo_read", status: st });
    return [st, out];
  }

  *#read(t: KThread, vmo: Vmo, offset: number, out: Uint8Array): Syscall<Status> {
    const ps = this.pageSize;
    const end = offset + out.length;
    const endPage = Math.ceil(end / ps);
    const source = vmo.source!;
    const w = new Waiter(t.tid);
    w.earlyWake = true;
    const done = (st: Status): Status => {
      if (w.request !== null) source.cancel(w, ZX_OK);
      return st;
    };
    let pos = offset;
    for (;;) {
      if (end > vmo.size) return done(ZX_ERR_OUT_OF_RANGE);
      while (pos < end && vmo.slots[Math.floor(pos / ps)] !== undefined) {
        pos = this.#copy(t, vmo, offset, out, pos);
      }
      if (pos >= end) return done(ZX_OK);
      const p = Math.floor(pos / ps);
      const r = w.request;
      if (r !== null && p >= r.start && p < r.end) source.rewait(w, p);
      else {
        if (r !== null) source.cancel(w, ZX_OK);
        let q = p + 1;
        while (q < endPage && vmo.slots[q] === undefined) q++;
        const st = source.populate(w, "READ", p, q);
        if (st !== ZX_OK) return st;
      }
      const st = yield* this.#park(t, vmo, w);
      if (st !== ZX_OK && st !== ZX_ERR_INTERNAL_INTR_RETRY) return done(st);
      const still = w.request;
      if (st === ZX_OK && still !== null) {
        // The bug: an early wake is taken to mean the rest of the request arrived too.
        const stop = Math.min(end, still.end * ps);
        while (pos < stop) pos = this.#copy(t, vmo, offset, out, pos);
      }
    }
  }

  /** Copies from `pos` to the end of its page (absent pages as zeros); returns the new position. */
  #copy(t: KThread, vmo: Vmo, offset: number, out: Uint8Array, pos: number): number {
    const ps = this.pageSize;
    const p = Math.floor(pos / ps);
    const inPage = pos - p * ps;
    const n = Math.min(offset + out.length - pos, ps - inPage);
    const chunk = out.subarray(pos - offset, pos - offset + n);
    const s = vmo.slots[p];
    if (isPage(s)) chunk.set(s.data.subarray(inPage, inPage + n));
    this.sink.emit({ k: "copy", tid: t.tid, vmo: vmo.koid, offset: pos, bytes: chunk });
    return pos + n;
  }

  /** Parks on the waiter as the model's pager wait does (overtime included). */
  *#park(t: KThread, vmo: Vmo, w: Waiter): Syscall<Status> {
    w.deadline = this.overtimeTicks > 0 ? this.now + this.overtimeTicks : Number.POSITIVE_INFINITY;
    t.waiter = w;
    t.waiterVmo = vmo;
    const wait: Wait = {
      deadline: w.deadline,
      ready: (now) => !w.waiting || now >= w.deadline,
      describe: () => w.describe(vmo.koid),
    };
    this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
    vmo.source!.deliverPending(w);
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
}

/** The kernel variant {@linkcode EarlyWakeSkipsPageKernel}. */
export const earlyWakeSkipsPage: MakeKernel = (options) => new EarlyWakeSkipsPageKernel(options);

/**
 * `supply-overwrites-present`: `zx_pager_supply_pages` does not check the
 * destination slot, so a supply over a page that is already present replaces
 * it, and a page a thread wrote loses the write. Models dropping the "never
 * overwrite" check when the insert loop was rewritten (spec 2.4, K8).
 *
 * Depth 2: a thread must write a page after it was supplied and before a
 * second (duplicate or read-ahead) supply of that page. Caught by
 * `page-state` (K26: bytes changed without a write).
 */
export class SupplyOverwritesPresentKernel extends Kernel {
  override *zx_pager_supply_pages(
    t: KThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status> {
    const call = super.zx_pager_supply_pages(t, pager, pagerVmo, offset, length, auxVmo, auxOffset);
    let r = call.next();
    if (!r.done) yield r.value;
    this.#dropPresent(pager, pagerVmo, offset, length, auxVmo, auxOffset);
    r = call.next();
    while (!r.done) {
      yield r.value;
      r = call.next();
    }
    return r.value;
  }

  /** The bug: present pages in a supply's range are dropped, so the aux pages land on them. */
  #dropPresent(
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): void {
    const ps = this.pageSize;
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO);
    const v = this.handles.get<Vmo>(pagerVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!pg.ok || !v.ok || !a.ok || v.object.pagerKoid !== pg.object.koid) return;
    if (v.object.source === null || v.object.source.detached || a.object.source !== null) return;
    const aligned = [offset, length, auxOffset].every((x) => Number.isInteger(x) && x % ps === 0);
    if (!aligned || offset + length > v.object.size || auxOffset + length > a.object.size) return;
    for (let p = offset / ps; p < (offset + length) / ps; p++) {
      if (isPage(v.object.slots[p])) v.object.slots[p] = undefined;
    }
  }
}

/** The kernel variant {@linkcode SupplyOverwritesPresentKernel}. */
export const supplyOverwritesPresent: MakeKernel = (options) =>
  new SupplyOverwritesPresentKernel(options);
