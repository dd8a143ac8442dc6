/**
 * VmoPages past the access path: pin bookkeeping checks, ZX_VMO_OP_ZERO, range ops, the pager's
 * ops (supply, OP_DIRTY, writeback), detach, resize and children, each through the syscalls (or,
 * for the kernel's own assertions, the module API the other kernel tests use).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { KernelAssertionError } from "./assert.ts";
import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_IO,
  ZX_ERR_OUT_OF_RANGE,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_DIRTY,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import type { KernelEvent } from "./events.ts";
import { Kernel } from "./kernel.ts";
import type { Page, Vmo } from "./objects.ts";
import { runSync } from "./yields.ts";
import { bytes, ok, pagesWorld, parked, PS, step } from "./_pages_fixture.ts";

const world = pagesWorld;

// ---------------------------------------------------------------- pin bookkeeping

// VmoPages.unpin: "Drops one pin (a write pin if `write`)": by default a read pin only.
Deno.test("VmoPages.unpin drops a read pin by default and leaves no pin behind", () => {
  const { k, t, bti, pagerVmo, supply, vmo } = world();
  const h = pagerVmo(1);
  supply(h, 0, 1, 0x11);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  const v = vmo(h);
  k.pages.unpin(v, 0, 1);
  assert.deepEqual([...v.pins], []);
});

// checkPins: write pins are a part of the pins. Dropping a write-pinned page's only pin as a read
// pin leaves a write pin without a pin: the unpin's own check says so.
Deno.test("VmoPages.unpin that leaves a write pin without its pin is a kernel assertion", () => {
  const { k, t, bti, pagerVmo, supply, vmo } = world();
  const h = pagerVmo(1);
  supply(h, 0, 1, 0x11);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, h, 0, PS)));
  assert.throws(() => k.pages.unpin(vmo(h), 0, 1, false), KernelAssertionError);
});

/** A pager VMO whose page 0 is supplied and pinned for write (so Dirty), and its object. */
function writePinned() {
  const w = world();
  const h = w.pagerVmo(1);
  w.supply(h, 0, 1, 0x11);
  ok(runSync(w.k.zx_bti_pin(w.t, w.bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, h, 0, PS)));
  return { k: w.k, v: w.vmo(h) };
}

// checkPins: "write pins are a part of the pins": a count of zero kept in the write-pin table, or
// more write pins than pins, is a kernel assertion even on a Dirty page.
Deno.test("checkPins: a write-pin count of zero, or above the pin count, is a kernel assertion", () => {
  for (const count of [0, 2]) {
    const { k, v } = writePinned();
    k.pages.checkPins(v);
    v.writePins.set(0, count);
    assert.throws(() => k.pages.checkPins(v), KernelAssertionError, `write pins ${count}`);
  }
});

// checkPins: "the loaned frames are where their states say (`LoanPool.check`)": a borrowed frame
// whose page forgot it is caught by the pin check too.
Deno.test("checkPins checks the loan pool: a borrowed frame whose page forgot it is caught", () => {
  const { k, t, bti, pagerVmo, supply, vmo } = world();
  const contig = ok(runSync(k.zx_vmo_create_contiguous(t, bti, PS, 0)));
  assert.equal(runSync(k.zx_vmo_op_range(t, contig, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  const h = pagerVmo(1);
  supply(h, 0, 1, 0x11);
  const v = vmo(h);
  const page = v.slots[0] as Page;
  assert.ok(page.loan !== undefined, "the supplied page borrows the lent frame");
  k.pages.checkPins(v);
  page.loan = undefined;
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

// ---------------------------------------------------------------- ZX_VMO_OP_ZERO

// ZeroRangeInternal (vm_object_paged.cc @ misttech/mist-os): the partial first page, then the
// whole pages, then the partial last page; vmo_op_range.md: ZERO zeroes exactly the range.
Deno.test("ZERO of an anonymous VMO from mid-page to mid-page zeroes exactly the range", () => {
  const { k, t, read } = world();
  const h = ok(runSync(k.zx_vmo_create(t, 3 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(3 * PS, 5), 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, PS / 2, 2 * PS)), ZX_OK);
  const want = bytes(3 * PS, 5);
  want.fill(0, PS / 2, PS / 2 + 2 * PS);
  assert.deepEqual(read(h, 0, 3 * PS), want);
});

// ZeroPartialPage: a page that "would read zero" (PageWouldReadZeroLocked: an anonymous VMO's
// uncommitted page) is left alone, not written through: nothing gets committed.
Deno.test("ZERO of part of an uncommitted anonymous page commits nothing", () => {
  const { k, t, read, info } = world();
  const h = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, 16, 32)), ZX_OK);
  assert.equal(info(h).committedBytes, 0);
  assert.deepEqual(read(h, 0, 2 * PS), bytes(2 * PS, 0));
});

// ZeroPartialPage: a clone's gap over its parent's content does not read as zero, so the partial
// zero writes through (the clone forks the page); the parent keeps its bytes.
Deno.test("ZERO of part of a clone page zeroes those bytes in the clone, not in the parent", () => {
  const { k, t, pagerVmo, supply, read } = world();
  const h = pagerVmo(1);
  supply(h, 0, 1, 0x11);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  ));
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ZERO, 16, 32)), ZX_OK);
  const want = bytes(PS, 0x11);
  want.fill(0, 16, 48);
  assert.deepEqual(read(clone, 0, PS), want);
  assert.deepEqual(read(h, 0, PS), bytes(PS, 0x11));
});

