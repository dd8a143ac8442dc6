/**
 * Object lifetimes and last-handle closes of the object layer (kernel_objects.ts), driven through
 * the syscalls: what keeps a VMO alive (handles, mappings, children, in-flight operations) and
 * the COMPLETE its death sends, `ZX_VMO_ZERO_CHILDREN` as children come and go, what closing the
 * last handle of a port, pager, event or suspend token does, a fatal page fault, the kernel's
 * eviction event and the pager-wait overtime.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_PKT_TYPE_USER,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "./constants.ts";
import type { KernelEvent, SignalPacket } from "./events.ts";
import { Kernel, type KernelOptions } from "./kernel.ts";
import { runSync, toBlock } from "./yields.ts";
import { portCommands } from "./_pages_fixture.ts";

const PS = 4096;

/**
 * A kernel recording its events, thread `t`, a pager, a port and a `pages`-page pager VMO with
 * key 7 whose first `supplied` pages are supplied (zeros).
 */
function setup(pages = 2, supplied = 0, options: KernelOptions = {}) {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e) => events.push(e) }, ...options });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 7, pages * PS));
  if (supplied > 0) {
    const [, aux] = runSync(k.zx_vmo_create(t, supplied * PS, 0));
    assert.equal(runSync(k.zx_vmo_write(t, aux, new Uint8Array(supplied * PS), 0)), ZX_OK);
    assert.equal(
      runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, supplied * PS, aux, 0)),
      ZX_OK,
    );
  }
  const commands = () => portCommands(k, t, port);
  /** The signals of `handle` active now. */
  const signals = (handle: number) => runSync(k.zx_object_wait_one(t, handle, 0, 0))[1];
  return { k, t, pager, port, vmo, events, commands, signals };
}

// ---------------------------------------------------------------- what keeps a VMO alive

// Spec 3.2: COMPLETE "when the VMO's backing object dies (no handles, mappings, children or
// in-flight operations keep it alive)"; spec 4.2: a mapping holds its own reference.
Deno.test("a pager VMO whose handle closed while mapped dies at the unmap: COMPLETE", () => {
  const { k, t, vmo, commands } = setup(1, 1);
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(commands(), [], "the mapping keeps the VMO alive");
  assert.equal(runSync(k.zx_vmar_unmap(t, k.rootVmarHandle, addr, PS)), ZX_OK);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_COMPLETE]);
});

// Spec 3.2 (as above): a child keeps its pager parent alive; once the child goes, nothing does.
Deno.test("a pager VMO whose handle closed while it has a child dies with the child: COMPLETE", () => {
  const { k, t, vmo, commands, events } = setup(2, 2);
  const [cs, child] = runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  );
  assert.equal(cs, ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(commands(), [], "the child keeps the VMO alive");
  assert.equal(runSync(k.zx_handle_close(t, child)), ZX_OK);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_COMPLETE]);
  // The trace says why the pager stopped backing it (events.ts: "detach" why "vmo-dead").
  const koid = k.pagerVmos[0].koid;
  assert.deepEqual(
    events.filter((e) => e.k === "detach").map((e) => e),
    [{ k: "detach", vmo: koid, why: "vmo-dead" }],
  );
});

// zx_vmo_create_child.md: "ZX_VMO_ZERO_CHILDREN ... is active when the VMO has no children";
// a child is a child while anything (a handle, a mapping, an operation) keeps it.
Deno.test("ZERO_CHILDREN stays clear while a mapped child is read, and while its parent is", () => {
  const { k, t, vmo, signals } = setup(2, 2);
  const [, child] = runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  );
  assert.equal(signals(vmo) & ZX_VMO_ZERO_CHILDREN, 0);
  for (const h of [child, vmo]) {
    const [ms] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, h, 0, PS));
    assert.equal(ms, ZX_OK);
    const [rs] = runSync(k.zx_vmo_read(t, h, 0, PS));
    assert.equal(rs, ZX_OK);
    assert.equal(signals(vmo) & ZX_VMO_ZERO_CHILDREN, 0, "the child is alive");
  }
  assert.equal(runSync(k.zx_handle_close(t, child)), ZX_OK);
  assert.equal(signals(vmo) & ZX_VMO_ZERO_CHILDREN, 0, "the child is still mapped");
});

Deno.test("ZERO_CHILDREN stays clear while another thread's read of the child is blocked", () => {
  const { k, t, vmo, signals } = setup(2, 1);
  const [u] = k.createThread("reader", 2);
  const [, child] = runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  );
  // u waits for page 1 (absent in the parent); t's read of page 0 comes and goes meanwhile.
  toBlock(k.zx_vmo_read(u, child, PS, PS));
  assert.equal(runSync(k.zx_vmo_read(t, child, 0, PS))[0], ZX_OK);
  assert.equal(signals(vmo) & ZX_VMO_ZERO_CHILDREN, 0, "the child is alive");
  // The same with the parent's own read blocked and another read of it done.
  toBlock(k.zx_vmo_read(u, vmo, PS, PS));
  assert.equal(runSync(k.zx_vmo_read(t, vmo, 0, PS))[0], ZX_OK);
  assert.equal(signals(vmo) & ZX_VMO_ZERO_CHILDREN, 0, "the child is alive");
});

