/**
 * Unit tests of request tracking (spec 3.5-3.8, 2.3): coalescing and
 * trimming, pending counts, early wake, OP_FAIL's first-page/wake-page rules,
 * cancellation with overlap waiters, and detach. Driven through a recording
 * provider, with no port and no kernel.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_IO,
  ZX_ERR_NO_SPACE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
} from "./constants.ts";
import { KernelAssertionError } from "./assert.ts";
import { NULL_SINK } from "./events.ts";
import { type PageRequest, PageSource, type RequestProvider, Waiter } from "./page_source.ts";

/** Records what the page source asks of its provider. */
class RecordingProvider implements RequestProvider {
  readonly log: string[] = [];
  send(r: PageRequest): void {
    this.log.push(`send #${r.id} [${r.start},${r.end})`);
  }
  withdraw(r: PageRequest): void {
    this.log.push(`withdraw #${r.id}`);
  }
  swap(from: PageRequest, to: PageRequest): void {
    this.log.push(`swap #${from.id} -> #${to.id} [${to.start},${to.end})`);
  }
  take(): string[] {
    return this.log.splice(0);
  }
}

function setup(): { src: PageSource; p: RecordingProvider } {
  const p = new RecordingProvider();
  let id = 0;
  return { src: new PageSource(1, p, NULL_SINK, () => ++id), p };
}

let nextTid = 1;
function waiter(earlyWake = false): Waiter {
  const w = new Waiter(nextTid++);
  w.earlyWake = earlyWake;
  return w;
}

/** Outstanding READ requests as `#id[start,end) pending n`. */
function reads(src: PageSource): string[] {
  return src.outstanding("READ").map((r) => `#${r.id}[${r.start},${r.end}) pending ${r.pending}`);
}

/**
 * The set-up of the cases where a supply or an OP_FAIL lands at, before or past an early-wake
 * reader's wake page: reader `r` of READ [0, 4) (request #1), woken early by page 0's supply and
 * waiting again at page 1, the provider's log taken. With `overlap`, a non-early-wake waiter `o`
 * of that range joins the request as its overlap waiter before the supply.
 */
function readerAtPage1(overlap?: { start: number; end: number }): {
  src: PageSource;
  p: RecordingProvider;
  r: Waiter;
  o: Waiter | null;
} {
  const { src, p } = setup();
  const r = waiter(true);
  const o = overlap !== undefined ? waiter(false) : null;
  src.populate(r, "READ", 0, 4);
  if (o !== null && overlap !== undefined) src.populate(o, "READ", overlap.start, overlap.end);
  src.onPagesSupplied(0, 1);
  src.rewait(r, 1);
  p.take();
  return { src, p, r, o };
}

// ---------------------------------------------------------------- coalescing (3.5)

Deno.test("coalescing: a request covering the start absorbs the new one, no packet", () => {
  const { src, p } = setup();
  const a = waiter();
  const b = waiter();
  assert.equal(src.populate(a, "READ", 2, 5), ZX_OK);
  assert.deepEqual(p.take(), ["send #1 [2,5)"]);
  assert.equal(src.populate(b, "READ", 3, 8), ZX_OK);
  assert.deepEqual(p.take(), []);
  assert.equal(b.request, a.request);
  assert.deepEqual([b.start, b.end], [3, 5], "the overlap waiter is trimmed at R's end");
  assert.deepEqual(a.request?.overlap, [b]);
  assert.equal(b.waiting, true);
});

Deno.test("coalescing: a request starting exactly at R.start coalesces", () => {
  const { src, p } = setup();
  const a = waiter();
  const b = waiter();
  src.populate(a, "READ", 2, 5);
  p.take();
  src.populate(b, "READ", 2, 3);
  assert.deepEqual(p.take(), []);
  assert.deepEqual([b.start, b.end], [2, 3]);
});

Deno.test("coalescing: a new request is trimmed at the next outstanding request", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 4, 6);
  p.take();
  const b = waiter();
  src.populate(b, "READ", 1, 9);
  assert.deepEqual(p.take(), ["send #2 [1,4)"]);
  assert.deepEqual([b.start, b.end], [1, 4]);
  assert.deepEqual(reads(src), ["#2[1,4) pending 3", "#1[4,6) pending 2"]);
});

