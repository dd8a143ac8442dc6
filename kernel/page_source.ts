/**
 * Request tracking for one pager-backed VMO: outstanding page requests,
 * coalescing of overlapping ones, resolution by supply, failure by OP_FAIL,
 * cancellation, early wake and detach (spec 3.5-3.8; Zircon's `page_source.cc`).
 *
 * Resolution, early wake and failure follow `PageSource::ResolveRequestsLocked` and
 * `PageSource::EarlyWakeRequestLocked` in `zircon/kernel/vm/page_source.cc` as read at
 * misttech/fuchsia ce4be33a439121c15adace3ee7e2d1b416452679 (audit: docs/audit.md, rows A1-A6).
 *
 * It knows nothing about ports: packets are the {@linkcode RequestProvider}'s job.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
} from "./constants.ts";
import { assert } from "./assert.ts";
import type { EventSink } from "./events.ts";

/** Request types. Level 1 uses READ only; DIRTY shares the FIFO at level 2. */
export type RequestType = "READ" | "DIRTY";

/** Where the provider delivers requests (the pager proxy). */
export interface RequestProvider {
  /**
   * A new request to deliver, in creation order.
   *
   * @calledWhen `PageSource.populate`, for a new request.
   * @must as `PagerProxy.send`, which is the model's provider.
   * @asserts as `PagerProxy.send`.
   */
  send(request: PageRequest): void;
  /**
   * The request is gone (resolved, failed or cancelled): withdraw its packet if unread.
   *
   * @calledWhen `PageSource`, whenever a request leaves its outstanding list.
   * @must as `PagerProxy.withdraw`.
   * @asserts as `PagerProxy.withdraw`.
   */
  withdraw(request: PageRequest): void;
  /**
   * `to` replaces `from` (the first overlap waiter inherits a cancelled request): no new packet.
   *
   * @calledWhen `PageSource.cancel`, when an overlap waiter inherits the request.
   * @must as `PagerProxy.swap`.
   * @asserts nothing.
   */
  swap(from: PageRequest, to: PageRequest): void;
}

/** One thread's wait on a page request. */
export class Waiter {
  /** The request this waiter is attached to, while it is outstanding. */
  request: PageRequest | null = null;
  /** First page of this waiter's own range (a primary's equals its request's start). */
  start = 0;
  /** One past the last page of this waiter's own range. */
  end = 0;
  /** Reads ask to wake as soon as the page they need arrives. */
  earlyWake = false;
  /**
   * The page an early-wake reader waits for (Zircon's `wake_offset_`, kept absolute). After an
   * early wake it moves past the resolved range, as upstream's does, until the reader re-waits.
   */
  wakePage = 0;
  /**
   * A wake signalled while the thread was not parked (it was woken and has not re-waited yet):
   * Zircon's `AutounsignalEvent` keeps the first such status and the next wait on the same
   * request returns it at once (`kernel/event.cc`). Null: nothing pending.
   */
  pendingSignal: Status | null = null;
  /** Parked: the thread may not run until woken or timed out. */
  waiting = false;
  /** Status of the last wake: ZX_OK means "retry the lookup". */
  status: Status = ZX_OK;
  /** An OP_FAIL error recorded for this waiter, delivered when it wakes. */
  error: Status = ZX_OK;
  /** Virtual tick at which the overtime timeout fires. */
  deadline: number = Number.POSITIVE_INFINITY;
  /**
   * A suspend interrupts this wait (ZX_ERR_INTERNAL_INTR_RETRY). False for the page-fault wait
   * of a kernel usercopy, which holds the suspend off until the request resolves:
   * `VmAspace::PageFaultInternal` waits with `suspendable = flags & VMM_PF_FLAG_USER` and
   * `PagerProxy::WaitOnEvent` masks `THREAD_SIGNAL_SUSPEND` for such a wait
   * (zircon/kernel/vm/vm_aspace.cc @ misttech/fuchsia 733295f0,
   * zircon/kernel/object/pager_proxy.cc @ misttech/fuchsia 9c03ce9a). Audit rows U1-U3 (docs/audit.md).
   */
  suspendable = true;

