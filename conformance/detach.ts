/**
 * Conformance cases tagged `detach`: `zx_pager_detach_vmo` queues COMPLETE,
 * releases blocked threads with BAD_STATE and makes later supplies fail
 * (spec 2.3, 4.2).
 *
 * @module
 */

import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";
import {
  type Access,
  check,
  type ConformanceCase,
  expectStatus,
  pagerCase,
  type PagerTest,
  skipped,
  TRAP_NOTRAP,
  VMAR_VMO,
  vmoVmarCases,
} from "./harness.ts";

const AREA = "detach";

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

  ...skipped(
    "P23",
    "DecommitOnDetachTest",
    AREA,
    VMAR_VMO,
    "needs a COW clone (zx_vmo_create_child SNAPSHOT_AT_LEAST_ON_WRITE, kernel level 2)",
  ),

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

  ...skipped(
    "P101",
    "DetachAndAlwaysNeed",
    AREA,
    [],
    "needs ZX_VMO_OP_ALWAYS_NEED (eviction hints, kernel level 2)",
  ),
  ...skipped(
    "W63",
    "WritebackDirtyPagesAfterDetach",
    AREA,
    TRAP_NOTRAP,
    "needs dirty tracking, zx_pager_query_dirty_ranges and WRITEBACK_BEGIN/END (kernel level 2)",
  ),
  ...skipped(
    "W66",
    "NoDirtyRequestsAfterDetach",
    AREA,
    VMAR_VMO,
    "needs ZX_VMO_TRAP_DIRTY and WRITEBACK_BEGIN (kernel level 2)",
  ),
  ...skipped(
    "W68",
    "ResolveDirtyRequestAfterDetach",
    AREA,
    [],
    "needs ZX_VMO_TRAP_DIRTY, DIRTY requests and ZX_PAGER_OP_DIRTY (kernel level 2)",
  ),
];
