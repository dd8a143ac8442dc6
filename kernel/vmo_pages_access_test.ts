/**
 * The access half of the page machinery (kernel/vmo_pages.ts: views, materializing a page,
 * touch, park, request sizing, zx_vmo_read/write, COMMIT, faults, usercopies, pins), asserted
 * through syscalls and the kernel's events against the spec (pager-semantics.md) and Zircon.
 */

import { strict as assert } from "node:assert";
import {
  ZX_BTI_PERM_READ,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_IO,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import { Kernel, type Syscall } from "./kernel.ts";
import { runSync, toBlock } from "./yields.ts";
import { isU64, MAX_U64, PAGE_SLAB_BYTES } from "./vmo_pages.ts";
import { bytes, ok, pagesWorld, PS, step } from "./_pages_fixture.ts";

const world = pagesWorld;

// ---------------------------------------------------------------- arguments

// isU64's contract: a `uint64_t` argument is an integer in [0, 2^64] (2^64 is how a double holds
// UINT64_MAX); anything past it, negative or fractional is not one.
Deno.test("isU64: integers from 0 to 2^64 are uint64 values, nothing else is", () => {
  for (const x of [0, 1, 2 ** 53, MAX_U64]) assert.equal(isU64(x), true, `${x}`);
  for (const x of [-1, 0.5, 2 * MAX_U64, Infinity, NaN, "1"]) {
    assert.equal(isU64(x), false, `${x}`);
  }
});

// ---------------------------------------------------------------- page bytes

// newPageBytes' contract: pages of up to a quarter of PAGE_SLAB_BYTES are cut from a shared
// block, one after another, so a block holds PAGE_SLAB_BYTES / pageSize pages (16 of 4 KiB) and
// the next page starts a new block; a page may not take a block of its own (16 times the memory).
Deno.test("newPageBytes: quarter-block pages are cut four to a block, in order", () => {
  const ps = PAGE_SLAB_BYTES / 4;
  const pages = new Kernel({ pageSize: ps }).pages;
  const made = Array.from({ length: 5 }, () => pages.newPageBytes());
  for (const [i, b] of made.slice(0, 4).entries()) {
    assert.equal(b.buffer, made[0].buffer, `page ${i} is not in the first block`);
    assert.equal(b.byteOffset, i * ps);
  }
  assert.notEqual(made[4].buffer, made[0].buffer, "a full block takes no fifth page");
  assert.deepEqual([made[4].byteOffset, made[4].buffer.byteLength], [0, PAGE_SLAB_BYTES]);
});

// ... and pages over a quarter of a block take no block: each has a buffer of exactly its size.
Deno.test("newPageBytes: half-block pages each get a buffer of their own size", () => {
  const ps = PAGE_SLAB_BYTES / 2;
  const pages = new Kernel({ pageSize: ps }).pages;
  for (const b of [pages.newPageBytes(), pages.newPageBytes()]) {
    assert.deepEqual([b.length, b.byteOffset, b.buffer.byteLength], [ps, 0, ps]);
  }
});

// ---------------------------------------------------------------- views

// vmo_create_child.md, ZX_VMO_CHILD_REFERENCE: the child is a reference to the VMO, sharing its
// pages (spec 6.1: "full view, shares the root's pages"): a write through either shows in both.
Deno.test("a write through a REFERENCE child lands in its parent's pages, and back", () => {
  const { k, t, pagerVmo, supply, read, write } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 0, 2, 0x11);
  const ref = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0)));
  write(ref, PS, bytes(PS, 0x5a));
  assert.deepEqual(read(vmo, PS, PS), bytes(PS, 0x5a));
  write(vmo, 0, bytes(8, 0x3c));
  assert.deepEqual(read(ref, 0, 8), bytes(8, 0x3c));
});

// ---------------------------------------------------------------- reads and writes

