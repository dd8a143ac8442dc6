/**
 * Behaviours of the syscalls in kernel.ts that the error table (kernel_errors_test.ts) and the
 * scenario tests leave out: `zx_vmo_op_range(PREFETCH)`, event signal masks, the model's page
 * limit on a new VMO, a child VMO whose handle cannot be made, and how a thread parked on an
 * event is described. Calls are driven directly on a {@linkcode Kernel}.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { KernelAssertionError } from "./assert.ts";
import {
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_EVENT_SIGNALED,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_TRANSFER,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_ZERO_CHILDREN,
} from "./constants.ts";
import type { KernelEvent, PagePacket } from "./events.ts";
import { Kernel, MAX_VMO_PAGES } from "./kernel.ts";
import { runSync, toBlock } from "./yields.ts";
import { portCommands } from "./_pages_fixture.ts";

const PS = 4096;

/** A kernel recording its events, with thread `t`. */
function setup() {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  return { k, t, events };
}

Deno.test("zx_vmo_op_range(PREFETCH) needs only READ and brings absent pages in with a READ request", () => {
  // Spec 2.8.2: "PREFETCH | READ | Commits via READ requests (like ALWAYS_NEED without the
  // flag); errors returned"; COMMIT needs WRITE.
  const { k, t } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 3, 2 * PS));
  const [, ro] = runSync(
    k.zx_handle_duplicate(t, vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER),
  );
  assert.equal(
    runSync(k.zx_vmo_op_range(t, ro, ZX_VMO_OP_COMMIT, 0, 2 * PS)),
    ZX_ERR_ACCESS_DENIED,
  );
  const call = k.zx_vmo_op_range(t, ro, ZX_VMO_OP_PREFETCH, 0, 2 * PS);
  toBlock(call);
  const [ps, packet] = runSync(k.zx_port_wait(t, port, 0));
  assert.equal(ps, ZX_OK);
  const p = packet as PagePacket;
  assert.equal(p.command, ZX_PAGER_VMO_READ);
  assert.deepEqual([p.key, p.offset, p.length], [3, 0, 2 * PS]);
  const [, aux] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 2 * PS, aux, 0)), ZX_OK);
  const r = call.next();
  assert.ok(r.done, "PREFETCH did not return after the supply");
  assert.equal(r.value, ZX_OK);
  // Everything is present now: a second PREFETCH returns at once.
  assert.equal(runSync(k.zx_vmo_op_range(t, ro, ZX_VMO_OP_PREFETCH, 0, 2 * PS)), ZX_OK);
});

Deno.test("zx_object_signal on an event: clear_mask clears only its bits, set_mask adds to the rest", () => {
  // zx_object_signal.md: "clears the signals in clear_mask and sets the signals in set_mask";
  // signals outside both masks keep their state.
  const { k, t } = setup();
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const observed = () => runSync(k.zx_object_wait_one(t, ev, ~0 >>> 0, 0))[1];
  assert.equal(runSync(k.zx_object_signal(t, ev, 0, ZX_EVENT_SIGNALED)), ZX_OK);
  assert.equal(runSync(k.zx_object_signal(t, ev, 0, ZX_USER_SIGNAL_0)), ZX_OK);
  assert.equal(observed(), (ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0) >>> 0);
  assert.equal(runSync(k.zx_object_signal(t, ev, ZX_USER_SIGNAL_0, 0)), ZX_OK);
  assert.equal(observed(), ZX_EVENT_SIGNALED);
  assert.equal(runSync(k.zx_object_signal(t, ev, ZX_EVENT_SIGNALED, 0)), ZX_OK);
  assert.equal(observed(), 0);
});

