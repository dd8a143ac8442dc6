import { strict as assert } from "node:assert";
import {
  LIMITS,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_RESIZABLE,
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { runSync } from "./yields.ts";
import { MAX_VMO_PAGES, PAGE_SLAB_BYTES } from "./vmo_pages.ts";
import { bytes, ok, pagesWorld, parked, PS, step } from "./_pages_fixture.ts";

const world = pagesWorld;

Deno.test("newPageBytes: every page is zeroed, its own and page-sized, across blocks", () => {
  const pages = new Kernel({ pageSize: 4096 }).pages;
  const made: Uint8Array[] = [];
  for (let i = 0; i < (3 * PAGE_SLAB_BYTES) / 4096 + 1; i++) {
    const b = pages.newPageBytes();
    assert.equal(b.length, 4096);
    assert.ok(b.every((x) => x === 0), `page ${i} is not zeroed`);
    b.fill(i + 1); // writing one page must not show in any other
    made.push(b);
  }
  for (const [i, b] of made.entries()) assert.ok(b.every((x) => x === i + 1), `page ${i} changed`);
});

Deno.test("newPageBytes: pages over a quarter of a block get a buffer of their own", () => {
  const big = new Kernel({ pageSize: PAGE_SLAB_BYTES }).pages.newPageBytes();
  assert.equal(big.byteOffset, 0);
  assert.equal(big.buffer.byteLength, PAGE_SLAB_BYTES);
});

Deno.test("zx_vmo_set_size at the size limit: 2^40 bytes is in range (too many pages), a page more is not", () => {
  const k = new Kernel({ pageSize: 4096 });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, 4096, ZX_VMO_RESIZABLE));
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, LIMITS.maxVmoBytes)), ZX_ERR_NO_MEMORY);
  assert.equal(
    runSync(k.zx_vmo_set_size(t, vmo, LIMITS.maxVmoBytes + 4096)),
    ZX_ERR_OUT_OF_RANGE,
  );
});

// ---------------------------------------------------------------- shared fixture

// ---------------------------------------------------------------- anonymous and contiguous VMOs

// vmo_op_range.md: DECOMMIT releases the pages "in the given range"; the page after it stays.
Deno.test("DECOMMIT of an anonymous VMO's first page leaves the page after it committed", () => {
  const { k, t, read, info } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(2 * PS, 9), 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.deepEqual(read(vmo, 0, PS), bytes(PS, 0));
  assert.deepEqual(read(vmo, PS, PS), bytes(PS, 9));
  assert.equal(info(vmo).committedBytes, PS);
});

// ZERO never decommits a contiguous page (`kCannotDecommitZeroPages`): it zeroes exactly the
// bytes of the range in place, whatever page of the VMO they are in.
Deno.test("ZERO of a contiguous VMO zeroes exactly its range, in any page", () => {
  const { k, t, bti, read } = world();
  const vmo = ok(runSync(k.zx_vmo_create_contiguous(t, bti, 3 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(3 * PS, 5), 0)), ZX_OK);
  // Inside page 1, and across the boundary of pages 1 and 2.
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_ZERO, PS + 16, 32)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_ZERO, 2 * PS - 8, 16)), ZX_OK);
  const want = bytes(3 * PS, 5);
  want.fill(0, PS + 16, PS + 48);
  want.fill(0, 2 * PS - 8, 2 * PS + 8);
  assert.deepEqual(read(vmo, 0, 3 * PS), want);
  // A decommitted (lent) page already reads as zero: ZERO over it succeeds and leaves it so.
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_ZERO, 0, 2 * PS)), ZX_OK);
  want.fill(0, 0, 2 * PS);
  assert.deepEqual(read(vmo, 0, 3 * PS), want);
});