// zx_object_wait_async.md: the packet is queued "when any of the signals ... become active".
Deno.test("an async wait for ZERO_CHILDREN queues its packet as the last child's handle closes", () => {
  const { k, t, port, vmo } = setup(1, 1);
  const [, child] = runSync(
    k.zx_vmo_create_child(t, vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
  );
  assert.equal(runSync(k.zx_object_wait_async(t, vmo, port, 3, ZX_VMO_ZERO_CHILDREN, 0)), ZX_OK);
  assert.equal(runSync(k.zx_port_wait(t, port, 0))[0] !== ZX_OK, true, "no packet yet");
  assert.equal(runSync(k.zx_handle_close(t, child)), ZX_OK);
  const [st, p] = runSync(k.zx_port_wait(t, port, 0));
  assert.equal(st, ZX_OK);
  const packet = p as SignalPacket;
  assert.equal(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
  assert.equal(packet.key, 3);
  assert.equal(packet.signal.observed & ZX_VMO_ZERO_CHILDREN, ZX_VMO_ZERO_CHILDREN);
});

// ---------------------------------------------------------------- last handles

// Spec 1.3: closing the port drops any queued pager packet without notifying the proxy; the
// trace records the drop (events.ts "packet-dropped"); a user packet is no VMO's.
Deno.test("closing a port drops its queued page request: one packet-dropped, for that VMO", () => {
  const { k, t, port, vmo, events } = setup(1, 0);
  const [u] = k.createThread("reader", 2);
  toBlock(k.zx_vmo_read(u, vmo, 0, PS));
  const user = { type: ZX_PKT_TYPE_USER, key: 1, status: ZX_OK, user: [1, 2, 3, 4] };
  assert.equal(runSync(k.zx_port_queue(t, port, user)), ZX_OK);
  const portKoid = k.ports[0].koid;
  assert.equal(runSync(k.zx_handle_close(t, port)), ZX_OK);
  const dropped = events.filter((e) => e.k === "packet-dropped");
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0].k === "packet-dropped" && dropped[0].port, portKoid);
  assert.equal(dropped[0].k === "packet-dropped" && dropped[0].vmo, k.pagerVmos[0].koid);
});

// Spec 1.1: the last pager handle closing detaches every VMO it backs.
Deno.test("closing the last pager handle detaches its VMO: the trace says pager-closed", () => {
  const { k, t, pager, events } = setup(1, 1);
  assert.equal(runSync(k.zx_handle_close(t, pager)), ZX_OK);
  assert.deepEqual(
    events.filter((e) => e.k === "detach"),
    [{ k: "detach", vmo: k.pagerVmos[0].koid, why: "pager-closed" }],
  );
});

Deno.test("closing the last handle of an event succeeds and the handle is gone", () => {
  const { k, t } = setup();
  const [, ev] = runSync(k.zx_event_create(t, 0));
  assert.equal(runSync(k.zx_handle_close(t, ev)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, ev)), ZX_ERR_BAD_HANDLE);
});

// task_suspend.md: the thread stays suspended until every suspend token is closed.
Deno.test("a thread suspended twice resumes only when its last suspend token closes", () => {
  const { k, t, events } = setup();
  const [u, uh] = k.createThread("worker", 2);
  const [, a] = runSync(k.zx_task_suspend(t, uh));
  const [, b] = runSync(k.zx_task_suspend(t, uh));
  const resumed = () => events.filter((e) => e.k === "thread" && e.what === "resumed").length;
  assert.equal(runSync(k.zx_handle_close(t, a)), ZX_OK);
  assert.equal(resumed(), 0, "one token is still open");
  assert.equal(u.suspended, true);
  assert.equal(runSync(k.zx_handle_close(t, b)), ZX_OK);
  assert.equal(resumed(), 1);
  assert.equal(u.suspended, false);
});

// PinnedMemoryTokenDispatcher keeps a reference to its BTI: zx_pmt_unpin works after the BTI's
// last handle closed, and an unpinned PMT is not quarantined (zx_pmt_unpin.md; the quarantine
// takes only PMTs closed without an unpin, pinned_memory_token_dispatcher.cc on_zero_handles).
Deno.test("zx_pmt_unpin after the BTI's handle closed unpins once: the page is evictable", () => {
  const { k, t, vmo } = setup(1, 1);
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const [ps, pmt] = runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS));
  assert.equal(ps, ZX_OK);
  assert.deepEqual(k.evictablePages(vmo), []);
  assert.equal(runSync(k.zx_handle_close(t, bti)), ZX_OK);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  assert.deepEqual(k.evictablePages(vmo), [0]);
  k.pages.checkPins(k.pagerVmos[0]);
});

// ---------------------------------------------------------------- faults, eviction, overtime

