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
  ZX_BTI_PERM_WRITE,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_OUT_OF_RANGE,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_RESIZABLE,
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

/** Flags of a sub-region where anything may be mapped, SPECIFIC included. */
const REGION = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;

/**
 * `setup()` plus: `region(pages, parent?)`, a non-specific sub-region as [handle, base];
 * `mapAt(region, page, vmo, pages, options?)`, a SPECIFIC read-only mapping of `pages` pages of
 * `vmo` at page `page` of the region (its status); `vmoOf(pages, byte)`, a VMO filled with `byte`.
 */
function layout() {
  const f = setup();
  const { k, t } = f;
  const region = (pages: number, parent = k.rootVmarHandle): [number, number] => {
    const [st, h, base] = runSync(k.zx_vmar_allocate(t, parent, REGION, 0, pages * PS));
    assert.equal(st, ZX_OK);
    return [h, base];
  };
  const mapAt = (r: number, page: number, vmo: number, pages: number, options = ZX_VM_SPECIFIC) =>
    runSync(k.zx_vmar_map(t, r, ZX_VM_PERM_READ | options, page * PS, vmo, 0, pages * PS))[0];
  const vmoOf = (pages: number, byte: number) => {
    const [, h] = runSync(k.zx_vmo_create(t, pages * PS, 0));
    assert.equal(runSync(k.zx_vmo_write(t, h, new Uint8Array(pages * PS).fill(byte), 0)), ZX_OK);
    return h;
  };
  return { ...f, region, mapAt, vmoOf };
}

Deno.test("the root VMAR grants every CAN_MAP flag, SPECIFIC included, to a sub-region", () => {
  // The root region carries CAN_MAP_SPECIFIC and "CAN_RWX_FLAGS ... since an address space can't
  // usefully contain a process without all of these" (VmAddressRegion's root constructor,
  // zircon/kernel/vm/vm_address_region.cc @ vsrinivas/fuchsia).
  const { k, t } = setup();
  const all = REGION | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_SPECIFIC;
  const [st] = runSync(k.zx_vmar_allocate(t, k.rootVmarHandle, all, 64 * PS, PS));
  assert.equal(st, ZX_OK);
});

Deno.test("an address below a mapping, or the first one past its end, is not mapped", () => {
  // zx_vmo_write.md: INVALID_ARGS when the buffer is an invalid pointer. The mapping covers page
  // 1 of the region only (of a 2-page VMO): pages 0 and 2 are unmapped.
  const { vmo, content, copyIn, region, mapAt } = layout();
  const [r, base] = region(4);
  assert.equal(mapAt(r, 1, vmo, 1), ZX_OK);
  assert.deepEqual(copyIn(base + PS, 4), content.subarray(0, 4));
  assert.deepEqual(copyIn(base + 2 * PS - 4, 4), content.subarray(PS - 4, PS));
  assert.equal(copyIn(base, 4), ZX_ERR_INVALID_ARGS);
  assert.equal(copyIn(base + PS - 4, 4), ZX_ERR_INVALID_ARGS);
  assert.equal(copyIn(base + 2 * PS, 4), ZX_ERR_INVALID_ARGS);
});

Deno.test("mappings and sub-regions placed anywhere lie inside their region, none overlapping", () => {
  // zx_vmar_map.md / zx_vmar_allocate.md: without SPECIFIC the kernel picks the offset; the
  // children of a VMAR never overlap and lie inside it. Placements after a SPECIFIC one far into
  // the region must avoid it too.
  const { k, t, vmo, region, mapAt } = layout();
  const [r, base] = region(256);
  const size = 256 * PS;
  const spans: [number, number][] = [];
  assert.equal(mapAt(r, 8, vmo, 2), ZX_OK);
  spans.push([base + 8 * PS, 2 * PS]);
  for (const pages of [1, 2, 16, 1]) {
    const [st, addr] = runSync(k.zx_vmar_map(t, r, ZX_VM_PERM_READ, 0, vmo, 0, pages * PS));
    assert.equal(st, ZX_OK);
    spans.push([addr, pages * PS]);
    const [rs, , sub] = runSync(k.zx_vmar_allocate(t, r, REGION, 0, pages * PS));
    assert.equal(rs, ZX_OK);
    spans.push([sub, pages * PS]);
  }
  for (const [i, [a, n]] of spans.entries()) {
    assert.ok(a >= base && a + n <= base + size, `[${a}, +${n}) outside the region`);
    for (const [b, m] of spans.slice(0, i)) {
      assert.ok(a + n <= b || b + m <= a, `[${a}, +${n}) overlaps [${b}, +${m})`);
    }
  }
});