  /** A wait of thread `tid`, on no request yet. */ constructor(readonly tid: number) {}

  /** Describes what this waiter waits on, for hang reports. */
  describe(vmoKoid: number): string {
    const r = this.request;
    return r === null
      ? `vmo ${vmoKoid}: nothing`
      : `vmo ${vmoKoid}: ${r.type} request #${r.id} pages [${r.start},${r.end})` +
        (this.earlyWake ? ` at page ${this.wakePage}` : "");
  }
}

/** An outstanding request: a page range and the threads waiting on it. */
export class PageRequest {
  /** Pages of the range not yet resolved (a count, not a set: spec 3.6). */
  pending: number;
  /** The waiter that created the request (or inherited it). */
  primary: Waiter | null;
  /** Waiters whose own requests coalesced into this one. */
  overlap: Waiter[] = [];

  /** Request `id` for pages `[start, end)`, raised by `primary`'s wait. */ constructor(
    readonly id: number,
    readonly type: RequestType,
    readonly start: number,
    readonly end: number,
    primary: Waiter | null,
  ) {
    assert(start < end, () => `empty request [${start},${end})`);
    this.pending = end - start;
    this.primary = primary;
  }

  /** Every attached waiter, primary first. */
  waiters(): Waiter[] {
    return this.primary === null ? [...this.overlap] : [this.primary, ...this.overlap];
  }
}

/**
 * Request tracking for one VMO. A kernel variant subclasses it and returns an instance from
 * `Kernel.createPageSource` (docs/kernel_variants.md lists every method with when the kernel
 * calls it, what it must do and what the model asserts).
 */
export class PageSource {
  /** No new requests once detached (detach, pager close or VMO death). */
  detached = false;
  #outstanding: Record<RequestType, PageRequest[]> = { READ: [], DIRTY: [] };

  /**
   * VMO `vmoKoid`'s tracking, sending requests to `provider`, ids from `nextId`.
   *
   * @calledWhen `Kernel.createPageSource(vmoKoid, proxy)` builds one per pager VMO, in
   * `zx_pager_create_vmo`, after `createPagerProxy` built its proxy.
   * @must `provider` is the VMO's `PagerProxy`; `sink` the kernel's trace (`this.sink` of the
   * kernel); `nextId` a function returning the next request id: pass the model's
   * (`super.createPageSource(vmoKoid, proxy).nextId`), which counts for the whole kernel, so ids
   * stay unique and in creation order across VMOs (K4).
   * @asserts nothing here.
   */
  constructor(
    readonly vmoKoid: number,
    readonly provider: RequestProvider,
    readonly sink: EventSink,
    readonly nextId: () => number,
  ) {}

  /**
   * Outstanding requests of one type, sorted by start (pairwise disjoint: K1).
   *
   * @calledWhen read-only: the program runner's lifetime check, kernel-state signatures and
   * exploration's state hash read it after a step; the model's own steps do not call it.
   * @must return the live list, in start order, without changing anything.
   * @asserts nothing; a checker judges the requests from the trace events, not from this list.
   */
  outstanding(type: RequestType): readonly PageRequest[] {
    return this.#outstanding[type];
  }