// vmo_read.md / vmo_write.md: bytes `[offset, offset + length)` of the VMO, here across a page
// boundary (the model moves them a page at a time). The trace records each page's part as a
// store or copy on the VMO that holds the page, at its offset there (what the checkers replay
// and check: properties/data_integrity.ts); through a slice at page 1 that is the root.
Deno.test("an unaligned write and read across a page boundary through a slice move exactly those bytes", () => {
  const { k, t, events, pagerVmo, supply, read, write, info } = world();
  const vmo = pagerVmo(3);
  supply(vmo, 0, 3, 0x11);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, PS, 2 * PS)));
  const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  events.length = 0;
  write(slice, PS - 4, data);
  const root = info(vmo).koid;
  const moved = (kind: "store" | "copy") =>
    events.flatMap((e) => e.k === kind ? [[e.tid, e.vmo, e.offset, [...e.bytes]]] : []);
  assert.deepEqual(moved("store"), [
    [t.tid, root, 2 * PS - 4, [1, 2, 3, 4]],
    [t.tid, root, 2 * PS, [5, 6, 7, 8]],
  ]);
  const want = bytes(3 * PS, 0x11);
  want.set(data, 2 * PS - 4);
  assert.deepEqual(read(vmo, 0, 3 * PS), want);
  events.length = 0;
  assert.deepEqual(read(slice, PS - 6, 12), want.subarray(2 * PS - 6, 2 * PS + 6));
  assert.deepEqual(moved("copy"), [
    [t.tid, root, 2 * PS - 6, [0x11, 0x11, 1, 2, 3, 4]],
    [t.tid, root, 2 * PS, [5, 6, 7, 8, 0x11, 0x11]],
  ]);
});

// vmo_write.md / vmo_read.md: the bytes come from (go to) the user buffer's start, whatever the
// offset in the VMO.
Deno.test("zx_vmo_write and zx_vmo_read at an offset copy from and to the user buffer's start", () => {
  const { k, t, read, write } = world();
  const user = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  const pattern = Uint8Array.from({ length: 2 * PS }, (_, i) => i % 251);
  write(user, 0, pattern);
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const addr = ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, rw, 0, user, 0, 2 * PS)));
  const target = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_write(t, target, new Uint8Array(8), 100, addr)), ZX_OK);
  assert.deepEqual(read(target, 100, 8), pattern.subarray(0, 8));
  write(target, 300, bytes(8, 0xee));
  assert.equal(runSync(k.zx_vmo_read(t, target, 300, 8, addr + PS))[0], ZX_OK);
  const want = pattern.slice(PS, PS + 16);
  want.fill(0xee, 0, 8);
  assert.deepEqual(read(user, PS, 16), want);
});

// Spec 6.1: a slice is a window on its parent's pages: a load through a mapping of a slice at
// page 2 reads the root's page under it, and the trace records it as a copy on the root at the
// root's offset (properties/data_integrity.ts checks copies against the root's content).
Deno.test("a load through a mapped slice reads the root's page and is traced on the root", () => {
  const { k, t, events, pagerVmo, supply, info } = world();
  const vmo = pagerVmo(4);
  supply(vmo, 0, 4, 0x10);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, bytes(4, 0x77), 3 * PS + 8)), ZX_OK);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, 2 * PS, 2 * PS)));
  const addr = ok(
    runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, slice, 0, 2 * PS)),
  );
  events.length = 0;
  const got = runSync(k.memRead(t, addr + PS + 6, 8));
  assert.deepEqual([...got], [0x10, 0x10, 0x77, 0x77, 0x77, 0x77, 0x10, 0x10]);
  const copies = events.flatMap((e) => e.k === "copy" ? [[e.vmo, e.offset, e.bytes.length]] : []);
  assert.deepEqual(copies, [[info(vmo).koid, 3 * PS + 6, 8]]);
});

// ---------------------------------------------------------------- dirty zero intervals

// A write to the first page of a grow's dirty zero range after WRITEBACK_BEGIN over it makes that
// page Dirty and splits the range at its start; the rest keeps the awaiting-clean length
// (vm_page_list unittest `vmpl_awaiting_clean_split_test`, "Split the interval at the start":
// the new start gets the length less a page), so WRITEBACK_END over the rest alone cleans it,
// and the page written after BEGIN stays Dirty (ResizeWritebackIntersectingWrite,
// pager-writeback.cc).
Deno.test("a write to the first page of a zero range awaiting clean leaves the rest awaiting clean", () => {
  const { k, t, pagerVmo, supply, write, dirty, op } = world();
  const vmo = pagerVmo(1, ZX_VMO_RESIZABLE);
  supply(vmo, 0, 1, 0x11);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 4 * PS)), ZX_OK);
  const IS_ZERO = ZX_VMO_DIRTY_RANGE_IS_ZERO;
  assert.deepEqual(dirty(vmo, 4), [[PS, 3 * PS, IS_ZERO]]);
  assert.equal(op(vmo, ZX_PAGER_OP_WRITEBACK_BEGIN, PS, 3 * PS, IS_ZERO), ZX_OK);
  write(vmo, PS, bytes(PS, 0xaa));
  assert.deepEqual(dirty(vmo, 4), [[PS, PS, 0], [2 * PS, 2 * PS, IS_ZERO]]);
  assert.equal(op(vmo, ZX_PAGER_OP_WRITEBACK_END, 2 * PS, 2 * PS), ZX_OK);
  assert.deepEqual(dirty(vmo, 4), [[PS, PS, 0]]);
});