Deno.test("coalescing: a request ending exactly at the next start is sent unchanged", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 4, 6);
  p.take();
  src.populate(waiter(), "READ", 2, 4);
  assert.deepEqual(p.take(), ["send #2 [2,4)"]);
});

Deno.test("coalescing: a request starting at R.end does not coalesce with R", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 0, 2);
  p.take();
  const b = waiter();
  src.populate(b, "READ", 2, 3);
  assert.deepEqual(p.take(), ["send #2 [2,3)"]);
  assert.equal(b.request?.primary, b);
});

Deno.test("coalescing: trimming picks the request with the smallest end above start", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 0, 2);
  src.populate(waiter(), "READ", 6, 8);
  src.populate(waiter(), "READ", 10, 12);
  p.take();
  const b = waiter();
  src.populate(b, "READ", 3, 11);
  assert.deepEqual(p.take(), ["send #4 [3,6)"]);
  assert.deepEqual(reads(src).map((s) => s.split(" ")[0]), [
    "#1[0,2)",
    "#4[3,6)",
    "#2[6,8)",
    "#3[10,12)",
  ]);
});

Deno.test("coalescing: READ and DIRTY requests are tracked independently", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 0, 4);
  src.populate(waiter(), "DIRTY", 1, 3);
  assert.deepEqual(p.take(), ["send #1 [0,4)", "send #2 [1,3)"]);
  assert.equal(src.outstanding("DIRTY").length, 1);
});

Deno.test("populate refuses a waiter that already waits and an empty range", () => {
  const { src } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 1);
  assert.throws(() => src.populate(a, "READ", 2, 3), KernelAssertionError);
  assert.throws(() => src.populate(waiter(), "READ", 3, 3), KernelAssertionError);
});

// ---------------------------------------------------------------- pending counts (3.6)

Deno.test("pending: a partial supply lowers the count and keeps a commit waiter parked", () => {
  const { src, p } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 4);
  p.take();
  src.onPagesSupplied(1, 2);
  assert.deepEqual(reads(src), ["#1[0,4) pending 3"]);
  assert.equal(a.waiting, true);
  assert.deepEqual(p.take(), []);
  src.onPagesSupplied(0, 1);
  src.onPagesSupplied(2, 4);
  assert.deepEqual(reads(src), []);
  assert.equal(a.waiting, false);
  assert.equal(a.status, ZX_OK);
  assert.equal(a.request, null);
  assert.deepEqual(p.take(), ["withdraw #1"], "a completed request's packet is withdrawn");
});

Deno.test("pending: a supply spanning two requests counts against both", () => {
  const { src } = setup();
  const a = waiter();
  const b = waiter();
  src.populate(a, "READ", 0, 2);
  src.populate(b, "READ", 2, 6);
  src.onPagesSupplied(1, 4);
  assert.deepEqual(reads(src), ["#1[0,2) pending 1", "#2[2,6) pending 2"]);
  src.onPagesSupplied(0, 1);
  assert.equal(a.waiting, false);
  assert.equal(b.waiting, true);
});

Deno.test("pending: a supply outside every request changes nothing", () => {
  const { src, p } = setup();
  src.populate(waiter(), "READ", 2, 4);
  p.take();
  src.onPagesSupplied(0, 2);
  src.onPagesSupplied(4, 9);
  assert.deepEqual(reads(src), ["#1[2,4) pending 2"]);
  assert.deepEqual(p.take(), []);
});

Deno.test("pending: only counts are kept, so supplying one page twice completes early", () => {
  const { src } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 2);
  src.onPagesSupplied(0, 1);
  src.onPagesSupplied(0, 1);
  assert.equal(a.waiting, false, "spurious completion (3.6): the waiter retries");
  assert.equal(a.status, ZX_OK);
});

Deno.test("pending: completion wakes the primary and every overlap waiter", () => {
  const { src } = setup();
  const a = waiter();
  const b = waiter();
  const c = waiter();
  src.populate(a, "READ", 0, 3);
  src.populate(b, "READ", 1, 2);
  src.populate(c, "READ", 2, 5);
  src.onPagesSupplied(0, 3);
  for (const w of [a, b, c]) {
    assert.equal(w.waiting, false);
    assert.equal(w.status, ZX_OK);
    assert.equal(w.request, null);
  }
});