  /**
   * Parks `waiter` on pages `[start, end)`: coalesces with an outstanding
   * request covering `start`, or sends a new request trimmed at the next
   * outstanding one (spec 3.5). BAD_STATE once detached.
   *
   * @calledWhen `VmoPages.requestPages` (a read, write, commit, pin or fault found pages absent:
   * `READ`, or clean on a trap-dirty VMO: `DIRTY`), with the thread's fresh `waiter`; then
   * `VmoPages.park` blocks the thread unless it returned an error.
   * @must attach `waiter` to exactly one request and set `waiter.request`, `start`, `end`,
   * `wakePage` and `waiting = true`; emit `coalesce` (joined) or `request` (new), and call
   * `provider.send` for a new request only; return ZX_OK, or ZX_ERR_BAD_STATE (nothing attached)
   * once detached.
   * @asserts before: the waiter waits on no request and `start < end`; after: the outstanding
   * requests of the type are pairwise disjoint (K1: `KernelAssertionError`).
   */
  populate(waiter: Waiter, type: RequestType, start: number, end: number): Status {
    assert(waiter.request === null, () => `t${waiter.tid} already waits on a request`);
    assert(start < end, () => `populate of empty range [${start},${end})`);
    if (this.detached) return ZX_ERR_BAD_STATE;
    const list = this.#outstanding[type];
    let i = 0;
    while (i < list.length && list[i].end <= start) i++;
    const next = list[i];
    waiter.error = ZX_OK;
    waiter.status = ZX_OK;
    // A fresh request starts unsignalled (`PageRequest::Init` unsignals the event).
    waiter.pendingSignal = null;
    if (next !== undefined && next.start <= start) {
      waiter.start = start;
      waiter.end = Math.min(end, next.end);
      waiter.wakePage = start;
      waiter.request = next;
      next.overlap.push(waiter);
      this.sink.emit({ k: "coalesce", vmo: this.vmoKoid, id: next.id, tid: waiter.tid });
    } else {
      const trimmed = next !== undefined && next.start < end ? next.start : end;
      const request = new PageRequest(this.nextId(), type, start, trimmed, waiter);
      waiter.start = start;
      waiter.end = trimmed;
      waiter.wakePage = start;
      waiter.request = request;
      list.splice(i, 0, request);
      this.sink.emit({
        k: "request",
        vmo: this.vmoKoid,
        id: request.id,
        type,
        start,
        end: trimmed,
        tid: waiter.tid,
      });
      this.provider.send(request);
    }
    waiter.waiting = true;
    this.#checkDisjoint(type);
    return ZX_OK;
  }

  /**
   * Parks an early-wake reader again on the request it already holds, waiting for `page`
   * (`PopulateRequest`'s `SameRequest` continuation). A wake signalled since the last one
   * (see {@linkcode Waiter.pendingSignal}) is delivered by {@linkcode deliverPending} once the
   * thread has blocked: the wait then returns at once.
   *
   * @calledWhen `VmoPages.access` (a read's copy loop), when an early-wake reader woken for an
   * earlier page needs a later page of the same request.
   * @must set `waiter.wakePage = page`, `status = ZX_OK`, `waiting = true`; no trace event.
   * @asserts before: `page` lies in the waiter's request and the waiter is early-wake.
   */
  rewait(waiter: Waiter, page: number): void {
    const r = waiter.request;
    assert(r !== null && page >= r.start && page < r.end, () => `rewait outside request`);
    assert(waiter.earlyWake, () => `rewait of a non-early-wake waiter`);
    waiter.wakePage = page;
    waiter.status = ZX_OK;
    waiter.waiting = true;
  }

  /**
   * The thread blocked on `waiter`: a signal kept while it ran wakes it now (`event.cc`).
   *
   * @calledWhen `VmoPages.park`, right after the `block` event, before the thread yields.
   * @must if `waiter.pendingSignal` is set and the waiter is parked, clear it and wake the waiter
   * with that status (a `wake` event).
   * @asserts a woken waiter was waiting ("woken twice" otherwise).
   */
  deliverPending(waiter: Waiter): void {
    const pending = waiter.pendingSignal;
    if (pending === null || !waiter.waiting) return;
    waiter.pendingSignal = null;
    this.#wake(waiter, pending, "pending-signal");
  }

  /**
   * Detaches a waiter without cancelling its request (fail-instead-of-block callers).
   *
   * @calledWhen `VmoPages.access`, `commit` and `pin` on a fail-instead-of-block thread, right
   * after `populate` raised or joined its request: the call returns ZX_ERR_SHOULD_WAIT instead of
   * parking.
   * @must remove the waiter from its request (primary or overlap), leave the request
   * outstanding, clear `waiter.request` and `waiting`; no trace event.
   * @asserts nothing.
   */
  release(waiter: Waiter): void {
    const r = waiter.request;
    if (r === null) return;
    if (r.primary === waiter) r.primary = null;
    else r.overlap = r.overlap.filter((w) => w !== waiter);
    waiter.request = null;
    waiter.waiting = false;
  }