// ---------------------------------------------------------------- parking

// Spec 4.2, "Overtime timeout": after the overtime the wait aborts, the syscall gets
// ZX_ERR_TIMED_OUT and its request is cancelled; spec 3.3: a request cancelled before the pager
// dequeued its packet is withdrawn, so the pager never sees it. The trace says why it woke.
Deno.test("a COMMIT parked past the overtime returns TIMED_OUT and its packet is withdrawn", () => {
  const { k, peer, events, pagerVmo, packet } = world({ overtimeTicks: 5 });
  const vmo = pagerVmo(2);
  const commit = k.zx_vmo_op_range(peer, vmo, ZX_VMO_OP_COMMIT, 0, 2 * PS);
  assert.equal(step(commit).blocked, true);
  k.now += 5;
  assert.deepEqual(step(commit), { blocked: false, value: ZX_ERR_TIMED_OUT });
  assert.equal(packet(), undefined, "the READ of the timed-out COMMIT is withdrawn");
  const wakes = events.filter((e) => e.k === "wake");
  assert.deepEqual(wakes, [{
    k: "wake",
    tid: peer.tid,
    status: ZX_ERR_TIMED_OUT,
    why: "overtime",
  }]);
});

// Spec 3.7: an early-wake reader whose next page fails is woken with the error. A supply of its
// page 0 early-wakes it and moves its wake page to page 1 (`EarlyWakeRequestLocked`); if page 1
// fails before the reader has run, the signal finds no waiter and is kept (`AutounsignalEvent`,
// kernel/event.cc) so the reader's next wait on the same request returns it at once: the read
// fails with the pager's error, with no second request.
Deno.test("an early-woken reader whose next page fails before it parks again gets the error", () => {
  const { k, peer, events, pagerVmo, supply, op } = world();
  const vmo = pagerVmo(3);
  const read = k.zx_vmo_read(peer, vmo, 0, 3 * PS);
  assert.equal(step(read).blocked, true);
  supply(vmo, 0, 1, 0x10); // early wake; the reader has not run yet
  assert.equal(op(vmo, ZX_PAGER_OP_FAIL, PS, PS, ZX_ERR_IO), ZX_OK);
  // The reader copies page 0 and waits again for page 1: the wait is over as it begins.
  const again = toBlock(read);
  assert.ok(again.kind === "block" && again.wait.ready(k.now), "the kept failure wakes it");
  const { blocked, value } = step(read);
  assert.deepEqual([blocked, value?.[0]], [false, ZX_ERR_IO]);
  assert.equal(events.filter((e) => e.k === "request").length, 1, "no second request");
});

// The trace says what a parked thread waits on; only a closed port adds that no packet will come
// (spec 4.2: closing the port strands the waiters). Two readers of one page share a request
// (spec 3.5), so their descriptions differ only by that note.
Deno.test("a parked reader's description differs from one before the port closed only by the note", () => {
  const { k, t, peer, port, events, pagerVmo } = world();
  const vmo = pagerVmo(1);
  const blockedOn = () => events.flatMap((e) => e.k === "block" ? [e.on] : []).at(-1);
  assert.equal(step(k.zx_vmo_read(peer, vmo, 0, PS)).blocked, true);
  const open = blockedOn();
  assert.equal(runSync(k.zx_handle_close(t, port)), ZX_OK);
  assert.equal(step(k.zx_vmo_read(t, vmo, 0, PS)).blocked, true);
  assert.equal(blockedOn(), `${open} (port closed: no packet will be delivered)`);
});

