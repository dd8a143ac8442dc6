/**
 * Conformance cases tagged `decommit/evict`: the eviction hints ALWAYS_NEED and
 * DONT_NEED through `zx_vmo_op_range` (spec 2.8.2, 6.3). The VMAR variants
 * need `zx_vmar_op_range` over sub-VMARs and unmapped gaps, which the model's
 * VMAR (a flat list of mappings) does not have.
 *
 * @module
 */

import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import { resize } from "./_level2.ts";
import {
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  skipped,
  type TestVmo,
  type Worker,
} from "./harness.ts";

const AREA = "decommit/evict";
const NO_VMAR_OP =
  "needs zx_vmar_op_range over VMAR ranges (sub-VMARs, unmapped gaps -> BAD_STATE); " +
  "the model's VMAR is a flat list of mappings without op_range";

function hinter(t: PagerTest, vmo: TestVmo, op: number, offset: number, size: number): Worker {
  return t.spawn(`hint ${op} [${offset},+${size})`, function* (sys, w) {
    w.status = yield* sys.vmoOpRange(vmo.handle, op, offset, size);
  });
}

/** The `decommit/evict` cases. */
export const EVICT_CASES: readonly ConformanceCase[] = [
  pagerCase("P82", "EvictionHintAlwaysNeed", AREA, function* (t) {
    const vmo = yield* t.vmo(20);
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 10 * PAGE, 5 * PAGE);
    yield* t.waitForPageRead(vmo, 10, 5);
    yield* t.supplyOk(vmo, 10, 5);
    yield* t.expectOk(h);
    yield* t.expectNoPacket();
  }),

  pagerCase("P83", "EvictionHintsOpRange", AREA, function* (t) {
    const vmo = yield* t.vmo(20);
    yield* t.supplyOk(vmo, 0, 10);
    for (const op of [ZX_VMO_OP_ALWAYS_NEED, ZX_VMO_OP_DONT_NEED]) {
      yield* t.expectOk(hinter(t, vmo, op, 0, 10 * PAGE));
      const past = yield* t.sys.vmoOpRange(vmo.handle, op, 15 * PAGE, 10 * PAGE);
      expectStatus(past, ZX_ERR_OUT_OF_RANGE, "hint past the end");
      const wrap = yield* t.sys.vmoOpRange(vmo.handle, op, PAGE, 2 ** 64 - PAGE);
      expectStatus(wrap, ZX_ERR_OUT_OF_RANGE, "hint with an overflowing range");
    }
    yield* t.expectNoPacket();
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 14 * PAGE + 100, PAGE);
    yield* t.waitForPageRead(vmo, 14, 2);
    yield* t.supplyOk(vmo, 14, 2);
    yield* t.expectOk(h);
    const [st, anon] = yield* t.sys.vmoCreate(4 * PAGE, 0);
    expectStatus(st, ZX_OK, "zx_vmo_create");
    for (const op of [ZX_VMO_OP_ALWAYS_NEED, ZX_VMO_OP_DONT_NEED]) {
      expectStatus(yield* t.sys.vmoOpRange(anon, op, 0, 4 * PAGE), ZX_OK, "hint on anonymous");
    }
    yield* t.expectNoPacket();
  }),

  pagerCase("P85", "EvictionHintsWithResize", AREA, function* (t) {
    const vmo = yield* t.vmo(20, ZX_VMO_RESIZABLE);
    const h = hinter(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 10 * PAGE, 10 * PAGE);
    yield* t.waitForPageRead(vmo, 10, 10);
    yield* t.supplyOk(vmo, 10, 2);
    yield* resize(t, vmo, 12);
    yield* t.expectOk(h);
    yield* t.expectNoPacket();
  }),

  ...skipped("P86", "EvictionHintsVmar", AREA, [], NO_VMAR_OP),
  ...skipped("P87", "EvictionHintsNestedVmar", AREA, [], NO_VMAR_OP),
  ...skipped("P88", "EvictionHintsCloneVmar", AREA, [], NO_VMAR_OP),
];