  /**
   * Pages `[start, end)` were newly filled by a supply: counts them against
   * overlapping READ requests, wakes early-wake readers, completes requests
   * that reach zero (spec 3.6, 3.8).
   *
   * @calledWhen `VmoPages.insertSupplied` (`zx_pager_supply_pages`), once per run of pages the
   * supply newly filled: pages already present are not counted.
   * @must count the range against the overlapping READ requests; early-wake readers whose page
   * arrived; complete each request whose count reaches zero (`resolve` event,
   * `provider.withdraw`, every waiter woken with its status).
   * @asserts after: READ requests pairwise disjoint (K1); a wake of a waiter that is not parked
   * and an early wake off the primary's wake page are `KernelAssertionError`s.
   */
  onPagesSupplied(start: number, end: number): void {
    this.#resolve("READ", start, end, ZX_OK);
  }

  /**
   * Pages `[start, end)` were dirtied by OP_DIRTY, or DIRTY requests there are
   * resolved spuriously (OP_DIRTY failing with NOT_FOUND or OUT_OF_RANGE, shrink):
   * the same counting as supplies (spec 2.5.2, 3.6).
   *
   * @calledWhen `VmoPages.dirty` (`ZX_PAGER_OP_DIRTY`), once per run of pages it made Dirty;
   * on an error past its range check, over the in-range part (`InvalidateDirtyRequestsLocked`).
   * @must what `onPagesSupplied` does, for DIRTY requests.
   * @asserts as `onPagesSupplied`, for DIRTY requests.
   */
  onPagesDirtied(start: number, end: number): void {
    this.#resolve("DIRTY", start, end, ZX_OK);
  }

  /**
   * Requests of `type` over `[start, end)` are resolved spuriously: the pages
   * were cut by a shrink or zeroed by `ZX_VMO_OP_ZERO` (spec 2.8.3, 3.6).
   *
   * @calledWhen `VmoPages.resize` (a shrink: READ and DIRTY over the cut pages) and
   * `VmoPages.zero` (READ over the pages it turned into a zero interval), while attached.
   * @must what `onPagesSupplied` does, for requests of `type`: the waiters retry and find the
   * pages gone or zero.
   * @asserts as `onPagesSupplied`.
   */
  onPagesInvalidated(type: RequestType, start: number, end: number): void {
    this.#resolve(type, start, end, ZX_OK);
  }

  /**
   * OP_FAIL over `[start, end)` with `error` (`PageSource::OnPagesFailed`: READ and DIRTY).
   *
   * @calledWhen `VmoPages.pagerOp` (`zx_pager_op_range(ZX_PAGER_OP_FAIL)` on an attached VMO,
   * past its argument checks), with `error` the pager's status (ZX_ERR_IO, ZX_ERR_IO_DATA_INTEGRITY,
   * ZX_ERR_BAD_STATE, ZX_ERR_NO_SPACE or ZX_ERR_NO_MEMORY); also for an empty range.
   * @must record `error` on each waiter whose own first page (or early-wake page) the range
   * starts at, count the range against READ and DIRTY requests as a supply does, and complete
   * the requests that reach zero: the recorded waiters wake with `error`, the others ZX_OK
   * (syscall-contract K14/K14w judge the status a call returns).
   * @asserts as `onPagesSupplied`, for READ and DIRTY requests.
   */
  onPagesFailed(start: number, end: number, error: Status): void {
    this.#resolve("READ", start, end, error);
    this.#resolve("DIRTY", start, end, error);
  }

