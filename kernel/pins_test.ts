/**
 * Kernel assertions on BTI pins (`VmoPages.checkPins`): the model's own pin bookkeeping
 * breaking is a {@linkcode KernelAssertionError}, not a status.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { KernelAssertionError } from "./assert.ts";
import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
} from "./constants.ts";
import type { PagePacket } from "./events.ts";
import { Kernel, type Syscall } from "./kernel.ts";
import type { Vmo } from "./objects.ts";
import { runSync } from "./yields.ts";

const PS = 4096;

/** A kernel with a 2-page pager VMO whose page 0 is supplied and pinned for read. */
function pinned() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, 2 * PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_vmo_write(t, aux, new Uint8Array(PS).fill(1), 0)), ZX_OK);
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const [st] = runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS));
  assert.equal(st, ZX_OK);
  return { k, v: k.pagerVmos[0] };
}

Deno.test("pins: consistent bookkeeping passes the check", () => {
  const { k, v } = pinned();
  k.pages.checkPins(v);
});

Deno.test("pins: a write pin on a page that is not Dirty is a kernel assertion", () => {
  const { k, v } = pinned();
  v.writePins.set(0, 1);
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

Deno.test("pins: more write pins than pins is a kernel assertion", () => {
  const { k, v } = pinned();
  v.writePins.set(0, 2);
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

Deno.test("pins: a pin count of zero kept in the pin table is a kernel assertion", () => {
  const { k, v } = pinned();
  v.pins.set(0, 0);
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

Deno.test("pins: a pinned slot without a page is a kernel assertion", () => {
  const { k, v } = pinned();
  v.pins.set(1, 1);
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

Deno.test("pins: unpinning a write pin that was never taken is a kernel assertion", () => {
  const { k, v } = pinned();
  assert.throws(() => k.pages.unpin(v, 0, 1, true), KernelAssertionError);
});

/** Steps `call` until it blocks (true) or returns (false, with its value in `out`). */
function untilBlocked<T>(call: Syscall<T>, out: { value?: T } = {}): boolean {
  for (;;) {
    const r = call.next();
    if (r.done) {
      out.value = r.value;
      return false;
    }
    if (r.value.kind === "block") return true;
  }
}

/** A kernel with a 2-page pager VMO (no TRAP_DIRTY) whose page 0 alone is supplied. */
function halfSupplied() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [peer] = k.createThread("peer", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, 2 * PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_vmo_write(t, aux, new Uint8Array(PS).fill(1), 0)), ZX_OK);
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  return { k, t, peer, pager, vmo, bti, v: k.pagerVmos[0] };
}

// CommitRangeInternal pins the committed run before it waits on the READ for the gap after it,
// "preventing the already committed (and pinned) pages from being evicted while we wait"
// (vm_object_paged.cc @ misttech/fuchsia 056f3590).
Deno.test("pins: a pin waiting on a later page's READ already pins the pages before it", () => {
  const { k, peer, vmo, bti, v } = halfSupplied();
  const pin = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ, vmo, 0, 2 * PS);
  assert.equal(untilBlocked(pin), true);
  assert.deepEqual([...v.pins], [[0, 1]]);
  assert.deepEqual(k.evictablePages(vmo), []);
});

// A write pin dirties the committed run before asking for the gap; when the READ fails the pin
// is undone but the page it dirtied stays Dirty, and the VMO is not marked modified (the
// deferred cleanup only marks modified when everything was pinned).
Deno.test("pins: a failed write pin unpins, leaves what it dirtied Dirty and not modified", () => {
  const { k, t, peer, pager, vmo, bti, v } = halfSupplied();
  const pin = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, vmo, 0, 2 * PS);
  assert.equal(untilBlocked(pin), true);
  assert.equal((v.slots[0] as { state: string }).state, "dirty");
  assert.deepEqual([...v.writePins], [[0, 1]]);
  assert.equal(
    runSync(k.zx_pager_op_range(t, pager, ZX_PAGER_OP_FAIL, vmo, PS, PS, ZX_ERR_IO)),
    ZX_OK,
  );
  const out: { value?: [number, number] } = {};
  assert.equal(untilBlocked(pin, out), false);
  assert.equal(out.value?.[0], ZX_ERR_IO);
  assert.equal(v.pins.size + v.writePins.size, 0);
  assert.equal((v.slots[0] as { state: string }).state, "dirty");
  assert.equal(v.modified, false);
});

/** A kernel with a 1-page supplied pager VMO pinned for read: its handles and the pin's PMT. */
function pinnedHandles() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const [st, pmt] = runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS));
  assert.equal(st, ZX_OK);
  /** The commands of the packets waiting on the port now. */
  const packets = () => {
    const got: number[] = [];
    for (;;) {
      const [ps, p] = runSync(k.zx_port_wait(t, port, 0));
      if (ps !== ZX_OK) return got;
      got.push((p as PagePacket).command);
    }
  };
  return { k, t, vmo, bti, pmt, packets };
}

// PinnedMemoryTokenDispatcher::on_zero_handles (zircon/kernel/object/
// pinned_memory_token_dispatcher.cc @ vsrinivas/fuchsia 005edc33): "The user failed to call
// zx_pmt_unpin. ... leave the VMO pinned and use the quarantine mechanism" (bti_->Quarantine).
// The BTI's last close keeps the quarantine: "We intentionally leak the BTI, all quarantined
// PMTs, and their underlying VMOs" (BusTransactionInitiatorDispatcher::on_zero_handles,
// zircon/kernel/object/bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia 3281dd6b).
Deno.test("pins: a PMT closed without zx_pmt_unpin leaves its pages pinned for good", () => {
  const { k, t, vmo, bti, pmt, packets } = pinnedHandles();
  assert.deepEqual(k.evictablePages(vmo), []);
  assert.equal(runSync(k.zx_handle_close(t, pmt)), ZX_OK);
  assert.deepEqual(k.evictablePages(vmo), [], "the quarantined page was unpinned");
  assert.equal(runSync(k.zx_handle_close(t, bti)), ZX_OK);
  assert.deepEqual(k.evictablePages(vmo), [], "the BTI's close let its quarantine go");
  k.pages.checkPins(k.pagerVmos[0]);
  // The leaked pin keeps the VMO alive: its handle's close sends no COMPLETE.
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(packets(), []);
  assert.equal(k.pagerVmos[0].pins.get(0), 1);
});

// BusTransactionInitiatorDispatcher::Quarantine (the same file @ 3281dd6b): "If we quarantine
// when at zero handles, this PMT will be leaked".
Deno.test("pins: a PMT closed without zx_pmt_unpin after its BTI closed stays pinned", () => {
  const { k, t, vmo, bti, pmt } = pinnedHandles();
  assert.equal(runSync(k.zx_handle_close(t, bti)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, pmt)), ZX_OK);
  assert.deepEqual(k.evictablePages(vmo), [], "the token closed after its BTI was unpinned");
  k.pages.checkPins(k.pagerVmos[0]);
});

