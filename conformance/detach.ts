/**
 * Conformance cases tagged `detach`: `zx_pager_detach_vmo` queues COMPLETE,
 * releases blocked threads with BAD_STATE and makes later supplies fail
 * (spec 2.3, 4.2).
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import {
  ackDirty,
  begin,
  child,
  committed,
  end,
  expectDirty,
  fill,
  opDirty,
  readNow,
  same,
  waitForPageDirty,
  writeback,
  writer,
} from "./_level2.ts";
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

const AREA = "detach";
const TRAP = ZX_VMO_TRAP_DIRTY;

/** Upstream `DecommitOnDetachTest`: a clone's read commits a parent page; detach drops it. */
function* decommitOnDetach(t: PagerTest, access: Access) {
  const vmo = yield* t.vmo(2);
  const clone = yield* child(t, vmo, 2);
  const r = t.reader(clone, 0, 1, access);
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.expectRead(r, clone, 0, 1);
  check((yield* committed(t, vmo.handle)) === 1, "the parent holds the supplied page");
  expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
  yield* t.waitForPageComplete(vmo);
  check((yield* committed(t, vmo.handle)) === 0, "detach left the parent's clean page committed");
  yield* t.expectFailure(t.reader(vmo, 0, 1, access), access, ZX_ERR_BAD_STATE);
  yield* t.expectFailure(t.reader(clone, 0, 1, access), access, ZX_ERR_BAD_STATE);
  yield* t.expectNoPacket();
}

/** Upstream `WritebackDirtyPagesAfterDetach`: dirty data survives detach and can be written back. */
function* writebackAfterDetach(t: PagerTest, trap: boolean) {
  const vmo = yield* t.vmo(1, trap ? TRAP : 0);
  yield* t.supplyOk(vmo, 0, 1);
  const data = fill(1, 0x5c);
  const w = writer(t, vmo, 0, data);
  if (trap) {
    yield* waitForPageDirty(t, vmo, 0, 1);
    yield* ackDirty(t, vmo, 0, 1);
  }
  yield* t.expectOk(w);
  yield* expectDirty(t, vmo, [[0, 1]]);
  expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
  yield* t.waitForPageComplete(vmo);
  check((yield* committed(t, vmo.handle)) === 1, "detach dropped a dirty page");
  yield* expectDirty(t, vmo, [[0, 1]]);
  check(same(yield* readNow(t, vmo, 0, 1), data), "syscall read after detach lost the write");
  yield* t.expectReadData(t.reader(vmo, 0, 1, "vmar"), data);
  yield* writeback(t, vmo, 0, 1);
  yield* expectDirty(t, vmo, []);
  yield* t.expectNoPacket();
}

/** Upstream `NoDirtyRequestsAfterDetach`: writes needing a DIRTY request fail once detached. */
function* noDirtyAfterDetach(t: PagerTest, access: Access) {
  // (a) a Clean page.
  const a = yield* t.vmo(1, TRAP);
  yield* t.supplyOk(a, 0, 1);
  expectStatus(yield* t.detach(a), ZX_OK, "zx_pager_detach_vmo");
  yield* t.waitForPageComplete(a);
  yield* t.expectFailure(writer(t, a, 0, fill(1, 1), access), access, ZX_ERR_BAD_STATE);
  yield* t.expectNoPacket();
  yield* expectDirty(t, a, []);
  // (b) a page awaiting clean: it stays dirty until END cleans it.
  const b = yield* t.vmo(1, TRAP);
  yield* t.supplyOk(b, 0, 1);
  const w = writer(t, b, 0, fill(1, 2));
  yield* waitForPageDirty(t, b, 0, 1);
  yield* ackDirty(t, b, 0, 1);
  yield* t.expectOk(w);
  expectStatus(yield* begin(t, b, 0, 1), ZX_OK, "WRITEBACK_BEGIN");
  expectStatus(yield* t.detach(b), ZX_OK, "zx_pager_detach_vmo");
  yield* t.waitForPageComplete(b);
  yield* t.expectFailure(writer(t, b, 0, fill(1, 3), access), access, ZX_ERR_BAD_STATE);
  yield* t.expectNoPacket();
  yield* expectDirty(t, b, [[0, 1]]);
  check(same(yield* readNow(t, b, 0, 1), fill(1, 2)), "the failed write changed the page");
  expectStatus(yield* end(t, b, 0, 1), ZX_OK, "WRITEBACK_END");
  yield* expectDirty(t, b, []);
}