// ZeroPartialPage through a slice looks at the page under the slice: a zero marker there already
// reads as zero, so nothing is written and the root has no dirty range (spec 2.6).
Deno.test("ZERO of part of a slice page over a zero marker dirties nothing in the root", () => {
  const { k, t, pagerVmo, supply, supplyMarkers, dirtyRanges, modified } = world();
  const h = pagerVmo(3);
  supply(h, 0, 2, 0x11);
  supplyMarkers(h, 2, 1); // an uncommitted aux page: page 2 is a zero marker
  const slice = ok(runSync(k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SLICE, PS, 2 * PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, slice, ZX_VMO_OP_ZERO, PS + 16, 32)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), []);
  assert.equal(modified(h), 0);
});

// Spec 2.8.2: whole pages of ZERO become Dirty zero intervals, a pinned page is zeroed in place
// (it stays a page, Dirty); spec 2.6 reports the two as separate ranges. Through a slice, the pin
// that counts is the root's page under the slice.
Deno.test("ZERO through a slice zeroes the root's pinned page in place, the others to intervals", () => {
  const { k, t, bti, pagerVmo, supply, read, dirtyRanges } = world();
  const h = pagerVmo(3);
  supply(h, 0, 3, 0x11);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 2 * PS, PS)));
  const slice = ok(runSync(k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SLICE, PS, 2 * PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, slice, ZX_VMO_OP_ZERO, 0, 2 * PS)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [
    [PS, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO],
    [2 * PS, PS, 0],
  ]);
  assert.deepEqual(read(h, 0, 3 * PS), Uint8Array.from([...bytes(PS, 0x11), ...bytes(2 * PS, 0)]));
});

// ZeroRangeInternal re-checks the range after every wait (GetCowRangeSizeCheckLocked): a shrink
// while ZERO waited on a pinned page's DIRTY request makes it OUT_OF_RANGE.
Deno.test("ZERO that waited on a pinned page while the VMO shrank is OUT_OF_RANGE", () => {
  const { k, t, peer, bti, pagerVmo, supply, op, packet } = world();
  const h = pagerVmo(3, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
  supply(h, 0, 3, 0x11);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  const zero = k.zx_vmo_op_range(peer, h, ZX_VMO_OP_ZERO, 0, 3 * PS);
  assert.equal(step(zero).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_DIRTY, 0, PS]);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 2 * PS)), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, 0, PS), ZX_OK);
  assert.deepEqual(step(zero), { blocked: false, value: ZX_ERR_OUT_OF_RANGE });
});

