/**
 * The entry and exit every table call shares (`tableCall` in syscalls.ts): the `call` event and
 * how it shows the arguments (a buffer by its length, a user packet by its key, an optional
 * trailing user buffer only when given), the `ret` event (its status, and for a successful call
 * what it handed back: a value, a handle and its address, dirty ranges), the result a failed
 * call returns (its kind's empty values: a failed handle or value is 0), and an injected
 * allocation failure, which comes after the handle checks (kernel/alloc_fault.ts).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_IO,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_USER_SIGNAL_0,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from "./constants.ts";
import type { KernelEvent } from "./events.ts";
import { Kernel } from "./kernel.ts";
import { runSync, untilBlocked } from "./yields.ts";

const PS = 4096;
/** A handle value the table never issued. */
const BAD = 0x7ff0;

/** A kernel recording its events, with thread `t` (tid 1). */
function setup() {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  /** The last `call` and `ret` events of `name`. */
  const last = (kind: "call" | "ret", name: string) =>
    events.filter((e) => e.k === kind && e.name === name).at(-1);
  return { k, t, events, last };
}

// ---------------------------------------------------------------- failed results

Deno.test("a failed call returns its status and its result kind's empty values", () => {
  const { k, t } = setup();
  const [rs, bytes] = runSync(k.zx_vmo_read(t, BAD, 0, 16));
  assert.equal(rs, ZX_ERR_BAD_HANDLE);
  assert.deepEqual(bytes, new Uint8Array(0));
  assert.deepEqual(runSync(k.zx_object_get_info(t, BAD, ZX_INFO_VMO)), [ZX_ERR_BAD_HANDLE, null]);
  assert.deepEqual(runSync(k.zx_port_wait(t, BAD, 0)), [ZX_ERR_BAD_HANDLE, null]);
  assert.deepEqual(
    runSync(k.zx_pager_query_dirty_ranges(t, BAD, BAD, 0, PS, 64)),
    [ZX_ERR_BAD_HANDLE, [], 0],
  );
  assert.deepEqual(
    runSync(k.zx_vmar_allocate(t, BAD, ZX_VM_CAN_MAP_READ, 0, PS)),
    [ZX_ERR_BAD_HANDLE, 0, 0],
  );
  assert.deepEqual(runSync(k.zx_vmo_get_size(t, BAD)), [ZX_ERR_BAD_HANDLE, 0]);
  assert.deepEqual(runSync(k.zx_handle_duplicate(t, BAD, ZX_RIGHT_SAME_RIGHTS)), [
    ZX_ERR_BAD_HANDLE,
    0,
  ]);
});

// handles.ts: NO_RESOURCES past LIMITS.maxHandles; the call's handle result is then 0.
Deno.test("a create that finds the handle table full returns NO_RESOURCES and handle 0", () => {
  const { k, t } = setup();
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const event = k.handles.entry(ev)?.object;
  assert.ok(event !== undefined);
  while (k.handles.add(event, 0)[0] === ZX_OK);
  assert.deepEqual(runSync(k.zx_event_create(t, 0)), [ZX_ERR_NO_RESOURCES, 0]);
});

// Spec 3.7: OP_FAIL fails the blocked read with the given code; the read's result stays bytes.
Deno.test("a zx_vmo_read failed by the pager returns its error with a byte buffer", () => {
  const { k, t } = setup();
  const [u] = k.createThread("reader", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  const read = k.zx_vmo_read(u, vmo, 0, PS);
  assert.equal(untilBlocked(read), true);
  assert.equal(
    runSync(k.zx_pager_op_range(t, pager, ZX_PAGER_OP_FAIL, vmo, 0, PS, ZX_ERR_IO)),
    ZX_OK,
  );
  let r = read.next();
  while (!r.done) r = read.next();
  const [st, bytes] = r.value;
  assert.equal(st, ZX_ERR_IO);
  assert.ok(bytes instanceof Uint8Array);
});

// ---------------------------------------------------------------- call events

Deno.test("the call event shows a call's arguments, a buffer by its length, a user packet by its key", () => {
  const { k, t, last } = setup();
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.deepEqual(last("call", "zx_vmo_create")?.k === "call" && last("call", "zx_vmo_create"), {
    k: "call",
    tid: 1,
    name: "zx_vmo_create",
    args: [PS, 0],
  });
  assert.equal(runSync(k.zx_vmo_write(t, vmo, new Uint8Array(5), 8)), ZX_OK);
  const write = last("call", "zx_vmo_write");
  assert.deepEqual(write?.k === "call" && write.args, [vmo, 5, 8]);
  const [, port] = runSync(k.zx_port_create(t, 0));
  const packet = { type: ZX_PKT_TYPE_USER, key: 42, status: ZX_OK, user: [0, 0, 0, 0] };
  assert.equal(runSync(k.zx_port_queue(t, port, packet)), ZX_OK);
  const queue = last("call", "zx_port_queue");
  assert.deepEqual(queue?.k === "call" && queue.args, [port, 42]);
});

Deno.test("the call event shows a trailing user buffer only when the caller gave one", () => {
  const { k, t, last } = setup();
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, rw, 0, vmo, 0, PS));
  const [, other] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_vmo_read(t, other, 0, 16))[0], ZX_OK);
  const plain = last("call", "zx_vmo_read");
  assert.deepEqual(plain?.k === "call" && plain.args, [other, 0, 16]);
  assert.equal(runSync(k.zx_vmo_read(t, other, 0, 16, addr))[0], ZX_OK);
  const into = last("call", "zx_vmo_read");
  assert.deepEqual(into?.k === "call" && into.args, [other, 0, 16, addr]);
});

