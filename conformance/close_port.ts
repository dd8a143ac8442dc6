/**
 * Conformance cases tagged `close-port`: cancelling or closing the port never
 * wedges the pager's other paths (spec 1.3, 3.3).
 *
 * @module
 */

import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  isBlockedOnPager,
  PAGE,
  pagerCase,
  pattern,
  vmoVmarCases,
} from "./harness.ts";

const AREA = "close-port";

/** The `close-port` cases. */
export const CLOSE_PORT_CASES: readonly ConformanceCase[] = [
  // Cancelling the queued packet by key must free the VMO's packet slot for the next request.
  ...vmoVmarCases("P2", "CancelKeyDoesNotWedgeThePager", AREA, function* (t, access) {
    const vmo = yield* t.vmo(2);
    const a = t.reader(vmo, 0, 1, access);
    yield* t.waitUntilBlocked(a);
    expectStatus(yield* t.sys.portCancelKey(t.port, 0, vmo.key), ZX_OK, "zx_port_cancel_key");
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(a, vmo, 0, 1);
    const b = t.reader(vmo, 1, 1, access);
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 1, 1);
    yield* t.expectRead(b, vmo, 1, 1);
    // The cancelled READ [0,1) never comes back.
    yield* t.expectNoPacket();
  }),

  // With the port closed, supply still works; detach then releases the stranded reader.
  pagerCase("P32", "ClosePortTest", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    const r = t.reader(vmo, 0, 1, "vmar");
    yield* t.waitUntilBlocked(r);
    expectStatus(yield* t.sys.handleClose(t.port), ZX_OK, "closing the port handle");
    yield* t.supplyOk(vmo, 1, 1);
    const page1 = yield* t.sys.memRead(vmo.addr + PAGE, PAGE);
    const want = pattern(vmo, 1, 1);
    check(page1.every((b, i) => b === want[i]), "page 1 is not readable after the port closed");
    check(isBlockedOnPager(r.thread), "closing the port released the blocked reader (K11)");
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
    yield* t.expectCrash(r, ZX_ERR_BAD_STATE);
  }),
];