// ZeroRangeInternal marks the VMO modified only when it zeroed something (`zeroed_len != 0`); spec
// 2.7: ZERO "that zeroed something" sets modified. A ZERO of one pinned page whose DIRTY request
// fails zeroed nothing.
Deno.test("ZERO of a pinned page whose DIRTY request fails leaves the VMO not modified", () => {
  const { k, t, peer, bti, pagerVmo, supply, op, modified } = world();
  const h = pagerVmo(2, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 2, 0x11);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  assert.equal(modified(h), 0);
  const zero = k.zx_vmo_op_range(peer, h, ZX_VMO_OP_ZERO, 0, PS);
  assert.equal(step(zero).blocked, true);
  assert.equal(op(h, ZX_PAGER_OP_FAIL, 0, PS, ZX_ERR_IO), ZX_OK);
  assert.deepEqual(step(zero), { blocked: false, value: ZX_ERR_IO });
  assert.equal(modified(h), 0);
});

// Spec 2.8.2: ZERO's whole pages become Dirty zero intervals. Through a slice they are the root's
// pages under the slice, and only those: the root's pages around them keep their content.
Deno.test("ZERO of a whole slice page makes exactly the root page under it a zero interval", () => {
  const { k, t, pagerVmo, supply, read, dirtyRanges } = world();
  const h = pagerVmo(3);
  supply(h, 0, 3, 0x11);
  const slice = ok(runSync(k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SLICE, PS, 2 * PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, slice, ZX_VMO_OP_ZERO, 0, PS)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[PS, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO]]);
  const want = bytes(3 * PS, 0x11);
  want.fill(0, PS, 2 * PS);
  assert.deepEqual(read(h, 0, 3 * PS), want);
});

// Spec 2.8.2: ZERO "whole pages: replaced by Dirty zero intervals"; the page after the range is
// not part of it and keeps its content (vmo_op_range.md: the pages "in the given range").
Deno.test("ZERO of a pager VMO's first page leaves the page after it as it was", () => {
  const { k, t, pagerVmo, supply, read, dirtyRanges } = world();
  const h = pagerVmo(2);
  supply(h, 0, 2, 0x11);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, 0, PS)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[0, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO]]);
  assert.deepEqual(read(h, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0), ...bytes(PS, 0x11)]));
});

// Spec 2.8.2: ZERO resolves "outstanding READ requests on gaps in the range": a reader waiting on
// a gap at the start of the range wakes and reads the zeros, with no supply; the gap after the
// range stays a gap.
Deno.test("ZERO over gaps wakes a reader waiting on the first of them, reading zeros", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const h = pagerVmo(3);
  const reader = k.zx_vmo_read(peer, h, 0, PS);
  assert.equal(step(reader).blocked, true);
  assert.ok(packet() !== undefined);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, 0, 2 * PS)), ZX_OK);
  assert.deepEqual(step(reader), { blocked: false, value: [ZX_OK, bytes(PS, 0)] });
  // Page 2 was not zeroed: reading it still asks the pager.
  assert.equal(step(k.zx_vmo_read(peer, h, 2 * PS, PS)).blocked, true);
});

// Spec 2.8.2: the READ requests ZERO resolves are those on gaps "in the range": over pages and
// gaps alternating (page, gap, page, gap), a reader waiting on a gap before the range goes on
// waiting.
Deno.test("ZERO over pages and gaps alternating wakes no reader waiting before the range", () => {
  const { k, t, peer, pagerVmo, supply } = world();
  const h = pagerVmo(6);
  supply(h, 2, 1, 0x11);
  supply(h, 4, 1, 0x11);
  const { wait } = parked(k.zx_vmo_read(peer, h, PS, PS));
  assert.ok(wait !== undefined);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, 2 * PS, 4 * PS)), ZX_OK);
  assert.equal(wait.ready(0), false, "the reader still waits for page 1");
});

// Spec 2.8.2: ZERO writes zeros over its whole pages; the trace records each zeroed page as a
// store of a page of zeros at its offset (what checkers replay as the VMO's content, as for a
// grow's new tail).
Deno.test("ZERO of a whole pager page is traced as a store of a page of zeros at its offset", () => {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const pager = ok(runSync(k.zx_pager_create(t, 0)));
  const port = ok(runSync(k.zx_port_create(t, 0)));
  const h = ok(runSync(k.zx_pager_create_vmo(t, pager, 0, port, 7, 3 * PS)));
  const koid = (k.handles.entry(h)?.object as Vmo).koid;
  events.length = 0;
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_ZERO, 2 * PS, PS)), ZX_OK);
  const stores = events.flatMap((e) =>
    e.k === "store" ? [[e.vmo, e.offset, e.bytes.length, e.bytes.every((b) => b === 0)]] : []
  );
  assert.deepEqual(stores, [[koid, 2 * PS, PS, true]]);
});

