/**
 * Conformance cases tagged `decommit/evict`: the eviction hints ALWAYS_NEED and
 * DONT_NEED through `zx_vmo_op_range` (spec 2.8.2, 6.3), and through
 * `zx_vmar_op_range` over a region's mappings, nested sub-regions and clones,
 * where a gap in the range is BAD_STATE (upstream pager.cc
 * `EvictionHints{,Nested,Clone}Vmar`, vsrinivas/fuchsia); and the page
 * scanner's reclaim of a page whose DIRTY request is still pending (WX16
 * `EvictAfterDirtyRequest`, pager-writeback.cc @ artem/fuchsia-mirror 89ae399f).
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  ackDirty,
  CAN_MAP,
  child,
  expectDirty,
  fill,
  info,
  mapAt,
  opDirty,
  readNow,
  region,
  resize,
  same,
  vmarOp,
  waitForPageDirty,
  writer,
} from "./_level2.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  type TestVmo,
  type Worker,
} from "./harness.ts";

const AREA = "decommit/evict";
/**
 * Serves the ALWAYS_NEED of a 3-page VMO whose page 1 was supplied and then
 * hinted DONT_NEED: READ [0,1), then [1,2) if page 1 was evicted, then [2,3).
 */
function* serveHinted(t: PagerTest, vmo: TestVmo): Syscall<void> {
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.supplyOk(vmo, 0, 1);
  const r = yield* t.getPageReadRequest(vmo);
  check(r !== null && (r[0] === 1 || r[0] === 2), `unexpected READ ${r}`);
  if (r[0] === 1) {
    yield* t.supplyOk(vmo, 1, 1);
    yield* t.waitForPageRead(vmo, 2, 1);
  }
  yield* t.supplyOk(vmo, 2, 1);
}

function* expectVmarOp(
  t: PagerTest,
  vmar: number,
  op: number,
  addr: number,
  pages: number,
  want: Status,
  what: string,
): Syscall<void> {
  expectStatus(yield* t.sys.vmarOpRange(vmar, op, addr, pages * PAGE), want, what);
}

/**
 * The page scanner's `scanner reclaim_all` (a debug command upstream, asynchronous there): the
 * kernel evicts every page of `vmo` it may evict now, one `kernel_evict` step each, in page
 * order. What may be evicted is `ReclaimPageForEviction`'s test (vm_cow_pages.cc @
 * misttech/fuchsia 030dcba0): a Clean page, not pinned, not ALWAYS_NEED; a pending DIRTY
 * request does not keep a page (audit V1). Returns the pages evicted.
 */
function* reclaimAll(t: PagerTest, vmo: TestVmo): Syscall<number[]> {
  const pages = t.sys.evictablePages(vmo.handle);
  for (const p of pages) {
    expectStatus(yield* t.sys.kernelEvict(vmo.handle, p), ZX_OK, `reclaim of page ${p}`);
  }
  return pages;
}

function hinter(t: PagerTest, vmo: TestVmo, op: number, offset: number, size: number): Worker {
  return t.spawn(`hint ${op} [${offset},+${size})`, function* (sys, w) {
    w.status = yield* sys.vmoOpRange(vmo.handle, op, offset, size);
  });
}

