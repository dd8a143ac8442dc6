/**
 * Conformance cases added by the audit against Zircon's sources (docs/audit.md): each follows
 * an upstream test or, where no test pins the rule down, the upstream code it cites. Every one
 * of them failed on the model before its row was changed.
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import {
  ackDirty,
  begin,
  CAN_MAP,
  child,
  committed,
  end,
  expectDirty,
  fill,
  info,
  mapAt,
  modified,
  readNow,
  region,
  resize,
  same,
  waitForPageDirty,
  writeback,
  writer,
} from "./_level2.ts";
import { trapCases, writeAcked } from "./dirty.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  isBlockedOnPager,
  PAGE,
  pagerCase,
  type PagerTest,
  pattern,
  type TestVmo,
  type Worker,
} from "./harness.ts";

const SNAP = ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
const ALOW = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;

/** Writes the 64-bit value `v` at the start of page `page` (the upstream tests' `val`). */
function* putU64(t: PagerTest, vmo: TestVmo, page: number, v: number) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  expectStatus(yield* t.sys.vmoWrite(vmo.handle, b, page * PAGE), ZX_OK, "write");
}

/** The 64-bit value at the start of page `page`. */
function* u64(t: PagerTest, vmo: TestVmo, page: number) {
  const b = yield* readNow(t, vmo, page, 1);
  return Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
}

/** Pages `[page, page + pages)` of a child read as the root's content would (`CheckVmo`). */
function* expectOriginal(t: PagerTest, vmo: TestVmo, page: number, pages: number, what: string) {
  check(same(yield* readNow(t, vmo, page, pages), pattern(vmo, page, pages)), what);
}

/** A whole-page write of `byte` that must not block. */
function* put(t: PagerTest, vmo: TestVmo, page: number, byte: number) {
  expectStatus(yield* t.sys.vmoWrite(vmo.handle, fill(1, byte), page * PAGE), ZX_OK, "write");
}

/** `populated_scaled_bytes` (what snapshot.cc's `PollPopulatedBytes` reads), in pages. */
function* scaled(t: PagerTest, vmo: TestVmo) {
  return (yield* info(t, vmo.handle)).populatedScaledBytes / PAGE;
}

/** Fails unless `num_children` of `vmo` is `n`. */
function* expectChildren(t: PagerTest, vmo: TestVmo, n: number, what: string) {
  const got = (yield* info(t, vmo.handle)).numChildren;
  check(got === n, `${what}: num_children ${got}, want ${n}`);
}

/** Starts a thread running `zx_vmo_op_range(ZERO)` over bytes `[offset, offset + size)`. */
function zeroer(t: PagerTest, vmo: TestVmo, offset: number, size: number): Worker {
  return t.spawn(`zero[${offset}+${size}]`, function* (sys, w) {
    w.status = yield* sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, offset, size);
  });
}

