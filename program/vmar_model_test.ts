import { strict as assert } from "node:assert";
import { ROOT_VMAR_BYTES, VmarModel } from "./vmar_model.ts";

const RW = { specific: true, read: true, write: true, execute: false };
const map = (addr: number, len: number, writable = true) => ({
  addr,
  len,
  readable: true,
  writable,
  canWrite: true,
});

Deno.test("VmarModel: placements, unmaps (of parts of mappings too) and destroys as the kernel reports them", () => {
  const v = new VmarModel();
  v.addRoot(1);
  const root = v.region(1)!;
  assert.equal(root, v.root);
  assert.equal(root.size, ROOT_VMAR_BYTES);
  v.allocated(root, 2, 0x1000, 0x400, RW);
  const sub = v.region(2)!;
  v.mapped(sub, map(0x1100, 0x100), false);
  v.mapped(root, map(0x2000, 0x200), false);
  assert.equal(v.find(root, 0x1150)?.addr, 0x1100); // through the sub-region
  assert.equal(v.find(root, 0x1300), undefined); // in the sub-region, unmapped
  assert.equal(v.find(root, 0x21ff)?.addr, 0x2000);
  assert.equal(v.subRegionAt(root, 0x13ff), sub);
  assert.ok(v.occupied(sub, 0x1000, 0x200));
  assert.ok(!v.occupied(sub, 0x1200, 0x200));
  // Sub-regions know their extent; the root only where its placements cover a range.
  assert.equal(v.contains(sub, 0x1000, 0x1400), true);
  assert.equal(v.contains(sub, 0x1200, 0x1500), false);
  assert.equal(v.contains(root, 0x1000, 0x1400), true);
  assert.equal(v.contains(root, 0x1000, 0x2200), undefined); // a gap between
  assert.equal(v.contains(root, 0, ROOT_VMAR_BYTES + 0x100), false);
  v.protect(root, 0x2000, 0x200, true, false);
  assert.equal(v.find(root, 0x2000)?.writable, false);
  // SPECIFIC_OVERWRITE unmaps its range as zx_vmar_unmap would: the part of the old mapping
  // past it stays mapped, with its permissions.
  v.mapped(root, map(0x2000, 0x100), true);
  assert.equal(v.find(root, 0x2000)?.len, 0x100);
  assert.equal(v.find(root, 0x2100)?.addr, 0x2100);
  assert.equal(v.find(root, 0x2100)?.writable, false);
  v.mapped(root, map(0x2000, 0x200), true); // both replaced whole
  assert.equal(v.find(root, 0x2100)?.addr, 0x2000);
  assert.equal(root.mappings.filter((m) => m.addr >= 0x2000).length, 1);
  // An unmap of a part of a mapping cuts it: the parts outside the range stay mapped, their VMO
  // offsets moved with them (upstream UnmapInternalLocked's VmMapping::UnmapLocked).
  v.mapped(root, { ...map(0x3000, 0x300), vmo: 9, vmoOffset: 0 }, false);
  v.unmapped(root, 0x3100, 0x100);
  assert.equal(v.find(root, 0x3000)?.len, 0x100);
  assert.equal(v.find(root, 0x3150), undefined);
  assert.equal(v.find(root, 0x3200)?.addr, 0x3200);
  assert.equal(v.find(root, 0x3200)?.vmoOffset, 0x200);
  v.unmapped(root, 0x3000, 0x300); // both parts, whole
  assert.equal(v.find(root, 0x3000), undefined);
  assert.equal(v.find(root, 0x3200), undefined);
  v.unmapped(root, 0x1000, 0x400); // the whole sub-region: destroyed with its mappings
  assert.ok(sub.destroyed);
  assert.equal(sub.mappings.length, 0);
  assert.equal(root.regions.length, 0);
  assert.ok(v.known);
  v.unmapped(root, 0x8000, 0x100); // nothing there: the picture is lost
  assert.ok(!v.known);
});

Deno.test("VmarModel: destroying a region destroys the regions under it", () => {
  const v = new VmarModel();
  v.addRoot(1);
  v.allocated(v.root!, 2, 0x1000, 0x1000, RW);
  v.allocated(v.region(2)!, 3, 0x1000, 0x400, RW);
  v.mapped(v.region(3)!, map(0x1000, 0x100), false);
  v.destroy(v.region(2)!);
  assert.ok(v.region(3)!.destroyed);
  assert.equal(v.find(v.root!, 0x1000), undefined);
});

Deno.test("VmarModel: a protect of part of a mapping splits it, as upstream does; the rest keeps its permissions", () => {
  const v = new VmarModel();
  v.addRoot(1);
  const root = v.region(1)!;
  v.mapped(root, { ...map(0x3000, 0x300, false), vmo: 7, vmoOffset: 0x100 }, false);
  v.protect(root, 0x3100, 0x100, true, true);
  assert.equal(v.find(root, 0x3000)?.writable, false);
  assert.equal(v.find(root, 0x3100)?.writable, true);
  assert.equal(v.find(root, 0x3200)?.writable, false);
  assert.deepEqual(
    root.mappings.map((m) => [m.addr, m.len, m.vmoOffset]),
    [[0x3000, 0x100, 0x100], [0x3100, 0x100, 0x200], [0x3200, 0x100, 0x300]],
  );
});
