import { strict as assert } from "node:assert";
import {
  statusName,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_RIGHT_READ,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import { predict, predictAmong } from "./contract.ts";
import { HandleModel } from "./handle_model.ts";

const PS = 4096;

Deno.test("zx_vmo_create_child of a pager VMO: the outcome spec 6.1 decides, and null where it does not", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_PAGER);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, 1, 3 * PS); // fixed size: 3 pages
  m.create(3, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 3 * PS);
  m.create(4, ZX_OBJ_TYPE_VMO, 0, null, 3 * PS); // anonymous: the model refuses, not predicted
  const cases: [
    handle: number,
    options: number,
    offset: number,
    size: number,
    want: number | null,
  ][] = [
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 5 * PS, ZX_OK], // past the end: a clone may
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE, PS, 100, ZX_OK],
    [2, ZX_VMO_CHILD_SNAPSHOT, 0, PS, ZX_ERR_NOT_SUPPORTED],
    [2, ZX_VMO_CHILD_SLICE, PS, 2 * PS, ZX_OK],
    [2, ZX_VMO_CHILD_SLICE, PS, 2 * PS + 1, ZX_ERR_INVALID_ARGS], // rounds up past the end
    [2, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PS, ZX_ERR_INVALID_ARGS],
    [3, ZX_VMO_CHILD_SLICE, 0, PS, null], // resizable parent: its size is not tracked
    [2, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_OK],
    [2, ZX_VMO_CHILD_REFERENCE, PS, 0, ZX_ERR_INVALID_ARGS],
    [2, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PS, null], // pins decide it
    // An unaligned offset: INVALID_ARGS whatever the type (CreateClone, CreateChildSlice and
    // CreateChildReference check it first), even where the aligned outcome is undecided.
    [2, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 1, PS, ZX_ERR_INVALID_ARGS],
    [2, ZX_VMO_CHILD_SNAPSHOT, PS / 2, PS, ZX_ERR_INVALID_ARGS],
    [2, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, PS + 8, PS, ZX_ERR_INVALID_ARGS],
    [3, ZX_VMO_CHILD_SLICE, 1, PS, ZX_ERR_INVALID_ARGS],
    [2, ZX_VMO_CHILD_SLICE, 2 ** 53 - 1, PS, ZX_ERR_INVALID_ARGS],
    [4, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PS, null],
    [4, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 1, PS, null], // anonymous: not judged here
    [2, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_REFERENCE, 0, PS, ZX_ERR_INVALID_ARGS], // two types
  ];
  for (const [h, options, offset, size, want] of cases) {
    const got = predict("zx_vmo_create_child", [h, options, offset, size], m, PS);
    assert.equal(
      got === null ? null : statusName(got),
      want === null ? null : statusName(want),
      `handle ${h} options 0x${options.toString(16)} offset ${offset} size ${size}`,
    );
  }
});

