import { strict as assert } from "node:assert";
import {
  statusName,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import { predict } from "./contract.ts";
import { HandleModel } from "./handle_model.ts";

const PS = 4096;

Deno.test("zx_vmo_create_child of a pager VMO: the outcome spec 6.1 decides, and null where it does not", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_PAGER);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, 1, 3 * PS); // fixed size: 3 pages
  m.create(3, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 3 * PS);
  m.create(4, ZX_OBJ_TYPE_VMO, 0, null, 3 * PS); // anonymous: the model refuses, not predicted
  const cases: [
    handle: number,
    options: number,
    offset: number,
    size: number,
    want: number | null,
  ][] = [
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 5 * PS, ZX_OK], // past the end: a clone may
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE, PS, 100, ZX_OK],
    [2, ZX_VMO_CHILD_SNAPSHOT, 0, PS, ZX_ERR_NOT_SUPPORTED],
    [2, ZX_VMO_CHILD_SLICE, PS, 2 * PS, ZX_OK],
    [2, ZX_VMO_CHILD_SLICE, PS, 2 * PS + 1, ZX_ERR_INVALID_ARGS], // rounds up past the end
    [2, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PS, ZX_ERR_INVALID_ARGS],
    [3, ZX_VMO_CHILD_SLICE, 0, PS, null], // resizable parent: its size is not tracked
    [2, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_OK],
    [2, ZX_VMO_CHILD_REFERENCE, PS, 0, ZX_ERR_INVALID_ARGS],
    [2, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PS, null], // pins decide it
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 1, PS, null], // unaligned: not decided here
    [4, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS, null],
    [2, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_REFERENCE, 0, PS, ZX_ERR_INVALID_ARGS], // two types
  ];
  for (const [h, options, offset, size, want] of cases) {
    const got = predict("zx_vmo_create_child", [h, options, offset, size], m, PS);
    assert.equal(
      got === null ? null : statusName(got),
      want === null ? null : statusName(want),
      `handle ${h} options 0x${options.toString(16)} offset ${offset} size ${size}`,
    );
  }
});

Deno.test("zx_vmar_allocate in the root VMAR: made while the program's placements reach far under its span", () => {
  const m = new HandleModel();
  m.createRootVmar(1);
  m.create(2, ZX_OBJ_TYPE_VMAR); // a region's handle: its free space is not tracked
  const rw = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const at = (h: number, options: number, offset: number, size: number) => {
    const got = predict("zx_vmar_allocate", [h, options, offset, size], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(at(1, rw, 0, 16 * PS), "ZX_OK");
  assert.equal(at(1, rw | ZX_VM_SPECIFIC, 0, PS), null); // where it lands decides
  assert.equal(at(2, rw, 0, PS), null);
  assert.equal(at(1, rw, 0, 0), "ZX_ERR_INVALID_ARGS");
  m.rootReach = 2 ** 46 - PS; // the root may be nearly full: not decided
  assert.equal(at(1, rw, 0, 16 * PS), null);
});

Deno.test("zx_vmar_map in the root VMAR: mapped when the kernel places it and the handles have the rights", () => {
  const m = new HandleModel();
  m.createRootVmar(1);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, null, PS);
  m.alias(3, present(m.get(1), "root"), ZX_RIGHT_READ); // a read-only duplicate of the root
  const map = (vmar: number, options: number, len: number) => {
    const got = predict("zx_vmar_map", [vmar, options, 0, 2, 0, len], m, PS);
    return got === null ? null : statusName(got);
  };
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  assert.equal(map(1, rw, 4 * PS), "ZX_OK"); // past the VMO's end too
  assert.equal(map(3, ZX_VM_PERM_READ, PS), "ZX_OK");
  assert.equal(map(3, rw, PS), null); // the handle lacks WRITE: not decided here
  assert.equal(map(1, rw | ZX_VM_SPECIFIC, PS), null);
  m.rootReach = 2 ** 46;
  assert.equal(map(1, rw, PS), null);
});