  /**
   * Cancels a waiter whose thread was suspended, killed or timed out. If it was
   * the primary and others coalesced into its request, the first of them
   * inherits the request with the same range and no new packet (3.5).
   *
   * @calledWhen `VmoPages.park` (overtime: ZX_ERR_TIMED_OUT), `VmoPages.interrupt` (suspend or
   * kill: ZX_ERR_INTERNAL_INTR_RETRY or _KILLED) and a call that stops waiting with its request
   * still outstanding (ZX_OK).
   * @must detach the waiter (`waiting = false`, `status = why`); if it was the primary, give the
   * request to the first overlap waiter (`provider.swap(old, inherited)`, no packet, no event),
   * or, with none, drop the request (`resolve` event with how "cancel", `provider.withdraw`).
   * @asserts before: `why` is one of those four; the cancelled primary's request is outstanding.
   */
  cancel(waiter: Waiter, why: Status): void {
    assert(
      why === ZX_ERR_INTERNAL_INTR_RETRY || why === ZX_ERR_INTERNAL_INTR_KILLED ||
        why === ZX_ERR_TIMED_OUT || why === ZX_OK,
      () => `cancel with ${why}`,
    );
    const r = waiter.request;
    waiter.waiting = false;
    waiter.status = why;
    waiter.pendingSignal = null;
    if (r === null) return;
    waiter.request = null;
    if (r.primary !== waiter) {
      r.overlap = r.overlap.filter((w) => w !== waiter);
      return;
    }
    const list = this.#outstanding[r.type];
    const i = list.indexOf(r);
    assert(i >= 0, () => `request #${r.id} not outstanding`);
    const heir = r.overlap.shift();
    if (heir === undefined) {
      list.splice(i, 1);
      r.primary = null;
      this.sink.emit({ k: "resolve", vmo: this.vmoKoid, id: r.id, status: why, how: "cancel" });
      this.provider.withdraw(r);
      return;
    }
    // `CancelRequestLocked` gives the heir the request's offset, length and pending count but
    // keeps the heir's own request-relative `wake_offset_`, so its wake page moves with the base.
    if (heir.earlyWake) heir.wakePage = r.start + (heir.wakePage - heir.start);
    heir.start = r.start;
    heir.end = r.end;
    const inherited = new PageRequest(r.id, r.type, r.start, r.end, heir);
    inherited.pending = r.pending;
    inherited.overlap = r.overlap;
    for (const w of inherited.waiters()) w.request = inherited;
    list[i] = inherited;
    this.provider.swap(r, inherited);
  }