Deno.test("a SPECIFIC mapping next to a sub-region is placed; over any part of one, ALREADY_EXISTS", () => {
  // zx_vmar_map.md: SPECIFIC "It is an error to specify a range that overlaps with another VMAR
  // or mapping"; SPECIFIC_OVERWRITE "can overlap another mapping. It is still an error to
  // overlap another VMAR". The sub-region spans pages [2, 4) of the region.
  const { k, t, vmo, region, mapAt } = layout();
  const [r] = region(8);
  const [ss] = runSync(k.zx_vmar_allocate(t, r, REGION | ZX_VM_SPECIFIC, 2 * PS, 2 * PS));
  assert.equal(ss, ZX_OK);
  assert.equal(mapAt(r, 1, vmo, 2), ZX_ERR_ALREADY_EXISTS, "over its first page");
  assert.equal(mapAt(r, 3, vmo, 2), ZX_ERR_ALREADY_EXISTS, "over its last page");
  assert.equal(mapAt(r, 2, vmo, 2, ZX_VM_SPECIFIC_OVERWRITE), ZX_ERR_ALREADY_EXISTS);
  assert.equal(mapAt(r, 0, vmo, 2), ZX_OK, "ending where it begins");
  assert.equal(mapAt(r, 4, vmo, 1), ZX_OK, "beginning where it ends");
});

Deno.test("a SPECIFIC mapping over another is ALREADY_EXISTS and changes nothing; next to it, placed", () => {
  // zx_vmar_map.md: ZX_ERR_ALREADY_EXISTS "ZX_VM_SPECIFIC has been specified without
  // ZX_VM_SPECIFIC_OVERWRITE, and the requested range overlaps with another mapping".
  const { vmo, content, copyIn, region, mapAt, vmoOf } = layout();
  const [r, base] = region(4);
  assert.equal(mapAt(r, 1, vmo, 1), ZX_OK);
  assert.equal(mapAt(r, 1, vmoOf(1, 0xab), 1), ZX_ERR_ALREADY_EXISTS);
  assert.deepEqual(copyIn(base + PS, 4), content.subarray(0, 4));
  assert.equal(mapAt(r, 0, vmo, 1), ZX_OK, "ending where the other begins");
  assert.equal(mapAt(r, 2, vmo, 1), ZX_OK, "beginning where the other ends");
});

Deno.test("SPECIFIC_OVERWRITE of a whole mapping: its addresses read the new VMO", () => {
  // zx_vmar_map.md: SPECIFIC_OVERWRITE "will atomically ... replace existing mappings in the
  // area"; spec 4.2 "a replaced mapping refaults on the new VMO" (VmarRemapTest).
  const { vmo, copyIn, region, mapAt, vmoOf } = layout();
  const [r, base] = region(4);
  assert.equal(mapAt(r, 1, vmo, 1), ZX_OK);
  assert.equal(mapAt(r, 1, vmoOf(1, 0xab), 1, ZX_VM_SPECIFIC_OVERWRITE), ZX_OK);
  assert.deepEqual(copyIn(base + PS, 4), new Uint8Array(4).fill(0xab));
});

