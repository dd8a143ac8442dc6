/**
 * The model's status and rights numbers against tables written out here from the upstream
 * headers, independently of `constants.ts`: a status renumbered or renamed there (a trace, a
 * verdict and the syscall contract all compare statuses by the model's own numbers and names on
 * both sides, so none of them would notice) fails here.
 *
 * Sources: `zircon/system/public/zircon/errors.h` and `zircon/system/public/zircon/rights.h` @
 * gnoliyil/fuchsia 26dba52e (errors.h is generated from `//zircon/vdso/errors.fidl`), and
 * `PageSource::IsValidExternalFailureCode` in `zircon/kernel/vm/page_source.cc`.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import * as C from "./constants.ts";
import { IO_SUB_CODES, isStatus, PAGER_FAIL_CODES, statusName } from "./constants.ts";
import { UPSTREAM_STATUS } from "../properties/_zx_status.ts";

/**
 * errors.h's statuses the model names (it leaves out the filesystem and network ones), from the
 * one hand-written copy of upstream's table that the syscall contract also judges by
 * (`properties/_zx_status.ts`); the count pins the set, so a status the model stops naming fails.
 */
const UPSTREAM_STATUSES: readonly (readonly [string, number])[] = [...UPSTREAM_STATUS]
  .filter(([name]) => Object.hasOwn(C, name));

Deno.test("the model names 31 of errors.h's statuses", () => {
  assert.equal(UPSTREAM_STATUSES.length, 31, UPSTREAM_STATUSES.map(([n]) => n).join(" "));
});

/** rights.h, every single right the model names but the two VMO rights (newer than that copy). */
const UPSTREAM_RIGHTS: readonly (readonly [string, number])[] = [
  ["ZX_RIGHT_NONE", 0],
  ["ZX_RIGHT_DUPLICATE", 2 ** 0],
  ["ZX_RIGHT_TRANSFER", 2 ** 1],
  ["ZX_RIGHT_READ", 2 ** 2],
  ["ZX_RIGHT_WRITE", 2 ** 3],
  ["ZX_RIGHT_EXECUTE", 2 ** 4],
  ["ZX_RIGHT_MAP", 2 ** 5],
  ["ZX_RIGHT_GET_PROPERTY", 2 ** 6],
  ["ZX_RIGHT_SET_PROPERTY", 2 ** 7],
  ["ZX_RIGHT_ENUMERATE", 2 ** 8],
  ["ZX_RIGHT_DESTROY", 2 ** 9],
  ["ZX_RIGHT_SIGNAL", 2 ** 12],
  ["ZX_RIGHT_WAIT", 2 ** 14],
  ["ZX_RIGHT_INSPECT", 2 ** 15],
  ["ZX_RIGHT_MANAGE_THREAD", 2 ** 18],
  ["ZX_RIGHT_RESIZE", 2 ** 22],
  ["ZX_RIGHT_SAME_RIGHTS", 2 ** 31],
];

const exported = C as unknown as Record<string, unknown>;

Deno.test("every status has its errors.h number", () => {
  for (const [name, value] of UPSTREAM_STATUSES) assert.equal(exported[name], value, name);
});

Deno.test("statusName gives each errors.h status its own name", () => {
  for (const [name, value] of UPSTREAM_STATUSES) assert.equal(statusName(value), name);
});

Deno.test("statusName of a number no status has is ZX_STATUS(n)", () => {
  // -27 is ZX_ERR_ALREADY_BOUND upstream, a status the model never returns.
  assert.equal(statusName(-27), "ZX_STATUS(-27)");
  assert.equal(statusName(1), "ZX_STATUS(1)");
});

Deno.test("isStatus holds for the errors.h statuses and nothing else", () => {
  for (const [name, value] of UPSTREAM_STATUSES) assert.ok(isStatus(value), name);
  for (const other of [-27, -5, 1, -1000, 0.5, Number.NaN, "0", undefined, null, [0]]) {
    assert.equal(isStatus(other), false, String(other));
  }
});

Deno.test("every single right has its rights.h bit", () => {
  for (const [name, value] of UPSTREAM_RIGHTS) assert.equal(exported[name], value, name);
});

Deno.test("ZX_DEFAULT_PORT_RIGHTS is rights.h's (ZX_RIGHTS_BASIC & ~ZX_RIGHT_WAIT) | ZX_RIGHTS_IO", () => {
  // TRANSFER | DUPLICATE | INSPECT | READ | WRITE: a port handle cannot be waited on.
  assert.equal(C.ZX_DEFAULT_PORT_RIGHTS, 2 ** 1 + 2 ** 0 + 2 ** 15 + 2 ** 2 + 2 ** 3);
});

Deno.test("PAGER_FAIL_CODES are IsValidExternalFailureCode's, IO_SUB_CODES errors.h's -41 to -47", () => {
  // switch (error_status) { case ZX_ERR_IO: case ZX_ERR_IO_DATA_INTEGRITY: case ZX_ERR_BAD_STATE:
  // case ZX_ERR_NO_SPACE: case ZX_ERR_BUFFER_TOO_SMALL: return true; }
  assert.deepEqual([...PAGER_FAIL_CODES].sort((a, b) => a - b), [-54, -42, -40, -20, -15]);
  assert.deepEqual([...IO_SUB_CODES].sort((a, b) => b - a), [-41, -42, -43, -44, -45, -46, -47]);
});
