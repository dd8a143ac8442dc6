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
  ZX_ERR_IO,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
} from "./constants.ts";
import { Kernel, type Syscall } from "./kernel.ts";
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