  /**
   * Detach (or pager close, or VMO death): every outstanding request completes
   * (`PageSource::Detach`); woken threads retry and now get BAD_STATE (spec 2.3), except a
   * waiter an earlier OP_FAIL hit, which gets that error (audit row A5).
   *
   * @calledWhen `VmoPages.detach` (`zx_pager_detach_vmo` through `Kernel.detachVmo`, or the VMO's
   * last handle closing), before it calls `PagerProxy.complete`; the kernel's pager close (last
   * pager handle), before `PagerProxy.close`. A second call is a no-op.
   * @must set `detached` (later `populate`s return ZX_ERR_BAD_STATE, supplies and OP_FAILs are
   * refused by `VmoPages`) and complete every outstanding request (`resolve` event with how
   * "detach", `provider.withdraw`, waiters woken): packet-discipline K6 judges at the `detach`
   * event that no request outlives it and no unread packet of the VMO is left in the port.
   * @asserts as `onPagesSupplied`'s completion: each request is outstanding, each woken waiter
   * was parked.
   */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    for (const type of ["READ", "DIRTY"] as const) {
      for (const r of [...this.#outstanding[type]]) this.#complete(r, "detach");
    }
  }

  /**
   * Describes outstanding requests, for traces and hang reports.
   *
   * @calledWhen hang reports and test diagnostics; the K1 assertion's message.
   * @must return text only, changing nothing.
   * @asserts nothing.
   */
  describe(): string {
    return [...this.#outstanding.READ, ...this.#outstanding.DIRTY]
      .map((r) => `${r.type}#${r.id}[${r.start},${r.end}) pending ${r.pending}`)
      .join(", ");
  }

  /**
   * `PageSource::ResolveRequestsLocked`: count `[start, end)` against every overlapping request
   * of `type`. With an error, the primary is failed when the range reaches its first page
   * (`req_offset == 0`) or starts exactly at its wake page (`req_offset == wake_offset_`), and
   * each overlap waiter the range overlaps by the same test against its own start and wake
   * page. A request not yet complete is early-woken only when the range starts exactly at the
   * primary's wake page; overlap waiters are woken only from there ({@linkcode #earlyWake}).
   */
  #resolve(type: RequestType, start: number, end: number, error: Status): void {
    const list = this.#outstanding[type];
    for (const r of [...list]) {
      if (r.end <= start || r.start >= end) continue;
      const lo = Math.max(start, r.start);
      const hi = Math.min(end, r.end);
      const p = r.primary;
      if (error !== ZX_OK) {
        if (p !== null && (lo === r.start || (p.earlyWake && lo === p.wakePage))) p.error = error;
        for (const o of r.overlap) {
          if (end <= o.start || start >= o.end) continue;
          const os = Math.max(start, o.start);
          if (os === o.start || (o.earlyWake && os === o.wakePage)) o.error = error;
        }
      }
      const fulfilled = hi - lo;
      if (fulfilled < r.pending) {
        // A commit or fault primary has no wake offset (UINT64_MAX upstream): never early-woken.
        if (p !== null && p.earlyWake && lo === p.wakePage) this.#earlyWake(r, lo, hi);
        r.pending -= fulfilled;
      } else {
        r.pending = 0;
        this.#complete(r, "complete");
      }
    }
    this.#checkDisjoint(type);
  }

  /**
   * `PageSource::EarlyWakeRequestLocked`: `[lo, hi)` was resolved starting at the primary's
   * wake page. The primary wakes (with its recorded status) and its wake page moves to `hi`.
   * An early-wake overlap waiter wakes if the range starts past its wake page (pages were not
   * supplied in order; its wake page is then pushed out of reach) or if the range covers its
   * wake page (which moves to the end of the covered part). A failed reader stays attached to
   * its request; its syscall cancels the request when it returns, as Zircon's does.
   */
  #earlyWake(r: PageRequest, lo: number, hi: number): void {
    const p = r.primary;
    assert(p !== null && p.wakePage === lo, () => `early wake of #${r.id} off its wake page`);
    p.wakePage = hi;
    this.#signal(p, p.error);
    for (const o of r.overlap) {
      if (!o.earlyWake) continue;
      if (lo > o.start && lo > o.wakePage) {
        o.wakePage = o.start + (r.end - r.start);
        this.#signal(o, o.error);
        continue;
      }
      if (hi <= o.start || lo >= o.end) continue;
      const os = Math.max(lo, o.start);
      const oe = Math.min(hi, o.end);
      if (os <= o.wakePage && oe > o.wakePage) {
        o.wakePage = oe;
        this.#signal(o, o.error);
      }
    }
  }

  /** Signals a waiter's event: wakes it if parked, else keeps the first pending status. */
  #signal(w: Waiter, status: Status): void {
    if (w.waiting) this.#wake(w, status, "early-wake");
    else if (w.pendingSignal === null) w.pendingSignal = status;
  }

  #complete(r: PageRequest, how: "complete" | "detach"): void {
    const list = this.#outstanding[r.type];
    const i = list.indexOf(r);
    assert(i >= 0, () => `completing request #${r.id} that is not outstanding`);
    list.splice(i, 1);
    this.sink.emit({ k: "resolve", vmo: this.vmoKoid, id: r.id, status: ZX_OK, how });
    this.provider.withdraw(r);
    for (const w of r.waiters()) {
      w.request = null;
      // CompleteRequestLocked signals each waiter with its complete_status_, on detach too: a
      // waiter an OP_FAIL already hit gets that error, the others ZX_OK (and then BAD_STATE).
      if (w.waiting) this.#wake(w, w.error, how);
    }
    r.primary = null;
    r.overlap = [];
  }

  #wake(w: Waiter, status: Status, why: string): void {
    assert(w.waiting, () => `t${w.tid} woken twice`);
    w.waiting = false;
    w.status = status;
    this.sink.emit({ k: "wake", tid: w.tid, status, why });
  }

  #checkDisjoint(type: RequestType): void {
    const list = this.#outstanding[type];
    for (let i = 1; i < list.length; i++) {
      assert(
        list[i - 1].end <= list[i].start,
        () => `K1: outstanding ${type} requests overlap: ${this.describe()}`,
      );
    }
  }
}