// ---------------------------------------------------------------- early wake (3.8)

Deno.test("early wake: the reader wakes when its page arrives; the request stays", () => {
  const { src, p } = setup();
  const r = waiter(true);
  src.populate(r, "READ", 0, 4);
  p.take();
  src.onPagesSupplied(1, 2);
  assert.equal(r.waiting, true, "page 1 is not the page the reader waits for");
  src.onPagesSupplied(0, 1);
  assert.equal(r.waiting, false);
  assert.equal(r.status, ZX_OK);
  assert.equal(r.request?.id, 1);
  assert.deepEqual(reads(src), ["#1[0,4) pending 2"]);
  assert.deepEqual(p.take(), [], "no packet is withdrawn or sent");
  src.rewait(r, 2);
  assert.equal(r.waiting, true);
  src.onPagesSupplied(2, 4);
  assert.equal(r.waiting, false);
  assert.equal(r.request, null);
  assert.deepEqual(p.take(), ["withdraw #1"]);
});

Deno.test("early wake: a commit waiter (no early wake) sleeps until the whole request", () => {
  const { src } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 0, 3);
  src.onPagesSupplied(0, 1);
  assert.equal(c.waiting, true);
});

// ResolveRequestsLocked calls EarlyWakeRequestLocked only when the resolved range starts at the
// primary's wake_offset_, which is UINT64_MAX for a request without early wake
// (page_source.cc / page_source.h @ misttech/fuchsia ce4be33a / 01ae4fc3).
Deno.test("early wake: an overlap reader under a commit's request is not early-woken", () => {
  const { src } = setup();
  const a = waiter(false);
  const r = waiter(true);
  src.populate(a, "READ", 0, 4);
  src.populate(r, "READ", 2, 4);
  src.onPagesSupplied(2, 3);
  assert.equal(r.waiting, true, "its page arrived, but only the whole request wakes it");
  assert.equal(a.waiting, true);
  src.onPagesSupplied(0, 2);
  src.onPagesSupplied(3, 4);
  assert.equal(r.waiting, false);
  assert.equal(r.status, ZX_OK);
});

Deno.test("early wake: rewait outside the request is a model bug", () => {
  const { src } = setup();
  const r = waiter(true);
  src.populate(r, "READ", 0, 2);
  assert.throws(() => src.rewait(r, 2), KernelAssertionError);
});

// PageSource::EarlyWakeRequestLocked (page_source.cc): an early-wake overlap waiter wakes when the
// resolved range starts past its wake offset (pages not supplied in order) or covers it; a range
// that starts between its first page and its wake offset and ends at or before the wake offset
// does neither. Reached when the primary falls behind the overlap reader: here an eviction of a
// page the primary had not read yet sends it back to page 3 while the overlap reader waits for 5.
Deno.test("early wake: an overlap reader waiting past the resolved range stays asleep", () => {
  // Pages 10-19 (B = 10): the request's own offset shows in the wake page a wake past it sets.
  const B = 10;
  const { src } = setup();
  const p = waiter(true);
  const o = waiter(true);
  const c = waiter(false); // an overlap waiter without early wake (a commit): never early-woken
  src.populate(p, "READ", B, B + 10);
  src.populate(o, "READ", B + 1, B + 10);
  src.populate(c, "READ", B + 1, B + 10);
  src.onPagesSupplied(B, B + 2);
  assert.deepEqual([p.waiting, o.waiting, c.waiting], [false, false, true]);
  src.rewait(p, B + 2);
  src.rewait(o, B + 2);
  src.onPagesSupplied(B + 2, B + 5);
  assert.deepEqual([p.waiting, o.waiting, o.wakePage, c.waiting], [false, false, B + 5, true]);
  src.rewait(o, B + 5); // it read pages 2-4
  src.rewait(p, B + 3); // page 3 was evicted before it read it
  src.onPagesSupplied(B + 3, B + 5);
  assert.equal(p.waiting, false);
  assert.equal(o.waiting, true, "[3,5) starts before its wake page 5 and does not cover it");
  assert.equal(o.wakePage, B + 5);
  // A range starting past its wake page wakes it, its wake page put out of reach (upstream:
  // the parent request's length, relative to its own offset).
  src.rewait(p, B + 6);
  src.onPagesSupplied(B + 6, B + 7);
  assert.equal(o.waiting, false);
  assert.equal(o.wakePage, B + 1 + 10);
  assert.equal(c.waiting, true);
});

