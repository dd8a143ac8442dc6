/**
 * Kernel objects (objects.ts) seen through the calls that use them: the address-space layout of
 * the root VMAR and its sub-regions, `ZX_VMO_ZERO_CHILDREN` as children of clones die, and the
 * page touches a step records for the checkers.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_BTI_PERM_READ,
  ZX_OK,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { Page, PageTouches } from "./objects.ts";
import { runSync } from "./yields.ts";

const PS = 64;

/** A kernel, its thread, and a 2-page anonymous VMO whose bytes are 1, 2, ... */
function setup() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
  const content = Uint8Array.from({ length: 2 * PS }, (_, i) => (i + 1) & 0xff);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, content, 0)), ZX_OK);
  const [, into] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
  /** The `n` bytes a usercopy reads at `addr` (zx_vmo_write from a user buffer), or its status. */
  const copyIn = (addr: number, n: number): number | Uint8Array => {
    const st = runSync(k.zx_vmo_write(t, into, new Uint8Array(n), 0, addr));
    return st !== ZX_OK ? st : runSync(k.zx_vmo_read(t, into, 0, n))[1];
  };
  return { k, t, vmo, content, copyIn };
}

Deno.test("a mapping at the start of a sub-region right after another sub-region is reachable", () => {
  // Two sub-regions back to back: an address at the end of the first is the second's first.
  const { k, t, vmo, content, copyIn } = setup();
  const flags = ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const root = k.rootVmarHandle;
  const [s1, , first] = runSync(k.zx_vmar_allocate(t, root, flags, 0, PS));
  const [s2, sub, second] = runSync(k.zx_vmar_allocate(t, root, flags, PS, PS));
  assert.deepEqual([s1, s2, second - first], [ZX_OK, ZX_OK, PS]);
  const [ms, addr] = runSync(k.zx_vmar_map(t, sub, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  assert.deepEqual([ms, addr], [ZX_OK, second]);
  assert.deepEqual(copyIn(second, 4), content.subarray(0, 4));
});

Deno.test("a mapping placed anywhere after a SPECIFIC one does not overlap it", () => {
  // zx_vmar_map.md: mappings of one VMAR never overlap (SPECIFIC over one is ALREADY_EXISTS).
  const { k, t, vmo } = setup();
  const root = k.rootVmarHandle;
  const [s1, at] = runSync(
    k.zx_vmar_map(t, root, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PS),
  );
  assert.equal(s1, ZX_OK);
  const [s2, next] = runSync(k.zx_vmar_map(t, root, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  assert.equal(s2, ZX_OK);
  assert.ok(
    next >= at + 2 * PS || next + PS <= at,
    `[${next}, +${PS}) overlaps [${at}, +${2 * PS})`,
  );
});

Deno.test("zx_vmar_unmap of a part of a mapping leaves the rest of it mapped", () => {
  // zx_vmar_unmap.md: only the pages of the range are unmapped (upstream splits the mapping; the
  // model unmaps whole mappings only and refuses a part): the page past the range stays.
  const { k, t, vmo, content, copyIn } = setup();
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS));
  runSync(k.zx_vmar_unmap(t, k.rootVmarHandle, addr, PS));
  assert.deepEqual(copyIn(addr + PS, 4), content.subarray(PS, PS + 4));
});

Deno.test("ZERO_CHILDREN stays clear while one child lives and another, pinned, dies at its unpin", () => {
  // ZX_VMO_ZERO_CHILDREN: the VMO has no children. A child whose handle closed while pinned is
  // gone for userspace at once, and dies at zx_pmt_unpin; neither step may lose the other child.
  const { k, t } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, p] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS));
  const [, aux] = runSync(k.zx_vmo_create(t, PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, p, 0, PS, aux, 0)), ZX_OK);
  const clone = () => {
    const [st, h] = runSync(
      k.zx_vmo_create_child(t, p, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS),
    );
    assert.equal(st, ZX_OK);
    return h;
  };
  const zeroChildren = () =>
    (runSync(k.zx_object_wait_one(t, p, ZX_VMO_ZERO_CHILDREN, 0))[1] & ZX_VMO_ZERO_CHILDREN) !== 0;
  const a = clone();
  const b = clone();
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const [ps, pmt] = runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, a, 0, PS));
  assert.equal(ps, ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, a)), ZX_OK);
  assert.equal(zeroChildren(), false);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  assert.equal(zeroChildren(), false, "b still lives");
  assert.equal(runSync(k.zx_handle_close(t, b)), ZX_OK);
  assert.equal(zeroChildren(), true);
});

Deno.test("PageTouches: a page's copy holds its own bytes when an earlier step's copy is reused", () => {
  const touches = new PageTouches();
  touches.enabled = true;
  const a = new Page(new Uint8Array([1, 1, 1, 1]), "dirty", touches);
  const b = new Page(new Uint8Array([2, 2, 2, 2]), "dirty", touches);
  touches.clear();
  a.data[0] = 9;
  assert.deepEqual([...(touches.before(a) ?? [])], [1, 1, 1, 1]);
  touches.clear(); // the next step: b's copy may reuse the buffer a's copy had
  b.data[0] = 9;
  assert.deepEqual([...(touches.before(b) ?? [])], [2, 2, 2, 2]);
  assert.equal(touches.before(a), undefined);
});