// ---------------------------------------------------------------- range ops and info

// Spec 2.8.2: ALWAYS_NEED "sets a sticky always need flag on root pages so eviction skips them";
// spec 6.1: a child's offsets are translated to the root's. Through a clone at page 2 of the
// root, ALWAYS_NEED of the clone's first page protects root page 2 alone.
Deno.test("ALWAYS_NEED through an offset clone protects exactly the root page under it", () => {
  const { k, t, pagerVmo, supply } = world();
  const h = pagerVmo(4);
  supply(h, 0, 4, 0x11);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 2 * PS, 2 * PS),
  ));
  assert.deepEqual(k.evictablePages(h), [0, 1, 2, 3]);
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ALWAYS_NEED, 0, PS)), ZX_OK);
  assert.deepEqual(k.evictablePages(h), [0, 1, 3]);
});

// vmo_op_range.md: DECOMMIT releases the pages "in the given range"; for a contiguous VMO (loaning
// on) the page after the range keeps its content and stays committed.
Deno.test("DECOMMIT of a contiguous VMO's first page leaves the page after it committed", () => {
  const { k, t, bti, read, info } = world();
  const h = ok(runSync(k.zx_vmo_create_contiguous(t, bti, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(2 * PS, 9), 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.equal(info(h).committedBytes, PS);
  assert.equal(k.pages.loans.free, 1);
  assert.deepEqual(read(h, PS, PS), bytes(PS, 9));
});

// vmo_op_range.md: DECOMMIT of pages that are not committed is not an error; a contiguous VMO's
// page already decommitted (its frame already lent) is lent no second time.
Deno.test("DECOMMIT of a contiguous VMO's already decommitted page is OK and lends nothing more", () => {
  const { k, t, bti, info } = world();
  const h = ok(runSync(k.zx_vmo_create_contiguous(t, bti, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_DECOMMIT, 0, 2 * PS)), ZX_OK);
  assert.equal(info(h).committedBytes, 0);
  assert.equal(k.pages.loans.free, 2);
});

// object_get_info.md, ZX_INFO_VMO flags: ZX_INFO_VMO_IS_COW_CLONE for "a copy-on-write clone",
// ZX_INFO_VMO_CONTIGUOUS for a contiguous VMO: a pager VMO, a slice and an anonymous VMO are
// neither, a clone is a clone only, a contiguous VMO contiguous only.
Deno.test("ZX_INFO_VMO: IS_COW_CLONE only on a clone, CONTIGUOUS only on a contiguous VMO", () => {
  const { k, t, bti, pagerVmo, info } = world();
  const h = pagerVmo(2);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  ));
  const slice = ok(runSync(k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SLICE, 0, PS)));
  const anon = ok(runSync(k.zx_vmo_create(t, PS, 0)));
  const contig = ok(runSync(k.zx_vmo_create_contiguous(t, bti, PS, 0)));
  const kinds = (v: number) => info(v).flags & (ZX_INFO_VMO_IS_COW_CLONE | ZX_INFO_VMO_CONTIGUOUS);
  assert.deepEqual([h, clone, slice, anon, contig].map(kinds), [
    0,
    ZX_INFO_VMO_IS_COW_CLONE,
    0,
    0,
    ZX_INFO_VMO_CONTIGUOUS,
  ]);
});

// ---------------------------------------------------------------- the pager's side

// Spec 2.5.3: with data ZX_VMO_DIRTY_RANGE_IS_ZERO, WRITEBACK_BEGIN does not touch committed
// pages at all, so a Dirty page stays Dirty through END (2.5.4: only AwaitingClean pages become
// Clean) and is still reported.
Deno.test("WRITEBACK_BEGIN with IS_ZERO leaves a Dirty page Dirty through WRITEBACK_END", () => {
  const { k, t, pagerVmo, supply, op, dirtyRanges } = world();
  const h = pagerVmo(1);
  supply(h, 0, 1, 0x11);
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(8, 0x22), 0)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[0, PS, 0]]);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_BEGIN, 0, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_END, 0, PS), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[0, PS, 0]]);
  assert.deepEqual(k.evictablePages(h), []);
});