Deno.test("zx_vmo_create at the model's page limit: MAX_VMO_PAGES pages is made, a page more is NO_MEMORY", () => {
  // MAX_VMO_PAGES (vmo_pages.ts) is the model's limit on pages per VMO; past it a VMO cannot
  // be allocated (spec 2.2: allocation failure is NO_MEMORY).
  const { k, t } = setup();
  const [st, vmo] = runSync(k.zx_vmo_create(t, MAX_VMO_PAGES * PS, 0));
  assert.equal(st, ZX_OK);
  assert.deepEqual(runSync(k.zx_vmo_get_size(t, vmo)), [ZX_OK, MAX_VMO_PAGES * PS]);
  assert.deepEqual(runSync(k.zx_vmo_create(t, MAX_VMO_PAGES * PS + 1, 0)), [ZX_ERR_NO_MEMORY, 0]);
});

Deno.test("zx_vmo_create_child with the handle table full fails and leaves the parent childless", () => {
  const { k, t } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  // Fill the table to its limit (handles.ts: NO_RESOURCES past LIMITS.maxHandles).
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const event = k.handles.entry(ev)?.object;
  assert.ok(event !== undefined);
  while (k.handles.add(event, 0)[0] === ZX_OK);
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const [st] = runSync(k.zx_vmo_create_child(t, vmo, opts, 0, PS));
  assert.equal(st, ZX_ERR_NO_RESOURCES);
  // No child exists: the parent still has ZX_VMO_ZERO_CHILDREN.
  const [, observed] = runSync(k.zx_object_wait_one(t, vmo, ZX_VMO_ZERO_CHILDREN, 0));
  assert.equal(observed & ZX_VMO_ZERO_CHILDREN, ZX_VMO_ZERO_CHILDREN);
});

Deno.test("a thread parked in zx_object_wait_one is described as waiting on that event or VMO", () => {
  const { k, t, events } = setup();
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  const waits = [[ev, "event", ZX_EVENT_SIGNALED], [vmo, "vmo", ZX_USER_SIGNAL_0]] as const;
  for (const [h, name, signal] of waits) {
    const koid = k.handles.entry(h)?.object.koid;
    events.length = 0;
    toBlock(k.zx_object_wait_one(t, h, signal, ZX_TIME_INFINITE));
    const block = events.find((e) => e.k === "block");
    assert.ok(block !== undefined && block.k === "block");
    assert.match(block.on, new RegExp(`\\b${name} ${koid}\\b`));
  }
});

Deno.test("a kernel refuses a page size that is not a power of two in [8, 65536]", () => {
  // LIMITS.minPageSize (one 64-bit pattern word) and LIMITS.maxPageSize bound a scenario's choice.
  for (const pageSize of [4, 1 << 17, 4095, 2.5]) {
    assert.throws(() => new Kernel({ pageSize }), KernelAssertionError, `page size ${pageSize}`);
  }
  for (const pageSize of [8, 1 << 16]) assert.equal(new Kernel({ pageSize }).pageSize, pageSize);
});

Deno.test("a thread whose body returns while it is parked in a wait is a kernel assertion", () => {
  // A thread body can only return between syscalls; one still waiting is the model's own bug.
  const { k, t } = setup();
  const [u] = k.createThread("worker", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  toBlock(k.zx_vmo_read(u, vmo, 0, PS));
  assert.throws(() => k.threadExited(u), KernelAssertionError);
});

Deno.test("a VMO kept alive only by a blocked read dies when the reader is killed: COMPLETE", () => {
  // Spec 3.2: COMPLETE "when the VMO's backing object dies (no handles, mappings, children or
  // in-flight operations keep it alive)"; zx_task_kill cancels the reader's wait.
  const { k, t } = setup();
  const [u, uh] = k.createThread("reader", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 4, PS));
  toBlock(k.zx_vmo_read(u, vmo, 0, PS));
  const commands = () => portCommands(k, t, port);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_READ], "the in-flight read keeps the VMO alive");
  assert.equal(runSync(k.zx_task_kill(t, uh)), ZX_OK);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_COMPLETE]);
});