/** The audit's cases. */
export const AUDIT_CASES: readonly ConformanceCase[] = [
  // pager.cc FailOverlapRequest (misttech/fuchsia 6774606f): failing the overlap reader's page
  // "will set the failure status for the overlap, but it will not wake up till the primary
  // request wakes"; the primary's early wake leaves it blocked; completion delivers IO to it and
  // the primary, having forgotten the error, asks for page 1 again.
  pagerCase("A1", "FailOverlapRequest", "fail-op", function* (t) {
    const vmo = yield* t.vmo(4);
    const t1 = t.reader(vmo, 0, 4, "vmo");
    yield* t.waitForPageRead(vmo, 0, 4);
    const t2 = t.reader(vmo, 1, 1, "vmo");
    yield* t.waitUntilBlocked(t2);
    yield* t.expectNoRead(vmo);
    expectStatus(yield* t.failPages(vmo, 1, 1, ZX_ERR_IO), ZX_OK, "OP_FAIL page 1");
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.waitForData(t1, vmo, 0, 1);
    yield* t.waitUntilBlocked(t1);
    check(isBlockedOnPager(t2.thread), "the failed overlap reader woke before the primary's end");
    yield* t.supplyOk(vmo, 2, 2);
    yield* t.expectStatusOf(t2, ZX_ERR_IO);
    const got = yield* t.getPageReadRequest(vmo);
    check(got !== null && got[0] === 1 && got[1] >= 1, `re-request of page 1, got ${got}`);
    yield* t.supplyOk(vmo, 1, 3);
    yield* t.expectRead(t1, vmo, 0, 4);
  }),

  // pager.cc EarlyWakeOverlappingRequests: a pre-supplied page at the start of an overlap does
  // not wake it ("some of the overlap requests may not have woken up due to the pre-supply");
  // the next page in the primary's line does. EarlyWakeRequestLocked (page_source.cc @ ce4be33a)
  // is only reached from the primary's wake page, and then wakes an overlap reader whose wake
  // page the supply passed.
  pagerCase("A2", "EarlyWakeOverlapPreSupply", "coalescing", function* (t) {
    const vmo = yield* t.vmo(8);
    const t1 = t.reader(vmo, 0, 8, "vmo");
    yield* t.waitForPageRead(vmo, 0, 8);
    const t2 = t.reader(vmo, 2, 4, "vmo");
    yield* t.waitUntilBlocked(t2);
    yield* t.supplyOk(vmo, 2, 1);
    check(isBlockedOnPager(t2.thread), "the overlap reader woke on its own page");
    yield* t.supplyOk(vmo, 0, 2);
    yield* t.waitForData(t1, vmo, 0, 3);
    yield* t.waitUntilBlocked(t1);
    check(t.copiedPages(t2, vmo, 2) === 0, "the overlap reader copied before its wake");
    yield* t.supplyOk(vmo, 3, 1);
    yield* t.waitForData(t2, vmo, 2, 2);
    yield* t.supplyOk(vmo, 4, 4);
    yield* t.expectRead(t2, vmo, 2, 4);
    yield* t.expectRead(t1, vmo, 0, 8);
    yield* t.expectNoPacket();
  }),

  // pager-writeback.cc OpZeroWithMarkers (misttech/fuchsia 2e2b3562): zeroing zero markers "should
  // be a no-op": no requests, and no dirty ranges afterwards.
  ...trapCases("A3", "OpZeroWithMarkers", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(5, trap ? ZX_VMO_TRAP_DIRTY : 0);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.supplyOk(vmo, 1, 1, { content: null });
    yield* t.supplyOk(vmo, 2, 1);
    yield* t.supplyOk(vmo, 3, 2, { content: null });
    yield* expectDirty(t, vmo, []);
    expectStatus(yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE, PAGE), ZX_OK, "ZERO 1");
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, []);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 3 * PAGE, 2 * PAGE),
      ZX_OK,
      "ZERO [3,5)",
    );
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, []);
    check(same(yield* readNow(t, vmo, 0, 1), pattern(vmo, 0, 1)), "page 0 changed");
  }),

  // pager-writeback.cc OpZeroPartialPage: zeroing a few bytes of a clean page needs a DIRTY
  // request (trapping); zeroing from partway into page 0 to before the end of page 1, a zero
  // interval, dirties nothing more: ZeroPartialPage skips a page PageWouldReadZeroLocked calls
  // zero (vm_object_paged.cc @ 056f3590). No more requests.
  ...trapCases("A4", "OpZeroPartialPage", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 2);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    const z = zeroer(t, vmo, 8, 8);
    if (trap) {
      yield* waitForPageDirty(t, vmo, 0, 1);
      yield* ackDirty(t, vmo, 0, 1);
    }
    yield* t.expectOk(z);
    yield* expectDirty(t, vmo, [[0, 1], [1, 1, "Z"]]);
    const z2 = zeroer(t, vmo, PAGE - 8, PAGE);
    yield* t.expectOk(z2);
    yield* expectDirty(t, vmo, [[0, 1], [1, 1, "Z"]]);
    const want = new Uint8Array(2 * PAGE);
    want.set(pattern(vmo, 0, 1));
    want.fill(0, 8, 16);
    want.fill(0, PAGE - 8);
    check(same(yield* readNow(t, vmo, 0, 2), want), "contents after the partial zeroes");
    yield* t.expectNoPacket();
  }),

  // pager-writeback.cc OpZeroWriteback: BEGIN (zero) over the tail [1,2), then ZERO of page 0
  // merges it into one interval whose awaiting-clean length is the new left part's (none), so
  // END [1,2) "will be a no-op" and [0,2) is still reported as a zero range
  // (VmPageList::AddZeroIntervalInternal, vm_page_list.cc @ d72ea0ee).
  ...trapCases("A5", "OpZeroWriteback", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 2);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    expectStatus(yield* begin(t, vmo, 1, 1, true), ZX_OK, "BEGIN zero [1,2)");
    expectStatus(yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK, "ZERO 0");
    expectStatus(yield* end(t, vmo, 1, 1), ZX_OK, "END [1,2)");
    yield* expectDirty(t, vmo, [[0, 2, "Z"]]);
    check(same(yield* readNow(t, vmo, 0, 2), new Uint8Array(2 * PAGE)), "not all zeros");
    yield* writeback(t, vmo, 0, 2, true);
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),

  // VmCowPages::LookupCursor::RequireOwnedPage / TargetZeroContentSupplyDirty (vm_cow_pages.cc @
  // 030dcba0): "Commit represents an explicit desire to have pages"; for a marker, "Markers start
  // clean", so COMMIT allocates a Clean zero page: committed bytes grow, nothing is dirty, no
  // request is sent.
  ...trapCases("A6", "CommitOverMarkers", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(3, trap ? ZX_VMO_TRAP_DIRTY : 0);
    yield* t.supplyOk(vmo, 0, 2, { content: null });
    yield* t.supplyOk(vmo, 2, 1);
    check((yield* committed(t, vmo.handle)) === 1, "markers hold no pages");
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_COMMIT, 0, 3 * PAGE),
      ZX_OK,
      "COMMIT",
    );
    check((yield* committed(t, vmo.handle)) === 3, "COMMIT gives each marker a page");
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),

  // InvalidateDirtyRequestsLocked (vm_cow_pages.cc @ 030dcba0) resolves DIRTY requests over the
  // cut range's non-Dirty content and gaps only: a page OP_DIRTY already counted is not counted
  // twice, so the writer of [0,4) stays blocked until pages 0 and 1 are both dirtied.
  pagerCase("A7", "ResizeCountsOnlyNonDirtyPages", "resize", function* (t) {
    const vmo = yield* t.vmo(4, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 4);
    const w = writer(t, vmo, 0, fill(4, 7));
    yield* waitForPageDirty(t, vmo, 0, 4);
    yield* ackDirty(t, vmo, 2, 1);
    yield* resize(t, vmo, 2);
    yield* ackDirty(t, vmo, 0, 1);
    check(isBlockedOnPager(w.thread), "the writer woke before its request was resolved");
    yield* ackDirty(t, vmo, 1, 1);
    yield* t.waitForExit(w);
    yield* t.expectNoPacket();
  }),
  // snapshot.cc Smoke (misttech/fuchsia 4ed506d3): a page the clone modified is shared with a
  // snapshot of the clone, "so evenly attributed"; once the clone writes it again the original
  // "should now be fully attributed to `snapshot`".
  pagerCase("A8", "SnapshotSmokeAttribution", "clone", function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, clone, 0, 0x1e);
    check((yield* scaled(t, vmo)) === 1 && (yield* scaled(t, clone)) === 1, "before the snapshot");
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    check((yield* scaled(t, snap)) === 0.5, "the shared page is split: snapshot");
    check((yield* scaled(t, clone)) === 0.5, "the shared page is split: clone");
    yield* put(t, clone, 0, 0x2f);
    check((yield* scaled(t, snap)) === 1, "the snapshot keeps the whole original");
    check((yield* scaled(t, clone)) === 1, "the clone's new page is its own");
    check((yield* scaled(t, vmo)) === 1, "the root's page");
  }),

  // snapshot.cc DropVmos: num_children counts children on the VMO they were created from; a
  // partial snapshot of a snapshot shares one page with it (3/2 and 1/2 pages); dropping the
  // full snapshot gives its page to the partial one; dropping both leaves the clone the root's
  // single child.
  pagerCase("A9", "SnapshotDropVmos", "clone", function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 2);
    yield* put(t, vmo, 0, 0x11);
    yield* put(t, vmo, 1, 0x11);
    yield* expectChildren(t, vmo, 0, "root");
    const clone = yield* child(t, vmo, 2, SNAP, 0, false);
    yield* expectChildren(t, vmo, 1, "root");
    yield* expectChildren(t, clone, 0, "clone");
    check((yield* scaled(t, clone)) === 0, "an unwritten clone holds nothing");
    yield* put(t, clone, 0, 0x22);
    yield* put(t, clone, 1, 0x22);
    check((yield* scaled(t, clone)) === 2, "the clone's forks");
    const full = yield* child(t, clone, 2, SNAP, 0, false);
    yield* put(t, full, 0, 0x33);
    yield* put(t, full, 1, 0x44);
    const partial = yield* child(t, full, 1, SNAP, 0, false);
    check((yield* scaled(t, full)) === 1.5, "full snapshot: one page and half a shared one");
    check((yield* scaled(t, partial)) === 0.5, "partial snapshot: half a shared page");
    yield* expectChildren(t, full, 1, "full snapshot");
    yield* expectChildren(t, partial, 0, "partial snapshot");
    expectStatus(yield* t.sys.handleClose(full.handle), ZX_OK, "close the full snapshot");
    check((yield* scaled(t, partial)) === 1, "the partial snapshot now holds the page alone");
    yield* expectChildren(t, partial, 0, "partial snapshot");
    expectStatus(yield* t.sys.handleClose(partial.handle), ZX_OK, "close the partial snapshot");
    yield* expectChildren(t, vmo, 1, "root");
    yield* expectChildren(t, clone, 0, "clone");
    check((yield* scaled(t, vmo)) === 2 && (yield* scaled(t, clone)) === 2, "root and clone");
  }),

  // snapshot.cc ResizeShrinkSnapshot: the clone and its snapshot share both modified pages
  // equally; shrinking the clone leaves the second page to the snapshot alone (1/2 and 3/2);
  // shrinking the snapshot drops it (1/2 each).
  pagerCase("A10", "SnapshotResizeShrinkAttribution", "clone", function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 2);
    yield* put(t, vmo, 0, 0x11);
    yield* put(t, vmo, 1, 0x11);
    const opts = SNAP | ZX_VMO_CHILD_RESIZABLE;
    const clone = yield* child(t, vmo, 2, opts, 0, false);
    yield* put(t, clone, 0, 0x22);
    yield* put(t, clone, 1, 0x22);
    const snap = yield* child(t, clone, 2, opts, 0, false);
    check((yield* scaled(t, vmo)) === 2, "the root owns the supplied pages");
    check((yield* scaled(t, clone)) === 1 && (yield* scaled(t, snap)) === 1, "shared equally");
    yield* resize(t, clone, 1);
    check((yield* scaled(t, clone)) === 0.5, "clone after its shrink");
    check((yield* scaled(t, snap)) === 1.5, "snapshot after the clone's shrink");
    yield* resize(t, snap, 1);
    check((yield* scaled(t, clone)) === 0.5 && (yield* scaled(t, snap)) === 0.5, "both shrunk");
    check((yield* scaled(t, vmo)) === 2, "the root keeps its pages");
  }),
  // VmCowPages::WritebackBeginLocked (vm_cow_pages.cc @ misttech/fuchsia 030dcba0) records an
  // interval's awaiting-clean length only when the range reaches its start sentinel ("TODO: If
  // the writeback began partway into the interval, try to coalesce ..."): a BEGIN starting inside
  // [1,10), even within the part already awaiting clean, changes nothing.
  ...trapCases("A11", "WritebackBeginPartwayIntoInterval", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 10);
    expectStatus(yield* begin(t, vmo, 1, 3, true), ZX_OK, "BEGIN zero [1,4)");
    expectStatus(yield* begin(t, vmo, 3, 4, true), ZX_OK, "BEGIN zero [3,7)");
    expectStatus(yield* end(t, vmo, 1, 9), ZX_OK, "END [1,10)");
    yield* expectDirty(t, vmo, [[4, 6, "Z"]]);
    yield* t.expectNoPacket();
  }),
  // sys_pager_supply_pages -> VmObjectPaged::TakePages then SupplyPages (vm_object_paged.cc @
  // misttech/fuchsia 056f3590): both range-check an empty range (GetCowRange) and return ZX_OK
  // for it before anything else, so a zero-length supply succeeds on a detached VMO but not past
  // the end of either VMO.
  pagerCase("A12", "ZeroLengthSupplyRanges", "supply", function* (t) {
    const vmo = yield* t.vmo(1);
    const [cs, aux] = yield* t.sys.vmoCreate(PAGE, 0);
    expectStatus(cs, ZX_OK, "zx_vmo_create");
    const supply = (offset: number, auxOffset: number) =>
      t.sys.pagerSupplyPages(t.pager, vmo.handle, offset, 0, aux, auxOffset);
    expectStatus(yield* supply(PAGE, 0), ZX_OK, "empty supply at the end");
    expectStatus(yield* supply(2 * PAGE, 0), ZX_ERR_OUT_OF_RANGE, "empty supply past the end");
    expectStatus(yield* supply(0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE, "empty take past aux's end");
    expectStatus(yield* t.detach(vmo), ZX_OK, "detach");
    expectStatus(yield* supply(0, 0), ZX_OK, "empty supply after detach");
    yield* t.waitForPageComplete(vmo);
  }),
  // PageSource::Detach completes every outstanding request through CompleteRequestLocked, which
  // signals each waiter with its complete_status_ (page_source.cc @ misttech/fuchsia ce4be33a):
  // a commit whose first page an OP_FAIL hit, still waiting for the rest, returns that error.
  pagerCase("A13", "DetachAfterPartialFail", "fail-op", function* (t) {
    const vmo = yield* t.vmo(4);
    const c = t.committer(vmo, 0, 4);
    yield* t.waitForPageRead(vmo, 0, 4);
    expectStatus(yield* t.failPages(vmo, 0, 1, ZX_ERR_IO), ZX_OK, "OP_FAIL page 0");
    check(isBlockedOnPager(c.thread), "the commit woke before the rest of its request");
    expectStatus(yield* t.detach(vmo), ZX_OK, "detach");
    yield* t.expectStatusOf(c, ZX_ERR_IO);
    yield* t.waitForPageComplete(vmo);
  }),
  // VmObjectPaged::ZeroRangeInternal (vm_object_paged.cc @ misttech/fuchsia 056f3590) zeroes the
  // whole pages before the partial last page: while the last page waits for its READ, the whole
  // pages are already a dirty zero range.
  pagerCase("A14", "OpZeroWholePagesBeforeTail", "dirty/writeback", function* (t) {
    const vmo = yield* t.vmo(3);
    const z = zeroer(t, vmo, 0, 2 * PAGE + 8);
    yield* t.waitForPageRead(vmo, 2, 1);
    yield* expectDirty(t, vmo, [[0, 2, "Z"]]);
    yield* t.supplyOk(vmo, 2, 1);
    yield* t.expectOk(z);
    yield* expectDirty(t, vmo, [[0, 2, "Z"], [2, 1]]);
    yield* t.expectNoPacket();
  }),

  // ZeroRangeInternal marks the VMO modified whenever ZeroPagesLocked processed any length,
  // and ZeroPagesPreservingContentLocked counts pages already in a zero interval as processed.
  pagerCase("A15", "OpZeroOverZeroRangeMarksModified", "query-stats", function* (t) {
    const vmo = yield* t.vmo(1, ZX_VMO_RESIZABLE);
    yield* resize(t, vmo, 2);
    check(yield* modified(t, vmo), "a resize marks the VMO modified");
    check(!(yield* modified(t, vmo)), "the query reset it");
    expectStatus(yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE, PAGE), ZX_OK, "ZERO");
    check(yield* modified(t, vmo), "zeroing a zero range marks the VMO modified");
    yield* t.expectNoPacket();
  }),
  // WritebackEndLocked (vm_cow_pages.cc @ misttech/fuchsia 030dcba0): an interval truncated at its
  // end keeps its AwaitingCleanLength, "it should be possible to apply the AwaitingCleanLength to
  // any new zero intervals that get added later beyond the truncated interval". A write splits
  // [1,5) under a zero BEGIN; zeroing the written page merges it back (AddZeroIntervalInternal
  // keeps the left part's length), so END cleans the whole interval.
  ...trapCases("A16", "OpZeroInsideZeroWriteback", "dirty/writeback", function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 5);
    expectStatus(yield* begin(t, vmo, 1, 4, true), ZX_OK, "BEGIN zero [1,5)");
    yield* writeAcked(t, vmo, 3, fill(1, 9), trap);
    yield* expectDirty(t, vmo, [[1, 2, "Z"], [3, 1], [4, 1, "Z"]]);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 3 * PAGE, PAGE),
      ZX_OK,
      "ZERO",
    );
    yield* expectDirty(t, vmo, [[1, 4, "Z"]]);
    expectStatus(yield* end(t, vmo, 1, 4), ZX_OK, "END [1,5)");
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),

  // The same rule through resize: shrinking clips the interval's end but keeps its length
  // (Resize -> ClipIntervalEnd), growing merges the new tail into it, so END cleans all of it.
  pagerCase("A17", "ResizeRegrowInsideZeroWriteback", "resize", function* (t) {
    const vmo = yield* t.vmo(1, ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 5);
    expectStatus(yield* begin(t, vmo, 1, 4, true), ZX_OK, "BEGIN zero [1,5)");
    yield* resize(t, vmo, 3);
    yield* resize(t, vmo, 5);
    yield* expectDirty(t, vmo, [[1, 4, "Z"]]);
    expectStatus(yield* end(t, vmo, 1, 4), ZX_OK, "END [1,5)");
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),
  // pager.cc CloneMightSeeIntermediateForks (misttech/fuchsia 6774606f): two at-least-on-write
  // children of a clone, one over a range where the clone has no forked page, one over its fork.
  // "With the current implementation we know deterministically that empty_child should see the
  // original contents, and forked_child should see the forked": the first hangs from the root,
  // the second below the clone and sees what the clone writes later.
  pagerCase("A18", "CloneMightSeeIntermediateForks", "clone", function* (t) {
    const root = yield* t.vmo(16);
    yield* t.supplyOk(root, 0, 16);
    const clone = yield* child(t, root, 16, ALOW, 0, false);
    yield* putU64(t, clone, 8, 1);
    const empty = yield* child(t, clone, 8, ALOW, 0, false);
    const forked = yield* child(t, clone, 8, ALOW, 8, false);
    yield* expectOriginal(t, empty, 0, 8, "empty child");
    yield* expectOriginal(t, forked, 1, 7, "forked child");
    check((yield* u64(t, forked, 0)) === 1, "the forked child sees the clone's fork");
    yield* putU64(t, empty, 0, 2);
    yield* putU64(t, forked, 1, 3);
    yield* putU64(t, clone, 0, 4);
    yield* putU64(t, clone, 9, 5);
    yield* putU64(t, clone, 1, 6);
    yield* putU64(t, clone, 10, 7);
    check((yield* u64(t, empty, 0)) === 2, "the empty child's own fork");
    check((yield* u64(t, forked, 1)) === 3, "the forked child's own fork");
    yield* expectOriginal(t, empty, 1, 1, "the empty child hangs from the root");
    check((yield* u64(t, forked, 2)) === 7, "the forked child sees the clone's later write");
    yield* t.expectNoPacket();
  }),

  // pager.cc CloneSeesCorrectParentPages: a clone hung higher than the VMO it was created from
  // still sees every page forked in between, and no more of an ancestor than each skipped
  // clone's limit allowed ("thus see zeros instead").
  pagerCase("A19", "CloneSeesCorrectParentPages", "clone", function* (t) {
    const root = yield* t.vmo(16);
    yield* t.supplyOk(root, 0, 16);
    const child1 = yield* child(t, root, 14, ALOW, 1, false);
    yield* putU64(t, child1, 0, 1);
    yield* putU64(t, child1, 4, 2);
    yield* putU64(t, child1, 8, 3);
    const child2 = yield* child(t, child1, 14, ALOW, 0, false);
    let child3 = yield* child(t, child2, 4, ALOW, 0, false);
    check((yield* u64(t, child3, 0)) === 1, "child3 sees child1's fork");
    yield* expectOriginal(t, child3, 1, 3, "child3");
    let child4 = yield* child(t, child3, 4, ALOW, 1, false);
    yield* expectOriginal(t, child4, 0, 3, "child4");
    check((yield* u64(t, child4, 3)) === 0, "child4 is clipped by child3's limit");
    expectStatus(yield* t.sys.handleClose(child4.handle), ZX_OK, "close child4");
    expectStatus(yield* t.sys.handleClose(child3.handle), ZX_OK, "close child3");
    child3 = yield* child(t, child2, 7, ALOW, 1, false);
    yield* expectOriginal(t, child3, 0, 2, "child3 again");
    yield* expectOriginal(t, child3, 4, 3, "child3 again, tail");
    check((yield* u64(t, child3, 3)) === 2, "child3 sees child1's second fork");
    child4 = yield* child(t, child3, 6, ALOW, 0, false);
    yield* putU64(t, child4, 0, 4);
    const child5 = yield* child(t, child4, 10, ALOW, 0, false);
    const child6 = yield* child(t, child5, 7, ALOW, 1, false);
    yield* expectOriginal(t, child6, 0, 2, "child6");
    check((yield* u64(t, child6, 2)) === 2, "child6 sees child1's fork");
    yield* expectOriginal(t, child6, 3, 2, "child6 middle");
    check((yield* u64(t, child6, 5)) === 0, "child6 stops at child4's limit (page 5)");
    check((yield* u64(t, child6, 6)) === 0, "child6 stops at child4's limit (page 6)");
    yield* t.expectNoPacket();
  }),

  // Rule V3 (docs/audit.md): `zx_vmar_unmap` "unmaps all VMO mappings and destroys (as if
  // zx_vmar_destroy() were called) all sub-regions within the absolute range"; a sub-region
  // only partly inside the range is INVALID_ARGS (docs/reference/syscalls/vmar_unmap.md @
  // gnoliyil/fuchsia 3a0300d1). The model's range must be exactly the sub-region or cut it.
  pagerCase("A20", "UnmapDestroysWholeSubRegion", "error-args", function* (t) {
    const vmo = yield* t.vmo(2);
    const root = t.sys.rootVmar;
    const [sub, base] = yield* region(t, root, CAN_MAP, 0, 4);
    yield* mapAt(t, sub, ZX_VM_PERM_READ, 1, vmo.handle, 2, base + PAGE);
    expectStatus(
      yield* t.sys.vmarUnmap(root, base, 2 * PAGE),
      ZX_ERR_INVALID_ARGS,
      "zx_vmar_unmap of half a sub-region",
    );
    expectStatus(yield* t.sys.vmarUnmap(root, base, 4 * PAGE), ZX_OK, "zx_vmar_unmap of all of it");
    const [st] = yield* t.sys.vmarMap(sub, ZX_VM_PERM_READ, 0, vmo.handle, 0, PAGE);
    expectStatus(st, ZX_ERR_BAD_STATE, "zx_vmar_map into the destroyed sub-region");
    yield* t.expectNoPacket();
  }),
];