// Spec 4.2: killing a thread wakes it from its pager wait; the trace says so with a wake event
// for that thread carrying the kill's status.
Deno.test("zx_task_kill of a thread parked on a pager read traces its wake with the kill status", () => {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const [u, uh] = k.createThread("worker", 2);
  const pager = ok(runSync(k.zx_pager_create(t, 0)));
  const port = ok(runSync(k.zx_port_create(t, 0)));
  const h = ok(runSync(k.zx_pager_create_vmo(t, pager, 0, port, 7, PS)));
  assert.equal(step(k.zx_vmo_read(u, h, 0, PS)).blocked, true);
  events.length = 0;
  assert.equal(runSync(k.zx_task_kill(t, uh)), ZX_OK);
  const wakes = events.flatMap((e) => e.k === "wake" ? [[e.tid, e.status]] : []);
  assert.deepEqual(wakes, [[u.tid, ZX_ERR_INTERNAL_INTR_KILLED]]);
});

// Spec 2.4: on success "the aux range is fully decommitted (it reads as zero afterwards)"; the
// aux pages outside the range keep their content.
Deno.test("zx_pager_supply_pages decommits exactly the aux range it took", () => {
  const { k, t, pager, pagerVmo, read } = world();
  const h = pagerVmo(2);
  const aux = ok(runSync(k.zx_vmo_create(t, 3 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, aux, bytes(3 * PS, 0x33), 0)), ZX_OK);
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, h, 0, 2 * PS, aux, PS)), ZX_OK);
  assert.deepEqual(
    read(aux, 0, 3 * PS),
    Uint8Array.from([...bytes(PS, 0x33), ...bytes(2 * PS, 0)]),
  );
  assert.deepEqual(read(h, 0, 2 * PS), bytes(2 * PS, 0x33));
});

// Spec 2.4: an uncommitted aux page is supplied as a zero marker; a marker holds no page, so it
// borrows no lent frame (only supplied content may land in a loaned page, kernel/loans.ts).
Deno.test("a zero marker supplied while a frame is lent borrows nothing", () => {
  const { k, t, bti, pagerVmo, supplyMarkers, read, info } = world();
  const contig = ok(runSync(k.zx_vmo_create_contiguous(t, bti, PS, 0)));
  assert.equal(runSync(k.zx_vmo_op_range(t, contig, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  const h = pagerVmo(1);
  supplyMarkers(h, 0, 1);
  assert.equal(k.pages.loans.free, 1);
  assert.equal(info(h).committedBytes, 0);
  assert.deepEqual(read(h, 0, PS), bytes(PS, 0));
});

// Spec 2.4: "for every maximal run of newly inserted slots the page source is told supplied",
// which finishes the READ requests covering them (3.6). A supply over present and absent pages
// alternating (present, absent, present, absent) finishes no request for a page before it.
Deno.test("a supply over present and absent pages alternating wakes no reader of a page before it", () => {
  const { k, peer, pagerVmo, supply } = world();
  const h = pagerVmo(6);
  supply(h, 2, 1, 0x11);
  supply(h, 4, 1, 0x11);
  const { wait } = parked(k.zx_vmo_read(peer, h, PS, PS));
  assert.ok(wait !== undefined);
  supply(h, 2, 4, 0x22);
  assert.equal(wait.ready(0), false, "the reader still waits for page 1");
});

// vmo_unittest.cc `vmo_pin_test`: decommitting a pinned range is BAD_STATE; a pin on a page
// outside the range does not stop the DECOMMIT of the pages in it.
Deno.test("DECOMMIT of an anonymous page next to a pinned one succeeds", () => {
  const { k, t, bti, read, info } = world();
  const h = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(2 * PS, 9), 0)), ZX_OK);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, PS, PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, h, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.equal(info(h).committedBytes, PS);
  assert.deepEqual(read(h, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0), ...bytes(PS, 9)]));
});

