/**
 * Which pages the kernel may evict (audit V1): the checks of upstream
 * `VmCowPages::ReclaimPageForEviction` (vm_cow_pages.cc @ misttech/fuchsia
 * 030dcba0), paraphrased — the page must still be the VMO's page at that
 * offset; a pinned page "could be in use by DMA"; "we cannot evict the page
 * unless it is clean" (Dirty and AwaitingClean pages stay); a page with the
 * `always_need` hint is skipped unless the hint is ignored (an OOM, which the
 * model does not reach). Nothing looks at outstanding page requests, so a
 * Clean page a writer is waiting to dirty is evicted like any other
 * (EvictAfterDirtyRequest, pager-writeback.cc @ artem/fuchsia-mirror 89ae399f).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import type { KernelEvent } from "./events.ts";
import { Kernel } from "./kernel.ts";
import { runSync, untilBlocked } from "./yields.ts";

const PS = 4096;

/**
 * A TRAP_DIRTY pager VMO of 5 supplied pages: a writer waits on DIRTY [0,1); page 1 is Dirty,
 * page 2 AwaitingClean, page 3 always-need, page 4 pinned.
 */
function everyKind(events: KernelEvent[] = []) {
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const [w] = k.createThread("writer", 2);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, ZX_VMO_TRAP_DIRTY, port, 1, 5 * PS));
  const [, aux] = runSync(k.zx_vmo_create(t, 5 * PS, 0));
  assert.equal(runSync(k.zx_vmo_write(t, aux, new Uint8Array(5 * PS).fill(3), 0)), ZX_OK);
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 5 * PS, aux, 0)), ZX_OK);
  const write = k.zx_vmo_write(w, vmo, new Uint8Array([0xaa]), 0);
  assert.equal(untilBlocked(write), true, "the write waits on its DIRTY request");
  const op = (code: number, page: number) =>
    assert.equal(runSync(k.zx_pager_op_range(t, pager, code, vmo, page * PS, PS, 0)), ZX_OK);
  op(ZX_PAGER_OP_DIRTY, 1);
  op(ZX_PAGER_OP_DIRTY, 2);
  op(ZX_PAGER_OP_WRITEBACK_BEGIN, 2);
  assert.equal(runSync(k.zx_vmo_op_range(t, vmo, ZX_VMO_OP_ALWAYS_NEED, 3 * PS, PS)), ZX_OK);
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  assert.equal(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, 4 * PS, PS))[0], ZX_OK);
  return { k, t, vmo, v: k.pagerVmos[0] };
}

Deno.test("eviction: a Clean page with a pending DIRTY request is evictable, no other kind is", () => {
  const { k, t, vmo, v } = everyKind();
  assert.equal(v.source?.outstanding("DIRTY").length, 1);
  assert.deepEqual(k.evictablePages(vmo), [0]);
  for (const page of [1, 2, 3, 4]) {
    assert.equal(runSync(k.kernel_evict(t, vmo, page)), ZX_ERR_BAD_STATE, `page ${page} stays`);
  }
  assert.equal(runSync(k.kernel_evict(t, vmo, 0)), ZX_OK);
  assert.equal(v.slots[0], undefined);
  // The request is not resolved by the eviction: the writer still waits for its DIRTY ack.
  assert.equal(v.source?.outstanding("DIRTY").length, 1);
});

Deno.test("evictablePages of a handle that names no VMO is empty", () => {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, port] = runSync(k.zx_port_create(t, 0));
  assert.deepEqual(k.evictablePages(port), []);
  assert.deepEqual(k.evictablePages(0x7fff_fff0), []);
});

Deno.test("kernel_evict shows in the trace as a call and a ret with its status", () => {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => events.push(e) } });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, PS, 0));
  const koid = (k.handles.entry(vmo)?.object as { koid: number }).koid;
  events.length = 0;
  // An anonymous VMO's page is no pager's Clean page: not evictable (spec 6.3).
  assert.equal(runSync(k.kernel_evict(t, vmo, 0)), ZX_ERR_BAD_STATE);
  assert.deepEqual(events, [
    { k: "call", tid: t.tid, name: "kernel_evict", args: [vmo, 0] },
    {
      k: "ret",
      tid: t.tid,
      name: "kernel_evict",
      status: ZX_ERR_BAD_STATE,
      evict: { vmo: koid, page: 0, pager: false, slot: "absent", pinned: false, alwaysNeed: false },
    },
  ]);
  events.length = 0;
  // A handle that names no VMO: no page to describe.
  assert.equal(runSync(k.kernel_evict(t, 0x7fff_fff0, 0)), ZX_ERR_BAD_HANDLE);
  assert.equal("evict" in events[1], false);
});

Deno.test("kernel_evict's ret event says what the page was: every reason that kept it (text only)", () => {
  const events: KernelEvent[] = [];
  const { k, t, vmo, v } = everyKind(events);
  const detail = (page: number) => {
    events.length = 0;
    runSync(k.kernel_evict(t, vmo, page));
    const ret = events.find((e) => e.k === "ret");
    assert.ok(ret !== undefined && ret.k === "ret" && ret.evict !== undefined);
    assert.equal(ret.evict.vmo, v.koid);
    assert.equal(ret.evict.page, page);
    return ret.evict;
  };
  const base = { vmo: v.koid, pager: true, pinned: false, alwaysNeed: false };
  assert.deepEqual(detail(1), { ...base, page: 1, slot: "dirty" });
  assert.deepEqual(detail(2), { ...base, page: 2, slot: "awaiting-clean" });
  assert.deepEqual(detail(3), { ...base, page: 3, slot: "clean", alwaysNeed: true });
  assert.deepEqual(detail(4), { ...base, page: 4, slot: "clean", pinned: true });
  assert.deepEqual(detail(0), { ...base, page: 0, slot: "clean" }, "as found, before it went");
  assert.deepEqual(detail(0), { ...base, page: 0, slot: "absent" }, "then gone");
});
