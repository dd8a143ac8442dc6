// The program contract's ReferenceSize (program/reference_size.ts): a reference of a resizable
// pager VMO reports the VMO's size as its last lone successful resize left it, and nothing is
// judged while that size is not surely known.
import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_STATE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import { HandleModel } from "./handle_model.ts";
import { ReferenceSize } from "./reference_size.ts";

const PS = 4096;

/** A resizable pager VMO (handle 5) and a reference of it (handle 6). */
function setup() {
  const model = new HandleModel();
  model.create(5, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, PS);
  model.create(6, ZX_OBJ_TYPE_VMO, 0, 1, PS);
  const r = new ReferenceSize();
  const call = (
    name: string,
    args: unknown[],
    status: number,
    value = 0,
    t = 0,
    info?: VmoInfo,
  ) => {
    r.start(name, args, model, t);
    return r.end(name, args, status, value, info, model, t, PS);
  };
  call("zx_pager_create_vmo", [1, ZX_VMO_RESIZABLE, 2, 0, PS], ZX_OK, 5);
  call("zx_vmo_create_child", [5, ZX_VMO_CHILD_REFERENCE, 0, 0], ZX_OK, 6);
  return { model, r, call };
}

Deno.test("ReferenceSize: a reference reports its parent's size, as made and after each resize", () => {
  const { call } = setup();
  assert.equal(call("zx_vmo_get_size", [6], ZX_OK, PS), null);
  assert.equal(call("zx_vmo_set_size", [5, 3 * PS - 8], ZX_OK), null);
  assert.match(
    call("zx_vmo_get_size", [6], ZX_OK, PS) ?? "",
    /^size 4096 of a reference .* is 12288/,
  );
  assert.equal(call("zx_vmo_get_size", [6], ZX_OK, 3 * PS), null);
  const info = { sizeBytes: PS } as VmoInfo;
  assert.match(call("zx_object_get_info", [6, 0], ZX_OK, 0, 0, info) ?? "", /size 4096/);
});

Deno.test("ReferenceSize: nothing is judged while a resize runs, after a failed one, or after two overlapped", () => {
  const { r, model, call } = setup();
  // A query that a resize overlaps (begun after the query began) is unjudged.
  r.start("zx_vmo_get_size", [6], model, 1);
  call("zx_vmo_set_size", [5, 2 * PS], ZX_OK);
  assert.equal(r.end("zx_vmo_get_size", [6], ZX_OK, PS, undefined, model, 1, PS), null);
  // A failed resize leaves the size unknown.
  call("zx_vmo_set_size", [5, 0], ZX_ERR_BAD_STATE);
  assert.equal(call("zx_vmo_get_size", [6], ZX_OK, 7 * PS), null);
  // Two overlapping resizes leave it unknown too, even both ZX_OK.
  r.start("zx_vmo_set_size", [5, PS], model, 0);
  r.start("zx_vmo_set_size", [5, 2 * PS], model, 1);
  r.end("zx_vmo_set_size", [5, PS], ZX_OK, 0, undefined, model, 0, PS);
  r.end("zx_vmo_set_size", [5, 2 * PS], ZX_OK, 0, undefined, model, 1, PS);
  assert.equal(call("zx_vmo_get_size", [6], ZX_OK, 5 * PS), null);
  // A lone resize makes it known again.
  call("zx_vmo_set_size", [5, PS], ZX_OK);
  assert.notEqual(call("zx_vmo_get_size", [6], ZX_OK, 5 * PS), null);
});

Deno.test("ReferenceSize: a slice, a reference of a reference, or a fixed-size VMO's reference is not judged", () => {
  const { model, call } = setup();
  model.create(7, ZX_OBJ_TYPE_VMO, 0, 1, PS);
  call("zx_vmo_create_child", [6, ZX_VMO_CHILD_REFERENCE, 0, 0], ZX_OK, 7);
  model.create(8, ZX_OBJ_TYPE_VMO, 0, 1, PS);
  call("zx_vmo_create_child", [5, ZX_VMO_CHILD_SLICE, 0, PS], ZX_OK, 8);
  model.create(9, ZX_OBJ_TYPE_VMO, 0, 1, PS);
  model.create(10, ZX_OBJ_TYPE_VMO, 0, 1, PS);
  call("zx_pager_create_vmo", [1, 0, 2, 0, PS], ZX_OK, 9);
  call("zx_vmo_create_child", [9, ZX_VMO_CHILD_REFERENCE, 0, 0], ZX_OK, 10);
  call("zx_vmo_set_size", [5, 2 * PS], ZX_OK);
  for (const h of [7, 8, 10]) assert.equal(call("zx_vmo_get_size", [h], ZX_OK, 9 * PS), null);
});