// ---------------------------------------------------------------- shape

// VmCowPages::ReleaseOwnedPagesLocked (vm_cow_pages.cc), on a shrink: "trim the parent limit to
// reflect the range that has been freed" (parent_limit_ = min(parent_limit_, start)): a clone
// shrunk and grown again reads zeros in the regrown part, not its parent's content.
Deno.test("a resizable clone shrunk and grown again reads zeros there, not its parent's content", () => {
  const { k, t, pagerVmo, supply, read } = world();
  const h = pagerVmo(2);
  supply(h, 0, 2, 0x11);
  const clone = ok(runSync(k.zx_vmo_create_child(
    t,
    h,
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
    0,
    2 * PS,
  )));
  assert.equal(runSync(k.zx_vmo_set_size(t, clone, PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, clone, 2 * PS)), ZX_OK);
  assert.deepEqual(read(clone, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0x11), ...bytes(PS, 0)]));
});

// vmo_set_size.md: the call sets the size of the VMO it is given: a clone of a resizable VMO
// keeps its own size when its parent grows; a reference (spec 6.1: "full view, shares the
// root's pages") has the parent's size.
Deno.test("a clone keeps its size when its resizable parent grows, a reference follows it", () => {
  const { k, t, pagerVmo } = world();
  const h = pagerVmo(2, ZX_VMO_RESIZABLE);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  ));
  const ref = ok(runSync(k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_REFERENCE, 0, 0)));
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 3 * PS)), ZX_OK);
  assert.deepEqual(runSync(k.zx_vmo_get_size(t, clone)), [ZX_OK, PS]);
  assert.deepEqual(runSync(k.zx_vmo_get_size(t, ref)), [ZX_OK, 3 * PS]);
  assert.deepEqual(runSync(k.zx_vmo_get_size(t, h)), [ZX_OK, 3 * PS]);
});

// Spec 2.5.2: OP_DIRTY whose `offset + length` overflows is OUT_OF_RANGE before anything else;
// only a range that ends past the size (without overflowing) resolves the DIRTY requests of its
// in-bounds part. A writer waiting on a DIRTY request goes on waiting.
Deno.test("OP_DIRTY whose end overflows is OUT_OF_RANGE and resolves no DIRTY request", () => {
  const { k, peer, pagerVmo, supply, op } = world();
  const h = pagerVmo(2, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 2, 0x11);
  const { wait } = parked(k.zx_vmo_write(peer, h, bytes(8, 0x22), PS));
  assert.ok(wait !== undefined);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, PS, 2 ** 64 - PS), ZX_ERR_OUT_OF_RANGE);
  assert.equal(wait.ready(0), false, "the writer still waits for its DIRTY request");
});

// Spec 2.5.2: OP_DIRTY with `offset + length > size` is OUT_OF_RANGE "and every outstanding DIRTY
// request in the in-bounds part of the range is spuriously resolved (waiters wake and retry)".
Deno.test("OP_DIRTY past the end is OUT_OF_RANGE and resolves the DIRTY request in bounds", () => {
  const { k, peer, pagerVmo, supply, op } = world();
  const h = pagerVmo(2, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 2, 0x11);
  const { wait } = parked(k.zx_vmo_write(peer, h, bytes(8, 0x22), PS));
  assert.ok(wait !== undefined);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, PS, 2 * PS), ZX_ERR_OUT_OF_RANGE);
  assert.equal(wait.ready(0), true, "the writer's DIRTY request was resolved");
});

// Spec 2.3 and 2.5.2: after detach OP_DIRTY is BAD_STATE, even over a Dirty page the detach kept.
Deno.test("OP_DIRTY after detach is BAD_STATE, even over a retained Dirty page", () => {
  const { k, t, pager, pagerVmo, supply, op, dirtyRanges } = world();
  const h = pagerVmo(1, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 1, 0x11);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, 0, PS), ZX_OK);
  assert.equal(runSync(k.zx_pager_detach_vmo(t, pager, h)), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[0, PS, 0]]);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, 0, PS), ZX_ERR_BAD_STATE);
});