// BusTransactionInitiatorDispatcher::Pin (the same file @ 3281dd6b): "User may not pin new
// memory if either our BTI has hit zero handles, or if we currently have quarantined pages"
// (BAD_STATE); the PinnedVmObject it made is let go. Another BTI still pins.
Deno.test("pins: zx_bti_pin on a BTI with a non-empty quarantine is BAD_STATE, nothing pinned", () => {
  const { k, t, bti, pmt } = pinnedHandles();
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_handle_close(t, pmt)), ZX_OK);
  const a = k.handles.entry(aux)!.object as Vmo;
  assert.equal(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, aux, 0, PS))[0], ZX_ERR_BAD_STATE);
  assert.equal(a.pins.size, 0);
  const [, other] = runSync(k.zx_bti_create(t, 0, 2));
  assert.equal(runSync(k.zx_bti_pin(t, other, ZX_BTI_PERM_READ, aux, 0, PS))[0], ZX_OK);
  assert.deepEqual([...a.pins], [[0, 1]]);
});

// Pin checks zero_handles_ after PinnedVmObject::Create: a BTI whose last handle closed while
// the pin waited on a READ pins nothing.
Deno.test("pins: a pin whose BTI's last handle closed while it waited is BAD_STATE", () => {
  const { k, t, peer, pager, vmo, bti, v } = halfSupplied();
  const pin = k.zx_bti_pin(peer, bti, ZX_BTI_PERM_READ, vmo, 0, 2 * PS);
  assert.equal(untilBlocked(pin), true);
  assert.equal(runSync(k.zx_handle_close(t, bti)), ZX_OK);
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, PS, PS, aux, 0)), ZX_OK);
  const out: { value?: [number, number] } = {};
  assert.equal(untilBlocked(pin, out), false);
  assert.equal(out.value?.[0], ZX_ERR_BAD_STATE);
  assert.equal(v.pins.size, 0);
  assert.deepEqual(k.evictablePages(vmo), [0, 1]);
});

// The PMT's PinnedVmObject holds a reference to the VMO; unpinning drops it, and a VMO nothing
// else keeps alive dies: its pager gets COMPLETE (spec 3.2: "when the VMO's backing object
// dies").
Deno.test("pins: a pinned VMO whose handle closed dies at zx_pmt_unpin (COMPLETE)", () => {
  const { k, t, vmo, pmt, packets } = pinnedHandles();
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  assert.deepEqual(packets(), [], "the pin no longer keeps the VMO alive");
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  assert.deepEqual(packets(), [ZX_PAGER_VMO_COMPLETE]);
});