Deno.test("SPECIFIC_OVERWRITE over part of a mapping leaves the rest of that mapping mapped", () => {
  // zx_vmar_map.md: SPECIFIC_OVERWRITE replaces the mappings "in the area" only (upstream splits
  // the old mapping; the model refuses a part): pages of the old mapping outside the new range
  // still read the old VMO.
  const { vmo, content, copyIn, region, mapAt, vmoOf } = layout();
  const [r, base] = region(8);
  const other = vmoOf(2, 0xab);
  assert.equal(mapAt(r, 0, vmo, 2), ZX_OK);
  mapAt(r, 0, other, 1, ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE); // over its first page only
  assert.deepEqual(copyIn(base + PS, 4), content.subarray(PS, PS + 4));
  assert.equal(mapAt(r, 4, vmo, 2), ZX_OK);
  mapAt(r, 5, other, 2, ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE); // its last page and past it
  assert.deepEqual(copyIn(base + 4 * PS, 4), content.subarray(0, 4));
});

Deno.test("a mapping that does not fit its region fails and maps nothing", () => {
  // zx_vmar_map.md: INVALID_ARGS when "vmar_offset and len describe an unsatisfiable allocation
  // due to exceeding the region bounds"; NO_RESOURCES "If a spot could not be found in the VMAR".
  const { k, t, vmo, copyIn, region, mapAt } = layout();
  const [r, base] = region(2);
  assert.equal(mapAt(r, 1, vmo, 2), ZX_ERR_INVALID_ARGS);
  const [st] = runSync(k.zx_vmar_map(t, r, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PS));
  assert.equal(st, ZX_ERR_NO_RESOURCES);
  assert.equal(copyIn(base, 4), ZX_ERR_INVALID_ARGS);
  assert.equal(copyIn(base + PS, 4), ZX_ERR_INVALID_ARGS);
});

Deno.test("a SPECIFIC sub-region next to a mapping or region is placed; over any part of one, ALREADY_EXISTS", () => {
  // zx_vmar_allocate.md: SPECIFIC "It is an error to specify an address range that overlaps
  // with another VMAR or mapping". A mapping spans pages [2, 4), a sub-region [6, 8).
  const { k, t, vmo, region, mapAt } = layout();
  const [r] = region(12);
  const allocate = (page: number, pages: number) =>
    runSync(k.zx_vmar_allocate(t, r, REGION | ZX_VM_SPECIFIC, page * PS, pages * PS))[0];
  assert.equal(mapAt(r, 2, vmo, 2), ZX_OK);
  assert.equal(allocate(6, 2), ZX_OK);
  assert.equal(allocate(1, 2), ZX_ERR_ALREADY_EXISTS, "over the mapping's first page");
  assert.equal(allocate(3, 2), ZX_ERR_ALREADY_EXISTS, "over the mapping's last page");
  assert.equal(allocate(7, 2), ZX_ERR_ALREADY_EXISTS, "over the region's last page");
  assert.equal(allocate(0, 2), ZX_OK, "ending where the mapping begins");
  assert.equal(allocate(4, 2), ZX_OK, "from the mapping's end to the region's start");
  assert.equal(allocate(8, 1), ZX_OK, "beginning where the region ends");
});

Deno.test("ZX_VMAR_OP_COMMIT over adjacent mappings made in either order commits both", () => {
  // Spec 2.8.5: the VMAR ops "behave like the VMO ops over each mapping; a gap in the VMAR range
  // -> ZX_ERR_BAD_STATE". Two mappings back to back leave no gap, whichever was made first.
  for (const order of [[0, 1], [1, 0]]) {
    const { k, t, region, mapAt, vmoOf } = layout();
    const [r, base] = region(4);
    const vmos = [vmoOf(1, 1), vmoOf(1, 2)];
    for (const i of order) assert.equal(mapAt(r, i, vmos[i], 1), ZX_OK);
    const st = runSync(k.zx_vmar_op_range(t, r, ZX_VMAR_OP_COMMIT, base, 2 * PS));
    assert.equal(st, ZX_OK, `mappings made in page order ${order}`);
  }
});

