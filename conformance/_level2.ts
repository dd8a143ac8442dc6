/**
 * Harness steps for the level-2 rows (dirty tracking, writeback, stats,
 * resize, children, hints), shaped like `UserPager`'s helpers in Zircon's
 * `pager-writeback.cc` and `pager.cc`: DIRTY packets, OP_DIRTY acks, dirty-range
 * queries in pages, writers, clones.
 *
 * @module
 */

import {
  type Status,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/kernel.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  type Access,
  check,
  expectStatus,
  PAGE,
  type PagerTest,
  type TestVmo,
  type Worker,
} from "./harness.ts";

/** A dirty range in pages: `[offset, length]`, with `"Z"` for an IS_ZERO range. */
export type PageRange = readonly [number, number] | readonly [number, number, "Z"];

/** `zx_pager_query_dirty_ranges` over the whole VMO (or `[page, page + pages)`), in pages. */
export function* dirtyRanges(
  t: PagerTest,
  vmo: TestVmo,
  page = 0,
  pages?: number,
): Syscall<PageRange[]> {
  const [, size] = yield* t.sys.vmoGetSize(vmo.handle);
  const len = pages === undefined ? size - page * PAGE : pages * PAGE;
  const [st, ranges] = yield* t.sys.pagerQueryDirtyRanges(
    t.pager,
    vmo.handle,
    page * PAGE,
    len,
    64 * ZX_VMO_DIRTY_RANGE_SIZE,
  );
  expectStatus(st, ZX_OK, "zx_pager_query_dirty_ranges");
  return ranges.map((r) =>
    r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO
      ? [r.offset / PAGE, r.length / PAGE, "Z"] as const
      : [r.offset / PAGE, r.length / PAGE] as const
  );
}

/** The dirty ranges are exactly `want`. */
export function* expectDirty(t: PagerTest, vmo: TestVmo, want: PageRange[]): Syscall<void> {
  const got = yield* dirtyRanges(t, vmo);
  const text = (r: PageRange[]) => JSON.stringify(r);
  check(text(got) === text(want), () => `dirty ranges ${text(got)}, want ${text(want)}`);
}

/** Waits for DIRTY `[page, page + pages)` of `vmo`. */
export function* waitForPageDirty(t: PagerTest, vmo: TestVmo, page: number, pages: number) {
  yield* t.expectPacket({
    command: ZX_PAGER_VMO_DIRTY,
    key: vmo.key,
    offset: page * PAGE,
    length: pages * PAGE,
  });
}

/** `ZX_PAGER_OP_DIRTY` over `[page, page + pages)`; returns the status. */
export function* opDirty(t: PagerTest, vmo: TestVmo, page: number, pages: number): Syscall<Status> {
  return yield* t.sys.pagerOpRange(
    t.pager,
    ZX_PAGER_OP_DIRTY,
    vmo.handle,
    page * PAGE,
    pages * PAGE,
    0,
  );
}

/** {@linkcode opDirty} that must succeed. */
export function* ackDirty(t: PagerTest, vmo: TestVmo, page: number, pages: number) {
  expectStatus(yield* opDirty(t, vmo, page, pages), ZX_OK, `OP_DIRTY [${page},${page + pages})`);
}

/** WRITEBACK_BEGIN (with IS_ZERO if `zero`) over `[page, page + pages)`; returns the status. */
export function* begin(t: PagerTest, vmo: TestVmo, page: number, pages: number, zero = false) {
  return yield* t.sys.pagerOpRange(
    t.pager,
    ZX_PAGER_OP_WRITEBACK_BEGIN,
    vmo.handle,
    page * PAGE,
    pages * PAGE,
    zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
  );
}

/** WRITEBACK_END over `[page, page + pages)`; returns the status. */
export function* end(t: PagerTest, vmo: TestVmo, page: number, pages: number): Syscall<Status> {
  return yield* t.sys.pagerOpRange(
    t.pager,
    ZX_PAGER_OP_WRITEBACK_END,
    vmo.handle,
    page * PAGE,
    pages * PAGE,
    0,
  );
}

/** BEGIN then END over `[page, page + pages)`, both succeeding. */
export function* writeback(t: PagerTest, vmo: TestVmo, page: number, pages: number, zero = false) {
  expectStatus(yield* begin(t, vmo, page, pages, zero), ZX_OK, "WRITEBACK_BEGIN");
  expectStatus(yield* end(t, vmo, page, pages), ZX_OK, "WRITEBACK_END");
}

/** Writes back every dirty range the query reports (the 5.3 protocol). */
export function* writebackAll(t: PagerTest, vmo: TestVmo): Syscall<void> {
  for (const r of yield* dirtyRanges(t, vmo)) yield* writeback(t, vmo, r[0], r[1], r[2] === "Z");
}

