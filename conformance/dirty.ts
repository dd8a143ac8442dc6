/**
 * Conformance cases tagged `dirty/writeback`: DIRTY requests under
 * `ZX_VMO_TRAP_DIRTY`, OP_DIRTY, WRITEBACK_BEGIN/END, zero intervals and
 * `ZX_VMO_OP_ZERO` (spec 2.5.2-2.5.4, 2.8.2, 5). Rows whose upstream setup
 * refers to a test outside the inventory (W4, W33, W44, W50) use a setup
 * rebuilt from the row's description.
 *
 * @module
 */

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_OK,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  ackDirty,
  begin,
  child,
  committed,
  end,
  expectDirty,
  fill,
  modified,
  opDirty,
  type PageRange,
  readNow,
  region,
  resize,
  same,
  waitForPageDirty,
  writeback,
  writebackAll,
  writer,
  zeros,
} from "./_level2.ts";
import {
  type Access,
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  pattern,
  type TestVmo,
  vmoVmarCases,
} from "./harness.ts";

const AREA = "dirty/writeback";
const TRAP = ZX_VMO_TRAP_DIRTY;
const RTRAP = ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE;

/** Both registrations of a `TEST_WITH_AND_WITHOUT_TRAP_DIRTY` row. */
export function trapCases(
  id: string,
  name: string,
  area: "dirty/writeback" | "resize" | "query-stats" | "clone",
  body: (t: PagerTest, trap: boolean) => Syscall<void>,
): ConformanceCase[] {
  return [
    pagerCase(id, `${name}TrapDirty`, area, (t) => body(t, true)),
    pagerCase(id, `${name}NoTrapDirty`, area, (t) => body(t, false)),
  ];
}

/** A write of `bytes` at `page`; with `trap`, its DIRTY `[page, page + ackPages)` is acked. */
export function* writeAcked(
  t: PagerTest,
  vmo: TestVmo,
  page: number,
  bytes: Uint8Array,
  trap: boolean,
  access: Access = "vmo",
) {
  const w = writer(t, vmo, page, bytes, access);
  if (trap) {
    const pages = Math.ceil(bytes.length / PAGE);
    yield* waitForPageDirty(t, vmo, page, pages);
    yield* ackDirty(t, vmo, page, pages);
  }
  yield* t.expectOk(w);
}

function* simpleTrapDirty(t: PagerTest, access: Access) {
  const vmo = yield* t.vmo(1, TRAP);
  const r = t.reader(vmo, 0, 1, access);
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.expectRead(r, vmo, 0, 1);
  const w = writer(t, vmo, 0, new Uint8Array([0xab]), access);
  yield* waitForPageDirty(t, vmo, 0, 1);
  check(w.thread.end.kind === "running", "the write finished before its DIRTY was acked");
  yield* ackDirty(t, vmo, 0, 1);
  yield* t.expectOk(w);
  yield* expectDirty(t, vmo, [[0, 1]]);
  check((yield* readNow(t, vmo, 0, 1))[0] === 0xab, "the written byte is not visible");
  const plain = yield* t.vmo(1);
  yield* t.supplyOk(plain, 0, 1);
  yield* t.expectOk(writer(t, plain, 0, new Uint8Array([1]), access));
  yield* t.expectNoPacket();
  const [st] = yield* t.sys.vmoCreate(PAGE, ZX_VMO_TRAP_DIRTY);
  expectStatus(st, ZX_ERR_INVALID_ARGS, "zx_vmo_create with TRAP_DIRTY");
}

/** Writes the runs `[start, end)` one by one, each acked under trap. */
function* writeRuns(t: PagerTest, vmo: TestVmo, runs: [number, number][], trap: boolean) {
  for (const [a, b] of runs) yield* writeAcked(t, vmo, a, fill(b - a, 0x5a), trap);
}

const RUNS: [number, number][] = [[3, 5], [10, 11], [20, 26], [40, 41]];

