/**
 * Conformance cases tagged `resize`: `zx_vmo_set_size` on resizable pager VMOs
 * (spec 2.8.3, 6.2, K20, K21): blocked accessors beyond the new size fail with
 * OUT_OF_RANGE, shrinks resolve and discard, grows add Dirty zero intervals.
 *
 * @module
 */

import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import {
  ackDirty,
  begin,
  child,
  end,
  expectDirty,
  fill,
  info,
  modified,
  opDirty,
  resize,
  waitForPageDirty,
  writer,
} from "./_level2.ts";
import { trapCases, writeAcked } from "./dirty.ts";
import {
  type Access,
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  vmoVmarCases,
} from "./harness.ts";

const AREA = "resize";
const R = ZX_VMO_RESIZABLE;
const RTRAP = ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY;

function* readResize(t: PagerTest, access: Access) {
  const vmo = yield* t.vmo(1, R);
  const r = t.reader(vmo, 0, 1, access);
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* resize(t, vmo, 0);
  yield* t.expectFailure(r, access, ZX_ERR_OUT_OF_RANGE);
}

/** The `resize` cases. */
export const RESIZE_CASES: readonly ConformanceCase[] = [
  ...vmoVmarCases("P19", "ReadResizeTest", AREA, readResize),

  pagerCase("P52", "ResizeCommitTest", AREA, function* (t) {
    const vmo = yield* t.vmo(3, R);
    const c = t.committer(vmo, 0, 3);
    yield* t.waitForPageRead(vmo, 0, 3);
    yield* t.supplyOk(vmo, 2, 1);
    yield* resize(t, vmo, 1);
    yield* t.waitUntilBlocked(c);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  pagerCase("P96", "EarlyWakeWithResize", AREA, function* (t) {
    const vmo = yield* t.vmo(16, R);
    const r = t.reader(vmo, 0, 16, "vmo");
    yield* t.waitForPageRead(vmo, 0, 16);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.waitForData(r, vmo, 0, 1);
    yield* resize(t, vmo, 8);
    yield* t.supplyOk(vmo, 1, 7);
    yield* t.expectStatusOf(r, ZX_ERR_OUT_OF_RANGE);
  }),

  // S5 is not in the inventory: a shrink of a root whose clone chain has no private pages.
  pagerCase("S6", "ResizeShrinkSnapshotWithEmptyParent", AREA, function* (t) {
    const vmo = yield* t.vmo(3, R);
    yield* t.supplyOk(vmo, 0, 3);
    const clone = yield* child(t, vmo, 3, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, false);
    const snap = yield* child(t, clone, 3, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, false);
    yield* resize(t, vmo, 2);
    check((yield* info(t, clone.handle)).populatedBytes === 0, "clone populated");
    check((yield* info(t, snap.handle)).populatedBytes === 0, "snapshot populated");
    check((yield* info(t, vmo.handle)).populatedBytes === 2 * PAGE, "root populated");
  }),

  pagerCase("W28", "ResizeDirtyRequest", AREA, function* (t) {
    const vmo = yield* t.vmo(2, RTRAP);
    yield* t.supplyOk(vmo, 0, 2);
    yield* resize(t, vmo, 3);
    yield* writeAcked(t, vmo, 1, fill(2, 1), true);
    yield* expectDirty(t, vmo, [[1, 2]]);
    yield* resize(t, vmo, 6);
    yield* writeAcked(t, vmo, 4, fill(1, 2), true);
    yield* expectDirty(t, vmo, [[1, 2], [3, 1, "Z"], [4, 1], [5, 1, "Z"]]);
    yield* resize(t, vmo, 8);
    const w = writer(t, vmo, 0, fill(8, 3));
    yield* waitForPageDirty(t, vmo, 0, 1);
    yield* ackDirty(t, vmo, 0, 1);
    yield* waitForPageDirty(t, vmo, 3, 1);
    yield* ackDirty(t, vmo, 3, 1);
    yield* waitForPageDirty(t, vmo, 5, 3);
    yield* ackDirty(t, vmo, 5, 3);
    yield* t.expectOk(w);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[0, 8]]);
  }),

  pagerCase("W30", "ResizeWithOutstandingDirtyRequests", AREA, function* (t) {
    const vmo = yield* t.vmo(5, RTRAP);
    yield* t.supplyOk(vmo, 1, 1, { content: null });
    yield* t.supplyOk(vmo, 3, 1);
    yield* resize(t, vmo, 6);
    yield* expectDirty(t, vmo, [[5, 1, "Z"]]);
    const ws = [1, 3, 5].map((p) => writer(t, vmo, p, fill(1, p)));
    const r = t.reader(vmo, 2, 1, "vmo");
    for (const p of [1, 3, 5]) yield* waitForPageDirty(t, vmo, p, 1);
    yield* t.waitForPageRead(vmo, 2, 1);
    yield* t.expectNoPacket();
    yield* resize(t, vmo, 1);
    for (const w of [...ws, r]) yield* t.expectStatusOf(w, ZX_ERR_OUT_OF_RANGE);
    for (const p of [1, 3, 5]) {
      check((yield* opDirty(t, vmo, p, 1)) !== ZX_OK, `OP_DIRTY on page ${p} succeeded`);
    }
    check((yield* t.supply(vmo, 2, 1)) !== ZX_OK, "supply of page 2 succeeded");
    yield* expectDirty(t, vmo, []);
  }),

  pagerCase("W31", "ResizeWritebackWithOutstandingDirtyRequests", AREA, function* (t) {
    const vmo = yield* t.vmo(2, RTRAP);
    yield* t.supplyOk(vmo, 0, 2);
    yield* resize(t, vmo, 5);
    yield* writeAcked(t, vmo, 4, fill(1, 4), true);
    yield* expectDirty(t, vmo, [[2, 2, "Z"], [4, 1]]);
    expectStatus(yield* begin(t, vmo, 2, 3), ZX_OK, "BEGIN [2,5)");
    const w1 = writer(t, vmo, 1, fill(2, 1));
    yield* waitForPageDirty(t, vmo, 1, 2);
    const w2 = writer(t, vmo, 3, fill(2, 2));
    yield* waitForPageDirty(t, vmo, 3, 2);
    expectStatus(yield* end(t, vmo, 2, 1), ZX_OK, "END [2,3)");
    yield* resize(t, vmo, 1);
    yield* t.expectStatusOf(w1, ZX_ERR_OUT_OF_RANGE);
    yield* t.expectStatusOf(w2, ZX_ERR_OUT_OF_RANGE);
    yield* expectDirty(t, vmo, []);
    check((yield* end(t, vmo, 3, 2)) !== ZX_OK, "END [3,5) after the shrink succeeded");
  }),

  ...trapCases("W38", "ResizeWritebackIntersectingResize", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : R);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 3);
    expectStatus(yield* begin(t, vmo, 1, 2, true), ZX_OK, "BEGIN zero [1,3)");
    yield* resize(t, vmo, 2);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    expectStatus(yield* end(t, vmo, 1, 2), ZX_ERR_OUT_OF_RANGE, "END [1,3) past the size");
    expectStatus(yield* end(t, vmo, 1, 1), ZX_OK, "END [1,2)");
    yield* expectDirty(t, vmo, []);
    yield* resize(t, vmo, 3);
    expectStatus(yield* begin(t, vmo, 1, 2, true), ZX_OK, "BEGIN zero [1,3) again");
    yield* resize(t, vmo, 1);
    yield* expectDirty(t, vmo, []);
    check((yield* end(t, vmo, 1, 2)) !== ZX_OK, "END after the window was cut succeeded");
  }),

  ...trapCases("W39", "ResizeWritebackNonIntersectingResize", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : R);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 3);
    expectStatus(yield* begin(t, vmo, 1, 1, true), ZX_OK, "BEGIN zero [1,2)");
    yield* resize(t, vmo, 2);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    expectStatus(yield* end(t, vmo, 1, 1), ZX_OK, "END [1,2)");
    yield* expectDirty(t, vmo, []);
  }),

  ...trapCases("W82", "CommitResizeRace", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(2, trap ? RTRAP : R);
    yield* t.supplyOk(vmo, 0, 1);
    check(!(yield* modified(t, vmo)), "modified before");
    const c = t.committer(vmo, 0, 2);
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* resize(t, vmo, 1);
    yield* t.expectOk(c);
    check(yield* modified(t, vmo), "the resize did not set modified");
    yield* expectDirty(t, vmo, []);
  }),
];