// A reader that finds its next page absent again at its request's first page waits on the same
// request (`PageSource::GetContinuationType`, page_source.cc: an offset in `[offset_, offset_ +
// len_)` of the request it holds is `SameRequest`; spec 3.8: "waits again on the same request —
// no new packet"). Here page 0 is supplied, early-waking the reader, and evicted before it runs.
Deno.test("an early-woken reader whose page was evicted waits again on the same request", () => {
  const { k, t, peer, events, pagerVmo, supply } = world();
  const vmo = pagerVmo(2);
  const read = k.zx_vmo_read(peer, vmo, 0, 2 * PS);
  assert.equal(step(read).blocked, true);
  supply(vmo, 0, 1, 0x10);
  assert.equal(runSync(k.kernel_evict(t, vmo, 0)), ZX_OK);
  assert.equal(step(read).blocked, true);
  const requests = events.filter((e) => e.k === "request" || e.k === "resolve");
  assert.deepEqual(requests.map((e) => e.k), ["request"], "one request, never cancelled");
});

// Spec 3.5: a read that starts inside another thread's outstanding READ joins it, and if that
// thread's wait is cancelled (here suspended) the joined reader inherits the request, range and
// pending count, with no new packet; its wake offset stays relative to the request's start
// (`CancelRequestLocked`). Early-woken by the request's first page, it copies its own page and
// finds its next one past the request's end: not the same request (`GetContinuationType`,
// page_source.cc: the offset is outside `[offset_, offset_ + len_)`), so it cancels it and asks
// for the rest anew (spec 3.8).
Deno.test("a reader that inherited a request and reads past its end asks for the rest anew", () => {
  const { k, t, events, pagerVmo, supply } = world();
  const vmo = pagerVmo(4);
  const [a, ah] = k.createThread("a", 3);
  const [b] = k.createThread("b", 4);
  assert.equal(step(k.zx_vmo_read(a, vmo, 0, 3 * PS)).blocked, true);
  const tail = k.zx_vmo_read(b, vmo, 2 * PS, 2 * PS);
  assert.equal(step(tail).blocked, true);
  assert.equal(runSync(k.zx_task_suspend(t, ah))[0], ZX_OK);
  supply(vmo, 2, 1, 0x22);
  supply(vmo, 0, 1, 0x11);
  assert.equal(step(tail).blocked, true);
  const requests = events.flatMap((e) =>
    e.k === "request" ? [[e.tid, e.start, e.end]] : e.k === "resolve" ? [[e.id, e.how]] : []
  );
  assert.deepEqual(requests, [[a.tid, 0, 3], [1, "cancel"], [b.tid, 3, 4]]);
  supply(vmo, 3, 1, 0x33);
  const { value } = step(tail);
  assert.deepEqual(value, [ZX_OK, Uint8Array.from([...bytes(PS, 0x22), ...bytes(PS, 0x33)])]);
});

// ---------------------------------------------------------------- request sizing

// Spec 2.8.1 / 3.4: a write's READ covers "at most 16 pages" from its first absent page.
Deno.test("a write over 20 absent pages asks for the first 16 in one READ", () => {
  const { k, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(24);
  assert.equal(step(k.zx_vmo_write(peer, vmo, bytes(20 * PS, 1), 2 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 2 * PS, 16 * PS]);
});

// Spec 3.4: a read's READ runs from its first absent page to the end of the read, in the root's
// offsets (3.1); through a slice at page 1 of a root whose page 0 is present, a 2-page read of
// the slice is the root's pages 1 and 2.
Deno.test("a read through a slice asks for the root's pages under the whole read", () => {
  const { k, t, peer, pagerVmo, supply, packet } = world();
  const vmo = pagerVmo(4);
  supply(vmo, 0, 1, 0x10);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, PS, 3 * PS)));
  assert.equal(step(k.zx_vmo_read(peer, slice, 0, 2 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, PS, 2 * PS]);
});

// Spec 6.1 (CloneShrinkGrowParent): a clone loses sight of its parent's cut tail for good and reads
// zeros there; spec 3.4: a clone's READ covers only pages it needs from the root. A clone of
// such a clone (hanging from it: it owns a page in range) sees the root through it for pages 0
// and 1 only, so its read of four pages asks for those two.
Deno.test("a read through a clone of a clone whose view of the root was cut asks only for what it sees", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(4, ZX_VMO_RESIZABLE);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, 0, 4 * PS)));
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 4 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_write(t, clone, bytes(8, 1), 3 * PS)), ZX_OK);
  const inner = ok(runSync(k.zx_vmo_create_child(t, clone, opts, 0, 4 * PS)));
  assert.equal(step(k.zx_vmo_read(peer, inner, 0, 4 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 0, 2 * PS]);
});

