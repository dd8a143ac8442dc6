/**
 * Conformance cases tagged `multi-vmo`: several VMOs on one pager and port,
 * each request carrying its own key, and a mapping swapped between VMOs while
 * threads are blocked (spec 1.4, 4.2).
 *
 * @module
 */

import { ZX_OK, ZX_VM_PERM_READ, ZX_VM_SPECIFIC_OVERWRITE } from "../kernel/constants.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  isBlockedOnPager,
  PAGE,
  pagerCase,
  pattern,
  type TestVmo,
  type Worker,
} from "./harness.ts";

const AREA = "multi-vmo";

/** The `multi-vmo` cases. */
export const MULTI_VMO_CASES: readonly ConformanceCase[] = [
  // Eight VMOs, one mapped reader each; supplying VMO i wakes reader i only.
  pagerCase("P15", "MultipleConcurrentVmoTest", AREA, function* (t) {
    const vmos: TestVmo[] = [];
    const readers: Worker[] = [];
    for (let i = 0; i < 8; i++) {
      vmos.push(yield* t.vmo(1));
      readers.push(t.reader(vmos[i], 0, 1, "vmar"));
      yield* t.waitForPageRead(vmos[i], 0, 1);
    }
    for (let i = 0; i < 8; i++) {
      yield* t.supplyOk(vmos[i], 0, 1);
      yield* t.expectRead(readers[i], vmos[i], 0, 1);
      for (let j = i + 1; j < 8; j++) {
        yield* t.waitUntilBlocked(readers[j]);
        check(isBlockedOnPager(readers[j].thread), `supplying VMO ${i} released reader ${j}`);
      }
    }
    yield* t.expectNoPacket();
  }),

  // Blocked readers of vmo1's mapping refault on vmo2 once the range is remapped.
  pagerCase("P17", "VmarRemapTest", AREA, function* (t) {
    const vmo1 = yield* t.vmo(8);
    const vmo2 = yield* t.vmo(8);
    const addr = vmo1.addr;
    const readers: Worker[] = [];
    for (let i = 0; i < 8; i++) {
      readers.push(t.spawn(`read-page-${i}`, function* (sys, w) {
        w.data = yield* sys.memRead(addr + i * PAGE, PAGE);
        w.status = ZX_OK;
      }));
    }
    for (const r of readers) yield* t.waitUntilBlocked(r);
    const base = t.world.kernel.rootVmar.base;
    const [ms, newAddr] = yield* t.sys.vmarMap(
      t.sys.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE,
      addr - base,
      vmo2.handle,
      0,
      8 * PAGE,
    );
    expectStatus(ms, ZX_OK, "zx_vmar_map SPECIFIC_OVERWRITE");
    check(newAddr === addr, `remapped at ${newAddr}, not ${addr}`);
    yield* t.supplyOk(vmo1, 0, 8);
    for (const r of readers) yield* t.waitUntilBlocked(r);
    for (let i = 0; i < 8; i++) {
      const req = yield* t.getPageReadRequest(vmo2);
      check(req !== null && req[1] === 1, () => `vmo2 request ${req} is not one page`);
      yield* t.supplyOk(vmo2, req[0], 1);
      yield* t.expectReadData(readers[req[0]], pattern(vmo2, req[0], 1));
    }
    yield* t.expectNoPacket();
  }),
];
