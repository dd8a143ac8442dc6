/**
 * Conformance rows upstream runs only with the system resource (a dummy
 * IOMMU): BTI pinning of pager-backed VMOs (`zx_bti_pin`, `zx_pmt_unpin`).
 * They keep their `<file>X<n>` ids from conformance/level2.ts; their areas are
 * the inventory's (supply, resize).
 *
 * @module
 */

import {
  ZX_BTI_PERM_READ,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import { fill, readNow, resize, same } from "./_level2.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  type TestVmo,
} from "./harness.ts";

/** `zx_bti_create` on the dummy IOMMU, which must succeed. */
export function* bti(t: PagerTest): Syscall<number> {
  const [st, h] = yield* t.sys.btiCreate(0, 0xdeadbeef);
  expectStatus(st, ZX_OK, "zx_bti_create");
  return h;
}

/** Pins pages `[page, page + pages)` of `vmo` for reading; the PMT handle. */
export function* pinOk(
  t: PagerTest,
  b: number,
  vmo: TestVmo,
  page: number,
  pages: number,
): Syscall<number> {
  const [st, pmt] = yield* t.sys.btiPin(b, ZX_BTI_PERM_READ, vmo.handle, page * PAGE, pages * PAGE);
  expectStatus(st, ZX_OK, `zx_bti_pin [${page},${page + pages})`);
  return pmt;
}

/** The pinning rows that run. */
export const BTI_CASES: readonly ConformanceCase[] = [
  // Supplying over a pinned page leaves it alone (PinnedSupplyPages, vsrinivas/fuchsia
  // zircon/system/utest/core/pager/pager.cc).
  pagerCase("PX1", "PinnedSupplyPages", "supply", function* (t) {
    const vmo = yield* t.vmo(3);
    const zeros = new Uint8Array(PAGE);
    yield* t.supplyOk(vmo, 1, 1, { content: null });
    check(same(yield* readNow(t, vmo, 1, 1), zeros), "the supplied page is not zero");
    const data = fill(1, 0xa);
    expectStatus(yield* t.sys.vmoWrite(vmo.handle, data, PAGE), ZX_OK, "overwrite page 1");
    const b = yield* bti(t);
    const pmt = yield* pinOk(t, b, vmo, 1, 1);
    yield* t.supplyOk(vmo, 0, 3, { content: null });
    check(same(yield* readNow(t, vmo, 1, 1), data), "the pinned page was overwritten");
    check(same(yield* readNow(t, vmo, 0, 1), zeros), "page 0 was not supplied with zeros");
    check(same(yield* readNow(t, vmo, 2, 1), zeros), "page 2 was not supplied with zeros");
    expectStatus(yield* t.sys.pmtUnpin(pmt), ZX_OK, "zx_pmt_unpin");
  }),

  // A shrink while a pin waits on a page request makes the pin fail OUT_OF_RANGE
  // (ResizeBlockedPin, pager.cc).
  pagerCase("PX2", "ResizeBlockedPin", "resize", function* (t) {
    const vmo = yield* t.vmo(2, ZX_VMO_RESIZABLE);
    const b = yield* bti(t);
    const w = t.spawn("pin [1,2)", function* (sys, w) {
      [w.status] = yield* sys.btiPin(b, ZX_BTI_PERM_READ, vmo.handle, PAGE, PAGE);
    });
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* resize(t, vmo, 0);
    yield* t.expectStatusOf(w, ZX_ERR_OUT_OF_RANGE);
  }),
];