// vmo_unittest.cc `vmo_pin_test`: decommitting a pinned range is BAD_STATE; a page pinned twice
// stays pinned until both pins are gone.
Deno.test("a page pinned twice stays pinned after one unpin: DECOMMIT is BAD_STATE until the second", () => {
  const { k, t, bti } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, PS, 0)));
  const first = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS)));
  const second = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS)));
  assert.equal(runSync(k.zx_pmt_unpin(t, first)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_ERR_BAD_STATE);
  assert.equal(runSync(k.zx_pmt_unpin(t, second)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
});

// Spec 2.8.3: "if the requested size is not page aligned, the tail of the last page is zeroed".
Deno.test("zx_vmo_set_size to an unaligned size zeroes the tail of the last page", () => {
  const { k, t, read } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, 3 * PS, ZX_VMO_RESIZABLE)));
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(3 * PS, 3), 0)), ZX_OK);
  // The same page count: the last page keeps its first 100 bytes.
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 2 * PS + 100)), ZX_OK);
  const want = bytes(3 * PS, 3);
  want.fill(0, 2 * PS + 100);
  assert.deepEqual(read(vmo, 0, 3 * PS), want);
  // A shrink to part of page 0.
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 10)), ZX_OK);
  const head = bytes(PS, 0);
  head.fill(3, 0, 10);
  assert.deepEqual(read(vmo, 0, PS), head);
});

// ---------------------------------------------------------------- info and children

// Spec scope: zx_object_get_info(ZX_INFO_VMO) "with ZX_INFO_VMO_PAGER_BACKED"; a clone of a
// pager-backed VMO is pager-backed too (its content comes from the pager), an anonymous VMO not.
Deno.test("ZX_INFO_VMO: a pager VMO and its clone are PAGER_BACKED, an anonymous VMO is not", () => {
  const { k, t, pagerVmo, info } = world();
  const vmo = pagerVmo(2);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  ));
  const anon = ok(runSync(k.zx_vmo_create(t, PS, 0)));
  assert.equal(info(vmo).flags & ZX_INFO_VMO_PAGER_BACKED, ZX_INFO_VMO_PAGER_BACKED);
  assert.equal(info(clone).flags & ZX_INFO_VMO_PAGER_BACKED, ZX_INFO_VMO_PAGER_BACKED);
  assert.equal(info(anon).flags & ZX_INFO_VMO_PAGER_BACKED, 0);
});

// vmo_create_child.md: a slice cannot be resizable; spec 2.8.3: set_size of a VMO that is not
// resizable is UNAVAILABLE, checked before the RESIZE right.
Deno.test("a slice is not resizable: no RESIZABLE flag, set_size is UNAVAILABLE", () => {
  const { k, t, pagerVmo, info } = world();
  const vmo = pagerVmo(2);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, 0, PS)));
  const ref = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0)));
  for (const h of [slice, ref]) {
    assert.equal(info(h).flags & ZX_INFO_VMO_RESIZABLE, 0);
    assert.equal(runSync(k.zx_vmo_set_size(t, h, PS)), ZX_ERR_UNAVAILABLE);
  }
});

// vmo_create_child.md ERRORS: INVALID_ARGS for unknown option bits, and for not exactly one of
// the child types; an offset that is not page aligned is INVALID_ARGS too.
Deno.test("zx_vmo_create_child: unknown option bits, no type, or an unaligned offset are INVALID_ARGS", () => {
  const { k, t, pagerVmo } = world();
  const vmo = pagerVmo(2);
  const clone = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const child = (options: number, offset = 0) =>
    runSync(k.zx_vmo_create_child(t, vmo, options, offset, PS))[0];
  assert.equal(child(clone | (1 << 30)), ZX_ERR_INVALID_ARGS);
  assert.equal(child(ZX_VMO_CHILD_RESIZABLE), ZX_ERR_INVALID_ARGS);
  assert.equal(child(clone | ZX_VMO_CHILD_SLICE), ZX_ERR_INVALID_ARGS);
  assert.equal(child(clone, 1), ZX_ERR_INVALID_ARGS);
  assert.equal(child(ZX_VMO_CHILD_SLICE, PS / 2), ZX_ERR_INVALID_ARGS);
  assert.equal(child(clone, PS), ZX_OK);
});

// VmObjectPaged::CreateChildSlice: "Slice must be wholly contained" (!InRange(offset, size,
// our_size) is INVALID_ARGS), the size rounded up to pages first; a slice ending at the parent's
// end is made.
Deno.test("zx_vmo_create_child: a slice not wholly inside its parent is INVALID_ARGS", () => {
  const { k, t, pagerVmo } = world();
  const vmo = pagerVmo(2);
  const slice = (offset: number, size: number) =>
    runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, offset, size))[0];
  assert.equal(slice(PS, 2 * PS), ZX_ERR_INVALID_ARGS);
  assert.equal(slice(0, 2 * PS + 1), ZX_ERR_INVALID_ARGS);
  assert.equal(slice(2 * PS, PS), ZX_ERR_INVALID_ARGS);
  assert.equal(slice(PS, PS), ZX_OK);
  assert.equal(slice(0, 2 * PS), ZX_OK);
});

