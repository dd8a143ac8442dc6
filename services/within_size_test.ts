/**
 * The reference services' clipping of a supply to a VMO that shrank under it
 * ({@linkcode withinSize}, {@linkcode supplyWithinSize}), driven against a scripted `Sys`: the
 * sizes a resize leaves and the statuses the kernel answers are given, so each stopping rule is
 * reached directly (in a scenario they need a resize to land between a failed supply and the size
 * query).
 *
 * Spec 2.8.3 (zx_vmo_set_size): a supply of a range that reaches past the new end fails whole
 * with ZX_ERR_OUT_OF_RANGE; the part cut off was resolved by the shrink, the rest is still awaited.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  type Status,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
} from "../kernel/constants.ts";
import { runSync, type Syscall } from "../kernel/yields.ts";
import type { Sys } from "../sim/sys.ts";
import {
  type ServiceContext,
  type ServiceVmo,
  SHRINK_RETRIES,
  supplyWithinSize,
  withinSize,
} from "./service.ts";

const PS = 64;

/** A call of the scripted Sys: one scheduling point, as every syscall starts, then `value`. */
function* call<T>(name: string, value: T): Syscall<T> {
  yield { kind: "syscall", name };
  return value;
}

const VMO = { name: "a", key: 1, handle: 7, size: 4 * PS } as unknown as ServiceVmo;

/** A `Sys` whose zx_vmo_get_size answers `sizes` in turn and whose supplies answer `supplies`. */
function scripted(sizes: [Status, number][], supplies: Status[]) {
  const supplied: number[] = [];
  const sys = {
    vmoGetSize(): Syscall<[Status, number]> {
      const next = sizes.shift();
      assert.ok(next !== undefined, "a size query the test did not expect");
      return call("zx_vmo_get_size", next);
    },
    pagerSupplyPages(_p: number, _v: number, _o: number, length: number): Syscall<Status> {
      supplied.push(length);
      const next = supplies.shift();
      assert.ok(next !== undefined, "a supply the test did not expect");
      return call("zx_pager_supply_pages", next);
    },
  } as unknown as Sys;
  return { sys, supplied };
}

/** withinSize over `[offset, offset + length)` with an op that records its lengths. */
function clip(offset: number, length: number, sizes: [Status, number][], answers: Status[]) {
  const { sys } = scripted(sizes, []);
  const tried: number[] = [];
  const st = runSync(withinSize(sys, VMO, offset, length, (n) => {
    tried.push(n);
    return call("op", answers.shift() ?? ZX_OK);
  }));
  return { st, tried };
}

Deno.test("withinSize: a VMO shrunk to the range's start or below leaves nothing to supply: OUT_OF_RANGE, no retry", () => {
  for (const size of [2 * PS, PS, 0]) {
    const { st, tried } = clip(2 * PS, 2 * PS, [[ZX_OK, size]], [ZX_ERR_OUT_OF_RANGE]);
    assert.equal(st, ZX_ERR_OUT_OF_RANGE, `size ${size}`);
    assert.deepEqual(tried, [2 * PS], `size ${size}`);
  }
});

Deno.test("withinSize: a size query that fails ends the retries with the supply's OUT_OF_RANGE", () => {
  const { st, tried } = clip(0, 2 * PS, [[ZX_ERR_BAD_HANDLE, 0]], [ZX_ERR_OUT_OF_RANGE]);
  assert.equal(st, ZX_ERR_OUT_OF_RANGE);
  assert.deepEqual(tried, [2 * PS]);
  // Even when the size it reports would leave something to supply.
  const again = clip(0, 2 * PS, [[ZX_ERR_BAD_HANDLE, 4 * PS]], [ZX_ERR_OUT_OF_RANGE]);
  assert.equal(again.st, ZX_ERR_OUT_OF_RANGE);
  assert.deepEqual(again.tried, [2 * PS]);
});

Deno.test("withinSize: a VMO shrunk into the range is supplied up to its new end", () => {
  const { st, tried } = clip(PS, 3 * PS, [[ZX_OK, 2 * PS]], [ZX_ERR_OUT_OF_RANGE, ZX_OK]);
  assert.equal(st, ZX_OK);
  assert.deepEqual(tried, [3 * PS, PS]);
});