/** Whether the modified stat is set; `reset` clears it. */
export function* modified(t: PagerTest, vmo: TestVmo, reset = true): Syscall<boolean> {
  const [st, stats] = yield* t.sys.pagerQueryVmoStats(
    t.pager,
    vmo.handle,
    reset ? ZX_PAGER_RESET_VMO_STATS : 0,
    4,
  );
  expectStatus(st, ZX_OK, "zx_pager_query_vmo_stats");
  check(stats !== null, "zx_pager_query_vmo_stats: ZX_OK without the stats");
  return stats.modified === ZX_PAGER_VMO_STATS_MODIFIED;
}

/** `ZX_INFO_VMO` of a handle. */
export function* info(t: PagerTest, handle: number): Syscall<VmoInfo> {
  const [st, i] = yield* t.sys.objectGetInfo(handle, ZX_INFO_VMO);
  expectStatus(st, ZX_OK, "zx_object_get_info");
  check(i !== null, "zx_object_get_info: ZX_OK without the ZX_INFO_VMO record");
  return i;
}

/** Committed pages of a handle's VMO. */
export function* committed(t: PagerTest, handle: number): Syscall<number> {
  return (yield* info(t, handle)).committedBytes / PAGE;
}

/** `zx_vmo_set_size` in pages, which must succeed. */
export function* resize(t: PagerTest, vmo: TestVmo, pages: number): Syscall<void> {
  expectStatus(yield* t.sys.vmoSetSize(vmo.handle, pages * PAGE), ZX_OK, `resize to ${pages}`);
}

/** A child of `parent` (default: the harness clone, at-least-on-write and resizable), mapped RW. */
export function* child(
  t: PagerTest,
  parent: { handle: number; key: number },
  pages: number,
  options = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
  offsetPages = 0,
  map = true,
): Syscall<TestVmo> {
  const [st, handle] = yield* t.sys.vmoCreateChild(
    parent.handle,
    options,
    offsetPages * PAGE,
    pages * PAGE,
  );
  expectStatus(st, ZX_OK, "zx_vmo_create_child");
  let addr = 0;
  if (map) {
    const [ms, a] = yield* t.sys.vmarMap(
      t.sys.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
      0,
      handle,
      0,
      pages * PAGE,
    );
    expectStatus(ms, ZX_OK, "zx_vmar_map of a child");
    addr = a;
  }
  // The shifted key makes the child's expected content match the parent's (as the harness does).
  return { key: parent.key + offsetPages * (PAGE / 8), handle, pages, addr };
}

/** Starts a thread writing `bytes` at page `page` through the mapping or with vmo_write. */
export function writer(
  t: PagerTest,
  vmo: TestVmo,
  page: number,
  bytes: Uint8Array,
  access: Access = "vmo",
): Worker {
  return t.spawn(`write[${page}]+${bytes.length}`, function* (sys, w) {
    if (access === "vmo") w.status = yield* sys.vmoWrite(vmo.handle, bytes, page * PAGE);
    else {
      yield* sys.memWrite(vmo.addr + page * PAGE, bytes);
      w.status = ZX_OK;
    }
  });
}

/** `pages` pages filled with `byte`. */
export function fill(pages: number, byte: number): Uint8Array {
  return new Uint8Array(pages * PAGE).fill(byte);
}

/** Reads `[page, page + pages)` with vmo_read (must not block) and returns the bytes. */
export function* readNow(t: PagerTest, vmo: TestVmo, page: number, pages: number) {
  const [st, data] = yield* t.sys.vmoRead(vmo.handle, page * PAGE, pages * PAGE);
  expectStatus(st, ZX_OK, `zx_vmo_read [${page},${page + pages})`);
  return data;
}

/** Bytes equal. */
export function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** All bytes zero. */
export function zeros(a: Uint8Array): boolean {
  return a.every((x) => x === 0);
}

/** `ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE`. */
export const CAN_MAP = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;

/** A sub-region of `pages` pages (`root_vmar->allocate`): its handle and base address. */
export function* region(
  t: PagerTest,
  parent: number,
  options: number,
  offset: number,
  pages: number,
): Syscall<[number, number]> {
  const [st, h, base] = yield* t.sys.vmarAllocate(parent, options, offset, pages * PAGE);
  expectStatus(st, ZX_OK, "zx_vmar_allocate");
  return [h, base];
}

/** Maps `vmo` (a handle) at page `page` of `vmar` with `perms`; must land at `want`. */
export function* mapAt(
  t: PagerTest,
  vmar: number,
  perms: number,
  page: number,
  vmo: number,
  pages: number,
  want: number,
): Syscall<void> {
  const [st, addr] = yield* t.sys.vmarMap(
    vmar,
    ZX_VM_SPECIFIC | perms,
    page * PAGE,
    vmo,
    0,
    pages * PAGE,
  );
  expectStatus(st, ZX_OK, "zx_vmar_map");
  check(addr === want, `mapped at ${addr.toString(16)}, not ${want.toString(16)}`);
}

/** A worker running `zx_vmar_op_range(vmar, op, addr, size)`. */
export function vmarOp(t: PagerTest, vmar: number, op: number, addr: number, size: number): Worker {
  return t.spawn(`vmar op ${op} [${addr.toString(16)},+${size})`, function* (sys, w) {
    w.status = yield* sys.vmarOpRange(vmar, op, addr, size);
  });
}