// The model's limit on pages per VMO (MAX_VMO_PAGES) holds for clones as for zx_vmo_set_size:
// a clone of that many pages is made, one of a page more is NO_MEMORY.
Deno.test("zx_vmo_create_child: a clone of MAX_VMO_PAGES pages is made, a page more is NO_MEMORY", () => {
  const { k, t, pagerVmo } = world();
  const vmo = pagerVmo(1);
  const clone = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const [big] = runSync(k.zx_vmo_create_child(t, vmo, clone, 0, MAX_VMO_PAGES * PS));
  assert.equal(big, ZX_OK);
  const [over] = runSync(k.zx_vmo_create_child(t, vmo, clone, 0, (MAX_VMO_PAGES + 1) * PS));
  assert.equal(over, ZX_ERR_NO_MEMORY);
});

// ---------------------------------------------------------------- clones, slices and pins

// Spec 6.1 (CloneShrinkGrowParent): "Parent shrink: children lose visibility of the cut tail for
// good; if the parent grows again, the child reads zeros there, not new parent content".
Deno.test("a clone reads zeros where its parent shrank and grew again, not the parent's new content", () => {
  const { k, t, pagerVmo, supply, read } = world();
  const vmo = pagerVmo(2, ZX_VMO_RESIZABLE);
  supply(vmo, 0, 2, 0x44);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  ));
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(PS, 0x55), PS)), ZX_OK);
  assert.deepEqual(read(clone, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0x44), ...bytes(PS, 0)]));
});

// Pinning a clone's pages commits them as COMMIT does (spec 6.1: a clone's commit copies what it
// reads through the root into the clone): the pinned page holds the parent's content.
Deno.test("zx_bti_pin of a clone commits the parent's content into it before pinning", () => {
  const { k, t, bti, pagerVmo, supply, read, info } = world();
  const vmo = pagerVmo(1);
  supply(vmo, 0, 1, 0x11);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  ));
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, clone, 0, PS)));
  assert.deepEqual(read(clone, 0, PS), bytes(PS, 0x11));
  assert.equal(info(clone).committedBytes, PS);
});

// A slice is a window at its offset (spec 6.1: "operations act on the root", here on the clone
// it was made from): pinning the slice's page commits and pins that one page of the clone.
Deno.test("zx_bti_pin of a slice of a clone pins only the clone page under the slice", () => {
  const { k, t, bti, pagerVmo, supply, read, info } = world();
  const vmo = pagerVmo(3);
  supply(vmo, 0, 3, 0x11);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 3 * PS),
  ));
  const slice = ok(runSync(k.zx_vmo_create_child(t, clone, ZX_VMO_CHILD_SLICE, PS, PS)));
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, slice, 0, PS)));
  assert.equal(info(clone).committedBytes, PS);
  assert.deepEqual(read(clone, 0, 3 * PS), bytes(3 * PS, 0x11));
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
});

// A write pin through a slice pins and dirties the root's pages under the slice; unpinning it
// drops exactly those write pins, so WRITEBACK can then clean the page (PinnedWriteback: a
// write-pinned page stays Dirty across writeback, an unpinned one does not).
Deno.test("a write pin through a slice unpins cleanly and its page can then be written back", () => {
  const { k, t, bti, pager, pagerVmo, supply } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 0, 2, 0x11);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, PS, PS)));
  const rw = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE;
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, rw, slice, 0, PS)));
  const dirty = () => runSync(k.zx_pager_query_dirty_ranges(t, pager, vmo, 0, 2 * PS, 1024))[1];
  assert.deepEqual(dirty().map((r) => [r.offset, r.length]), [[PS, PS]]);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  const op = (o: number) => runSync(k.zx_pager_op_range(t, pager, o, vmo, 0, 2 * PS, 0));
  assert.equal(op(ZX_PAGER_OP_WRITEBACK_BEGIN), ZX_OK);
  assert.equal(op(ZX_PAGER_OP_WRITEBACK_END), ZX_OK);
  assert.deepEqual(dirty(), []);
});

