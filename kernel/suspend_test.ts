/**
 * `zx_task_suspend` of a thread parked on a page request: a wait the thread took for its own
 * access (zx_vmo_read, a fault through a mapping) is interrupted and restarts on resume, but
 * the page-fault wait of a kernel usercopy holds the suspend off. Upstream,
 * `VmAspace::PageFaultInternal` (zircon/kernel/vm/vm_aspace.cc @ misttech/fuchsia 733295f0):
 *
 *     // If the page fault originated in kernel mode (usercopy), we cannot safely suspend the
 *     // thread without potential data loss.
 *     zx_status_t st = page_request.Wait(/*suspendable=*\/flags & VMM_PF_FLAG_USER);
 *
 * and `PagerProxy::WaitOnEvent` (zircon/kernel/object/pager_proxy.cc @ misttech/fuchsia
 * 9c03ce9a) masks `THREAD_SIGNAL_SUSPEND` for such a wait and loops on
 * `ZX_ERR_INTERNAL_INTR_RETRY`: "Hold off on suspension until after the page request is
 * resolved". The thread then suspends on its way back to user mode
 * (`SuspendInKernelTest`, zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia b394d1c8).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import type { KernelEvent } from "./events.ts";
import { Kernel } from "./kernel.ts";
import { runSync, toBlock } from "./yields.ts";

const PS = 4096;

/** A kernel, main thread `t`, a worker `u` (with its handle) and a 1-page pager VMO. */
function setup() {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const [u, uh] = k.createThread("worker", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, perms, 0, vmo, 0, PS));
  const [, anon] = runSync(k.zx_vmo_create(t, PS, 0));
  const supply = () => {
    const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
    assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  };
  const requests = () => events.filter((e) => e.k === "request").length;
  return { k, t, u, uh, vmo, addr, anon, supply, requests, events };
}

Deno.test("suspend: a usercopy's fault wait goes on; the thread suspends after its syscall", () => {
  const { k, t, u, uh, addr, anon, supply, requests } = setup();
  // zx_object_get_info copies its record out into the mapped, unsupplied page.
  const call = k.zx_object_get_info(u, anon, ZX_INFO_VMO, addr);
  toBlock(call);
  assert.equal(requests(), 1);
  const [st, token] = runSync(k.zx_task_suspend(t, uh));
  assert.equal(st, ZX_OK);
  // The suspend did not take effect: the wait is still parked on the same request.
  assert.equal(u.suspended, false);
  assert.ok(u.waiter !== null && u.waiter.waiting);
  assert.equal(u.waiter.suspendable, false);
  assert.equal(requests(), 1);
  // Resumed and suspended again: still the same wait.
  assert.equal(runSync(k.zx_handle_close(t, token)), ZX_OK);
  const [, again] = runSync(k.zx_task_suspend(t, uh));
  assert.ok(!u.suspended && u.waiter !== null && u.waiter.waiting);
  supply();
  // Woken, the thread may run on (it is inside its syscall) although a token is open.
  assert.ok(u.waiter !== null && !u.waiter.waiting);
  assert.equal(u.suspended, false);
  const r = call.next();
  assert.ok(r.done, "the syscall did not return after the supply");
  assert.equal((r.value as [number, unknown])[0], ZX_OK);
  // Out of the syscall, the suspend takes effect; no second request was made.
  assert.equal(u.suspended, true);
  assert.equal(requests(), 1);
  assert.equal(runSync(k.zx_handle_close(t, again)), ZX_OK);
  assert.equal(u.suspended, false);
});

Deno.test("suspend: zx_vmo_write's capture-faults copy from a mapped page is held too", () => {
  const { k, t, u, uh, addr, anon, supply, requests } = setup();
  const call = k.zx_vmo_write(u, anon, new Uint8Array(PS), 0, addr);
  toBlock(call);
  const [, token] = runSync(k.zx_task_suspend(t, uh));
  assert.ok(!u.suspended && u.waiter !== null && u.waiter.waiting);
  supply();
  const r = call.next();
  assert.ok(r.done);
  assert.equal(r.value, ZX_OK);
  assert.equal(u.suspended, true);
  assert.equal(requests(), 1);
  assert.equal(runSync(k.zx_handle_close(t, token)), ZX_OK);
});