// The call event drops only an optional parameter left out: a required argument that is
// missing (a program's garbage) keeps its slot.
Deno.test("the call event keeps the slot of a required argument passed as undefined", () => {
  const { k, t, last } = setup();
  const size = undefined as unknown as number;
  runSync(k.zx_vmo_create_child(t, BAD, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, size));
  const call = last("call", "zx_vmo_create_child");
  assert.deepEqual(call?.k === "call" && call.args, [
    BAD,
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    undefined,
  ]);
});

// ---------------------------------------------------------------- ret events

Deno.test("the ret event carries the status, and what a successful call handed back", () => {
  const { k, t, last } = setup();
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.deepEqual(last("ret", "zx_vmo_create"), {
    k: "ret",
    tid: 1,
    name: "zx_vmo_create",
    status: ZX_OK,
    handle: vmo,
  });
  runSync(k.zx_vmo_get_size(t, vmo));
  assert.deepEqual(last("ret", "zx_vmo_get_size"), {
    k: "ret",
    tid: 1,
    name: "zx_vmo_get_size",
    status: ZX_OK,
    value: PS,
  });
  const [, region, base] = runSync(
    k.zx_vmar_allocate(t, k.rootVmarHandle, ZX_VM_CAN_MAP_READ, 0, PS),
  );
  assert.deepEqual(last("ret", "zx_vmar_allocate"), {
    k: "ret",
    tid: 1,
    name: "zx_vmar_allocate",
    status: ZX_OK,
    handle: region,
    value: base,
  });
  assert.equal(runSync(k.zx_vmo_read(t, vmo, 0, 4))[0], ZX_OK);
  assert.deepEqual(last("ret", "zx_vmo_read"), {
    k: "ret",
    tid: 1,
    name: "zx_vmo_read",
    status: ZX_OK,
  });
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(last("ret", "zx_handle_close"), {
    k: "ret",
    tid: 1,
    name: "zx_handle_close",
    status: ZX_OK,
  });
  runSync(k.zx_vmo_get_size(t, vmo));
  assert.deepEqual(last("ret", "zx_vmo_get_size"), {
    k: "ret",
    tid: 1,
    name: "zx_vmo_get_size",
    status: ZX_ERR_BAD_HANDLE,
  });
});

// Spec 2.6: a written page of a pager VMO is reported Dirty, options 0.
Deno.test("the ret event of zx_pager_query_dirty_ranges lists the ranges it returned", () => {
  const { k, t, last } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, 2 * PS));
  const [, aux] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 2 * PS, aux, 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, new Uint8Array(4), PS)), ZX_OK);
  const [st, ranges] = runSync(k.zx_pager_query_dirty_ranges(t, pager, vmo, 0, 2 * PS, 64));
  assert.equal(st, ZX_OK);
  assert.deepEqual(ranges.map((r) => [r.offset, r.length, r.options]), [[PS, PS, 0]]);
  assert.deepEqual(last("ret", "zx_pager_query_dirty_ranges"), {
    k: "ret",
    tid: 1,
    name: "zx_pager_query_dirty_ranges",
    status: ZX_OK,
    ranges: [{ offset: PS, length: PS, options: 0 }],
  });
});

// zx_object_wait_one.md: on TIMED_OUT the observed signals are still written; the ret event of a
// failed call shows its status only.
Deno.test("a timed-out zx_object_wait_one returns what it observed; its ret event, the status", () => {
  const { k, t, last } = setup();
  const [, ev] = runSync(k.zx_event_create(t, 0));
  assert.equal(runSync(k.zx_object_signal(t, ev, 0, ZX_USER_SIGNAL_0)), ZX_OK);
  const [st, observed] = runSync(k.zx_object_wait_one(t, ev, ZX_USER_SIGNAL_0 << 1, 0));
  assert.notEqual(st, ZX_OK);
  assert.equal(observed, ZX_USER_SIGNAL_0);
  assert.deepEqual(last("ret", "zx_object_wait_one"), {
    k: "ret",
    tid: 1,
    name: "zx_object_wait_one",
    status: st,
  });
});

// ---------------------------------------------------------------- injected allocation failures

// alloc_fault.ts: the failure comes "at the call's allocation, after the argument and handle
// checks the syscall table lists"; the ret event says NO_MEMORY.
Deno.test("an injected allocation failure comes after the handle checks, and its ret says NO_MEMORY", () => {
  const { k, t, last } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  k.allocFailure = () => true;
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  assert.equal(runSync(k.zx_vmo_create_child(t, BAD, opts, 0, PS))[0], ZX_ERR_BAD_HANDLE);
  assert.equal(runSync(k.zx_vmo_create_child(t, vmo, opts, 0, PS))[0], ZX_ERR_NO_MEMORY);
  // zx_handle_duplicate's handle is of any type: an open one reaches the allocation.
  assert.deepEqual(runSync(k.zx_handle_duplicate(t, BAD, ZX_RIGHT_SAME_RIGHTS)), [
    ZX_ERR_BAD_HANDLE,
    0,
  ]);
  assert.deepEqual(runSync(k.zx_handle_duplicate(t, port, ZX_RIGHT_SAME_RIGHTS)), [
    ZX_ERR_NO_MEMORY,
    0,
  ]);
  assert.deepEqual(last("ret", "zx_handle_duplicate"), {
    k: "ret",
    tid: 1,
    name: "zx_handle_duplicate",
    status: ZX_ERR_NO_MEMORY,
  });
});