// Spec 3.4: a clone's READ stops "at the first offset where an intermediate clone owns a page (so
// forked pages are never requested)" (Pager.PageRequestBatchingChecksAncestorPages). The middle
// clone owns its page 2 (zeroed: a marker), so the inner clone's read from page 0 asks for 0-1.
Deno.test("a read through a clone of a clone stops its READ at a page the middle clone owns", () => {
  const { k, t, peer, pagerVmo, packet } = world();
  const vmo = pagerVmo(4);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, 0, 4 * PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ZERO, 2 * PS, PS)), ZX_OK);
  const inner = ok(runSync(k.zx_vmo_create_child(t, clone, opts, 0, 4 * PS)));
  assert.equal(step(k.zx_vmo_read(peer, inner, 0, 4 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 0, 2 * PS]);
});

// ---------------------------------------------------------------- COMMIT

// Spec 6.1: a clone's COMMIT asks the root for what it does not have, at the root's offsets, and
// copies the pages into the clone once supplied (spec 2.8.2).
Deno.test("COMMIT of an offset clone asks for the root's pages and copies them in", () => {
  const { k, t, peer, pagerVmo, supply, packet, info } = world();
  const vmo = pagerVmo(4);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, PS, 3 * PS)));
  const commit = k.zx_vmo_op_range(peer, clone, ZX_VMO_OP_COMMIT, 0, 2 * PS);
  assert.equal(step(commit).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, PS, 2 * PS]);
  supply(vmo, 1, 2, 0x66);
  assert.deepEqual(step(commit), { blocked: false, value: ZX_OK });
  assert.equal(info(clone).committedBytes, 2 * PS);
});

// Spec 2.8.2 / 3.4: COMMIT's READ runs from the first absent page to the end of the range, in
// the root's offsets (3.1): through a slice at page 1 of a root whose page 0 is present, COMMIT
// of the slice's two pages asks for the root's pages 1 and 2.
Deno.test("COMMIT through a slice asks for the root's pages under the whole range", () => {
  const { k, t, peer, pagerVmo, supply, packet } = world();
  const vmo = pagerVmo(4);
  supply(vmo, 0, 1, 0x10);
  const slice = ok(runSync(k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SLICE, PS, 3 * PS)));
  assert.equal(step(k.zx_vmo_op_range(peer, slice, ZX_VMO_OP_COMMIT, 0, 2 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, PS, 2 * PS]);
});

// Spec 2.8.2: "In a TRAP_DIRTY VMO, committing a slot inside a dirty zero interval allocates a
// Dirty page and therefore first issues a DIRTY request"; without TRAP_DIRTY the page is
// allocated at once (Dirty, still reported as dirty, no longer as a zero range).
Deno.test("COMMIT of a grow's zero tail: a DIRTY request under TRAP_DIRTY, Dirty pages without", () => {
  const { k, t, peer, pagerVmo, packet, info, dirty } = world();
  const trap = pagerVmo(1, ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY);
  assert.equal(runSync(k.zx_vmo_set_size(t, trap, 3 * PS)), ZX_OK);
  assert.equal(step(k.zx_vmo_op_range(peer, trap, ZX_VMO_OP_COMMIT, PS, 2 * PS)).blocked, true);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_DIRTY, PS, 2 * PS]);
  const plain = pagerVmo(1, ZX_VMO_RESIZABLE);
  assert.equal(runSync(k.zx_vmo_set_size(t, plain, 3 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, plain, ZX_VMO_OP_COMMIT, PS, 2 * PS)), ZX_OK);
  assert.equal(info(plain).committedBytes, 2 * PS);
  assert.deepEqual(dirty(plain, 3), [[PS, 2 * PS, 0]]);
});

// Spec 5.1: a zero marker is "a Clean zero page without storage"; COMMIT gives it storage as a
// Clean page ("Markers start clean", TargetZeroContentSupplyDirty): committed, not dirty, and
// evictable as any Clean page (spec 6.3).
Deno.test("COMMIT of a zero marker makes a committed Clean page", () => {
  const { k, t, pager, pagerVmo, info, dirty } = world();
  const vmo = pagerVmo(1);
  const aux = ok(runSync(k.zx_vmo_create(t, PS, 0)));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  assert.equal(info(vmo).committedBytes, 0, "a marker holds no page");
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_COMMIT, 0, PS)), ZX_OK);
  assert.equal(info(vmo).committedBytes, PS);
  assert.deepEqual(dirty(vmo, 1), []);
  assert.equal(runSync(k.kernel_evict(t, vmo, 0)), ZX_OK);
});

