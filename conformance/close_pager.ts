/**
 * Conformance cases tagged `close-pager`: closing the last pager handle
 * detaches every VMO without COMPLETE but leaves present pages readable
 * (spec 1.1, 4.4).
 *
 * @module
 */

import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";
import { check, type ConformanceCase, expectStatus, PAGE, pagerCase, pattern } from "./harness.ts";

const AREA = "close-pager";

/** The `close-pager` cases. */
export const CLOSE_PAGER_CASES: readonly ConformanceCase[] = [
  // A mapped reader blocked on page 0 faults BAD_STATE; supplied page 1 stays readable.
  pagerCase("P30", "ClosePagerTest", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    const r = t.reader(vmo, 0, 1, "vmar");
    yield* t.supplyOk(vmo, 1, 1);
    yield* t.waitUntilBlocked(r);
    expectStatus(yield* t.sys.handleClose(t.pager), ZX_OK, "closing the pager handle");
    yield* t.expectCrash(r, ZX_ERR_BAD_STATE);
    const page1 = yield* t.sys.memRead(vmo.addr + PAGE, PAGE);
    const want = pattern(vmo, 1, 1);
    check(page1.every((b, i) => b === want[i]), "page 1 lost its content after the pager closed");
    // No COMPLETE, and no READ, after the pager is gone (K7).
    yield* t.expectNoPacket();
  }),

  // Detaching, then closing the pager: no error.
  pagerCase("P31", "DetachClosePagerTest", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    expectStatus(yield* t.sys.handleClose(t.pager), ZX_OK, "closing the pager handle");
    // The unread COMPLETE is withdrawn with the pager (spec 1.1, K7).
    yield* t.expectNoPacket();
  }),
];