Deno.test("zx_vmar_allocate in the root VMAR: made while the program's placements reach far under its span", () => {
  const m = new HandleModel();
  m.createRootVmar(1);
  m.create(2, ZX_OBJ_TYPE_VMAR); // a region's handle: its free space is not tracked
  const rw = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const at = (h: number, options: number, offset: number, size: number) => {
    const got = predict("zx_vmar_allocate", [h, options, offset, size], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(at(1, rw, 0, 16 * PS), "ZX_OK");
  assert.equal(at(1, rw | ZX_VM_SPECIFIC, 0, PS), "ZX_OK"); // the root holds nothing yet
  assert.equal(at(2, rw, 0, PS), null);
  assert.equal(at(1, rw, 0, 0), "ZX_ERR_INVALID_ARGS");
  m.rootReach = 2 ** 46 - PS; // the root may be nearly full: not decided
  assert.equal(at(1, rw, 0, 16 * PS), null);
});

Deno.test("zx_vmar_map in the root VMAR: mapped when the kernel places it and the handles have the rights", () => {
  const m = new HandleModel();
  m.createRootVmar(1);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, null, PS);
  m.alias(3, present(m.get(1), "root"), ZX_RIGHT_READ); // a read-only duplicate of the root
  const map = (vmar: number, options: number, len: number) => {
    const got = predict("zx_vmar_map", [vmar, options, 0, 2, 0, len], m, PS);
    return got === null ? null : statusName(got);
  };
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  assert.equal(map(1, rw, 4 * PS), "ZX_OK"); // past the VMO's end too
  assert.equal(map(3, ZX_VM_PERM_READ, PS), "ZX_OK");
  assert.equal(map(3, rw, PS), null); // the handle lacks WRITE: not decided here
  assert.equal(map(1, rw | ZX_VM_SPECIFIC, PS), null);
  m.rootReach = 2 ** 46;
  assert.equal(map(1, rw, PS), null);
});

Deno.test("zx_pager_supply_pages of an empty range: OUT_OF_RANGE only past an end, detached or not", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_PAGER);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, 1, 3 * PS); // the pager's, 3 pages
  m.create(3, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS); // aux, 2 pages
  m.create(4, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 3 * PS); // size may change: not decided
  const supply = (vmo: number, offset: number, length: number, auxOffset: number) => {
    const got = predict("zx_pager_supply_pages", [1, vmo, offset, length, 3, auxOffset], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(supply(2, 0, 0, 0), "ZX_OK");
  assert.equal(supply(2, 3 * PS, 0, 2 * PS), "ZX_OK"); // both ends are within
  assert.equal(supply(2, 4 * PS, 0, 0), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(supply(2, 0, 0, 3 * PS), "ZX_ERR_OUT_OF_RANGE"); // aux first
  assert.equal(supply(2, 0, PS, 0), null); // a non-empty supply: pages decide
  assert.equal(supply(4, 0, 0, 0), null);
  assert.equal(supply(4, 0, 0, 3 * PS), "ZX_ERR_OUT_OF_RANGE"); // aux's range is checked first
});

Deno.test("zx_vmo_set_size of a resizable VMO: ZX_OK far under the limits unless a pin may hold a page it cuts, BAD_STATE over a sure pin", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, null, PS);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, null, PS);
  const resize = (h: number, size: unknown) => {
    const got = predict("zx_vmo_set_size", [h, size], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(resize(1, 5 * PS + 3), "ZX_OK");
  assert.equal(resize(1, 0), "ZX_OK");
  assert.equal(resize(1, 2 ** 40 + PS), null); // near the limits: not decided
  assert.equal(resize(1, -1), "ZX_ERR_INVALID_ARGS");
  assert.equal(resize(2, PS), "ZX_ERR_UNAVAILABLE");
  m.pinsPossible = true; // a pin somewhere: only a pin that may hold a page the shrink cuts counts
  assert.equal(resize(1, 0), "ZX_OK");
  const vmo = m.get(1)!.object;
  m.pinHolds.start("zx_bti_pin", vmo, [1, 2]); // a pin of page 1 started
  assert.equal(resize(1, 0), null); // it may hold page 1
  assert.equal(resize(1, 2 * PS), "ZX_OK"); // page 1 stays
  m.plainPins.set(9, { object: vmo, start: 1, end: 2 }); // it returned ZX_OK: surely pinned
  assert.equal(resize(1, PS), "ZX_ERR_BAD_STATE"); // VmCowPages::ResizeLocked
  assert.equal(resize(1, PS + 1), "ZX_OK"); // rounded up to 2 pages: page 1 stays
});