// A SNAPSHOT_MODIFIED child of a clone is a snapshot of the clone (spec 6.1): a page the clone
// zeroed reads as zero in the snapshot, not as the root's content under it.
Deno.test("a snapshot of a clone keeps the pages the clone zeroed as zeros", () => {
  const { k, t, pagerVmo, supply, read } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 0, 2, 0x66);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  ));
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ZERO, 0, PS)), ZX_OK);
  const snap = ok(runSync(
    k.zx_vmo_create_child(t, clone, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, 2 * PS),
  ));
  assert.deepEqual(read(snap, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0), ...bytes(PS, 0x66)]));
});

// Spec 6.1: "Accesses through any child that need absent root content generate READ requests on
// the root's key and offsets (translated)"; spec 2.8.5: a fault requests one page.
Deno.test("a fault through a mapped slice asks the root's pager for the root's page", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(4);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, 2 * PS, 2 * PS)));
  const addr = ok(
    runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, slice, 0, 2 * PS)),
  );
  assert.equal(step(k.memRead(peer, addr + PS, 8)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.key, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 7, 3 * PS, PS]);
});

// Spec 1.2 (per-page content states) and 2.x supply: a supply inserts only into absent slots
// and leaves any content untouched ("never overwrite"); its trace says, per page, what the slot
// held: absent, a Clean page (supplied), a zero marker (supplied from an uncommitted aux page),
// a Dirty page (written, no TRAP_DIRTY), a zero interval (the new tail of a grow).
Deno.test("a supply's trace names what each slot held: absent, clean, marker, dirty, zero", () => {
  const { k, t, pager, events, pagerVmo } = world();
  const vmo = pagerVmo(4, ZX_VMO_RESIZABLE);
  const aux = ok(runSync(k.zx_vmo_create(t, 5 * PS, 0)));
  const fillAux = () => {
    assert.equal(runSync(k.zx_vmo_write(t, aux, bytes(PS, 1), PS)), ZX_OK);
    assert.equal(runSync(k.zx_vmo_write(t, aux, bytes(PS, 1), 3 * PS)), ZX_OK);
  };
  fillAux(); // aux page 2 stays uncommitted: page 2 gets a zero marker
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, PS, 3 * PS, aux, PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(8, 2), 3 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 5 * PS)), ZX_OK);
  fillAux();
  events.length = 0;
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 5 * PS, aux, 0)), ZX_OK);
  const supplies = events.flatMap((e) => e.k === "supply" ? [[e.page, e.inserted, e.before]] : []);
  assert.deepEqual(supplies, [
    [0, true, "absent"],
    [1, false, "clean"],
    [2, false, "marker"],
    [3, false, "dirty"],
    [4, false, "zero"],
  ]);
});

// ZX_VMO_OP_ZERO over a clone page its parent holds leaves a zero marker, "a clean page of zeros
// without storage" (objects.ts MARKER; upstream a zero-page marker in the clone's page list):
// zx_info_vmo counts no bytes for it, committed or populated; a page the clone writes is its own.
Deno.test("ZX_INFO_VMO: a clone page zeroed over its parent's content populates nothing", () => {
  const { k, t, pagerVmo, supply, info } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 0, 2, 0x66);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  ));
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ZERO, 0, PS)), ZX_OK);
  const zeroed = info(clone);
  assert.deepEqual([zeroed.committedBytes, zeroed.populatedScaledBytes], [0, 0]);
  assert.equal(runSync(k.zx_vmo_write(t, clone, bytes(8, 1), PS)), ZX_OK);
  const written = info(clone);
  assert.deepEqual([written.committedBytes, written.populatedScaledBytes], [PS, PS]);
});

// Spec 6.1: READ requests through a child carry "the root's key and offsets (translated)"; spec
// 3.1: offsets are "in root VMO coordinates". A clone of a clone adds both offsets.
Deno.test("a read through a clone of an offset clone asks the root's pager for the root's page", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(4);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, PS, 3 * PS)));
  const inner = ok(runSync(k.zx_vmo_create_child(t, clone, opts, PS, 2 * PS)));
  assert.equal(step(k.zx_vmo_read(peer, inner, PS, 8)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.key], [ZX_PAGER_VMO_READ, 7]);
  assert.equal(p?.offset, 3 * PS, "inner page 1 is clone page 2, root page 3");
});

// Spec 2.8.5: a fault requests one page; spec 6.1: at the root's offset.
Deno.test("a fault through a mapped offset clone asks the root's pager for the root's page", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(4);
  const clone = ok(runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 2 * PS, 2 * PS),
  ));
  const addr = ok(
    runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, clone, 0, 2 * PS)),
  );
  assert.equal(step(k.memRead(peer, addr, 8)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.key, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 7, 2 * PS, PS]);
});