/** The `decommit/evict` cases. */
export const EVICT_CASES: readonly ConformanceCase[] = [
  pagerCase("P82", "EvictionHintAlwaysNeed", AREA, function* (t) {
    const vmo = yield* t.vmo(20);
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 10 * PAGE, 5 * PAGE);
    yield* t.waitForPageRead(vmo, 10, 5);
    yield* t.supplyOk(vmo, 10, 5);
    yield* t.expectOk(h);
    yield* t.expectNoPacket();
  }),

  pagerCase("P83", "EvictionHintsOpRange", AREA, function* (t) {
    const vmo = yield* t.vmo(20);
    yield* t.supplyOk(vmo, 0, 10);
    for (const op of [ZX_VMO_OP_ALWAYS_NEED, ZX_VMO_OP_DONT_NEED]) {
      yield* t.expectOk(hinter(t, vmo, op, 0, 10 * PAGE));
      const past = yield* t.sys.vmoOpRange(vmo.handle, op, 15 * PAGE, 10 * PAGE);
      expectStatus(past, ZX_ERR_OUT_OF_RANGE, "hint past the end");
      const wrap = yield* t.sys.vmoOpRange(vmo.handle, op, PAGE, 2 ** 64 - PAGE);
      expectStatus(wrap, ZX_ERR_OUT_OF_RANGE, "hint with an overflowing range");
    }
    yield* t.expectNoPacket();
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 14 * PAGE + 100, PAGE);
    yield* t.waitForPageRead(vmo, 14, 2);
    yield* t.supplyOk(vmo, 14, 2);
    yield* t.expectOk(h);
    const [st, anon] = yield* t.sys.vmoCreate(4 * PAGE, 0);
    expectStatus(st, ZX_OK, "zx_vmo_create");
    for (const op of [ZX_VMO_OP_ALWAYS_NEED, ZX_VMO_OP_DONT_NEED]) {
      expectStatus(yield* t.sys.vmoOpRange(anon, op, 0, 4 * PAGE), ZX_OK, "hint on anonymous");
    }
    yield* t.expectNoPacket();
  }),

  pagerCase("P85", "EvictionHintsWithResize", AREA, function* (t) {
    const vmo = yield* t.vmo(20, ZX_VMO_RESIZABLE);
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 10 * PAGE, 10 * PAGE);
    yield* t.waitForPageRead(vmo, 10, 10);
    yield* t.supplyOk(vmo, 10, 2);
    yield* resize(t, vmo, 12);
    yield* t.expectOk(h);
    yield* t.expectNoPacket();
  }),

  pagerCase("P86", "EvictionHintsVmar", AREA, function* (t) {
    const [vmar, base] = yield* region(t, t.sys.rootVmar, CAN_MAP, 0, 15);
    const vmo1 = yield* t.vmo(3, 0, false);
    const vmo2 = yield* t.vmo(3, 0, false);
    yield* mapAt(t, vmar, ZX_VM_PERM_READ, 0, vmo1.handle, 3, base);
    yield* mapAt(t, vmar, ZX_VM_PERM_READ, 3, vmo2.handle, 3, base + 3 * PAGE);
    yield* t.supplyOk(vmo1, 1, 1);
    yield* t.supplyOk(vmo2, 1, 1);
    const [st, anon] = yield* t.sys.vmoCreate(3 * PAGE, 0);
    expectStatus(st, ZX_OK, "zx_vmo_create");
    yield* mapAt(t, vmar, ZX_VM_PERM_READ, 6, anon, 3, base + 6 * PAGE);
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 9, ZX_OK, "DONT_NEED");
    const h = vmarOp(t, vmar, ZX_VMAR_OP_ALWAYS_NEED, base, 9 * PAGE);
    yield* serveHinted(t, vmo1);
    yield* serveHinted(t, vmo2);
    yield* t.expectOk(h);
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_ALWAYS_NEED, base, 9, ZX_OK, "ALWAYS_NEED again");
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 9, ZX_OK, "DONT_NEED again");
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 15, ZX_ERR_BAD_STATE, "over a gap");
  }),

  pagerCase("P87", "EvictionHintsNestedVmar", AREA, function* (t) {
    const [vmar, base] = yield* region(t, t.sys.rootVmar, CAN_MAP, 0, 10);
    const vmo1 = yield* t.vmo(3, 0, false);
    const vmo2 = yield* t.vmo(3, 0, false);
    const [sub1, base1] = yield* region(t, vmar, CAN_MAP | ZX_VM_SPECIFIC, 0, 3);
    check(base1 === base, "the first sub-region is at the region's base");
    const [sub2, base2] = yield* region(t, vmar, CAN_MAP | ZX_VM_SPECIFIC, 3 * PAGE, 3);
    check(base2 === base + 3 * PAGE, "the second sub-region follows the first");
    yield* mapAt(t, sub1, ZX_VM_PERM_READ, 0, vmo1.handle, 3, base1);
    yield* mapAt(t, sub2, ZX_VM_PERM_READ, 0, vmo2.handle, 3, base2);
    yield* t.supplyOk(vmo1, 1, 1);
    yield* t.supplyOk(vmo2, 1, 1);
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 6, ZX_OK, "DONT_NEED");
    const h = vmarOp(t, vmar, ZX_VMAR_OP_ALWAYS_NEED, base, 6 * PAGE);
    yield* serveHinted(t, vmo1);
    yield* serveHinted(t, vmo2);
    yield* t.expectOk(h);
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 6, ZX_OK, "DONT_NEED again");
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 10, ZX_ERR_BAD_STATE, "over a gap");
  }),

  pagerCase("P88", "EvictionHintsCloneVmar", AREA, function* (t) {
    const [vmar, base] = yield* region(t, t.sys.rootVmar, CAN_MAP, 0, 5);
    const vmo = yield* t.vmo(4, 0, false);
    const clone = yield* child(t, vmo, 4);
    yield* mapAt(t, vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, clone.handle, 4, base);
    yield* t.supplyOk(vmo, 1, 1);
    const data = new Uint8Array([0xcc]);
    expectStatus(yield* t.sys.vmoWrite(clone.handle, data, PAGE), ZX_OK, "fork page 1");
    const h = vmarOp(t, vmar, ZX_VMAR_OP_ALWAYS_NEED, base + PAGE, 2 * PAGE);
    yield* t.waitForPageRead(vmo, 2, 1);
    yield* t.supplyOk(vmo, 2, 1);
    yield* t.expectOk(h);
    const [is, info] = yield* t.sys.objectGetInfo(clone.handle, ZX_INFO_VMO);
    expectStatus(is, ZX_OK, "ZX_INFO_VMO of the clone");
    check(info !== null, "ZX_INFO_VMO of the clone: ZX_OK without the record");
    check(info.committedBytes === PAGE, `clone committed ${info.committedBytes} bytes`);
    const [rs, back] = yield* t.sys.vmoRead(clone.handle, PAGE, 1);
    expectStatus(rs, ZX_OK, "read the fork back");
    check(back[0] === 0xcc, "the forked page kept its data");
    yield* expectVmarOp(t, vmar, ZX_VMAR_OP_DONT_NEED, base, 5, ZX_ERR_BAD_STATE, "over a gap");
    yield* t.expectNoRead(vmo);
  }),

  // A write blocked on DIRTY [0,3) while the scanner evicts the middle page: the pager's OP_DIRTY
  // over the whole range then fails (a page is missing) and resolves the request, and the
  // writer asks again page run by page run: DIRTY [0,1), READ [1,2), DIRTY [1,3)
  // (EvictAfterDirtyRequest, pager-writeback.cc @ artem/fuchsia-mirror 89ae399f; upstream
  // waits for the asynchronous reclaim by polling populated_bytes, here it is one step).
  pagerCase("WX16", "EvictAfterDirtyRequest", AREA, function* (t) {
    const vmo = yield* t.vmo(3, ZX_VMO_TRAP_DIRTY);
    yield* t.supplyOk(vmo, 0, 3);
    yield* expectDirty(t, vmo, []);
    const w = writer(t, vmo, 0, fill(3, 0xaa));
    yield* waitForPageDirty(t, vmo, 0, 3);
    yield* expectDirty(t, vmo, []);
    const hint = (op: number, page: number) => t.sys.vmoOpRange(vmo.handle, op, page * PAGE, PAGE);
    expectStatus(yield* hint(ZX_VMO_OP_ALWAYS_NEED, 0), ZX_OK, "ALWAYS_NEED page 0");
    expectStatus(yield* hint(ZX_VMO_OP_ALWAYS_NEED, 2), ZX_OK, "ALWAYS_NEED page 2");
    expectStatus(yield* hint(ZX_VMO_OP_DONT_NEED, 1), ZX_OK, "DONT_NEED page 1");
    const evicted = yield* reclaimAll(t, vmo);
    check(evicted.join() === "1", `the reclaim evicted pages [${evicted}], want [1]`);
    const populated = (yield* info(t, vmo.handle)).populatedBytes;
    check(populated === 2 * PAGE, `populated ${populated} bytes after the reclaim, want 2 pages`);
    expectStatus(yield* opDirty(t, vmo, 0, 3), ZX_ERR_NOT_FOUND, "OP_DIRTY over the evicted page");
    yield* expectDirty(t, vmo, []);
    yield* waitForPageDirty(t, vmo, 0, 1);
    yield* ackDirty(t, vmo, 0, 1);
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 1, 1);
    yield* waitForPageDirty(t, vmo, 1, 2);
    yield* ackDirty(t, vmo, 1, 2);
    yield* t.expectOk(w);
    check(same(yield* readNow(t, vmo, 0, 3), fill(3, 0xaa)), "the write's bytes in all 3 pages");
    yield* expectDirty(t, vmo, [[0, 3]]);
    yield* t.expectNoPacket();
  }),
];