// ---------------------------------------------------------------- OP_FAIL (3.7)

Deno.test("fail: the request's first page fails; the waiter gets the error after the rest", () => {
  const { src } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 0, 4);
  src.onPagesFailed(0, 1, ZX_ERR_IO);
  assert.equal(c.waiting, true, "not woken until the rest of its request is resolved");
  assert.deepEqual(reads(src), ["#1[0,4) pending 3"], "failed pages count as resolved");
  src.onPagesSupplied(1, 4);
  assert.equal(c.waiting, false);
  assert.equal(c.status, ZX_ERR_IO);
});

Deno.test("fail: a range that misses the first page lets the waiter retry (ZX_OK)", () => {
  const { src } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 0, 4);
  src.onPagesFailed(2, 3, ZX_ERR_IO);
  src.onPagesSupplied(0, 2);
  src.onPagesSupplied(3, 4);
  assert.equal(c.waiting, false);
  assert.equal(c.status, ZX_OK);
});

Deno.test("fail: a range starting before the request covers its first page", () => {
  const { src } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 2, 4);
  src.onPagesFailed(0, 3, ZX_ERR_NO_SPACE);
  src.onPagesSupplied(3, 4);
  assert.equal(c.status, ZX_ERR_NO_SPACE);
});

Deno.test("fail: failing the whole request completes it at once", () => {
  const { src, p } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 0, 4);
  p.take();
  src.onPagesFailed(0, 4, ZX_ERR_IO);
  assert.equal(c.waiting, false);
  assert.equal(c.status, ZX_ERR_IO);
  assert.deepEqual(p.take(), ["withdraw #1"]);
});

Deno.test("fail: an early-wake reader whose wake page fails wakes at once with the error", () => {
  const { src, r } = readerAtPage1();
  src.onPagesFailed(1, 2, ZX_ERR_IO);
  assert.equal(r.waiting, false, "woken even though pages 2-3 are unresolved");
  assert.equal(r.status, ZX_ERR_IO);
});

// Upstream the failed reader's PageRequest stays in the tree until its syscall returns and the
// request's destructor cancels it (PageRequest::Wait only cancels on non-failure codes).
Deno.test("fail: a failed early-wake reader keeps its request until its syscall cancels it", () => {
  const { src, p, r } = readerAtPage1();
  src.onPagesFailed(1, 2, ZX_ERR_IO);
  assert.equal(r.status, ZX_ERR_IO);
  assert.deepEqual(reads(src), ["#1[0,4) pending 2"], "still outstanding while the reader runs");
  assert.deepEqual(p.take(), []);
  src.cancel(r, ZX_OK);
  assert.deepEqual(reads(src), [], "no request without a waiter stays outstanding");
  assert.deepEqual(p.take(), ["withdraw #1"]);
  const next = waiter(true);
  src.populate(next, "READ", 2, 4);
  assert.deepEqual(p.take(), ["send #2 [2,4)"], "a later reader gets a fresh packet");
});

Deno.test("fail: a failed early-wake primary hands its request to the first overlap waiter", () => {
  const { src, p, r, o } = readerAtPage1({ start: 2, end: 3 });
  const c = o as Waiter;
  src.onPagesFailed(1, 2, ZX_ERR_IO);
  assert.equal(r.status, ZX_ERR_IO);
  src.cancel(r, ZX_OK);
  assert.equal(c.waiting, true);
  assert.equal(c.request?.primary, c);
  assert.deepEqual(reads(src), ["#1[0,4) pending 2"]);
  assert.deepEqual(p.take(), ["swap #1 -> #1 [0,4)"], "the packet stays: the heir needs the range");
  src.onPagesSupplied(2, 4);
  assert.equal(c.status, ZX_OK);
});