// Spec 2.5.2: OP_DIRTY resolves the DIRTY requests "covering newly dirtied runs": a writer waiting
// on page 0 is woken by an OP_DIRTY of pages 0 and 1.
Deno.test("OP_DIRTY of a two-page run resolves a DIRTY request at the run's start", () => {
  const { k, peer, pagerVmo, supply, op } = world();
  const h = pagerVmo(2, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 2, 0x11);
  const { wait } = parked(k.zx_vmo_write(peer, h, bytes(8, 0x22), 0));
  assert.ok(wait !== undefined);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, 0, 2 * PS), ZX_OK);
  assert.equal(wait.ready(0), true, "the writer's DIRTY request was resolved");
});

// Spec 2.5.2: the DIRTY requests OP_DIRTY resolves are those of the runs it dirtied: over Dirty
// and Clean pages alternating (Dirty, Clean, Dirty, Clean), a writer waiting on a page before
// the range goes on waiting.
Deno.test("OP_DIRTY over Dirty and Clean pages alternating wakes no writer before the range", () => {
  const { k, peer, pagerVmo, supply, op } = world();
  const h = pagerVmo(7, ZX_VMO_TRAP_DIRTY);
  supply(h, 0, 7, 0x11);
  for (const p of [2, 3, 5]) assert.equal(op(h, ZX_PAGER_OP_DIRTY, p * PS, PS), ZX_OK);
  const { wait } = parked(k.zx_vmo_write(peer, h, bytes(8, 0x22), PS));
  assert.ok(wait !== undefined);
  assert.equal(op(h, ZX_PAGER_OP_DIRTY, 3 * PS, 4 * PS), ZX_OK);
  assert.equal(wait.ready(0), false, "the writer still waits for page 1");
});

// Spec 2.5.3/2.5.4: WRITEBACK_BEGIN marks the Dirty pages of its range AwaitingClean, and END
// cleans only AwaitingClean pages: a Dirty page after BEGIN's range stays Dirty through an END
// that covers it.
Deno.test("WRITEBACK_BEGIN of the first page leaves the Dirty page after it Dirty through END", () => {
  const { k, t, pagerVmo, supply, op, dirtyRanges } = world();
  const h = pagerVmo(2);
  supply(h, 0, 2, 0x11);
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(2 * PS, 0x22), 0)), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_BEGIN, 0, PS), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_END, 0, 2 * PS), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[PS, PS, 0]]);
});

// Spec 2.5.4: WRITEBACK_END cleans the AwaitingClean pages of its range; one after the range
// stays AwaitingClean, so it is still reported (2.6) and not evictable.
Deno.test("WRITEBACK_END of the first page leaves the AwaitingClean page after it reported", () => {
  const { k, t, pagerVmo, supply, op, dirtyRanges } = world();
  const h = pagerVmo(2);
  supply(h, 0, 2, 0x11);
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(2 * PS, 0x22), 0)), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_BEGIN, 0, 2 * PS), ZX_OK);
  assert.equal(op(h, ZX_PAGER_OP_WRITEBACK_END, 0, PS), ZX_OK);
  assert.deepEqual(dirtyRanges(h), [[PS, PS, 0]]);
  assert.deepEqual(k.evictablePages(h), [0]);
});

// Spec 2.3, detach step 4: "All Clean pages and all zero markers are removed"; Dirty pages are
// kept. Reading a removed page then needs the pager, which is gone: BAD_STATE.
Deno.test("zx_pager_detach_vmo drops the Clean page and the marker, keeps the Dirty page", () => {
  const { k, t, pager, pagerVmo, supply, supplyMarkers, read, dirtyRanges } = world();
  const h = pagerVmo(3);
  supply(h, 0, 1, 0x11);
  supplyMarkers(h, 1, 1); // a zero marker
  supply(h, 2, 1, 0x11);
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(PS, 0x22), 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_pager_detach_vmo(t, pager, h)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_read(t, h, 0, PS))[0], ZX_ERR_BAD_STATE);
  assert.equal(runSync(k.zx_vmo_read(t, h, PS, PS))[0], ZX_ERR_BAD_STATE);
  assert.deepEqual(read(h, 2 * PS, PS), bytes(PS, 0x22));
  assert.deepEqual(dirtyRanges(h), [[2 * PS, PS, 0]]);
});

