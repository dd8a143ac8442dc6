import { strict as assert } from "node:assert";
import {
  ZX_BTI_PERM_READ,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_VMO_OP_DONT_NEED,
} from "../kernel/constants.ts";
import { CompleteModel } from "./complete_model.ts";

const complete = (key: number) => ({
  type: ZX_PKT_TYPE_PAGE_REQUEST,
  key,
  status: ZX_OK,
  command: ZX_PAGER_VMO_COMPLETE,
  flags: 0,
  offset: 0,
  length: 0,
});

/** A model and a call runner: pager handle 1, port handle 2, made by the program. */
function setup() {
  const m = new CompleteModel();
  const run = (
    call: string,
    args: unknown[],
    status: number,
    value = 0,
    packet: unknown = null,
  ) => {
    m.start(call as never, args, 0);
    return m.end(call as never, args, { status, value, packet }, 0);
  };
  run("zx_pager_create", [0], ZX_OK, 1);
  run("zx_port_create", [0], ZX_OK, 2);
  return run;
}

Deno.test("completes: a simple VMO closed while its pager lives owes one COMPLETE", () => {
  const run = setup();
  run("zx_pager_create_vmo", [1, 0, 2, 5, 64], ZX_OK, 3);
  assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
  run("zx_handle_close", [3], ZX_OK);
  assert.match(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT) ?? "", /held 1 ZX_PAGER_VMO_COMPLETE/);
  assert.match(run("zx_port_wait", [2, 0], ZX_OK, 0, complete(6)) ?? "", /keys \[5\]/);
  assert.equal(run("zx_port_wait", [2, 0], ZX_OK, 0, complete(5)), undefined);
  assert.match(run("zx_port_wait", [2, 0], ZX_OK, 0, complete(5)) ?? "", /keys \[\]/);
});

Deno.test("completes: closing the pager withdraws an unread COMPLETE and owes none after", () => {
  const run = setup();
  run("zx_pager_create_vmo", [1, 0, 2, 5, 64], ZX_OK, 3);
  run("zx_pager_create_vmo", [1, 0, 2, 6, 64], ZX_OK, 4);
  run("zx_handle_close", [3], ZX_OK);
  run("zx_handle_close", [1], ZX_OK);
  run("zx_handle_close", [4], ZX_OK);
  assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
  assert.match(run("zx_port_wait", [2, 0], ZX_OK, 0, complete(5)) ?? "", /keys \[\]/);
});

Deno.test("completes: a VMO, pager or port named by any other call is not judged", () => {
  for (const other of [[9, 3], [9, 1], [9, 2]]) {
    const run = setup();
    run("zx_pager_create_vmo", [1, 0, 2, 5, 64], ZX_OK, 3);
    // The handle named by another call (a read, a duplicate of the pager or the port).
    run("zx_handle_duplicate", [other[1], 0], ZX_OK, 8);
    run("zx_handle_close", [3], ZX_OK);
    run("zx_handle_close", [1], ZX_OK);
    assert.equal(run("zx_port_wait", [2, 0], ZX_OK, 0, complete(5)), undefined);
    assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
  }
});

Deno.test("completes: DONT_NEED hints keep a VMO simple; closed while one runs, it is not judged", () => {
  const dontNeed = (h: number) => [h, ZX_VMO_OP_DONT_NEED, 0, 64];
  const run = setup();
  run("zx_pager_create_vmo", [1, 0, 2, 5, 64], ZX_OK, 3);
  run("zx_vmo_op_range", dontNeed(3), ZX_OK);
  run("zx_handle_close", [3], ZX_OK);
  assert.match(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT) ?? "", /held 1 ZX_PAGER_VMO_COMPLETE/);
  // A hint of thread 1 in flight at the close: the VMO lives until it returns.
  const m = new CompleteModel();
  const on = (tid: number, call: string, args: unknown[], status: number, value = 0) => {
    m.start(call as never, args, tid);
    return m.end(call as never, args, { status, value, packet: null }, tid);
  };
  on(0, "zx_pager_create", [0], ZX_OK, 1);
  on(0, "zx_port_create", [0], ZX_OK, 2);
  on(0, "zx_pager_create_vmo", [1, 0, 2, 5, 64], ZX_OK, 3);
  m.start("zx_vmo_op_range", dontNeed(3), 1);
  on(0, "zx_handle_close", [3], ZX_OK);
  m.end("zx_vmo_op_range", dontNeed(3), { status: ZX_OK, value: 0, packet: null }, 1);
  assert.equal(on(0, "zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
});

Deno.test("completes: a VMO closed while pinned owes its COMPLETE only at its last unpin; its pager closed first owes none", () => {
  // Handles apart from every number the calls pass (ZX_BTI_PERM_READ is 1, a number that looks
  // like a handle makes its object unjudged).
  const m = new CompleteModel();
  const run = (
    call: string,
    args: unknown[],
    status: number,
    value = 0,
    packet: unknown = null,
  ) => {
    m.start(call as never, args, 0);
    return m.end(call as never, args, { status, value, packet }, 0);
  };
  run("zx_pager_create", [0], ZX_OK, 101);
  run("zx_port_create", [0], ZX_OK, 102);
  const pinned = (vmo: number, key: number, pmts: number[]) => {
    run("zx_pager_create_vmo", [101, 0, 102, key, 4096], ZX_OK, vmo);
    run("zx_pager_supply_pages", [101, vmo, 0, 4096, 109, 0], ZX_OK);
    for (const pmt of pmts) run("zx_bti_pin", [108, ZX_BTI_PERM_READ, vmo, 0, 4096], ZX_OK, pmt);
    run("zx_handle_close", [vmo], ZX_OK);
  };
  pinned(103, 5, [110, 111]);
  assert.match(run("zx_port_wait", [102, 0], ZX_OK, 0, complete(5)) ?? "", /keys \[\]/);
  run("zx_pmt_unpin", [110], ZX_OK);
  assert.equal(run("zx_port_wait", [102, 0], ZX_ERR_TIMED_OUT), undefined);
  run("zx_pmt_unpin", [111], ZX_OK);
  assert.match(
    run("zx_port_wait", [102, 0], ZX_ERR_TIMED_OUT) ?? "",
    /held 1 ZX_PAGER_VMO_COMPLETE/,
  );
  assert.equal(run("zx_port_wait", [102, 0], ZX_OK, 0, complete(5)), undefined);
  pinned(104, 6, [112]);
  run("zx_handle_close", [101], ZX_OK);
  run("zx_pmt_unpin", [112], ZX_OK);
  assert.equal(run("zx_port_wait", [102, 0], ZX_ERR_TIMED_OUT), undefined);
});