Deno.test("fail: an early-wake reader keeps waiting when a later page fails", () => {
  const { src, r } = readerAtPage1();
  src.onPagesFailed(2, 3, ZX_ERR_IO);
  assert.equal(r.waiting, true);
  src.onPagesSupplied(1, 2);
  assert.equal(r.waiting, false);
  assert.equal(r.status, ZX_OK, "page 1 arrived; the failure did not hit the reader's page");
});

Deno.test("fail: an overlap waiter is failed relative to its own start", () => {
  const { src } = setup();
  const a = waiter(false);
  const o = waiter(false);
  src.populate(a, "READ", 0, 10);
  src.populate(o, "READ", 5, 7);
  src.onPagesFailed(5, 6, ZX_ERR_IO);
  src.onPagesSupplied(0, 5);
  src.onPagesSupplied(6, 10);
  assert.equal(a.status, ZX_OK, "the failure missed the request's first page");
  assert.equal(o.status, ZX_ERR_IO, "the failure covered the overlap waiter's first page");
});

Deno.test("fail: an overlap waiter whose own range the failure misses is not failed", () => {
  const { src } = setup();
  const a = waiter(false);
  const o = waiter(false);
  src.populate(a, "READ", 0, 10);
  src.populate(o, "READ", 5, 7);
  src.onPagesFailed(0, 2, ZX_ERR_IO);
  src.onPagesSupplied(2, 10);
  assert.equal(a.status, ZX_ERR_IO);
  assert.equal(o.status, ZX_OK, "pages [0,2) are not the overlap waiter's first page");
});

Deno.test("fail: a non-early-wake overlap waiter hit on its first page waits for completion", () => {
  const { src } = setup();
  const a = waiter(false);
  const o = waiter(false);
  src.populate(a, "READ", 0, 4);
  src.populate(o, "READ", 2, 4);
  src.onPagesFailed(2, 3, ZX_ERR_IO);
  assert.equal(o.waiting, true);
  src.onPagesSupplied(0, 2);
  src.onPagesSupplied(3, 4);
  assert.equal(o.status, ZX_ERR_IO);
  assert.equal(a.status, ZX_OK);
});

// An OP_FAIL of an empty range [s, s) (zx_pager_op_range with length 0: no layer above
// `PageSource::OnPagesFailed` returns early for it; docs/mutation.md, "A zero-length OP_FAIL"):
// `ResolveRequestsLocked` (zircon/kernel/vm/page_source.cc @ misttech/mist-os 9da14a83) takes
// only a request s lies strictly inside (`upper_bound(s)`: ending past s; the loop: starting
// before s), trims the range to `req_offset == req_end`, records the error where
// `req_offset == wake_offset_` (never `== 0`: s is past the start), and with 0 pages fulfilled
// early-wakes the primary at its wake page: `EarlyWakeRequestLocked` signals it with its
// `complete_status_`. An overlap waiter at its wake page gets the error recorded (the overlap
// loop's same test) but no wake (its `overlap_end > wake_offset_` fails for an empty range).
Deno.test("fail: an empty range at an early-wake primary's wake page wakes it with the error", () => {
  const { src, p, r } = readerAtPage1();
  src.onPagesFailed(1, 1, ZX_ERR_IO);
  assert.equal(r.waiting, false, "woken though the range resolves no page");
  assert.equal(r.status, ZX_ERR_IO);
  assert.equal(r.wakePage, 1, "EarlyWakeRequestLocked moves it to req_end, here its own page");
  assert.deepEqual(reads(src), ["#1[0,4) pending 3"], "nothing counted, nothing completed");
  assert.deepEqual(p.take(), []);
});

Deno.test("fail: an empty range at an overlap waiter's wake page records the error, no wake", () => {
  const { src } = setup();
  const a = waiter(true);
  const o = waiter(true);
  src.populate(a, "READ", 0, 4);
  src.populate(o, "READ", 1, 4);
  src.onPagesSupplied(0, 2); // wakes both: a from page 0, o whose wake page 1 the range covers
  src.rewait(a, 2);
  src.rewait(o, 2);
  src.onPagesFailed(2, 2, ZX_ERR_IO);
  assert.deepEqual([a.waiting, a.status], [false, ZX_ERR_IO], "the primary is early-woken");
  assert.deepEqual([o.waiting, o.error], [true, ZX_ERR_IO], "o: recorded, not woken");
  src.cancel(a, ZX_OK); // a's read returns the error; its request passes to o, the error kept
  src.onPagesSupplied(2, 4);
  assert.deepEqual([o.waiting, o.status], [false, ZX_ERR_IO], "the completion carries it");
});

