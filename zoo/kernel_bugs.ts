/**
 * Kernel bugs a pager change could introduce, each a variant of the model
 * that plugs in through the kernel's seams (`makeKernel`, and the
 * `createPageSource` / `createPagerProxy` / `createPages` factories of
 * {@linkcode Kernel}) and overrides one step: production code carries no
 * flags for them, and no variant copies a path of the model. Each doc comment says what real
 * mistake the variant models, how deep an interleaving exposes it, and which
 * checker catches it.
 *
 * @module
 */

import {
  type Status,
  ZX_OK,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
} from "../kernel/constants.ts";
import type { EventSink, PagePacket } from "../kernel/events.ts";
import { Kernel, type KernelOptions, type Syscall } from "../kernel/kernel.ts";
import type { KThread, Page, Slot, Vmo } from "../kernel/objects.ts";
import {
  type PageRequest,
  PageSource,
  type RequestProvider,
  type RequestType,
  Waiter,
} from "../kernel/page_source.ts";
import { PagerProxy } from "../kernel/pager_proxy.ts";
import { sourceOf, VmoPages } from "../kernel/vmo_pages.ts";
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
 * outstanding. Caught by `syscall-contract` (`early-wake`: the supply filled the page a parked
 * reader waits for and it was not woken); before that rule, by `no-lost-requests` (the hang).
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

/** A kernel whose page machinery is `Pages` (a variant that overrides one of its steps). */
function withPages(Pages: new (host: Kernel) => VmoPages): new (options?: KernelOptions) => Kernel {
  return class extends Kernel {
    protected override createPages(): VmoPages {
      return new Pages(this);
    }
  };
}

/**
 * The page lookup of {@linkcode EarlyWakeSkipsPageKernel}: after an early
 * wake, a page of the reader's still-outstanding request reads as present
 * (zeros) whether or not it arrived.
 */
export class EarlyWakeSkipsPagePages extends VmoPages {
  protected override touch(
    tgt: Vmo,
    q: number,
    write: boolean,
    w: Waiter | null,
  ): Slot | RequestType {
    const r = w?.request;
    const early = !write && w !== null && w.earlyWake && !w.waiting && w.status === ZX_OK &&
      r !== null && r !== undefined && q >= r.start && q < r.end;
    // The bug: an early wake is taken to mean the rest of the request arrived too.
    if (early && tgt.parent === null && tgt.source !== null && tgt.slots[q] === undefined) {
      return undefined;
    }
    return super.touch(tgt, q, write, w);
  }
}

/**
 * `early-wake-skips-page`: `zx_vmo_read` on a pager VMO with an early-wake
 * bug: after being woken early (the page it waited for arrived, the request
 * is still outstanding), the reader treats every page up to the end of its
 * request as supplied and copies them, so pages the pager has not supplied
 * yet read as zeros. Models trusting the wake instead of re-running the
 * lookup after every wake (spec 3.6, 3.8). One step overridden: the page
 * lookup ({@linkcode EarlyWakeSkipsPagePages}).
 *
 * Depth 1: a supply must cover the reader's next page but not the rest of
 * its request (out-of-order or page-by-page supply, or a read-ahead from
 * another request). Caught by `data-integrity`.
 */
export class EarlyWakeSkipsPageKernel extends withPages(EarlyWakeSkipsPagePages) {}

/** The kernel variant {@linkcode EarlyWakeSkipsPageKernel}. */
export const earlyWakeSkipsPage: MakeKernel = (options) => new EarlyWakeSkipsPageKernel(options);

/**
 * The supply insert of {@linkcode SupplyOverwritesPresentKernel}: present
 * pages in the range are dropped first, so the supplied pages land on them.
 */
export class SupplyOverwritesPresentPages extends VmoPages {
  protected override *insertSupplied(
    t: KThread,
    vmo: Vmo,
    base: number,
    pages: readonly (Page | undefined)[],
  ): Syscall<Status> {
    // The bug: the "never overwrite" check is gone.
    if (!sourceOf(vmo).detached) {
      for (let p = base; p < base + pages.length; p++) {
        if (isPage(vmo.slots[p])) vmo.slots[p] = undefined;
      }
    }
    return yield* super.insertSupplied(t, vmo, base, pages);
  }
}

/**
 * `supply-overwrites-present`: `zx_pager_supply_pages` does not check the
 * destination slot, so a supply over a page that is already present replaces
 * it, and a page a thread wrote loses the write. Models dropping the "never
 * overwrite" check when the insert loop was rewritten (spec 2.4, K8). One
 * step overridden: the supply insert ({@linkcode SupplyOverwritesPresentPages}).
 *
 * Depth 2: a thread must write a page after it was supplied and before a
 * second (duplicate or read-ahead) supply of that page. Caught by
 * `page-state` (K26: bytes changed without a write).
 */
export class SupplyOverwritesPresentKernel extends withPages(SupplyOverwritesPresentPages) {}

/** The kernel variant {@linkcode SupplyOverwritesPresentKernel}. */
export const supplyOverwritesPresent: MakeKernel = (options) =>
  new SupplyOverwritesPresentKernel(options);
