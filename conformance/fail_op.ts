/**
 * Conformance cases tagged `fail-op`: `ZX_PAGER_OP_FAIL` with the newest
 * counting rules (spec 2.5.1, 3.7).
 *
 * @module
 */

import {
  PAGER_FAIL_CODES,
  statusName,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_OK,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import { expectDirty, fill, readNow, same, waitForPageDirty, writer } from "./_level2.ts";
import { check, type ConformanceCase, expectStatus, PAGE, pagerCase, pattern } from "./harness.ts";

const AREA = "fail-op";

/** The `fail-op` cases. */
export const FAIL_OP_CASES: readonly ConformanceCase[] = [
  // Failing one VMO fails only its own committer; no stray READs.
  pagerCase("P65", "FailMultipleVmos", AREA, function* (t) {
    const vmo1 = yield* t.vmo(1);
    const vmo2 = yield* t.vmo(1);
    const t1 = t.committer(vmo1, 0, 1);
    yield* t.waitForPageRead(vmo1, 0, 1);
    yield* t.expectNoRead(vmo2);
    const t2 = t.committer(vmo2, 0, 1);
    yield* t.waitForPageRead(vmo2, 0, 1);
    expectStatus(yield* t.failPages(vmo1, 0, 1), ZX_OK, "OP_FAIL vmo1");
    yield* t.expectStatusOf(t1, ZX_ERR_IO);
    check(t2.thread.end.kind === "running", "failing vmo1 ended vmo2's committer");
    yield* t.expectNoRead(vmo1);
    expectStatus(yield* t.failPages(vmo2, 0, 1), ZX_OK, "OP_FAIL vmo2");
    yield* t.expectStatusOf(t2, ZX_ERR_IO);
    yield* t.expectNoPacket();
  }),

  // Commits [0,2), [9,11), [5,7); supply 0, fail [1,10), supply 10: a fresh READ [1,2) appears.
  pagerCase("P66", "FailOverlappingRangeCommit", AREA, function* (t) {
    const vmo = yield* t.vmo(11);
    const t1 = t.committer(vmo, 0, 2);
    yield* t.waitForPageRead(vmo, 0, 2);
    const t2 = t.committer(vmo, 9, 2);
    yield* t.waitForPageRead(vmo, 9, 2);
    const t3 = t.committer(vmo, 5, 2);
    yield* t.waitForPageRead(vmo, 5, 2);
    yield* t.supplyOk(vmo, 0, 1);
    expectStatus(yield* t.failPages(vmo, 1, 9), ZX_OK, "OP_FAIL [1,10)");
    yield* t.supplyOk(vmo, 10, 1);
    yield* t.waitForPageRead(vmo, 1, 1);
    expectStatus(yield* t.failPages(vmo, 1, 9), ZX_OK, "OP_FAIL [1,10) again");
    for (const w of [t1, t2, t3]) yield* t.expectStatusOf(w, ZX_ERR_IO);
    yield* t.expectNoPacket();
  }),

  // The same ranges through vmo_read; fail first, then supply pages 0 and 10.
  pagerCase("P67", "FailOverlappingRangeRead", AREA, function* (t) {
    const vmo = yield* t.vmo(11);
    const t1 = t.reader(vmo, 0, 2, "vmo");
    yield* t.waitForPageRead(vmo, 0, 2);
    const t2 = t.reader(vmo, 9, 2, "vmo");
    yield* t.waitForPageRead(vmo, 9, 2);
    const t3 = t.reader(vmo, 5, 2, "vmo");
    yield* t.waitForPageRead(vmo, 5, 2);
    expectStatus(yield* t.failPages(vmo, 1, 9), ZX_OK, "OP_FAIL [1,10)");
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.supplyOk(vmo, 10, 1);
    yield* t.waitForPageRead(vmo, 1, 1);
    expectStatus(yield* t.failPages(vmo, 1, 9), ZX_OK, "OP_FAIL [1,10) again");
    for (const w of [t1, t2, t3]) yield* t.expectStatusOf(w, ZX_ERR_IO);
    yield* t.expectNoPacket();
  }),

  // Detach fails the blocked commit; OP_FAIL afterwards returns an error; no READs.
  pagerCase("P69", "FailAfterDetach", AREA, function* (t) {
    const vmo = yield* t.vmo(11);
    const c = t.committer(vmo, 0, 11);
    yield* t.waitForPageRead(vmo, 0, 11);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.expectStatusOf(c, ZX_ERR_BAD_STATE);
    yield* t.expectNoRead(vmo);
    expectStatus(yield* t.failPages(vmo, 0, 11), ZX_ERR_BAD_STATE, "OP_FAIL after detach");
    yield* t.expectNoRead(vmo);
    yield* t.waitForPageComplete(vmo);
  }),

  // The code OP_FAIL is given is the one each blocked thread gets back, for every code OP_FAIL
  // accepts: a commit and a vmo_read blocked on one READ [0,11) both fail with it, and no READ
  // follows (FailErrorCode, zircon/system/utest/core/pager/pager.cc @ vsrinivas/fuchsia
  // c3526a3b; the five codes are `PAGER_FAIL_CODES`, IsValidExternalFailureCode). Upstream makes a
  // fresh pager per code; here a fresh VMO per code of the case's one pager.
  pagerCase("PX9", "FailErrorCode", AREA, function* (t) {
    for (const code of PAGER_FAIL_CODES) {
      const vmo = yield* t.vmo(11);
      const c = t.committer(vmo, 0, 11);
      yield* t.waitUntilBlocked(c);
      const r = t.reader(vmo, 0, 11, "vmo");
      yield* t.waitUntilBlocked(r);
      yield* t.waitForPageRead(vmo, 0, 11);
      expectStatus(yield* t.failPages(vmo, 0, 11, code), ZX_OK, `OP_FAIL ${statusName(code)}`);
      yield* t.expectStatusOf(c, code);
      yield* t.expectStatusOf(r, code);
      yield* t.expectNoRead(vmo);
    }
  }),

  // An early-waking read fails on its next page even though page 2 was never resolved.
  pagerCase("P70", "FailEarlyWake", AREA, function* (t) {
    const vmo = yield* t.vmo(3);
    const r = t.reader(vmo, 0, 3, "vmo");
    yield* t.waitUntilBlocked(r);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.waitForData(r, vmo, 0, 1);
    yield* t.waitUntilBlocked(r);
    expectStatus(yield* t.failPages(vmo, 1, 1, ZX_ERR_IO), ZX_OK, "OP_FAIL page 1");
    yield* t.expectStatusOf(r, ZX_ERR_IO);
  }),

  // Failing is not sticky: a second commit gets a fresh READ and succeeds after supply.
  pagerCase("P73", "SupplyAfterFail", AREA, function* (t) {
    const vmo = yield* t.vmo(11);
    const c1 = t.committer(vmo, 0, 11);
    yield* t.waitForPageRead(vmo, 0, 11);
    expectStatus(yield* t.failPages(vmo, 0, 11), ZX_OK, "OP_FAIL");
    yield* t.expectStatusOf(c1, ZX_ERR_IO);
    yield* t.expectNoRead(vmo);
    const c2 = t.committer(vmo, 0, 11);
    yield* t.waitForPageRead(vmo, 0, 11);
    yield* t.supplyOk(vmo, 0, 11);
    yield* t.expectOk(c2);
    yield* t.expectNoPacket();
    const [st, bytes] = yield* t.sys.vmoRead(vmo.handle, 10 * PAGE, 8);
    expectStatus(st, ZX_OK, "vmo_read after the supply");
    const want = pattern(vmo, 10, 1).subarray(0, 8);
    check(bytes.every((b, i) => b === want[i]), "supplied page 10 has the wrong content");
  }),

  // OP_FAIL answers DIRTY requests too: the writers fail and the pages stay clean and unchanged.
  pagerCase("W11", "FailDirtyRequests", AREA, function* (t) {
    const vmo = yield* t.vmo(2, ZX_VMO_TRAP_DIRTY);
    yield* t.supplyOk(vmo, 0, 2);
    const mapped = writer(t, vmo, 0, fill(1, 1), "vmar");
    yield* waitForPageDirty(t, vmo, 0, 1);
    expectStatus(yield* t.failPages(vmo, 0, 1), ZX_OK, "OP_FAIL of DIRTY [0,1)");
    yield* t.expectCrash(mapped, ZX_ERR_IO);
    const syscall = writer(t, vmo, 1, fill(1, 2));
    yield* waitForPageDirty(t, vmo, 1, 1);
    expectStatus(yield* t.failPages(vmo, 1, 1), ZX_OK, "OP_FAIL of DIRTY [1,2)");
    yield* t.expectStatusOf(syscall, ZX_ERR_IO);
    yield* expectDirty(t, vmo, []);
    check(same(yield* readNow(t, vmo, 0, 2), pattern(vmo, 0, 2)), "a failed write changed data");
    yield* t.expectNoPacket();
  }),
];