Deno.test("fail: an empty range inside a commit's request, or at a request's edge, does nothing", () => {
  const { src } = setup();
  const c = waiter(false); // no early wake: wake_offset_ stays UINT64_MAX upstream
  const r = waiter(true); // waiting at its request's first page
  src.populate(c, "READ", 0, 4);
  src.populate(r, "READ", 4, 6);
  for (const s of [0, 2, 4, 5, 6]) src.onPagesFailed(s, s, ZX_ERR_IO);
  assert.deepEqual([c.waiting, r.waiting, c.error, r.error], [true, true, ZX_OK, ZX_OK]);
  assert.deepEqual(reads(src), ["#1[0,4) pending 4", "#2[4,6) pending 2"]);
});

Deno.test("fail: DIRTY requests overlapping the range are failed too", () => {
  const { src } = setup();
  const d = waiter(false);
  src.populate(d, "DIRTY", 0, 1);
  src.onPagesFailed(0, 1, ZX_ERR_IO);
  assert.equal(d.waiting, false);
  assert.equal(d.status, ZX_ERR_IO);
});

Deno.test("fail: a new request after a failure starts with a clean status", () => {
  const { src } = setup();
  const c = waiter(false);
  src.populate(c, "READ", 0, 1);
  src.onPagesFailed(0, 1, ZX_ERR_IO);
  assert.equal(c.status, ZX_ERR_IO);
  src.populate(c, "READ", 0, 1);
  src.onPagesSupplied(0, 1);
  assert.equal(c.status, ZX_OK, "failing is not sticky (SupplyAfterFail)");
});

// ---------------------------------------------------------------- cancel (3.5)

Deno.test("cancel: the sole primary's request is withdrawn", () => {
  const { src, p } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 2);
  p.take();
  src.cancel(a, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.deepEqual(reads(src), []);
  assert.deepEqual(p.take(), ["withdraw #1"]);
  assert.equal(a.waiting, false);
  assert.equal(a.status, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.equal(a.request, null);
});

Deno.test("cancel: the first overlap waiter inherits the request: same id and range, no packet", () => {
  const { src, p } = setup();
  const a = waiter();
  const b = waiter();
  const c = waiter();
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 1, 3);
  src.populate(c, "READ", 2, 6);
  src.onPagesSupplied(3, 4);
  p.take();
  src.cancel(a, ZX_ERR_INTERNAL_INTR_KILLED);
  assert.deepEqual(p.take(), ["swap #1 -> #1 [0,4)"], "no send, no withdraw");
  assert.deepEqual(reads(src), ["#1[0,4) pending 3"], "range and pending count are kept");
  const r = src.outstanding("READ")[0];
  assert.equal(r.primary, b);
  assert.deepEqual(r.overlap, [c]);
  assert.equal(b.request, r);
  assert.equal(c.request, r);
  assert.equal(b.waiting, true);
  src.onPagesSupplied(0, 3);
  assert.equal(b.status, ZX_OK);
  assert.equal(c.status, ZX_OK);
  assert.deepEqual(p.take(), ["withdraw #1"]);
});

Deno.test("cancel: the heir is failed by the request's first page, not its own", () => {
  const { src } = setup();
  const a = waiter();
  const b = waiter();
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 2, 4);
  src.cancel(a, ZX_ERR_TIMED_OUT);
  src.onPagesFailed(0, 1, ZX_ERR_IO);
  src.onPagesSupplied(1, 4);
  assert.equal(b.status, ZX_ERR_IO, "the heir now owns [0,4), whose first page failed");
});

Deno.test("cancel: an overlap waiter just leaves; the request is untouched", () => {
  const { src, p } = setup();
  const a = waiter();
  const b = waiter();
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 1, 3);
  p.take();
  src.cancel(b, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.deepEqual(p.take(), []);
  assert.deepEqual(src.outstanding("READ")[0].overlap, []);
  assert.equal(b.request, null);
  assert.equal(a.waiting, true);
});