// Spec 2.8.2: COMMIT brings absent pages in and "does not dirty anything": present content, Clean
// or Dirty, is left as it is.
Deno.test("COMMIT over present pages keeps their content and dirty state", () => {
  const { k, t, pagerVmo, supply, read, write, dirty } = world();
  const vmo = pagerVmo(2);
  supply(vmo, 0, 2, 0x11);
  write(vmo, PS, bytes(8, 0x22));
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_COMMIT, 0, 2 * PS)), ZX_OK);
  const want = bytes(2 * PS, 0x11);
  want.fill(0x22, PS, PS + 8);
  assert.deepEqual(read(vmo, 0, 2 * PS), want);
  assert.deepEqual(dirty(vmo, 2), [[PS, PS, 0]]);
});

// Spec 6.1: "A clone's COMMIT requests only pages the clone has not forked" and content comes from
// the root only where the clone sees it: no READ for a page an intermediate clone owns (here
// zeroed), nor for pages the middle clone's view of the root no longer reaches (its parent shrank
// and grew: it reads zeros there, spec 6.1 CloneShrinkGrowParent).
Deno.test("COMMIT through a clone of a clone asks the root for nothing it does not see", () => {
  const { k, t, pagerVmo, supply, packet } = world();
  const vmo = pagerVmo(4, ZX_VMO_RESIZABLE);
  supply(vmo, 0, 1, 0x11); // the root's page 1 stays absent
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, 0, 4 * PS)));
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 4 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, clone, ZX_VMO_OP_ZERO, PS, PS)), ZX_OK);
  const inner = ok(runSync(k.zx_vmo_create_child(t, clone, opts, 0, 4 * PS)));
  assert.equal(runSync(k.zx_vmo_op_range(t, inner, ZX_VMO_OP_COMMIT, 0, 4 * PS)), ZX_OK);
  assert.equal(packet(), undefined);
});

// Spec 4.2 (Pager.SuspendCommitTest): suspending a thread parked in COMMIT interrupts its wait
// and cancels its request; on resume the COMMIT goes on and asks again, then completes.
Deno.test("a COMMIT whose wait a suspend interrupted asks again on resume and completes", () => {
  const { k, t, events, pagerVmo, supply } = world();
  const vmo = pagerVmo(1);
  const [u, uh] = k.createThread("worker", 3);
  const commit = k.zx_vmo_op_range(u, vmo, ZX_VMO_OP_COMMIT, 0, PS);
  assert.equal(step(commit).blocked, true);
  const [, token] = runSync(k.zx_task_suspend(t, uh));
  assert.equal(runSync(k.zx_handle_close(t, token)), ZX_OK);
  assert.equal(step(commit).blocked, true);
  assert.equal(events.filter((e) => e.k === "request").length, 2);
  supply(vmo, 0, 1, 0x12);
  assert.deepEqual(step(commit), { blocked: false, value: ZX_OK });
});

// The fail-instead-of-block mode (pager-semantics.md, model decisions) for COMMIT: SHOULD_WAIT,
// and the READ stays for the pager; the thread never parked, so nothing wakes it.
Deno.test("a fail-instead-of-block COMMIT returns SHOULD_WAIT and leaves its READ", () => {
  const { k, pagerVmo, supply, packet, events, info } = world();
  const vmo = pagerVmo(2);
  const [u] = k.createThread("nonblocking", 3, true);
  const commit = () => step(k.zx_vmo_op_range(u, vmo, ZX_VMO_OP_COMMIT, 0, 2 * PS)).value;
  assert.equal(commit(), ZX_ERR_SHOULD_WAIT);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 0, 2 * PS]);
  supply(vmo, 0, 2, 0x44);
  assert.deepEqual(events.filter((e) => e.k === "block" || e.k === "wake"), []);
  assert.equal(commit(), ZX_OK);
  assert.equal(info(vmo).committedBytes, 2 * PS);
});

// ---------------------------------------------------------------- fail instead of block