// ---------------------------------------------------------------- failures reach the caller

// Spec 2.8.2: ZERO's partial pages go through the write path (READ and DIRTY requests as
// needed), and 2.8.1: the OP_FAIL code of a failed request is the call's result.
Deno.test("ZERO whose partial first page's READ fails returns the pager's error", () => {
  const { k, peer, pagerVmo, supply, fail } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 1, 1, 0x22);
  const zero = k.zx_vmo_op_range(peer, vmo, ZX_VMO_OP_ZERO, PS / 2, PS + PS / 2);
  assert.equal(step(zero).blocked, true);
  assert.equal(fail(vmo, 0, PS), ZX_OK);
  assert.deepEqual(step(zero), { blocked: false, value: ZX_ERR_IO });
});

// Spec 2.8.2: "Pinned pages are zeroed in place (may need a DIRTY request)" (OpZeroPinned); a
// failed DIRTY request's error is the call's result (2.8.1).
Deno.test("ZERO over a pinned page whose DIRTY request fails returns the pager's error", () => {
  const { k, t, peer, bti, pagerVmo, supply, fail } = world();
  const vmo = pagerVmo(2, ZX_VMO_TRAP_DIRTY);
  supply(vmo, 0, 2, 0x33);
  ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS)));
  const zero = k.zx_vmo_op_range(peer, vmo, ZX_VMO_OP_ZERO, 0, 2 * PS);
  assert.equal(step(zero).blocked, true);
  assert.equal(fail(vmo, 0, PS), ZX_OK);
  assert.deepEqual(step(zero), { blocked: false, value: ZX_ERR_IO });
});

// An OP_FAIL of an empty range is no no-op: no layer of upstream's zx_pager_op_range returns early
// for length 0 (sys_pager_op_range, lib/syscalls/pager.cc @ misttech/mist-os 42b0a090;
// PagerDispatcher::RangeOp, object/pager_dispatcher.cc @ misttech/fuchsia 2e2b3562;
// VmObjectPaged::FailPageRequests, vm_object_paged.h @ misttech/mist-os d3d27672;
// VmCowPages::FailPageRequestsLocked, vm_cow_pages.cc @ misttech/mist-os 00b4db61), and
// PageSource::ResolveRequestsLocked (vm/page_source.cc @ misttech/mist-os 9da14a83, the same at
// chenhunghan/fuchsia-mirror 2762750a) visits the request the offset lies strictly inside
// (`upper_bound(offset)`, then `offset_ < end`), records the error since
// `req_offset == wake_offset_`, and, the range fulfilling 0 < pending_size_ pages, calls
// EarlyWakeRequestLocked, which signals the reader with that `complete_status_`. So a reader
// early-woken at page 0 and waiting for page 1 is failed by OP_FAIL [PS, +0): its read returns
// the code at once, no supply needed (the pager_op_range.md / spec 2.5.1 "in the range" reading,
// which this test held before, fails nothing; the source wins: docs/mutation.md).
Deno.test("OP_FAIL of an empty range at an early-woken reader's next page fails its read", () => {
  const { k, peer, pagerVmo, supply, fail, read } = world();
  const vmo = pagerVmo(2);
  const reader = k.zx_vmo_read(peer, vmo, 0, 2 * PS);
  assert.equal(step(reader).blocked, true);
  supply(vmo, 0, 1, 0x10); // early wake: the reader copies page 0 and waits for page 1
  assert.equal(step(reader).blocked, true);
  assert.equal(fail(vmo, PS, 0), ZX_OK);
  const { blocked, value } = step(reader);
  assert.equal(blocked, false);
  assert.equal(value?.[0], ZX_ERR_IO);
  // Pager.SupplyAfterFail: a failure changes no page; page 1 is supplied as usual after it.
  supply(vmo, 1, 1, 0x20);
  assert.deepEqual(read(vmo, 0, 2 * PS), Uint8Array.from([...bytes(PS, 0x10), ...bytes(PS, 0x20)]));
});