Deno.test("cancel: only interrupt reasons are accepted", () => {
  const { src } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 1);
  assert.throws(() => src.cancel(a, ZX_ERR_IO), KernelAssertionError);
});

Deno.test("release: a fail-instead-of-block waiter leaves its request outstanding", () => {
  const { src, p } = setup();
  const a = waiter();
  src.populate(a, "READ", 0, 2);
  p.take();
  src.release(a);
  assert.equal(a.request, null);
  assert.equal(a.waiting, false);
  assert.deepEqual(reads(src), ["#1[0,2) pending 2"]);
  assert.deepEqual(p.take(), []);
});

Deno.test("release: an overlap waiter leaves alone; the other waiters stay and wake at completion", () => {
  const { src } = setup();
  const a = waiter();
  const b = waiter();
  const c = waiter();
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 1, 3);
  src.populate(c, "READ", 2, 4);
  const r = a.request;
  assert.deepEqual(r?.overlap, [b, c]);
  src.release(b);
  assert.equal(b.request, null);
  assert.deepEqual(r?.overlap, [c]);
  src.onPagesSupplied(0, 4);
  for (const w of [a, c]) {
    assert.equal(w.waiting, false);
    assert.equal(w.request, null);
    assert.equal(w.status, ZX_OK);
  }
});

// ---------------------------------------------------------------- detach (2.3)

// PageSource::Detach completes each request through CompleteRequestLocked, which signals every
// waiter with its complete_status_ (page_source.cc @ misttech/fuchsia ce4be33a).
Deno.test("detach: every request completes; a waiter an OP_FAIL hit gets its error", () => {
  const { src, p } = setup();
  const a = waiter();
  const b = waiter(true);
  const d = waiter();
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 6, 8);
  src.populate(d, "DIRTY", 0, 1);
  src.onPagesFailed(0, 1, ZX_ERR_IO);
  p.take();
  src.detach();
  assert.equal(a.waiting, false);
  assert.equal(a.status, ZX_ERR_IO, "its first page failed before the detach");
  assert.equal(b.waiting, false);
  assert.equal(b.status, ZX_OK, "woken to retry; the retry gets BAD_STATE");
  assert.deepEqual(reads(src), []);
  assert.deepEqual(src.outstanding("DIRTY"), []);
  assert.deepEqual(p.take().sort(), ["withdraw #1", "withdraw #2"]);
});

Deno.test("detach: later populates get BAD_STATE and detaching twice is harmless", () => {
  const { src, p } = setup();
  src.detach();
  src.detach();
  const a = waiter();
  assert.equal(src.populate(a, "READ", 0, 1), ZX_ERR_BAD_STATE);
  assert.equal(a.waiting, false);
  assert.equal(a.request, null);
  assert.deepEqual(p.take(), []);
});

// ---------------------------------------------------------------- audit against the source
// Each case paraphrases the upstream test or code it follows; revisions in docs/audit.md.

// pager.cc FailOverlapRequest (misttech/fuchsia 6774606f, zircon/system/utest/core/pager/
// pager.cc): failing the overlap's page "will set the failure status for the overlap, but it will
// not wake up till the primary request wakes"; an early wake of the primary leaves it blocked.
Deno.test("audit A2: a failed overlap reader sleeps until the primary request completes", () => {
  const { src } = setup();
  const t1 = waiter(true);
  const t2 = waiter(true);
  src.populate(t1, "READ", 0, 4);
  src.populate(t2, "READ", 1, 2);
  src.onPagesFailed(1, 2, ZX_ERR_IO);
  assert.equal(t2.waiting, true, "failed, but not woken by the failure");
  src.onPagesSupplied(0, 1);
  assert.equal(t1.waiting, false, "the primary is early-woken by its page");
  assert.equal(t2.waiting, true, "the overlap is still blocked");
  src.rewait(t1, 1);
  src.onPagesSupplied(2, 4);
  assert.equal(t2.waiting, false);
  assert.equal(t2.status, ZX_ERR_IO, "the overlap gets its failure");
  assert.equal(t1.status, ZX_OK, "the primary forgot where the error was and retries");
});