// Spec 4.2/4.3: a fault through a mapping of a detached VMO is a fatal page fault with synth code
// ZX_ERR_BAD_STATE at the faulting address; the thread is dead.
Deno.test("a load from a detached pager VMO's mapping is a fatal page fault: the thread dies", () => {
  const { k, t, pager, vmo, events } = setup(1, 0);
  const [u, uh] = k.createThread("loader", 2);
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  assert.equal(runSync(k.zx_pager_detach_vmo(t, pager, vmo)), ZX_OK);
  const load = k.memRead(u, addr + 16, 4);
  let r = load.next();
  while (!r.done && r.value.kind === "syscall") r = load.next();
  assert.deepEqual(r.value, { kind: "crash", synth: ZX_ERR_BAD_STATE, addr: addr + 16 });
  assert.deepEqual(events.filter((e) => e.k === "page-fault"), [
    { k: "page-fault", tid: 2, vmo: k.pagerVmos[0].koid, synth: ZX_ERR_BAD_STATE, addr: addr + 16 },
  ]);
  assert.equal(u.alive, false);
  // A dead thread cannot be suspended (task_suspend.md: BAD_STATE) and a kill does nothing.
  assert.equal(runSync(k.zx_task_suspend(t, uh))[0], ZX_ERR_BAD_STATE);
  assert.equal(runSync(k.zx_task_kill(t, uh)), ZX_OK);
  assert.equal(events.filter((e) => e.k === "thread" && e.what === "killed").length, 0);
});

// kernel_evict (spec 6.3): only a Clean page may be evicted; BAD_STATE leaves the page in place.
// A handle that names no VMO is BAD_HANDLE.
Deno.test("kernel_evict of a Dirty page is BAD_STATE and keeps it; of no VMO, BAD_HANDLE", () => {
  const { k, t, vmo, commands } = setup(1, 1);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, Uint8Array.of(9, 8, 7), 0)), ZX_OK);
  assert.equal(runSync(k.kernel_evict(t, vmo, 0)), ZX_ERR_BAD_STATE);
  const [rs, bytes] = runSync(k.zx_vmo_read(t, vmo, 0, 3));
  assert.equal(rs, ZX_OK, "the page is still there: no request");
  assert.deepEqual([...bytes], [9, 8, 7]);
  assert.deepEqual(commands(), []);
  assert.equal(runSync(k.kernel_evict(t, 0x7ff0, 0)), ZX_ERR_BAD_HANDLE);
});

// Spec 4.2 "Overtime timeout": the wait aborts after the overtime (here in ticks), not before.
Deno.test("a pager wait times out exactly overtimeTicks after it parked", () => {
  const { k, vmo, commands } = setup(1, 0, { overtimeTicks: 5 });
  const [u] = k.createThread("reader", 2);
  k.now = 10;
  const y = toBlock(k.zx_vmo_read(u, vmo, 0, PS));
  assert.ok(y.kind === "block");
  assert.equal(y.wait.deadline, 15);
  assert.equal(y.wait.ready(14), false);
  assert.equal(y.wait.ready(15), true);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_READ]);
});

Deno.test("the overtime wait never times out with the default options", () => {
  const { k, vmo } = setup(1, 0);
  const [u] = k.createThread("reader", 2);
  const y = toBlock(k.zx_vmo_read(u, vmo, 0, PS));
  assert.ok(y.kind === "block");
  assert.equal(y.wait.deadline, Number.POSITIVE_INFINITY);
  assert.equal(y.wait.ready(1e12), false);
});

// events.ts: a thread event says "exited" when a thread's body returned; the thread is dead.
Deno.test("a thread whose body returned is dead, and the trace says it exited", () => {
  const { k, events } = setup();
  const [u] = k.createThread("worker", 2);
  k.threadExited(u);
  assert.equal(u.alive, false);
  assert.deepEqual(events.filter((e) => e.k === "thread"), [
    { k: "thread", tid: 2, what: "exited" },
  ]);
});

// Spec 1.1: when the last pager handle closes, "any queued COMPLETE packet is withdrawn from the
// port if it has not been read yet". Also for a VMO that died first: its source stays in the
// pager's list while its COMPLETE is pending (`PagerSource::OnClose` releases it only without
// `complete_pending_`), and `PagerDispatcher::on_zero_handles` calls `OnDispatcherClosed`, which
// cancels the queued packet (zircon/kernel/object/pager_dispatcher.cc @ vsrinivas/fuchsia
// 005edc33).
Deno.test("closing the pager withdraws the unread COMPLETE of a VMO that died before it", () => {
  const { k, t, pager, port, vmo, events } = setup(1);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, pager)), ZX_OK);
  assert.equal(runSync(k.zx_port_wait(t, port, 0))[0], ZX_ERR_TIMED_OUT, "no COMPLETE left");
  assert.equal(events.filter((e) => e.k === "packet-withdrawn").length, 1);
});

Deno.test("a COMPLETE read before the pager closes is read once, and nothing is withdrawn", () => {
  const { k, t, pager, vmo, events, commands } = setup(1);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(commands(), [ZX_PAGER_VMO_COMPLETE]);
  assert.equal(runSync(k.zx_handle_close(t, pager)), ZX_OK);
  assert.equal(events.filter((e) => e.k === "packet-withdrawn").length, 0);
});
