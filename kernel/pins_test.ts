/**
 * Kernel assertions on BTI pins (`VmoPages.checkPins`): the model's own pin bookkeeping
 * breaking is a {@linkcode KernelAssertionError}, not a status.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { KernelAssertionError } from "./assert.ts";
import { ZX_BTI_PERM_READ, ZX_OK } from "./constants.ts";
import { Kernel, type Syscall } from "./kernel.ts";

const PS = 4096;

function run<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    if (r.value.kind !== "syscall") throw new Error(`call blocked (${r.value.kind})`);
  }
}

/** A kernel with a 2-page pager VMO whose page 0 is supplied and pinned for read. */
function pinned() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = run(k.zx_pager_create(t, 0));
  const [, port] = run(k.zx_port_create(t, 0));
  const [, vmo] = run(k.zx_pager_create_vmo(t, pager, 0, port, 1, 2 * PS));
  const [, aux] = run(k.zx_vmo_create(t, PS, 0));
  assert.equal(run(k.zx_vmo_write(t, aux, new Uint8Array(PS).fill(1), 0)), ZX_OK);
  assert.equal(run(k.zx_pager_supply_pages(t, pager, vmo, 0, PS, aux, 0)), ZX_OK);
  const [, bti] = run(k.zx_bti_create(t, 0, 1));
  const [st] = run(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 0, PS));
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

Deno.test("pins: a pinned slot without a page is a kernel assertion", () => {
  const { k, v } = pinned();
  v.pins.set(1, 1);
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
});

Deno.test("pins: unpinning a write pin that was never taken is a kernel assertion", () => {
  const { k, v } = pinned();
  assert.throws(() => k.pages.unpin(v, 0, 1, true), KernelAssertionError);
});