/** Upstream `ReadInterrupt{Late,Early}Test` with detach: the READ was dequeued or not yet. */
function* readDetachInterrupt(t: PagerTest, access: Access, late: boolean) {
  const vmo = yield* t.vmo(1);
  const r = t.reader(vmo, 0, 1, access);
  if (late) yield* t.waitForPageRead(vmo, 0, 1);
  else yield* t.waitUntilBlocked(r);
  expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
  yield* t.expectFailure(r, access, ZX_ERR_BAD_STATE);
  yield* t.waitForPageComplete(vmo);
  // The unread READ was withdrawn before COMPLETE was queued (K6).
  yield* t.expectNoPacket();
}

/** The `detach` cases. */
export const DETACH_CASES: readonly ConformanceCase[] = [
  // Detaching an untouched VMO queues COMPLETE.
  pagerCase("P22", "DetachPageCompleteTest", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.waitForPageComplete(vmo);
    yield* t.expectNoPacket();
  }),

  ...vmoVmarCases("P23", "DecommitOnDetachTest", AREA, decommitOnDetach),

  ...vmoVmarCases(
    "P27",
    "ReadDetachInterruptLateTest",
    AREA,
    (t, a) => readDetachInterrupt(t, a, true),
  ),
  ...vmoVmarCases(
    "P29",
    "ReadDetachInterruptEarlyTest",
    AREA,
    (t, a) => readDetachInterrupt(t, a, false),
  ),

  // After detach a supply fails and no READ appears.
  pagerCase("P72", "SupplyAfterDetach", AREA, function* (t) {
    const vmo = yield* t.vmo(11);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.expectNoRead(vmo);
    const st = yield* t.supply(vmo, 0, 11);
    check(st !== ZX_OK, "supply after detach succeeded");
    expectStatus(st, ZX_ERR_BAD_STATE, "supply after detach");
    yield* t.expectNoRead(vmo);
    yield* t.waitForPageComplete(vmo);
  }),

  // ALWAYS_NEED over a detached VMO commits nothing, raises nothing, and reports OK.
  pagerCase("P101", "DetachAndAlwaysNeed", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.waitForPageComplete(vmo);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ALWAYS_NEED, 0, 2 * PAGE),
      ZX_OK,
      "ALWAYS_NEED after detach",
    );
    yield* t.expectNoPacket();
  }),

  pagerCase(
    "W63",
    "WritebackDirtyPagesAfterDetachTrapDirty",
    AREA,
    (t) => writebackAfterDetach(t, true),
  ),
  pagerCase(
    "W63",
    "WritebackDirtyPagesAfterDetachNoTrapDirty",
    AREA,
    (t) => writebackAfterDetach(t, false),
  ),
  ...vmoVmarCases("W66", "NoDirtyRequestsAfterDetach", AREA, noDirtyAfterDetach),

  // A writer blocked on DIRTY fails with BAD_STATE at detach; OP_FAIL and OP_DIRTY then fail too.
  pagerCase("W68", "ResolveDirtyRequestAfterDetach", AREA, function* (t) {
    const vmo = yield* t.vmo(1, TRAP);
    yield* t.supplyOk(vmo, 0, 1);
    const w = writer(t, vmo, 0, fill(1, 7));
    yield* waitForPageDirty(t, vmo, 0, 1);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.expectStatusOf(w, ZX_ERR_BAD_STATE);
    yield* t.waitForPageComplete(vmo);
    const failed = yield* t.failPages(vmo, 0, 1);
    check(failed !== ZX_OK, "OP_FAIL after detach succeeded");
    const dirtied = yield* opDirty(t, vmo, 0, 1);
    check(dirtied !== ZX_OK, "OP_DIRTY after detach succeeded");
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),
];