Deno.test("ZX_VMAR_OP_COMMIT walks into a sub-region's mapping and stops at a gap in one", () => {
  // Spec 2.8.5 (VmAddressRegion::RangeOp walks the region's tree in address order): mappings in
  // a sub-region and in the region itself, back to back in either order, leave no gap; a
  // sub-region with no mapping in the range is a gap (BAD_STATE).
  const { k, t, region, mapAt, vmoOf } = layout();
  const [r, base] = region(8);
  const [sub, subBase] = region(1, r);
  assert.equal(subBase, base, "the first placement in a fresh region is at its base");
  assert.equal(mapAt(sub, 0, vmoOf(1, 1), 1), ZX_OK);
  assert.equal(mapAt(r, 1, vmoOf(1, 2), 1), ZX_OK);
  assert.equal(runSync(k.zx_vmar_op_range(t, r, ZX_VMAR_OP_COMMIT, base, 2 * PS)), ZX_OK);
  // The region's own mapping first, then one in a sub-region right after it.
  const [r1, base1] = region(8);
  assert.equal(mapAt(r1, 0, vmoOf(1, 1), 1), ZX_OK);
  const [s1, sub1, at1] = runSync(k.zx_vmar_allocate(t, r1, REGION | ZX_VM_SPECIFIC, PS, PS));
  assert.deepEqual([s1, at1], [ZX_OK, base1 + PS]);
  assert.equal(mapAt(sub1, 0, vmoOf(1, 2), 1), ZX_OK);
  assert.equal(runSync(k.zx_vmar_op_range(t, r1, ZX_VMAR_OP_COMMIT, base1, 2 * PS)), ZX_OK);
  const [r2, base2] = region(8);
  assert.equal(mapAt(r2, 0, vmoOf(1, 3), 1), ZX_OK);
  const [s2] = runSync(k.zx_vmar_allocate(t, r2, REGION | ZX_VM_SPECIFIC, PS, PS));
  assert.equal(s2, ZX_OK);
  const st = runSync(k.zx_vmar_op_range(t, r2, ZX_VMAR_OP_COMMIT, base2, 2 * PS));
  assert.equal(st, ZX_ERR_BAD_STATE);
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

Deno.test("a SPECIFIC mapping over a mapping, without SPECIFIC_OVERWRITE, fails and the mapping stays", () => {
  // zx_vmar_map.md: with ZX_VM_SPECIFIC "it is an error to specify a range that overlaps with
  // another VMAR or mapping"; only SPECIFIC_OVERWRITE replaces mappings. (The error's code
  // differs between revisions: NO_MEMORY in zx_vmar_map.md, ALREADY_EXISTS in the model.)
  const { k, t, vmo, content, copyIn } = setup();
  const root = k.rootVmarHandle;
  const [, other] = runSync(k.zx_vmo_create(t, PS, 0));
  const [s1, at] = runSync(k.zx_vmar_map(t, root, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  assert.equal(s1, ZX_OK);
  const again = ZX_VM_PERM_READ | ZX_VM_SPECIFIC;
  const [s2] = runSync(k.zx_vmar_map(t, root, again, at - k.rootVmar.base, other, 0, PS));
  assert.notEqual(s2, ZX_OK);
  assert.deepEqual(copyIn(at, 4), content.subarray(0, 4));
});

/** A sub-region `sub` of the root at `base`: [A: one page][M: a mapping of one page][B: one page]. */
function threeParts() {
  const { k, t, vmo, content, copyIn } = setup();
  const flags = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const [, sub, base] = runSync(k.zx_vmar_allocate(t, k.rootVmarHandle, flags, 0, 3 * PS));
  const [sa, a] = runSync(k.zx_vmar_allocate(t, sub, flags | ZX_VM_SPECIFIC, 0, PS));
  const [sm] = runSync(k.zx_vmar_map(t, sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, PS, vmo, 0, PS));
  const [sb, b] = runSync(k.zx_vmar_allocate(t, sub, flags | ZX_VM_SPECIFIC, 2 * PS, PS));
  assert.deepEqual([sa, sm, sb], [ZX_OK, ZX_OK, ZX_OK]);
  /** Whether sub-region `h` is still alive: a mapping can be made in it. */
  const alive = (h: number) =>
    runSync(k.zx_vmar_map(t, h, ZX_VM_PERM_READ, 0, vmo, 0, PS))[0] === ZX_OK;
  return { k, t, sub, base, a, b, content, copyIn, alive };
}

Deno.test("zx_vmar_unmap of a mapping between two sub-regions unmaps it and leaves both sub-regions", () => {
  // zx_vmar_unmap.md: the sub-regions *within* the range are destroyed; ones that end where the
  // range starts or start where it ends are not in it (VmAddressRegion::UnmapInternalLocked).
  const { k, t, sub, base, a, b, copyIn, alive } = threeParts();
  assert.equal(runSync(k.zx_vmar_unmap(t, sub, base + PS, PS)), ZX_OK);
  assert.equal(copyIn(base + PS, 4), ZX_ERR_INVALID_ARGS);
  assert.deepEqual([alive(a), alive(b)], [true, true]);
});

Deno.test("zx_vmar_unmap over a sub-region and a mapping: ZX_OK only with both gone, else neither", () => {
  // zx_vmar_unmap.md: unmaps every mapping and destroys every sub-region within the range
  // (UnmapInternalLocked checks the whole range before it changes anything). The model refuses
  // such a range (it unmaps one mapping or one sub-region at a time): then nothing may change.
  const { k, t, sub, base, a, content, copyIn, alive } = threeParts();
  const st = runSync(k.zx_vmar_unmap(t, sub, base, 2 * PS));
  const mapped = copyIn(base + PS, 4) instanceof Uint8Array;
  if (st === ZX_OK) assert.deepEqual([alive(a), mapped], [false, false]);
  else {
    assert.deepEqual([alive(a), mapped], [true, true]);
    assert.deepEqual(copyIn(base + PS, 4), content.subarray(0, 4));
  }
});

Deno.test("zx_vmar_allocate with the handle table full fails and leaves the space free", () => {
  // sys_vmar_allocate (vsrinivas/fuchsia 2cf39818 lib/syscalls/vmar.cc): when the child's handle
  // cannot be made, the new VMAR is destroyed; its range can be allocated again.
  const { k, t } = setup();
  const flags = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const [, sub] = runSync(k.zx_vmar_allocate(t, k.rootVmarHandle, flags, 0, 2 * PS));
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const event = k.handles.entry(ev)?.object;
  assert.ok(event !== undefined);
  while (k.handles.add(event, 0)[0] === ZX_OK);
  const specific = flags | ZX_VM_SPECIFIC;
  assert.equal(runSync(k.zx_vmar_allocate(t, sub, specific, 0, PS))[0], ZX_ERR_NO_RESOURCES);
  assert.equal(runSync(k.zx_handle_close(t, ev)), ZX_OK);
  assert.equal(runSync(k.zx_vmar_allocate(t, sub, specific, 0, PS))[0], ZX_OK);
});

Deno.test("zx_bti_pin with the handle table full fails and leaves the pages unpinned", () => {
  // sys_bti_pin (ddk.cc): if the PMT's handle cannot be made, the pin is undone (`disp->Unpin()`),
  // so a shrink over the pages is not refused as one over pinned pages is (BAD_STATE).
  const { k, t } = setup();
  const [, vmo] = runSync(k.zx_vmo_create(t, 2 * PS, ZX_VMO_RESIZABLE));
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const event = k.handles.entry(ev)?.object;
  assert.ok(event !== undefined);
  while (k.handles.add(event, 0)[0] === ZX_OK);
  assert.equal(
    runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, vmo, PS, PS))[0],
    ZX_ERR_NO_RESOURCES,
  );
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, 0)), ZX_OK);
});