// Spec 2.8.3: a shrink spuriously resolves the READ requests "for the now out-of-range part":
// over a cut range of present pages and gaps, the readers waiting on cut gaps (one of them the
// first page of a two-page gap) wake, and fail OUT_OF_RANGE (2.8.1); the reader of a page that
// stays goes on waiting.
Deno.test("a shrink wakes the readers of cut gaps, not the reader of a page that stays", () => {
  const { k, t, peer, pagerVmo, supply } = world();
  const h = pagerVmo(7, ZX_VMO_RESIZABLE);
  supply(h, 2, 1, 0x11);
  supply(h, 4, 1, 0x11);
  const kept = parked(k.zx_vmo_read(peer, h, PS, PS)).wait;
  const cutReads = [3, 5].map((p) => {
    const [thread] = k.createThread(`reader${p}`, 10 + p);
    const call = k.zx_vmo_read(thread, h, p * PS, PS);
    return { call, wait: parked(call).wait };
  });
  assert.ok(kept !== undefined && cutReads.every((r) => r.wait !== undefined));
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 2 * PS)), ZX_OK);
  assert.equal(kept.ready(0), false);
  for (const r of cutReads) {
    assert.equal(r.wait?.ready(0), true);
    assert.equal(step(r.call).value?.[0], ZX_ERR_OUT_OF_RANGE);
  }
});

// Spec 2.8.3: a shrink resolves the DIRTY requests for the cut range too ("if trapping"): a
// writer waiting to dirty a cut Clean page wakes and fails OUT_OF_RANGE.
Deno.test("a shrink wakes a writer waiting on a DIRTY request for a cut page", () => {
  const { k, t, peer, pagerVmo, supply } = world();
  const h = pagerVmo(2, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
  supply(h, 0, 2, 0x11);
  const write = k.zx_vmo_write(peer, h, bytes(8, 0x22), PS);
  const { wait } = parked(write);
  assert.ok(wait !== undefined);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, PS)), ZX_OK);
  assert.equal(wait.ready(0), true);
  assert.equal(step(write).value, ZX_ERR_OUT_OF_RANGE);
});

// Spec 6.1 (CloneShrinkGrowParent): "children lose visibility of the cut tail for good"; for a
// clone at an offset the cut tail starts at the parent's new end less the clone's offset.
Deno.test("an offset clone reads zeros where its parent shrank and grew again", () => {
  const { k, t, pagerVmo, supply, read } = world();
  const h = pagerVmo(3, ZX_VMO_RESIZABLE);
  supply(h, 0, 3, 0x44);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, PS, 2 * PS),
  ));
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 3 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_write(t, h, bytes(PS, 0x55), 2 * PS)), ZX_OK);
  assert.deepEqual(read(clone, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0x44), ...bytes(PS, 0)]));
});

// Spec 2.7: "any successful resize (grow or shrink)" marks the pager VMO modified.
Deno.test("zx_vmo_set_size of a pager VMO marks it modified, grow and shrink", () => {
  const { k, t, pagerVmo, modified } = world();
  const h = pagerVmo(1, ZX_VMO_RESIZABLE);
  assert.equal(modified(h), 0);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 2 * PS)), ZX_OK);
  assert.equal(modified(h), 1);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, PS)), ZX_OK);
  assert.equal(modified(h), 1);
});

// Spec 2.8.3: a shrink to size 0 cuts every page, so the reader of page 0 (in a gap that runs on
// to a present page) wakes and fails OUT_OF_RANGE.
Deno.test("a shrink to zero wakes the reader of page 0", () => {
  const { k, t, peer, pagerVmo, supply } = world();
  const h = pagerVmo(3, ZX_VMO_RESIZABLE);
  supply(h, 2, 1, 0x11);
  const read = k.zx_vmo_read(peer, h, 0, PS);
  const { wait } = parked(read);
  assert.ok(wait !== undefined);
  assert.equal(runSync(k.zx_vmo_set_size(t, h, 0)), ZX_OK);
  assert.equal(wait.ready(0), true);
  assert.equal(step(read).value?.[0], ZX_ERR_OUT_OF_RANGE);
});
