/**
 * Unit tests of the handle table: deterministic values, handle counts, the
 * lookup order BAD_HANDLE < WRONG_TYPE < ACCESS_DENIED (spec 1.5), garbage
 * handle values, and the named handle limit.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  LIMITS,
  type Status,
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
} from "./constants.ts";
import { KernelAssertionError } from "./assert.ts";
import { HandleTable, type KernelObject } from "./handles.ts";

function object(koid: number, objType: number): KernelObject {
  return { koid, objType, handleCount: 0 };
}

Deno.test("handle values are deterministic: 0x10, 0x20, ... and never reused", () => {
  const table = new HandleTable();
  const a = object(1, ZX_OBJ_TYPE_VMO);
  assert.deepEqual(table.add(a, 0), [ZX_OK, 0x10]);
  assert.deepEqual(table.add(a, 0), [ZX_OK, 0x20]);
  table.remove(0x20);
  assert.deepEqual(table.add(a, 0), [ZX_OK, 0x30]);
});

Deno.test("handle counts follow add and remove", () => {
  const table = new HandleTable();
  const a = object(1, ZX_OBJ_TYPE_VMO);
  const [, h1] = table.add(a, 0);
  const [, h2] = table.add(a, 0);
  assert.equal(a.handleCount, 2);
  assert.equal(table.size, 2);
  assert.equal(table.remove(h1), a);
  assert.equal(a.handleCount, 1);
  assert.equal(table.remove(h1), undefined, "removing twice finds nothing");
  assert.equal(a.handleCount, 1);
  table.remove(h2);
  assert.equal(a.handleCount, 0);
  assert.equal(table.size, 0);
});

Deno.test("rights are stored as an unsigned 32-bit mask", () => {
  const table = new HandleTable();
  const [, h] = table.add(object(1, ZX_OBJ_TYPE_VMO), ZX_RIGHT_SAME_RIGHTS | ZX_RIGHT_READ);
  assert.equal(table.entry(h)?.rights, 2 ** 31 + ZX_RIGHT_READ);
});

const PAGER_RIGHTS = ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO;

/** Lookup rows: handle, wanted type and rights, expected status. */
const LOOKUPS: readonly {
  name: string;
  handle: (pager: number, vmo: number) => unknown;
  type: number;
  rights: number;
  want: Status;
}[] = [
  {
    name: "matching type and rights",
    handle: (p) => p,
    type: ZX_OBJ_TYPE_PAGER,
    rights: ZX_RIGHT_MANAGE_VMO,
    want: ZX_OK,
  },
  {
    name: "no rights wanted",
    handle: (_p, v) => v,
    type: ZX_OBJ_TYPE_VMO,
    rights: 0,
    want: ZX_OK,
  },
  {
    name: "unknown value",
    handle: () => 0x999,
    type: ZX_OBJ_TYPE_PAGER,
    rights: 0,
    want: ZX_ERR_BAD_HANDLE,
  },
  {
    name: "ZX_HANDLE_INVALID",
    handle: () => 0,
    type: ZX_OBJ_TYPE_PAGER,
    rights: 0,
    want: ZX_ERR_BAD_HANDLE,
  },
  {
    name: "wrong type",
    handle: (_p, v) => v,
    type: ZX_OBJ_TYPE_PAGER,
    rights: 0,
    want: ZX_ERR_WRONG_TYPE,
  },
  {
    name: "missing rights",
    handle: (p) => p,
    type: ZX_OBJ_TYPE_PAGER,
    rights: ZX_RIGHT_WRITE,
    want: ZX_ERR_ACCESS_DENIED,
  },
  {
    name: "only some of the wanted rights",
    handle: (p) => p,
    type: ZX_OBJ_TYPE_PAGER,
    rights: ZX_RIGHT_MANAGE_VMO | ZX_RIGHT_WRITE,
    want: ZX_ERR_ACCESS_DENIED,
  },
  {
    name: "order: wrong type wins over missing rights",
    handle: (_p, v) => v,
    type: ZX_OBJ_TYPE_PAGER,
    rights: PAGER_RIGHTS,
    want: ZX_ERR_WRONG_TYPE,
  },
  ...([
    ["NaN", NaN],
    ["string of a valid value", "16"],
    ["undefined", undefined],
    [
      "null",
      null,
    ],
    ["object", {}],
    ["fraction", 16.5],
  ] as [string, unknown][]).map(([label, x]) => ({
    name: `garbage handle (${label})`,
    handle: () => x,
    type: ZX_OBJ_TYPE_PAGER,
    rights: 0,
    want: ZX_ERR_BAD_HANDLE,
  })),
];

for (const row of LOOKUPS) {
  Deno.test(`lookup: ${row.name} -> ${statusName(row.want)}`, () => {
    const table = new HandleTable();
    const [, pager] = table.add(object(1, ZX_OBJ_TYPE_PAGER), PAGER_RIGHTS);
    const [, vmo] = table.add(object(2, ZX_OBJ_TYPE_VMO), ZX_RIGHT_READ);
    assert.equal(pager, 16, "the string row relies on the first handle being 0x10");
    const got = table.get(row.handle(pager, vmo), row.type, row.rights);
    assert.equal(statusName(got.status), statusName(row.want));
    assert.equal(got.ok, row.want === ZX_OK);
    if (got.ok) assert.equal(got.object.koid, row.handle(pager, vmo) === pager ? 1 : 2);
    else assert.equal(got.object, undefined);
  });
}

Deno.test("remove of a garbage value finds nothing and changes nothing", () => {
  const table = new HandleTable();
  const a = object(1, ZX_OBJ_TYPE_VMO);
  table.add(a, 0);
  for (const x of ["16", NaN, undefined, null]) assert.equal(table.remove(x), undefined);
  assert.equal(a.handleCount, 1);
});

Deno.test("iteration lists open handles in creation order", () => {
  const table = new HandleTable();
  const [, h1] = table.add(object(1, ZX_OBJ_TYPE_VMO), 0);
  const [, h2] = table.add(object(2, ZX_OBJ_TYPE_VMO), 0);
  const [, h3] = table.add(object(3, ZX_OBJ_TYPE_VMO), 0);
  table.remove(h2);
  assert.deepEqual([...table].map(([h]) => h), [h1, h3]);
});

Deno.test("the named handle limit gives NO_RESOURCES and hands out no handle", () => {
  const table = new HandleTable();
  const a = object(1, ZX_OBJ_TYPE_VMO);
  for (let i = 0; i < LIMITS.maxHandles; i++) table.add(a, 0);
  assert.deepEqual(table.add(a, 0), [ZX_ERR_NO_RESOURCES, 0]);
  assert.equal(a.handleCount, LIMITS.maxHandles);
});

Deno.test("a handle count driven below zero is a kernel assertion", () => {
  const table = new HandleTable();
  const a = object(1, ZX_OBJ_TYPE_VMO);
  const [, h] = table.add(a, 0);
  a.handleCount = 0; // bookkeeping broken elsewhere: the table still holds a handle to it
  assert.throws(() => table.remove(h), KernelAssertionError);
});