Deno.test("an injected allocation failure comes after the argument checks, and changes nothing", () => {
  // alloc_fault.ts: the failure happens "at the call's allocation, after the argument and handle
  // checks the syscall table lists (alignment, then handle lookups), and before any effect";
  // zx_pager_supply_pages.md: INVALID_ARGS for an offset, length or aux offset not page aligned.
  const { k, t } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  k.allocFailure = () => true;
  const supply = (offset: number, length: number, auxOffset: number) =>
    statusName(runSync(k.zx_pager_supply_pages(t, pager, vmo, offset, length, aux, auxOffset)));
  for (const [offset, length, auxOffset] of [[1, PS, 0], [-PS, PS, 0], [0, PS, 8]]) {
    assert.equal(
      supply(offset, length, auxOffset),
      "ZX_ERR_INVALID_ARGS",
      `${[offset, length, auxOffset]}`,
    );
  }
  assert.equal(supply(0, PS, 0), "ZX_ERR_NO_MEMORY");
  k.allocFailure = null;
  // Nothing was supplied: the page is still absent, so a read asks the pager.
  toBlock(k.zx_vmo_read(t, vmo, 0, PS));
});

Deno.test("the trace's ret of a successful call shows what it handed back", () => {
  // events.ts: `value` is a successful call's out-value (zx_vmo_get_size's size, an address),
  // `handle` the handle it made; a failed call shows its status alone.
  const { k, t, events } = setup();
  const ret = (name: string) => events.findLast((e) => e.k === "ret" && e.name === name);
  const [, vmo] = runSync(k.zx_vmo_create(t, 3 * PS, 0));
  assert.deepEqual(ret("zx_vmo_create"), {
    k: "ret",
    tid: t.tid,
    name: "zx_vmo_create",
    status: ZX_OK,
    handle: vmo,
  });
  runSync(k.zx_vmo_get_size(t, vmo));
  assert.deepEqual(ret("zx_vmo_get_size"), {
    k: "ret",
    tid: t.tid,
    name: "zx_vmo_get_size",
    status: ZX_OK,
    value: 3 * PS,
  });
  const flags = ZX_VM_CAN_MAP_READ;
  const [, sub, addr] = runSync(k.zx_vmar_allocate(t, k.rootVmarHandle, flags, 0, PS));
  assert.deepEqual(ret("zx_vmar_allocate"), {
    k: "ret",
    tid: t.tid,
    name: "zx_vmar_allocate",
    status: ZX_OK,
    handle: sub,
    value: addr,
  });
  runSync(k.zx_vmo_get_size(t, 0x7fff_fff0));
  assert.deepEqual(ret("zx_vmo_get_size"), {
    k: "ret",
    tid: t.tid,
    name: "zx_vmo_get_size",
    status: ZX_ERR_BAD_HANDLE,
  });
});

Deno.test("the trace's call shows an optional user buffer only when one is given", () => {
  const { k, t, events } = setup();
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  const [, into] = runSync(k.zx_vmo_create(t, PS, 0));
  const args = () => events.findLast((e) => e.k === "call" && e.name === "zx_vmo_write");
  runSync(k.zx_vmo_write(t, into, new Uint8Array(4), 0));
  const without = args();
  assert.ok(without?.k === "call");
  runSync(k.zx_vmo_write(t, into, new Uint8Array(4), 0, addr));
  const withBuffer = args();
  assert.ok(withBuffer?.k === "call");
  assert.equal(withBuffer.args.length, without.args.length + 1);
  assert.equal(withBuffer.args.at(-1), addr);
});

Deno.test("a thread parked in zx_port_wait is described as waiting on that port", () => {
  const { k, t, events } = setup();
  const [, port] = runSync(k.zx_port_create(t, 0));
  const koid = k.handles.entry(port)?.object.koid;
  toBlock(k.zx_port_wait(t, port, ZX_TIME_INFINITE));
  const block = events.find((e) => e.k === "block");
  assert.ok(block !== undefined && block.k === "block");
  assert.match(block.on, new RegExp(`\\bport ${koid}\\b`));
});
