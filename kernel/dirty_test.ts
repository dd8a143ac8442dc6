/**
 * Dirty tracking of zero intervals through `ZX_PAGER_OP_WRITEBACK_BEGIN` / `_END` (spec 2.5.3,
 * 2.5.4): an interval's awaiting-clean length decides how much of it an END removes.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_RESIZABLE,
} from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { runSync } from "./yields.ts";

const PS = 4096;

Deno.test("WRITEBACK_END removes only the part of a zero interval its BEGIN covered", () => {
  // Spec 2.5.4: "zero intervals whose awaiting-clean length covers them are removed ...;
  // partially covered intervals are clipped from the front."
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, ZX_VMO_RESIZABLE, port, 1, PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  // Spec 2.8.3: a grow adds the Dirty zero interval [1, 4).
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 4 * PS)), ZX_OK);
  const op = (code: number, start: number, pages: number) =>
    runSync(k.zx_pager_op_range(t, pager, code, vmo, start * PS, pages * PS, 0));
  assert.equal(op(ZX_PAGER_OP_WRITEBACK_BEGIN, 1, 2), ZX_OK);
  assert.equal(op(ZX_PAGER_OP_WRITEBACK_END, 1, 3), ZX_OK);
  const [st, ranges] = runSync(k.zx_pager_query_dirty_ranges(t, pager, vmo, 0, 4 * PS, 240));
  assert.equal(st, ZX_OK);
  assert.deepEqual(
    ranges.map((r) => [r.offset, r.length, r.options]),
    [[3 * PS, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO]],
  );
});