// The same reading of ResolveRequestsLocked: an empty range at a request's first page or at its
// end lies strictly inside no request (`upper_bound(offset)` takes requests ending past the
// offset, the loop those starting before it), so it fails and wakes nobody: the reader, waiting
// at page 0 of its request [0, 2), reads both pages once they are supplied.
Deno.test("OP_FAIL of an empty range at a request's first page or end fails no reader", () => {
  const { k, peer, pagerVmo, supply, fail } = world();
  const vmo = pagerVmo(2);
  const reader = k.zx_vmo_read(peer, vmo, 0, 2 * PS);
  const { wait } = parked(reader);
  assert.ok(wait !== undefined);
  assert.equal(fail(vmo, 0, 0), ZX_OK);
  assert.equal(fail(vmo, 2 * PS, 0), ZX_OK);
  assert.equal(wait.ready(k.now), false, "still parked: nothing woke the reader");
  supply(vmo, 0, 2, 0x30);
  const { blocked, value } = step(reader);
  assert.equal(blocked, false);
  assert.equal(value?.[0], ZX_OK);
  assert.deepEqual(value?.[1], bytes(2 * PS, 0x30));
});

// A usercopy into a mapping past its VMO's (shrunk) end cannot land: the call fails (spec 4.2:
// an access past a shrunk end is OUT_OF_RANGE) and nothing is stored past the end, so a later
// grow reads zeros there (spec 2.8.3).
Deno.test("zx_vmo_read into a mapping past its VMO's shrunk end fails and stores nothing", () => {
  const { k, t, read } = world();
  const target = ok(runSync(k.zx_vmo_create(t, 2 * PS, ZX_VMO_RESIZABLE)));
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const addr = ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, rw, 0, target, 0, 2 * PS)));
  assert.equal(runSync(k.zx_vmo_set_size(t, target, PS)), ZX_OK);
  const src = ok(runSync(k.zx_vmo_create(t, PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, src, bytes(PS, 0x77), 0)), ZX_OK);
  const [st] = runSync(k.zx_vmo_read(t, src, 0, PS, addr + PS));
  assert.equal(st, ZX_ERR_OUT_OF_RANGE);
  assert.equal(runSync(k.zx_vmo_set_size(t, target, 2 * PS)), ZX_OK);
  assert.deepEqual(read(target, PS, PS), bytes(PS, 0));
});

// ---------------------------------------------------------------- what the trace says

// The trace of a load through a mapping names the address of each page's access (the `call`
// event of `mem_read`, one a page: each page is its own scheduling point).
Deno.test("mem_read's call events name the address each page of the load starts at", () => {
  const { k, t, events } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  const addr = ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS)));
  events.length = 0;
  runSync(k.memRead(t, addr + PS / 2, PS));
  const calls = events.filter((e) => e.k === "call" && e.name === "mem_read");
  assert.deepEqual(calls.map((e) => e.k === "call" && e.args), [[addr + PS / 2], [addr + PS]]);
});

// Spec 2.8.3: a grow's new tail reads as zero. The trace records it as a store of zeros over
// exactly the new pages (what checkers replay as the VMO's content).
Deno.test("a grow is traced as a store of zeros over exactly the new pages", () => {
  const { k, t, events, pagerVmo } = world();
  const vmo = pagerVmo(1, ZX_VMO_RESIZABLE);
  events.length = 0;
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 3 * PS)), ZX_OK);
  const stores = events.filter((e) => e.k === "store");
  assert.deepEqual(
    stores.map((e) => e.k === "store" && [e.offset, e.bytes.length, e.bytes.every((b) => b === 0)]),
    [[PS, 2 * PS, true]],
  );
});

// Spec 4.2: closing the port strands a blocked thread ("no packets will ever be delivered again
// for that VMO"). What a blocked thread waits on says so when, and only when, the port is closed.
Deno.test("a pager wait is described as stranded by a closed port only when the port is closed", () => {
  const { k, t, peer, port, events, pagerVmo } = world();
  const vmo = pagerVmo(2);
  const blockedOn = () => {
    const b = events.filter((e) => e.k === "block");
    return b.length > 0 && b[b.length - 1].k === "block" ? b[b.length - 1].on : "";
  };
  assert.equal(step(k.zx_vmo_read(peer, vmo, 0, PS)).blocked, true);
  assert.doesNotMatch(blockedOn(), /port closed/);
  assert.equal(runSync(k.zx_handle_close(t, port)), ZX_OK);
  const [third] = k.createThread("third", 3);
  assert.equal(step(k.zx_vmo_read(third, vmo, PS, PS)).blocked, true);
  assert.match(blockedOn(), /port closed/);
});
