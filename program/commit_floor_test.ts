import { strict as assert } from "node:assert";
import {
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import { CommitFloor } from "./commit_floor.ts";
import { HandleModel } from "./handle_model.ts";

const PS = 4096;

/** A `zx_info_vmo_t` whose only field the floor reads is `committedBytes`. */
function info(committedBytes: number): VmoInfo {
  return { committedBytes } as VmoInfo;
}

Deno.test("CommitFloor: a COMMIT's pages (rounded out, trimmed to the VMO) must show in committed_bytes", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 3 * PS);
  const f = new CommitFloor();
  // From half a page in to past the end: pages 0-2, not a fourth.
  assert.equal(
    f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_COMMIT, PS / 2, 4 * PS], ZX_OK, undefined, m, PS),
    null,
  );
  assert.equal(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(3 * PS), m, PS), null);
  assert.match(
    f.observe("zx_object_get_info", [5, 0], ZX_OK, info(2 * PS), m, PS) ?? "",
    /committed_bytes 8192, but a COMMIT left 3 pages/,
  );
});

Deno.test("CommitFloor: a failed COMMIT, a resizable VMO and a DECOMMIT leave no floor", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS);
  m.create(6, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, null, 2 * PS);
  const f = new CommitFloor();
  f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_COMMIT, 0, PS], -1, undefined, m, PS);
  assert.equal(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(0), m, PS), null);
  f.observe("zx_vmo_op_range", [6, ZX_VMO_OP_COMMIT, 0, PS], ZX_OK, undefined, m, PS);
  assert.equal(f.observe("zx_object_get_info", [6, 0], ZX_OK, info(0), m, PS), null);
  f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_COMMIT, 0, 2 * PS], ZX_OK, undefined, m, PS);
  f.observe("zx_vmo_read", [5, 0, PS], ZX_OK, undefined, m, PS);
  assert.notEqual(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(0), m, PS), null);
  f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_DECOMMIT, 0, PS], ZX_OK, undefined, m, PS);
  assert.equal(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(0), m, PS), null);
  f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_COMMIT, 0, 2 * PS], ZX_OK, undefined, m, PS);
  f.observe("zx_vmar_op_range", [1, 0, 0, PS], ZX_OK, undefined, m, PS);
  assert.equal(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(0), m, PS), null);
});

Deno.test("CommitFloor: a query with a user buffer is not judged (its record predates a blocking copy-out)", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS);
  const f = new CommitFloor();
  f.observe("zx_vmo_op_range", [5, ZX_VMO_OP_COMMIT, 0, 2 * PS], ZX_OK, undefined, m, PS);
  assert.equal(f.observe("zx_object_get_info", [5, 0, 0x1000], ZX_OK, info(0), m, PS), null);
  // The floor stands: the same query without a buffer is judged.
  assert.notEqual(f.observe("zx_object_get_info", [5, 0], ZX_OK, info(0), m, PS), null);
});