// The model's per-thread mode for the original pager design (pager-semantics.md, model
// decisions): a VMO syscall that would block on the pager returns ZX_ERR_SHOULD_WAIT instead.
// The request it made stays for the pager to serve, so a retry after the supply succeeds; the
// thread never parked, so nothing wakes it.
Deno.test("a fail-instead-of-block read returns SHOULD_WAIT, leaves its READ and succeeds later", () => {
  const { k, pagerVmo, supply, packet, events } = world();
  const vmo = pagerVmo(2);
  const [u] = k.createThread("nonblocking", 3, true);
  assert.deepEqual(step(k.zx_vmo_read(u, vmo, 0, 2 * PS)).value?.[0], ZX_ERR_SHOULD_WAIT);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 0, 2 * PS]);
  supply(vmo, 0, 2, 0x44);
  assert.deepEqual(events.filter((e) => e.k === "block" || e.k === "wake"), []);
  assert.deepEqual(step(k.zx_vmo_read(u, vmo, 0, 2 * PS)).value, [ZX_OK, bytes(2 * PS, 0x44)]);
});

// The same mode for a pin (zx_bti_pin commits first, `CommitRangeInternal`): SHOULD_WAIT with the
// READ left for the pager and nothing pinned; the supply wakes no one, and a retry pins.
Deno.test("a fail-instead-of-block pin returns SHOULD_WAIT, leaves its READ and pins later", () => {
  const { k, bti, pagerVmo, supply, packet, events } = world();
  const vmo = pagerVmo(2);
  const [u] = k.createThread("nonblocking", 3, true);
  const pin = () => step(k.zx_bti_pin(u, bti, ZX_BTI_PERM_READ, vmo, 0, 2 * PS)).value;
  assert.deepEqual(pin()?.[0], ZX_ERR_SHOULD_WAIT);
  const p = packet();
  assert.deepEqual([p?.command, p?.offset, p?.length], [ZX_PAGER_VMO_READ, 0, 2 * PS]);
  assert.equal(k.pagerVmos[0].pins.size, 0);
  supply(vmo, 0, 2, 0x55);
  assert.deepEqual(events.filter((e) => e.k === "block" || e.k === "wake"), []);
  assert.equal(pin()?.[0], ZX_OK);
  assert.equal(k.pagerVmos[0].pins.size, 2);
});

// ---------------------------------------------------------------- pins

// A pin commits, then pins (`CommitRangeInternal`); spec 3.7: a failed READ's error is the call's
// result; on failure the pages pinned so far are unpinned (vmo_pages.ts pin, `CommitRangeInternal`
// unpins on error): a shrink over them then succeeds (spec 2.8.3: pinned pages in the cut range
// would make it BAD_STATE).
Deno.test("a read pin whose READ fails returns the error and leaves nothing pinned", () => {
  const { k, t, peer, bti, pagerVmo, supply, op } = world();
  const vmo = pagerVmo(2, ZX_VMO_RESIZABLE);
  supply(vmo, 0, 1, 0x11);
  const pin = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ, vmo, 0, 2 * PS);
  assert.equal(step(pin).blocked, true);
  assert.equal(op(vmo, ZX_PAGER_OP_FAIL, PS, PS, ZX_ERR_IO), ZX_OK);
  assert.equal(step(pin).value?.[0], ZX_ERR_IO);
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 0)), ZX_OK);
});

// A pin of a clone commits its pages first, as COMMIT does (vmo_pages_test: "zx_bti_pin of a
// clone commits the parent's content"): a READ that fails fails the pin with the pager's error
// (spec 3.7); a clone shrunk while the pin waited makes it OUT_OF_RANGE (ResizeBlockedPin).
Deno.test("a pin of a clone fails with its commit's READ error, and OUT_OF_RANGE after a shrink", () => {
  const { k, t, peer, bti, pagerVmo, supply, op } = world();
  const vmo = pagerVmo(2);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE;
  const clone = ok(runSync(k.zx_vmo_create_child(t, vmo, opts, 0, 2 * PS)));
  const failed = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ, clone, 0, PS);
  assert.equal(step(failed).blocked, true);
  assert.equal(op(vmo, ZX_PAGER_OP_FAIL, 0, PS, ZX_ERR_IO), ZX_OK);
  assert.equal(step(failed).value?.[0], ZX_ERR_IO);
  const shrunk = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ, clone, 0, 2 * PS);
  assert.equal(step(shrunk).blocked, true);
  assert.equal(runSync(k.zx_vmo_set_size(t, clone, PS)), ZX_OK);
  supply(vmo, 0, 2, 0x11);
  assert.equal(step(shrunk).value?.[0], ZX_ERR_OUT_OF_RANGE);
});

// ---------------------------------------------------------------- loads and stores