Deno.test("zx_bti_pin past the end of a snapshot child is OUT_OF_RANGE and commits none of its pages", () => {
  // BtiDispatcher::Pin / VmObjectPaged::CommitRangePinned check the range before committing
  // anything (zx_bti_pin.md: OUT_OF_RANGE "offset + size is out of the bounds of the VMO").
  const { k, t, vmo } = setup();
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, p] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, 1, 2 * PS));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, p, 0, 2 * PS, vmo, 0)), ZX_OK);
  const [, child] = runSync(
    k.zx_vmo_create_child(t, p, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PS),
  );
  const [, bti] = runSync(k.zx_bti_create(t, 0, 1));
  const perms = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE;
  assert.equal(runSync(k.zx_bti_pin(t, bti, perms, child, PS, 2 * PS))[0], ZX_ERR_OUT_OF_RANGE);
  const [, info] = runSync(k.zx_object_get_info(t, child, ZX_INFO_VMO));
  assert.equal(info?.committedBytes, 0);
});

Deno.test("PageTouches: nothing is recorded until it is enabled", () => {
  // PageTouches: "The world ... turns it on only when checkers run (the model alone pays
  // nothing)": a fresh one is off.
  const touches = new PageTouches();
  const page = new Page(new Uint8Array([1, 2]), "dirty", touches);
  touches.clear();
  page.data[0] = 9;
  assert.deepEqual([touches.size, touches.before(page)], [0, undefined]);
});

