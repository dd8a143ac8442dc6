/**
 * Conformance cases tagged `query-stats`: `zx_pager_query_dirty_ranges` buffer
 * handling and `zx_pager_query_vmo_stats`' modified flag (spec 2.6, 2.7, K25).
 *
 * @module
 */

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_OK,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  ackDirty,
  child,
  expectDirty,
  fill,
  modified,
  readNow,
  same,
  waitForPageDirty,
  writer,
} from "./_level2.ts";
import { trapCases, writeAcked } from "./dirty.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  pattern,
  type TestVmo,
} from "./harness.ts";

const AREA = "query-stats";

function* vmoFor(t: PagerTest, trap: boolean, pages = 1): Syscall<TestVmo> {
  const vmo = yield* t.vmo(pages, trap ? ZX_VMO_TRAP_DIRTY : 0);
  yield* t.supplyOk(vmo, 0, pages);
  return vmo;
}

/** The `query-stats` cases. */
export const QUERY_STATS_CASES: readonly ConformanceCase[] = [
  ...trapCases("W19", "NoQueryOnClone", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    yield* writeAcked(t, vmo, 0, fill(1, 1), trap);
    yield* expectDirty(t, vmo, [[0, 1]]);
    const clone = yield* child(t, vmo, 1);
    yield* t.expectOk(writer(t, clone, 0, fill(1, 2)));
    const [st] = yield* t.sys.pagerQueryDirtyRanges(t.pager, clone.handle, 0, PAGE, 24);
    expectStatus(st, ZX_ERR_INVALID_ARGS, "dirty query on the clone");
    check((yield* readNow(t, clone, 0, 1))[0] === 2, "the clone lost its own data");
    yield* t.expectNoPacket();
  }),

  ...trapCases("W69", "ModifiedOnVmoWrite", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    if (trap) yield* ackDirty(t, vmo, 0, 1);
    check(!(yield* modified(t, vmo)), "modified before the write");
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 1)));
    check(yield* modified(t, vmo), "not modified after the write");
    check(!(yield* modified(t, vmo)), "the resetting query did not clear it");
  }),

  ...trapCases("W70", "ModifiedOnMappingWrite", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    if (trap) yield* ackDirty(t, vmo, 0, 1);
    check(!(yield* modified(t, vmo)), "modified before the write");
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 1), "vmar"));
    check(yield* modified(t, vmo), "not modified after the write");
    check(!(yield* modified(t, vmo)), "the resetting query did not clear it");
  }),

  ...trapCases("W74", "NotModifiedOnMappingRead", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    yield* t.expectRead(t.reader(vmo, 0, 1, "vmar"), vmo, 0, 1);
    check(!(yield* modified(t, vmo)), "a read set modified");
    yield* expectDirty(t, vmo, []);
  }),

  // The trap variant: page 0 pre-dirtied, a 2-page write, DIRTY [1,2) failed.
  pagerCase("W77", "ModifiedOnPartialVmoWriteTrapDirty", AREA, function* (t) {
    const vmo = yield* t.vmo(2, ZX_VMO_TRAP_DIRTY);
    yield* t.supplyOk(vmo, 0, 2);
    yield* ackDirty(t, vmo, 0, 1);
    check(!(yield* modified(t, vmo)), "modified before");
    const w = writer(t, vmo, 0, fill(2, 9));
    yield* waitForPageDirty(t, vmo, 1, 1);
    expectStatus(yield* t.failPages(vmo, 1, 1), ZX_OK, "OP_FAIL page 1");
    yield* t.expectStatusOf(w, ZX_ERR_IO);
    check(yield* modified(t, vmo), "the partial write did not set modified");
    check((yield* readNow(t, vmo, 0, 1))[0] === 9, "page 0 lacks the new data");
    yield* expectDirty(t, vmo, [[0, 1]]);
  }),
  // The no-trap variant: the write's source is a mapped pager VMO whose page 1 READ is failed;
  // the destination's page 1 was dirtied before the copy from it faulted.
  pagerCase("W77", "ModifiedOnPartialVmoWriteNoTrapDirty", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 2);
    check(!(yield* modified(t, vmo)), "modified before");
    const src = yield* t.vmo(2);
    yield* t.supplyOk(src, 0, 1);
    const w = t.spawn("write from a pager-backed buffer", function* (sys, w) {
      w.status = yield* sys.vmoWrite(vmo.handle, new Uint8Array(2 * PAGE), 0, src.addr);
    });
    yield* t.waitForPageRead(src, 1, 1);
    expectStatus(yield* t.failPages(src, 1, 1), ZX_OK, "OP_FAIL page 1 of the source");
    yield* t.expectStatusOf(w, ZX_ERR_IO);
    check(yield* modified(t, vmo), "the partial write did not set modified");
    check(same(yield* readNow(t, vmo, 0, 1), pattern(src, 0, 1)), "page 0 lacks the new data");
    yield* expectDirty(t, vmo, [[0, 2]]);
  }),

  ...trapCases("W78", "NotModifiedCloneWrite", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    const clone = yield* child(t, vmo, 1);
    yield* t.expectOk(writer(t, clone, 0, fill(1, 3)));
    check(!(yield* modified(t, vmo)), "a clone write set the parent's modified");
    yield* expectDirty(t, vmo, []);
    const [st] = yield* t.sys.pagerQueryVmoStats(t.pager, clone.handle, 0, 4);
    expectStatus(st, ZX_ERR_INVALID_ARGS, "stats query on the clone");
    check(
      (yield* readNow(t, vmo, 0, 1)).every((b, i) => b === pattern(vmo, 0, 1)[i]),
      "parent data changed",
    );
  }),

  ...trapCases("W79", "ModifiedNoReset", AREA, function* (t, trap) {
    const vmo = yield* vmoFor(t, trap);
    yield* writeAcked(t, vmo, 0, fill(1, 1), trap);
    check(yield* modified(t, vmo, false), "not modified");
    check(yield* modified(t, vmo, false), "the non-resetting query cleared it");
    check(yield* modified(t, vmo), "the resetting query did not report it");
    check(!(yield* modified(t, vmo)), "the resetting query did not clear it");
  }),

  pagerCase("W92", "QueryEarlyTermination", AREA, function* (t) {
    const vmo = yield* vmoFor(t, false, 3);
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 1)));
    yield* t.expectOk(writer(t, vmo, 2, fill(1, 1)));
    for (const n of [0, 1, 2]) {
      const [st, ranges, avail] = yield* t.sys.pagerQueryDirtyRanges(
        t.pager,
        vmo.handle,
        0,
        3 * PAGE,
        n * ZX_VMO_DIRTY_RANGE_SIZE,
      );
      expectStatus(st, ZX_OK, `query with room for ${n}`);
      check(ranges.length === n && avail === 2, `actual ${ranges.length}, avail ${avail}`);
      if (n > 0) check(ranges[0].offset === 0 && ranges[0].length === PAGE, "first range");
    }
  }),
];