Deno.test("zx_task_suspend: NOT_SUPPORTED for the caller, BAD_STATE for a gone thread, ZX_OK for another", () => {
  const m = new HandleModel();
  m.createThread(1, 0);
  m.createThread(2, 1);
  m.create(3, ZX_OBJ_TYPE_THREAD); // not a program thread (the janitor): not decided
  const suspend = (h: number) => {
    const got = predict("zx_task_suspend", [h], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(suspend(2), null); // no caller known
  m.caller = 0;
  assert.equal(suspend(1), "ZX_ERR_NOT_SUPPORTED");
  assert.equal(suspend(2), "ZX_OK");
  assert.equal(suspend(3), null);
  m.threadsGone.add(1);
  assert.equal(suspend(2), "ZX_ERR_BAD_STATE");
});

Deno.test("zx_vmo_create_child of a clone: an at-least-on-write clone is made, a SNAPSHOT refused", () => {
  const m = new HandleModel();
  m.createWithRights(1, ZX_OBJ_TYPE_VMO, ZX_DEFAULT_VMO_RIGHTS, false, true); // a clone
  m.createWithRights(2, ZX_OBJ_TYPE_VMO, ZX_DEFAULT_VMO_RIGHTS, false); // a slice or reference
  const child = (h: number, options: number, offset: number, size: number) => {
    const got = predict("zx_vmo_create_child", [h, options, offset, size], m, PS);
    return got === null ? null : statusName(got);
  };
  const aow = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  assert.equal(child(1, aow, 2 * PS, 3 * PS + 1), "ZX_OK");
  assert.equal(child(1, aow | ZX_VMO_CHILD_RESIZABLE, 0, PS), "ZX_OK");
  assert.equal(child(1, ZX_VMO_CHILD_SNAPSHOT, 0, PS), "ZX_ERR_NOT_SUPPORTED");
  assert.equal(child(1, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PS), null);
  assert.equal(child(1, ZX_VMO_CHILD_SLICE, 0, PS), null);
  assert.equal(child(1, aow, 1, PS), "ZX_ERR_INVALID_ARGS"); // unaligned, before all else
  assert.equal(child(1, ZX_VMO_CHILD_SLICE, PS / 2, PS), "ZX_ERR_INVALID_ARGS");
  assert.equal(child(2, aow, 0, PS), null); // a view of a clone may not take one
  assert.equal(child(2, aow, 1, PS), null); // not known to be paged: not judged
});

/** A model with the root VMAR (handle 1) and a read/write sub-region at 0x10_0000 (handle 2). */
function withRegions(): HandleModel {
  const m = new HandleModel();
  m.createRootVmar(1);
  m.createWithRights(2, ZX_OBJ_TYPE_VMAR, ZX_DEFAULT_VMAR_RIGHTS);
  m.vmars.allocated(present(m.vmars.root, "root"), 2, 0x10_0000, 8 * PS, {
    specific: true,
    read: true,
    write: true,
    execute: false,
  });
  return m;
}

Deno.test("zx_vmar_allocate: SPECIFIC past the region's end INVALID_ARGS, in free space ZX_OK", () => {
  const m = withRegions();
  const rw = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
  const at = (h: number, options: number, offset: number, size: number) => {
    const got = predict("zx_vmar_allocate", [h, options, offset, size], m, PS);
    return got === null ? null : statusName(got);
  };
  const specific = rw | ZX_VM_SPECIFIC;
  assert.equal(at(2, specific, 4 * PS, 4 * PS), "ZX_OK");
  assert.equal(at(2, specific, 4 * PS, 4 * PS + 1), "ZX_ERR_INVALID_ARGS"); // rounds past the end
  assert.equal(at(2, rw | ZX_VM_CAN_MAP_EXECUTE, 0, PS), "ZX_ERR_ACCESS_DENIED");
  assert.equal(at(1, specific, 0, 2 ** 64), "ZX_ERR_INVALID_ARGS"); // past the root's span
  assert.equal(at(2, rw, 0, 16 * PS), null); // placed by the kernel: not decided
  m.vmars.mapped(present(m.vmars.region(2), "sub"), {
    addr: 0x10_0000 + 5 * PS,
    len: PS,
    readable: true,
    writable: true,
    canWrite: true,
  }, false);
  assert.equal(at(2, specific, 4 * PS, 4 * PS), null); // over a mapping
  assert.equal(at(1, specific, 0, PS), null); // the root holds something: its base decides
  m.vmars.destroy(present(m.vmars.region(2), "sub"));
  assert.equal(at(2, specific, 0, PS), "ZX_ERR_BAD_STATE");
});

Deno.test("zx_vmar_protect: past the region's end INVALID_ARGS; over mappings ZX_OK, or either for a part of one", () => {
  const m = withRegions();
  const sub = present(m.vmars.region(2), "sub");
  const base = 0x10_0000;
  for (const [addr, len, canWrite] of [[base, PS, true], [base + PS, PS, false]] as const) {
    m.vmars.mapped(sub, { addr, len, readable: true, writable: false, canWrite }, false);
  }
  m.vmars.mapped(sub, {
    addr: base + 4 * PS,
    len: 2 * PS,
    readable: true,
    writable: false,
    canWrite: true,
  }, false);
  const protect = (options: number, addr: number, len: number) => {
    const args = [2, options, addr, len];
    const one = predict("zx_vmar_protect", args, m, PS);
    const among = predictAmong("zx_vmar_protect", args, m, PS);
    return [one === null ? null : statusName(one), among === null ? null : among.map(statusName)];
  };
  const r = ZX_VM_PERM_READ;
  assert.deepEqual(protect(r, base + 7 * PS, 2 * PS), ["ZX_ERR_INVALID_ARGS", null]);
  assert.deepEqual(protect(r, base, 2 * PS), ["ZX_OK", null]);
  assert.deepEqual(protect(r, base, PS / 2), ["ZX_OK", null]); // rounds up to the mapping
  assert.deepEqual(protect(r, base + 4 * PS, PS), [null, ["ZX_OK", "ZX_ERR_NOT_SUPPORTED"]]);
  assert.deepEqual(protect(r, base, 3 * PS), ["ZX_ERR_NOT_FOUND", null]);
  assert.deepEqual(protect(r | ZX_VM_PERM_WRITE, base, 2 * PS), ["ZX_ERR_ACCESS_DENIED", null]);
  // In the root the range is inside only where the program's placements cover it.
  const rootProtect = (addr: number, len: number) =>
    predict("zx_vmar_protect", [1, r, addr, len], m, PS);
  assert.equal(rootProtect(base, PS), ZX_ERR_INVALID_ARGS); // a sub-region
  assert.equal(rootProtect(0, PS), null);
});

Deno.test("zx_vmar_op_range: OUT_OF_RANGE past the region, BAD_STATE at a gap, MAP_RANGE over mappings ZX_OK", () => {
  const m = withRegions();
  const sub = present(m.vmars.region(2), "sub");
  m.vmars.mapped(sub, {
    addr: 0x10_0000,
    len: 2 * PS,
    readable: true,
    writable: true,
    canWrite: true,
  }, false);
  const op = (h: number, o: number, addr: number, len: number) => {
    const got = predict("zx_vmar_op_range", [h, o, addr, len], m, PS);
    return got === null ? null : statusName(got);
  };
  assert.equal(op(2, ZX_VMAR_OP_MAP_RANGE, 0x10_0000, 2 * PS), "ZX_OK");
  assert.equal(op(1, ZX_VMAR_OP_MAP_RANGE, 0x10_0000, 2 * PS), "ZX_OK"); // through the root
  assert.equal(op(2, ZX_VMAR_OP_MAP_RANGE, 0x10_0000, 3 * PS), "ZX_ERR_BAD_STATE");
  assert.equal(op(2, ZX_VMAR_OP_COMMIT, 0x10_0000 + 4 * PS, PS), "ZX_ERR_BAD_STATE");
  assert.equal(op(2, ZX_VMAR_OP_COMMIT, 0x10_0000, PS), null); // the VMO op decides
  assert.equal(op(2, ZX_VMAR_OP_PREFETCH, 0x10_0000, 9 * PS), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(op(1, ZX_VMAR_OP_PREFETCH, 0, 2 ** 64 - PS), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(op(1, ZX_VMAR_OP_PREFETCH, 0, PS), null); // the root's base decides
});

Deno.test("zx_vmo_read and zx_vmo_write of an anonymous VMO: a user buffer no mapping allows is INVALID_ARGS", () => {
  const m = withRegions();
  m.create(3, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS);
  m.vmars.mapped(present(m.vmars.root, "root"), {
    addr: 0x20_0000,
    len: PS,
    readable: true,
    writable: false,
    canWrite: false,
  }, false);
  const read = (buffer: number) => predict("zx_vmo_read", [3, 0, PS, buffer], m, PS);
  const write = (buffer: number) =>
    predict("zx_vmo_write", [3, new Uint8Array(PS), 0, buffer], m, PS);
  assert.equal(read(0x7000_0000), ZX_ERR_INVALID_ARGS);
  assert.equal(read(0x20_0000), ZX_ERR_INVALID_ARGS); // read-only: the store is refused
  assert.equal(write(0x20_0000), null); // a load: it may fault
  assert.equal(write(0x7000_0000), ZX_ERR_INVALID_ARGS);
  m.vmars.known = false;
  assert.equal(read(0x7000_0000), null);
});

Deno.test("zx_pager_op_range of a fixed-size VMO: its range, its detach and TRAP_DIRTY decide", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_PAGER);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, 1, 3 * PS); // the pager's, 3 pages
  m.create(3, ZX_OBJ_TYPE_VMO, ZX_VMO_TRAP_DIRTY, 1, 2 * PS - 1); // 2 pages, TRAP_DIRTY
  m.create(4, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 3 * PS); // size may change: no range
  const op = (vmo: number, o: number, offset: number, length: number, data = 0) => {
    const got = predict("zx_pager_op_range", [1, o, vmo, offset, length, data], m, PS);
    return got === null ? null : statusName(got);
  };
  const FAIL = ZX_PAGER_OP_FAIL, DIRTY = ZX_PAGER_OP_DIRTY;
  const BEGIN = ZX_PAGER_OP_WRITEBACK_BEGIN, END = ZX_PAGER_OP_WRITEBACK_END;
  assert.equal(op(2, FAIL, 0, 3 * PS, ZX_ERR_IO), "ZX_OK");
  assert.equal(op(2, FAIL, PS, 3 * PS, ZX_ERR_IO), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(op(2, FAIL, 0, PS, 0), "ZX_ERR_INVALID_ARGS"); // the data first
  assert.equal(op(4, FAIL, 0, PS, ZX_ERR_IO), null);
  assert.equal(op(2, BEGIN, 2 * PS, PS), "ZX_OK");
  assert.equal(op(2, BEGIN, 0, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO), "ZX_OK");
  assert.equal(op(2, END, 0, PS, ZX_VMO_DIRTY_RANGE_IS_ZERO), "ZX_ERR_INVALID_ARGS");
  assert.equal(op(2, END, 3 * PS, PS), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(op(2, DIRTY, 0, PS), "ZX_ERR_NOT_SUPPORTED"); // before the range
  assert.equal(op(2, DIRTY, 9 * PS, PS), "ZX_ERR_NOT_SUPPORTED");
  assert.equal(op(3, DIRTY, PS, 2 * PS), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(op(3, DIRTY, 0, PS), null); // a gap makes it NOT_FOUND
  // An empty range has no page to miss: ZX_OK, at the end too; a page past it is out of range.
  assert.equal(op(3, DIRTY, 2 * PS, 0), "ZX_OK");
  assert.equal(op(3, DIRTY, PS, 0), "ZX_OK");
  assert.equal(op(3, DIRTY, 3 * PS, 0), "ZX_ERR_OUT_OF_RANGE");
  // A detach in flight: FAIL is either; once it returned ZX_OK, BAD_STATE (the writebacks go on).
  m.detachStarted.add(2);
  m.detachStarted.add(3);
  assert.equal(op(2, FAIL, 0, PS, ZX_ERR_IO), null);
  assert.equal(op(3, DIRTY, 2 * PS, 0), null); // attached or detached: either
  m.detached.add(2);
  m.detached.add(3);
  assert.equal(op(2, FAIL, 0, PS, ZX_ERR_IO), "ZX_ERR_BAD_STATE");
  assert.equal(op(2, FAIL, 0, 4 * PS, ZX_ERR_IO), "ZX_ERR_OUT_OF_RANGE"); // the range first
  assert.equal(op(3, DIRTY, 0, PS), "ZX_ERR_BAD_STATE");
  assert.equal(op(3, DIRTY, 2 * PS, 0), "ZX_ERR_BAD_STATE"); // empty, detached
  assert.equal(op(2, BEGIN, 0, PS), "ZX_OK");
  assert.equal(op(2, END, 0, PS), "ZX_OK");
});

Deno.test("zx_pager_query_dirty_ranges, zx_bti_create and the VMO creates: garbage, a range past the end and a size past upstream's largest VMO decided", () => {
  const m = new HandleModel();
  m.create(1, ZX_OBJ_TYPE_PAGER);
  m.create(2, ZX_OBJ_TYPE_VMO, 0, 1, 3 * PS); // the pager's, 3 pages
  m.create(4, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 3 * PS); // size may change: no range
  m.create(5, ZX_OBJ_TYPE_PORT);
  const name = (got: number | null) => got === null ? null : statusName(got);
  const query = (vmo: number, offset: number, length: number, bufferSize = 64) =>
    name(predict("zx_pager_query_dirty_ranges", [1, vmo, offset, length, bufferSize], m, PS));
  assert.equal(query(2, -PS, PS), "ZX_ERR_INVALID_ARGS"); // no u64
  assert.equal(query(2, 2 ** 64, PS), "ZX_ERR_OUT_OF_RANGE"); // UINT64_MAX as a number: past the end
  assert.equal(query(2, 0, -1), "ZX_ERR_INVALID_ARGS");
  assert.equal(query(2, 0, PS, 0.5), "ZX_ERR_INVALID_ARGS");
  assert.equal(query(2, 2 * PS, 2 * PS), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(query(4, 2 * PS, 2 * PS), null); // it may have grown
  assert.equal(query(2, 0, 3 * PS), "ZX_OK"); // within the VMO: it reads page states only (spec 2.6)
  assert.equal(query(9, -PS, PS), "ZX_ERR_BAD_HANDLE"); // the lookups first
  const bti = (options: number, id: number) => name(predict("zx_bti_create", [options, id], m, PS));
  assert.equal(bti(0, 3), "ZX_OK");
  assert.equal(bti(1, 3), "ZX_ERR_INVALID_ARGS");
  assert.equal(bti(0, -1), "ZX_ERR_INVALID_ARGS");
  const vmo = (size: number, options = 0) => name(predict("zx_vmo_create", [size, options], m, PS));
  assert.equal(vmo(2 ** 64 - 4096), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(vmo(2 ** 64 - 4096, ZX_VMO_RESIZABLE), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(vmo(2 ** 64 - 4096, 2 ** 20), "ZX_ERR_INVALID_ARGS"); // the options first
  assert.equal(vmo(2 ** 53), null); // upstream makes it, the model refuses it: not decided
  assert.equal(vmo(2 ** 64), "ZX_ERR_OUT_OF_RANGE"); // UINT64_MAX as a number
  assert.equal(vmo(-PS), "ZX_ERR_INVALID_ARGS");
  const pagerVmo = (options: number, size: number) =>
    name(predict("zx_pager_create_vmo", [1, options, 5, 0, size], m, PS));
  assert.equal(pagerVmo(ZX_VMO_TRAP_DIRTY, 2 ** 64 - 4096), "ZX_ERR_OUT_OF_RANGE");
  assert.equal(pagerVmo(0, 2 ** 40 + 4096), null);
});

Deno.test("zx_port_create: option bits other than ZX_PORT_BIND_TO_INTERRUPT are INVALID_ARGS, that bit either", () => {
  const m = new HandleModel();
  assert.equal(predict("zx_port_create", [2], m, PS), ZX_ERR_INVALID_ARGS);
  assert.equal(predict("zx_port_create", [2 ** 31], m, PS), ZX_ERR_INVALID_ARGS);
  assert.deepEqual(predictAmong("zx_port_create", [1], m, PS), [ZX_OK, ZX_ERR_INVALID_ARGS]);
  assert.equal(predict("zx_port_create", [0], m, PS), null); // a port is made, or no memory
});