Deno.test("supplyWithinSize: a refill that fails stops the retry with its status, nothing more supplied", () => {
  const { sys, supplied } = scripted([[ZX_OK, 2 * PS]], [ZX_ERR_OUT_OF_RANGE]);
  const ctx = { pager: 3 } as unknown as ServiceContext;
  let refills = 0;
  const st = runSync(supplyWithinSize(sys, ctx, VMO, 0, 4 * PS, 9, () => {
    refills++;
    return call("zx_vmo_write", ZX_ERR_NO_MEMORY);
  }));
  assert.equal(st, ZX_ERR_NO_MEMORY);
  assert.equal(refills, 1);
  assert.deepEqual(supplied, [4 * PS]);
});

Deno.test("supplyWithinSize: after a refill that works, the clipped range is supplied", () => {
  const { sys, supplied } = scripted([[ZX_OK, 2 * PS]], [ZX_ERR_OUT_OF_RANGE, ZX_OK]);
  const ctx = { pager: 3 } as unknown as ServiceContext;
  const st = runSync(
    supplyWithinSize(sys, ctx, VMO, 0, 4 * PS, 9, () => call("zx_vmo_write", ZX_OK)),
  );
  assert.equal(st, ZX_OK);
  assert.deepEqual(supplied, [4 * PS, 2 * PS]);
});

Deno.test("supplyWithinSize: a refill that returns no status is taken as done", () => {
  const { sys, supplied } = scripted([[ZX_OK, 2 * PS]], [ZX_ERR_OUT_OF_RANGE, ZX_OK]);
  const ctx = { pager: 3 } as unknown as ServiceContext;
  const st = runSync(
    supplyWithinSize(sys, ctx, VMO, 0, 4 * PS, 9, () => call("refill", undefined)),
  );
  assert.equal(st, ZX_OK);
  assert.deepEqual(supplied, [4 * PS, 2 * PS]);
});

Deno.test("withinSize: the same size after a failed try is tried again (it may have shrunk and grown back), up to SHRINK_RETRIES", () => {
  // A README-only user's reader: size 5 pages, shrunk to 2 and grown back to 5 before each size
  // query, twice; the supply gave up after the second try and the READ was never answered.
  const aba = clip(0, 4 * PS, [[ZX_OK, 5 * PS], [ZX_OK, 5 * PS]], [
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_OK,
  ]);
  assert.equal(aba.st, ZX_OK);
  assert.deepEqual(aba.tried, [4 * PS, 4 * PS, 4 * PS]);
  // A kernel variant that fails every try: bounded.
  const sizes: [Status, number][] = Array.from({ length: SHRINK_RETRIES }, () => [ZX_OK, 2 * PS]);
  const stuck = clip(0, 4 * PS, sizes, Array(SHRINK_RETRIES + 1).fill(ZX_ERR_OUT_OF_RANGE));
  assert.equal(stuck.st, ZX_ERR_OUT_OF_RANGE);
  assert.equal(stuck.tried.length, SHRINK_RETRIES + 1);
});

Deno.test("withinSize: it follows a VMO that shrank again, or grew back, after each failed try", () => {
  // Shrunk again between the retry and the next size query: retried with what fits now.
  const shrunk = clip(0, 4 * PS, [[ZX_OK, 3 * PS], [ZX_OK, 2 * PS]], [
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_OK,
  ]);
  assert.equal(shrunk.st, ZX_OK);
  assert.deepEqual(shrunk.tried, [4 * PS, 3 * PS, 2 * PS]);
  // Grown back to its old size: the whole range again (giving up would strand its first reader).
  const grown = clip(0, 4 * PS, [[ZX_OK, 2 * PS], [ZX_OK, 4 * PS]], [
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_OK,
  ]);
  assert.equal(grown.st, ZX_OK);
  assert.deepEqual(grown.tried, [4 * PS, 2 * PS, 4 * PS]);
  // The same size seen again, but the last try was cut shorter than what fits: tried again.
  const same = clip(0, 4 * PS, [[ZX_OK, 2 * PS], [ZX_OK, 3 * PS], [ZX_OK, 2 * PS]], [
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_ERR_OUT_OF_RANGE,
    ZX_OK,
  ]);
  assert.equal(same.st, ZX_OK);
  assert.deepEqual(same.tried, [4 * PS, 2 * PS, 3 * PS, 2 * PS]);
});