// pager.cc EarlyWakeOverlappingRequests: after pre-supplying page 16 (the start of an overlap)
// "some of the overlap requests may not have woken up due to the pre-supply"; supplying the next
// page in line (17) "finally wak[es] up the overlap" through EarlyWakeRequestLocked's
// non-linear-supply branch (page_source.cc, misttech/fuchsia ce4be33a).
Deno.test("audit A1: an overlap reader wakes only when the primary's wake page arrives", () => {
  const { src } = setup();
  const primary = waiter(true);
  const overlap = waiter(true);
  src.populate(primary, "READ", 0, 92);
  src.populate(overlap, "READ", 16, 42);
  src.onPagesSupplied(0, 8);
  assert.equal(primary.waiting, false);
  src.rewait(primary, 8);
  src.onPagesSupplied(16, 17);
  assert.equal(overlap.waiting, true, "its own page is present, but the primary's is not");
  src.onPagesSupplied(8, 16);
  assert.equal(primary.waiting, false);
  assert.equal(overlap.waiting, true, "[8,16) does not reach the overlap's wake page");
  src.rewait(primary, 17);
  src.onPagesSupplied(17, 18);
  assert.equal(overlap.waiting, false, "woken: the supply starts past its wake page");
  assert.equal(overlap.status, ZX_OK);
});

// page_source.cc ResolveRequestsLocked: "Only Signal if the offset being supplied is exactly at
// the wake_offset_": a supply that covers the wake page but starts before it (an evicted page
// supplied again) does not wake the reader.
Deno.test("audit A1: a supply covering the wake page but starting before it does not wake", () => {
  const { src, r } = readerAtPage1();
  src.onPagesSupplied(0, 2); // page 0 was evicted and is supplied again with page 1
  assert.equal(r.waiting, true);
  src.onPagesSupplied(2, 3);
  assert.equal(r.waiting, false, "pending hit zero: the request completes (counts only)");
});

// page_source.cc: a failure reaching the request's first page sets complete_status_ but the early
// wake needs req_offset == wake_offset_; the reader gets the error when the request completes.
Deno.test("audit A2: a failure starting before the wake page fails the reader only at the end", () => {
  const { src, r } = readerAtPage1();
  src.onPagesFailed(0, 2, ZX_ERR_IO);
  assert.equal(r.waiting, true, "not early-woken: the range does not start at page 1");
  src.onPagesSupplied(2, 3);
  assert.equal(r.waiting, false);
  assert.equal(r.status, ZX_ERR_IO);
});

// page_source.cc EarlyWakeRequestLocked moves wake_offset_ to the end of the supplied range, and
// kernel/event.cc keeps a status signalled while nobody waits: a failure of the next page that
// lands before the reader waits again is returned by its next wait at once.
Deno.test("audit A3: a failure before the reader waits again is delivered by that wait", () => {
  const { src } = setup();
  const r = waiter(true);
  src.populate(r, "READ", 0, 4);
  src.onPagesSupplied(0, 1);
  assert.equal(r.waiting, false);
  src.onPagesFailed(1, 2, ZX_ERR_IO);
  assert.equal(r.pendingSignal, ZX_ERR_IO);
  src.rewait(r, 1);
  src.deliverPending(r);
  assert.equal(r.waiting, false, "the wait returns at once");
  assert.equal(r.status, ZX_ERR_IO);
});

// page_source.cc CancelRequestLocked: the heir takes the request's offset_, len_ and
// pending_size_ but keeps its own wake_offset_, which is relative to offset_.
Deno.test("audit A4: an heir's wake page moves with the inherited request's start", () => {
  const { src } = setup();
  const a = waiter(true);
  const b = waiter(true);
  src.populate(a, "READ", 0, 4);
  src.populate(b, "READ", 2, 4);
  src.cancel(a, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.equal(b.request?.primary, b);
  assert.equal(b.wakePage, 0, "wake offset 0 now counts from page 0");
  src.onPagesSupplied(0, 1);
  assert.equal(b.waiting, false, "a spurious early wake: the reader re-waits for page 2");
});