/** The `dirty/writeback` cases. */
export const DIRTY_CASES: readonly ConformanceCase[] = [
  ...vmoVmarCases("W1", "SimpleTrapDirty", AREA, simpleTrapDirty),

  // One DIRTY per touched page; the [11,16) run yields only DIRTY [11,12) as the pager acks all.
  pagerCase("W4", "DirtyRequestsViaMapping", AREA, function* (t) {
    const vmo = yield* t.vmo(20, TRAP);
    yield* t.supplyOk(vmo, 0, 20);
    for (const p of [0, 5]) {
      const w = writer(t, vmo, p, fill(1, 1), "vmar");
      yield* waitForPageDirty(t, vmo, p, 1);
      yield* ackDirty(t, vmo, p, 1);
      yield* t.expectOk(w);
    }
    const w = writer(t, vmo, 11, fill(5, 2), "vmar");
    yield* waitForPageDirty(t, vmo, 11, 1);
    yield* ackDirty(t, vmo, 11, 5);
    yield* t.expectOk(w);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[0, 1], [5, 1], [11, 5]]);
  }),

  pagerCase("W6", "DirtyRequestsRepeatedWrites", AREA, function* (t) {
    const vmo = yield* t.vmo(1, TRAP);
    yield* t.supplyOk(vmo, 0, 1);
    yield* writeAcked(t, vmo, 0, fill(1, 1), true, "vmar");
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 2), "vmar"));
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[0, 1]]);
  }),

  pagerCase("W7", "DirtyRequestsOnWriteAfterRead", AREA, function* (t) {
    const vmo = yield* t.vmo(1, TRAP);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(t.reader(vmo, 0, 1, "vmar"), vmo, 0, 1);
    yield* t.expectNoPacket();
    yield* writeAcked(t, vmo, 0, fill(1, 3), true, "vmar");
    yield* expectDirty(t, vmo, [[0, 1]]);
  }),

  // A clone's write reads the parent (READ) but never dirties it.
  pagerCase("W8", "NoDirtyRequestsForClones", AREA, function* (t) {
    const vmo = yield* t.vmo(3, TRAP);
    const clone = yield* child(t, vmo, 3);
    const cw = writer(t, clone, 0, fill(3, 7));
    yield* t.waitForPageRead(vmo, 0, 3);
    yield* t.supplyOk(vmo, 0, 3);
    yield* t.expectOk(cw);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, []);
    check(same(yield* readNow(t, vmo, 0, 3), pattern(vmo, 0, 3)), "the parent changed");
    yield* writeAcked(t, vmo, 0, fill(3, 9), true);
    yield* expectDirty(t, vmo, [[0, 3]]);
  }),

  pagerCase("W12", "DirtyRequestsForZeroPages", AREA, function* (t) {
    const vmo = yield* t.vmo(2, TRAP);
    yield* t.supplyOk(vmo, 0, 2, { content: null });
    check((yield* committed(t, vmo.handle)) === 0, "zero markers are committed");
    yield* writeAcked(t, vmo, 0, fill(1, 1), true);
    check((yield* committed(t, vmo.handle)) === 1, "committed after the first write");
    yield* expectDirty(t, vmo, [[0, 1]]);
    yield* writeAcked(t, vmo, 1, fill(1, 1), true, "vmar");
    check((yield* committed(t, vmo.handle)) === 2, "committed after the second write");
    yield* expectDirty(t, vmo, [[0, 2]]);
  }),

  pagerCase("W13", "DirtyZeroAndNonZeroPages", AREA, function* (t) {
    const vmo = yield* t.vmo(10, TRAP);
    const data = [0, 2, 3, 7, 8];
    for (let p = 0; p < 10; p++) {
      yield* t.supplyOk(vmo, p, 1, data.includes(p) ? {} : { content: null });
    }
    const before = yield* readNow(t, vmo, 0, 10);
    check((yield* committed(t, vmo.handle)) === data.length, "committed = data pages");
    yield* expectDirty(t, vmo, []);
    yield* ackDirty(t, vmo, 0, 10);
    check((yield* committed(t, vmo.handle)) === 10, "all pages committed after OP_DIRTY");
    yield* expectDirty(t, vmo, [[0, 10]]);
    check(same(yield* readNow(t, vmo, 0, 10), before), "OP_DIRTY changed the contents");
  }),

  pagerCase("W15", "DirtyRequestsForZeroRanges", AREA, function* (t) {
    const vmo = yield* t.vmo(10, TRAP);
    yield* t.supplyOk(vmo, 0, 3, { content: null });
    yield* t.supplyOk(vmo, 3, 1);
    for (let p = 4; p < 9; p++) yield* t.supplyOk(vmo, p, 1, p % 2 ? {} : { content: null });
    yield* writeAcked(t, vmo, 0, fill(2, 1), true);
    yield* writeAcked(t, vmo, 2, fill(2, 2), true);
    const w = writer(t, vmo, 4, fill(6, 3));
    yield* waitForPageDirty(t, vmo, 4, 5);
    yield* ackDirty(t, vmo, 4, 5);
    yield* t.waitForPageRead(vmo, 9, 1);
    yield* t.supplyOk(vmo, 9, 1);
    yield* waitForPageDirty(t, vmo, 9, 1);
    yield* ackDirty(t, vmo, 9, 1);
    yield* t.expectOk(w);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[0, 10]]);
  }),

  pagerCase("W16", "NoDirtyRequestsOnCommit", AREA, function* (t) {
    const vmo = yield* t.vmo(5, TRAP);
    yield* t.supplyOk(vmo, 0, 2);
    const c = t.committer(vmo, 0, 5);
    yield* t.waitForPageRead(vmo, 2, 3);
    yield* t.supplyOk(vmo, 2, 3);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, []);
  }),

  // The model's mappings have no page tables, so MAP_RANGE is a plain mapping here.
  pagerCase("W17", "NoDirtyRequestsOnMapRange", AREA, function* (t) {
    const vmo = yield* t.vmo(3, TRAP);
    yield* t.supplyOk(vmo, 0, 3);
    yield* t.expectRead(t.reader(vmo, 0, 3, "vmar"), vmo, 0, 3);
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, []);
    for (let p = 0; p < 3; p++) yield* writeAcked(t, vmo, p, fill(1, p + 1), true, "vmar");
    yield* expectDirty(t, vmo, [[0, 3]]);
  }),

  pagerCase("W24", "SimpleDirtyNoTrap", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 1)));
    yield* expectDirty(t, vmo, [[0, 1]]);
    yield* writeback(t, vmo, 0, 1);
    yield* expectDirty(t, vmo, []);
    yield* t.expectOk(writer(t, vmo, 0, fill(1, 2), "vmar"));
    yield* expectDirty(t, vmo, [[0, 1]]);
    yield* t.expectNoPacket();
  }),

  // Adding WRITE with zx_vmar_protect must not skip the write fault that tracks dirtiness
  // (DirtyAfterMapProtect, vsrinivas/fuchsia zircon/system/utest/core/pager/pager_writeback.cc).
  ...trapCases("W26", "DirtyAfterMapProtect", AREA, function* (t, trap) {
    const [vmar, base] = yield* region(
      t,
      t.sys.rootVmar,
      ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
      0,
      1,
    );
    const vmo = yield* t.vmo(1, trap ? TRAP : 0, false);
    yield* t.supplyOk(vmo, 0, 1);
    const [ms, ptr] = yield* t.sys.vmarMap(vmar, ZX_VM_PERM_READ, 0, vmo.handle, 0, PAGE);
    expectStatus(ms, ZX_OK, "read-only zx_vmar_map");
    check(ptr === base, "the mapping fills the region");
    const mapped: TestVmo = { ...vmo, addr: ptr };
    yield* t.expectRead(t.reader(mapped, 0, 1, "vmar"), vmo, 0, 1);
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(yield* t.sys.vmarProtect(vmar, perms, ptr, PAGE), ZX_OK, "protect to RW");
    const w = writer(t, mapped, 0, new Uint8Array([0xaa]), "vmar");
    if (trap) {
      yield* t.waitUntilBlocked(w);
      yield* waitForPageDirty(t, vmo, 0, 1);
      yield* ackDirty(t, vmo, 0, 1);
    }
    yield* t.expectOk(w);
    yield* expectDirty(t, vmo, [[0, 1]]);
    const want = pattern(vmo, 0, 1);
    want[0] = 0xaa;
    check(same(yield* readNow(t, vmo, 0, 1), want), "the VMO holds the write");
    yield* t.expectNoPacket();
  }),

  // Setup rebuilt (W32 is not in the inventory): page 1 a written-back zero slot, page 2 clean.
  pagerCase("W33", "ResizeWritebackNewDirtyRequests", AREA, function* (t) {
    const vmo = yield* t.vmo(3, RTRAP);
    yield* t.supplyOk(vmo, 0, 3);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE, PAGE),
      ZX_OK,
      "OP_ZERO",
    );
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    yield* writeback(t, vmo, 1, 2, true);
    yield* expectDirty(t, vmo, []);
    const w1 = writer(t, vmo, 1, fill(1, 1));
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 1, 1, { content: null });
    yield* waitForPageDirty(t, vmo, 1, 1);
    yield* ackDirty(t, vmo, 1, 1);
    yield* t.expectOk(w1);
    yield* writeAcked(t, vmo, 2, fill(1, 2), true);
    yield* expectDirty(t, vmo, [[1, 2]]);
  }),

  ...trapCases("W34", "ResizeWritebackIntersectingWrite", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 4);
    yield* expectDirty(t, vmo, [[1, 3, "Z"]]);
    expectStatus(yield* begin(t, vmo, 1, 3, true), ZX_OK, "BEGIN zero [1,4)");
    yield* writeAcked(t, vmo, 2, fill(1, 4), trap);
    yield* expectDirty(t, vmo, [[1, 1, "Z"], [2, 1], [3, 1, "Z"]]);
    expectStatus(yield* end(t, vmo, 1, 3), ZX_OK, "END [1,4)");
    yield* expectDirty(t, vmo, [[2, 1]]);
    yield* writebackAll(t, vmo);
    yield* expectDirty(t, vmo, []);
  }),

  ...trapCases("W36", "ResizeWritebackIntersectingRandomWrites", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 41);
    expectStatus(yield* begin(t, vmo, 1, 40, true), ZX_OK, "BEGIN zero [1,41)");
    yield* writeRuns(t, vmo, RUNS, trap);
    expectStatus(yield* end(t, vmo, 1, 40), ZX_OK, "END [1,41)");
    yield* expectDirty(t, vmo, RUNS.map(([a, b]) => [a, b - a]));
    yield* writebackAll(t, vmo);
    yield* expectDirty(t, vmo, []);
  }),

  ...trapCases(
    "W37",
    "ResizePartialWritebackIntersectingRandomWrites",
    AREA,
    function* (t, trap) {
      const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
      yield* t.supplyOk(vmo, 0, 1);
      yield* resize(t, vmo, 41);
      expectStatus(yield* begin(t, vmo, 1, 20, true), ZX_OK, "BEGIN zero [1,21)");
      yield* writeRuns(t, vmo, RUNS, trap);
      expectStatus(yield* end(t, vmo, 1, 40), ZX_OK, "END [1,41)");
      const want: PageRange[] = [[3, 2], [10, 1], [20, 6], [26, 14, "Z"], [40, 1]];
      yield* expectDirty(t, vmo, want);
      yield* writebackAll(t, vmo);
      yield* expectDirty(t, vmo, []);
    },
  ),

  ...trapCases("W40", "ResizeWritebackAfterGap", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 3);
    yield* writeAcked(t, vmo, 2, fill(1, 1), trap);
    yield* expectDirty(t, vmo, [[1, 1, "Z"], [2, 1]]);
    yield* writeback(t, vmo, 2, 1);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    yield* writeAcked(t, vmo, 2, fill(1, 2), trap);
    yield* expectDirty(t, vmo, [[1, 1, "Z"], [2, 1]]);
  }),

  // Setup rebuilt from the row: END without BEGIN, a nested BEGIN, a BEGIN past the window.
  ...trapCases("W44", "ResizeWritebackRepeated", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 10);
    expectStatus(yield* end(t, vmo, 1, 9), ZX_OK, "END without BEGIN");
    yield* expectDirty(t, vmo, [[1, 9, "Z"]]);
    expectStatus(yield* begin(t, vmo, 1, 6, true), ZX_OK, "BEGIN [1,7)");
    expectStatus(yield* begin(t, vmo, 1, 3, true), ZX_OK, "nested BEGIN [1,4)");
    expectStatus(yield* begin(t, vmo, 8, 2, true), ZX_OK, "BEGIN [8,10) past the window");
    expectStatus(yield* end(t, vmo, 1, 9), ZX_OK, "END [1,10)");
    yield* expectDirty(t, vmo, [[7, 3, "Z"]]);
    yield* writebackAll(t, vmo);
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
  }),

  // Setup rebuilt: odd pages dirtied, BEGIN per page in a shuffled order, one END over all.
  ...trapCases("W50", "WritebackOutOfOrderCombinedEnd", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(10, trap ? TRAP : 0);
    yield* t.supplyOk(vmo, 0, 10);
    for (const p of [1, 3, 5, 7, 9]) yield* writeAcked(t, vmo, p, fill(1, p), trap);
    for (const p of [7, 1, 9, 5, 3]) expectStatus(yield* begin(t, vmo, p, 1), ZX_OK, "BEGIN");
    expectStatus(yield* end(t, vmo, 1, 9), ZX_OK, "END [1,10)");
    yield* expectDirty(t, vmo, []);
  }),

  pagerCase("W53", "OpZeroTrapDirty", AREA, function* (t) {
    const vmo = yield* t.vmo(2, RTRAP);
    yield* t.supplyOk(vmo, 0, 2);
    expectStatus(yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK, "OP_ZERO");
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[0, 1, "Z"]]);
    check((yield* committed(t, vmo.handle)) === 1, "committed after OP_ZERO");
    yield* resize(t, vmo, 4);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 2 * PAGE, 2 * PAGE),
      ZX_OK,
      "OP_ZERO [2,4)",
    );
    yield* expectDirty(t, vmo, [[0, 1, "Z"], [2, 2, "Z"]]);
    yield* t.expectNoPacket();
  }),

  ...trapCases("W54", "OpZeroTail", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* t.supplyOk(vmo, 0, 1);
    yield* resize(t, vmo, 3);
    yield* expectDirty(t, vmo, [[1, 2, "Z"]]);
    check((yield* committed(t, vmo.handle)) === 1, "committed after the grow");
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE, 2 * PAGE),
      ZX_OK,
      "OP_ZERO [1,3)",
    );
    yield* expectDirty(t, vmo, [[1, 2, "Z"]]);
    check((yield* committed(t, vmo.handle)) === 1, "committed after OP_ZERO");
    yield* t.expectNoPacket();
  }),

  ...trapCases("W59", "OpZeroExpandsTail", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(2, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* resize(t, vmo, 3);
    yield* expectDirty(t, vmo, [[2, 1, "Z"]]);
    expectStatus(
      yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE, PAGE),
      ZX_OK,
      "OP_ZERO page 1",
    );
    yield* t.expectNoPacket();
    yield* expectDirty(t, vmo, [[1, 2, "Z"]]);
    const z = t.spawn("zero-partial", function* (sys, w) {
      w.status = yield* sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, PAGE - 64, 64);
    });
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1);
    if (trap) {
      yield* waitForPageDirty(t, vmo, 0, 1);
      yield* ackDirty(t, vmo, 0, 1);
    }
    yield* t.expectOk(z);
    yield* expectDirty(t, vmo, [[0, 1], [1, 2, "Z"]]);
  }),

  ...trapCases("W81", "SliceOpZero", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(2, trap ? TRAP : 0);
    yield* t.supplyOk(vmo, 0, 2);
    check(!(yield* modified(t, vmo)), "modified before");
    const slice = yield* child(t, vmo, 2, ZX_VMO_CHILD_SLICE, 0, false);
    expectStatus(yield* t.sys.vmoOpRange(slice.handle, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK, "zero");
    yield* t.expectNoPacket();
    check(yield* modified(t, vmo), "the parent is not modified");
    yield* expectDirty(t, vmo, [[0, 1, "Z"]]);
    check(zeros(yield* readNow(t, slice, 0, 1)), "the slice does not read zeros");
    const [st] = yield* t.sys.pagerQueryDirtyRanges(t.pager, slice.handle, 0, PAGE, 24);
    expectStatus(st, ZX_ERR_INVALID_ARGS, "dirty query on the slice");
    const [ss] = yield* t.sys.pagerQueryVmoStats(t.pager, slice.handle, 0, 4);
    expectStatus(ss, ZX_ERR_INVALID_ARGS, "stats query on the slice");
  }),

  ...trapCases("W85", "CommitExtendedTail", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(1, trap ? RTRAP : ZX_VMO_RESIZABLE);
    yield* resize(t, vmo, 2);
    yield* expectDirty(t, vmo, [[1, 1, "Z"]]);
    const c = t.spawn("commit", function* (sys, w) {
      w.status = yield* sys.vmoOpRange(vmo.handle, ZX_VMO_OP_COMMIT, 0, 2 * PAGE);
    });
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1);
    if (trap) {
      yield* waitForPageDirty(t, vmo, 1, 1);
      yield* ackDirty(t, vmo, 1, 1);
    }
    yield* t.expectOk(c);
    yield* expectDirty(t, vmo, [[1, 1]]);
  }),

  pagerCase("W86", "DelayedDirtyNotFound", AREA, function* (t) {
    const vmo = yield* t.vmo(1, RTRAP);
    yield* resize(t, vmo, 2);
    const w = writer(t, vmo, 1, fill(1, 6));
    yield* waitForPageDirty(t, vmo, 1, 1);
    yield* writeback(t, vmo, 1, 1, true);
    yield* expectDirty(t, vmo, []);
    yield* t.expectNoPacket();
    expectStatus(yield* opDirty(t, vmo, 1, 1), ZX_ERR_NOT_FOUND, "OP_DIRTY on the gap");
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 1, 1, { content: null });
    yield* waitForPageDirty(t, vmo, 1, 1);
    yield* ackDirty(t, vmo, 1, 1);
    yield* t.expectOk(w);
    yield* expectDirty(t, vmo, [[1, 1]]);
  }),

  pagerCase("W88", "DelayedDirtyZeroRange", AREA, function* (t) {
    const vmo = yield* t.vmo(1, TRAP);
    yield* t.supplyOk(vmo, 0, 1);
    const w = writer(t, vmo, 0, fill(1, 8));
    yield* waitForPageDirty(t, vmo, 0, 1);
    expectStatus(yield* t.sys.vmoOpRange(vmo.handle, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK, "OP_ZERO");
    yield* writeback(t, vmo, 0, 1, true);
    expectStatus(yield* opDirty(t, vmo, 0, 1), ZX_ERR_NOT_FOUND, "OP_DIRTY on the gap");
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1, { content: null });
    yield* waitForPageDirty(t, vmo, 0, 1);
    yield* ackDirty(t, vmo, 0, 1);
    yield* t.expectOk(w);
    yield* expectDirty(t, vmo, [[0, 1]]);
  }),
];