Deno.test("a Page without touches hands out its bytes to read and write", () => {
  const page = new Page(new Uint8Array([1, 2]), "clean");
  page.data[1] = 7;
  assert.deepEqual([...page.peek()], [1, 7]);
});

Deno.test("PageTouches: a page made during the step is not recorded; from the next step on it is", () => {
  // PageTouches: "A page made during the step is not recorded: no VMO held it when the step
  // began".
  const touches = new PageTouches();
  touches.enabled = true;
  touches.clear();
  const page = new Page(new Uint8Array([1, 2]), "dirty", touches);
  page.data[0] = 9;
  assert.deepEqual([touches.size, touches.before(page)], [0, undefined]);
  touches.clear();
  page.data[0] = 8;
  assert.deepEqual([...(touches.before(page) ?? [])], [9, 2]);
});

Deno.test("PageTouches: each page keeps what it held at its first touch of the step, in touch order", () => {
  // PageTouches.before: "What `page` held before its first touch this step"; pages(): "in the
  // order they were first touched"; size: "How many pages were touched this step".
  const touches = new PageTouches();
  touches.enabled = true;
  const a = new Page(new Uint8Array([1, 1]), "dirty", touches);
  const b = new Page(new Uint8Array([2, 2]), "dirty", touches);
  const c = new Page(new Uint8Array([3, 3]), "dirty", touches);
  touches.clear();
  b.data[0] = 9;
  b.data[1] = 8; // a second touch of b: its first copy stands
  a.data[0] = 7;
  assert.deepEqual([...(touches.before(b) ?? [])], [2, 2]);
  assert.deepEqual([...(touches.before(a) ?? [])], [1, 1]);
  assert.equal(touches.before(c), undefined);
  assert.equal(touches.size, 2);
  assert.deepEqual([...touches.pages()], [b, a]);
});

Deno.test("PageTouches: a copy holds the page's bytes at every page size a kernel allows", () => {
  // Kernel page sizes are powers of two in [8, 65536] (kernel_objects.ts constructor).
  for (let size = 8; size <= 65536; size *= 2) {
    const touches = new PageTouches();
    touches.enabled = true;
    const page = new Page(Uint8Array.from({ length: size }, (_, i) => i & 0xff), "dirty", touches);
    touches.clear();
    page.data.fill(0xee);
    const before = touches.before(page);
    assert.equal(before?.length, size);
    assert.ok(before?.every((b, i) => b === (i & 0xff)), `page size ${size}`);
  }
});

Deno.test("PageTouches: a copy has its own page's length when pages of another length came before", () => {
  const touches = new PageTouches();
  touches.enabled = true;
  const short = new Page(new Uint8Array([1, 1]), "dirty", touches);
  const long = new Page(new Uint8Array([2, 2, 2, 2]), "dirty", touches);
  touches.clear();
  short.data[0] = 9;
  touches.clear(); // the next step: long's copy may reuse the buffer short's copy had
  long.data[0] = 9;
  assert.deepEqual([...(touches.before(long) ?? [])], [2, 2, 2, 2]);
});