/** Steps a load or store to its end: the syscall yields it passed, and its crash if it faulted. */
function runMem(call: Syscall<unknown>) {
  const yields: { name: string; args?: readonly unknown[] }[] = [];
  for (let r = call.next(); !r.done; r = call.next()) {
    if (r.value.kind === "crash") return { yields, crash: r.value };
    if (r.value.kind === "syscall") yields.push({ name: r.value.name, args: r.value.args });
  }
  return { yields, crash: undefined };
}

// Spec 4.2/4.3: an access to an address nothing maps is a fatal page fault, synth code
// ZX_ERR_NOT_FOUND (VmarUnmapTest); a store through a mapping without write permission is one
// with ZX_ERR_ACCESS_DENIED. The fault names the address; the page-fault event the mapped VMO
// (-1: none, PageFault).
Deno.test("a load from an unmapped address and a store through a read-only mapping are fatal", () => {
  const { k, t, events, info } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  const map = () =>
    ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS)));
  const addr = map();
  const gone = map();
  assert.equal(runSync(k.zx_vmar_unmap(t, k.rootVmarHandle, gone, 2 * PS)), ZX_OK);
  const [loader] = k.createThread("loader", 3);
  const load = runMem(k.memRead(loader, gone + PS + 8, 4));
  assert.deepEqual(load.crash, { kind: "crash", synth: ZX_ERR_NOT_FOUND, addr: gone + PS + 8 });
  const [storer] = k.createThread("storer", 4);
  const store = runMem(k.memWrite(storer, addr + 8, bytes(4, 1)));
  assert.deepEqual(store.crash, { kind: "crash", synth: ZX_ERR_ACCESS_DENIED, addr: addr + 8 });
  assert.deepEqual(events.filter((e) => e.k === "page-fault"), [
    { k: "page-fault", tid: 3, vmo: -1, synth: ZX_ERR_NOT_FOUND, addr: gone + PS + 8 },
    { k: "page-fault", tid: 4, vmo: info(vmo).koid, synth: ZX_ERR_ACCESS_DENIED, addr: addr + 8 },
  ]);
});

// Each page of a store through a mapping is its own scheduling point, named mem_write with the
// address it starts at, in what the thread yields and in the trace's call and ret events.
Deno.test("mem_write yields and traces one mem_write call per page, at the address of each", () => {
  const { k, t, events } = world();
  const vmo = ok(runSync(k.zx_vmo_create(t, 2 * PS, 0)));
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const addr = ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, rw, 0, vmo, 0, 2 * PS)));
  events.length = 0;
  const { yields, crash } = runMem(k.memWrite(t, addr + PS / 2, bytes(PS, 7)));
  assert.equal(crash, undefined);
  const at = [[addr + PS / 2], [addr + PS]];
  assert.deepEqual(yields, at.map((args) => ({ name: "mem_write", args })));
  const calls = events.flatMap((e): unknown[] =>
    e.k === "call" ? [[e.k, e.name, e.args]] : e.k === "ret" ? [[e.k, e.name, e.status]] : []
  );
  assert.deepEqual(calls, [
    ["call", "mem_write", at[0]],
    ["ret", "mem_write", ZX_OK],
    ["call", "mem_write", at[1]],
    ["ret", "mem_write", ZX_OK],
  ]);
});

// Spec 4.2: a load that faults on an absent page waits for the pager and, once the page is
// supplied, faults again and reads it; a load through a mapping past its VMO's shrunk end is a
// fatal page fault with synth code ZX_ERR_OUT_OF_RANGE (CloneResizeCloneHazard).
Deno.test("a load waits for its page and reads it; past a shrunk end it is OUT_OF_RANGE", () => {
  const { k, t, peer, pagerVmo, supply } = world();
  const vmo = pagerVmo(2, ZX_VMO_RESIZABLE);
  const addr = ok(runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS)));
  const load = k.memRead(peer, addr + PS + 4, 4);
  assert.equal(step(load).blocked, true);
  supply(vmo, 1, 1, 0x5c);
  assert.deepEqual(step(load), { blocked: false, value: bytes(4, 0x5c) });
  assert.deepEqual(runSync(k.memRead(t, addr + 2 * PS - 4, 4)), bytes(4, 0x5c), "the last bytes");
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, PS)), ZX_OK);
  const [u] = k.createThread("late", 3);
  const late = runMem(k.memRead(u, addr + PS + 4, 4));
  assert.deepEqual(late.crash, { kind: "crash", synth: ZX_ERR_OUT_OF_RANGE, addr: addr + PS + 4 });
});