Deno.test("suspend: a zx_vmo_read's own wait is interrupted and asks again on resume", () => {
  // The contrast (SuspendReadTest): the thread's own access is suspendable.
  const { k, t, u, uh, vmo, supply, requests } = setup();
  const call = k.zx_vmo_read(u, vmo, 0, PS);
  toBlock(call);
  const [, token] = runSync(k.zx_task_suspend(t, uh));
  assert.equal(u.suspended, true);
  assert.ok(u.waiter !== null && !u.waiter.waiting);
  assert.equal(u.waiter.status, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.equal(runSync(k.zx_handle_close(t, token)), ZX_OK);
  toBlock(call);
  assert.equal(requests(), 2);
  supply();
  const r = call.next();
  assert.ok(r.done);
  assert.equal((r.value as [number, Uint8Array])[0], ZX_OK);
});

Deno.test("suspend: a suspendable wait begun with a suspend pending is interrupted at once", () => {
  // A thread held in a usercopy's fault runs on after the supply; if its syscall then parks on
  // a wait of its own, the pending suspend interrupts it at once (`Event::Wait` returns
  // INTR_RETRY for a pending signal) and the request is withdrawn: the thread suspends.
  const { k, t, u, uh, addr, supply, requests } = setup();
  // A trap-dirty target whose page 0 is supplied (Clean): zx_vmo_write's first look-up of it
  // asks for DIRTY; the pager dirties it; the copy from the mapped, unsupplied page faults.
  const [, pg] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, target] = runSync(k.zx_pager_create_vmo(t, pg, ZX_VMO_TRAP_DIRTY, port, 2, PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pg, target, 0, PS, aux, 0)), ZX_OK);
  const call = k.zx_vmo_write(u, target, new Uint8Array(PS), 0, addr);
  toBlock(call); // DIRTY request for the target page
  assert.equal(runSync(k.zx_pager_op_range(t, pg, ZX_PAGER_OP_DIRTY, target, 0, PS, 0)), ZX_OK);
  toBlock(call); // READ request for the source page: a usercopy fault
  assert.equal(u.waiter?.suspendable, false);
  const [, token] = runSync(k.zx_task_suspend(t, uh));
  assert.equal(u.suspended, false);
  // The target page goes Clean again while the copy waits.
  assert.equal(
    runSync(k.zx_pager_op_range(t, pg, ZX_PAGER_OP_WRITEBACK_BEGIN, target, 0, PS, 0)),
    ZX_OK,
  );
  assert.equal(
    runSync(k.zx_pager_op_range(t, pg, ZX_PAGER_OP_WRITEBACK_END, target, 0, PS, 0)),
    ZX_OK,
  );
  const before = requests();
  supply();
  // Runs on: the copy completes, the target is looked up again and needs DIRTY again.
  toBlock(call);
  assert.equal(requests(), before + 1);
  assert.ok(u.waiter !== null && u.waiter.suspendable && !u.waiter.waiting);
  assert.equal(u.waiter.status, ZX_ERR_INTERNAL_INTR_RETRY);
  assert.equal(u.suspended, true);
  assert.equal(runSync(k.zx_handle_close(t, token)), ZX_OK);
  // Resumed, it asks for DIRTY once more and waits.
  toBlock(call);
  assert.equal(requests(), before + 2);
  assert.ok(u.waiter !== null && u.waiter.waiting);
});

Deno.test("zx_task_kill of a thread that already exited is ZX_OK and kills nothing", () => {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const [u, uh] = k.createThread("worker", 2);
  k.threadExited(u);
  assert.equal(runSync(k.zx_task_kill(t, uh)), 0);
  assert.ok(
    !events.some((e) => e.k === "thread" && e.what === "killed"),
    "an exited thread killed",
  );
  assert.equal(u.killed, false);
});

Deno.test("the trace shows a thread suspended at its first token, resumed when the last closes, and killed", () => {
  // zx_task_suspend: the first open token suspends the thread; a second one changes nothing
  // until both are closed (task_suspend.md: "the task will remain suspended as long as there
  // are open tokens").
  const { k, t, u, uh, events } = setup();
  const seen = () => events.filter((e) => e.k === "thread" && e.tid === u.tid);
  const [, a] = runSync(k.zx_task_suspend(t, uh));
  const [, b] = runSync(k.zx_task_suspend(t, uh));
  assert.deepEqual(seen(), [{ k: "thread", tid: u.tid, what: "suspended" }]);
  assert.equal(runSync(k.zx_handle_close(t, a)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, b)), ZX_OK);
  assert.deepEqual(seen().map((e) => e.k === "thread" && e.what), ["suspended", "resumed"]);
  assert.equal(runSync(k.zx_task_kill(t, uh)), ZX_OK);
  assert.deepEqual(seen().at(-1), { k: "thread", tid: u.tid, what: "killed" });
});
