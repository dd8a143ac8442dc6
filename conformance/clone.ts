/**
 * Conformance cases tagged `clone`: children of pager-backed VMOs (spec 6.1,
 * K24): requests on the root's key and offsets, forks on write, snapshots,
 * slices, zeroing in clones, detach through clones. The model snapshots a
 * clone's private pages when a child of that clone is made; what a clone shows
 * of the pager root stays live until the clone writes.
 *
 * @module
 */

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OK,
  ZX_RIGHT_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  CAN_MAP,
  child,
  committed,
  fill,
  info,
  mapAt,
  readNow,
  region,
  same,
  vmarOp,
  writer,
  zeros,
} from "./_level2.ts";
import { trapCases } from "./dirty.ts";
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

const AREA = "clone";
const ALOW = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
const SNAP = ZX_VMO_CHILD_SNAPSHOT_MODIFIED;

/** Page `page` of `vmo` reads as `byte` everywhere. */
function* expectByte(t: PagerTest, vmo: TestVmo, page: number, byte: number, what: string) {
  const d = yield* readNow(t, vmo, page, 1);
  check(d.every((b) => b === byte), () => `${what}: page ${page} reads 0x${d[0].toString(16)}`);
}

/** A whole-page write of `byte` that must not block. */
function* put(t: PagerTest, vmo: TestVmo, page: number, byte: number): Syscall<void> {
  expectStatus(yield* t.sys.vmoWrite(vmo.handle, fill(1, byte), page * PAGE), ZX_OK, "write");
}

function* populated(t: PagerTest, vmo: TestVmo): Syscall<number> {
  return (yield* info(t, vmo.handle)).populatedBytes / PAGE;
}

function* readFromClone(t: PagerTest, access: Access) {
  const vmo = yield* t.vmo(1);
  const clone = yield* child(t, vmo, 1);
  const r = t.reader(clone, 0, 1, access);
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.expectReadData(r, pattern(vmo, 0, 1));
  yield* t.expectNoPacket();
}

function* writeToClone(t: PagerTest, access: Access) {
  const vmo = yield* t.vmo(1);
  const clone = yield* child(t, vmo, 1);
  const w = writer(t, clone, 0, new Uint8Array([0xee]), access);
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.expectOk(w);
  check((yield* readNow(t, clone, 0, 1))[0] === 0xee, "the clone lacks the written byte");
  check(same(yield* readNow(t, vmo, 0, 1), pattern(vmo, 0, 1)), "the parent changed");
}

/** The `clone` cases. */
export const CLONE_CASES: readonly ConformanceCase[] = [
  ...vmoVmarCases("P33", "CloneReadFromCloneTest", AREA, readFromClone),
  ...vmoVmarCases("P37", "CloneWriteToCloneTest", AREA, writeToClone),

  pagerCase("P38", "CloneDetachTest", AREA, function* (t) {
    const vmo = yield* t.vmo(3);
    const clone = yield* child(t, vmo, 3);
    const r = t.reader(clone, 1, 1, "vmar");
    yield* t.waitForPageRead(vmo, 1, 1);
    const w = writer(t, clone, 0, new Uint8Array([0x77]), "vmar");
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 2);
    yield* t.expectOk(r);
    yield* t.expectOk(w);
    expectStatus(yield* t.detach(vmo), ZX_OK, "detach");
    yield* t.waitForPageComplete(vmo);
    yield* t.expectCrash(t.reader(clone, 2, 1, "vmar"), ZX_ERR_BAD_STATE);
    yield* t.expectCrash(t.reader(clone, 1, 1, "vmar"), ZX_ERR_BAD_STATE);
    check((yield* readNow(t, clone, 0, 1))[0] === 0x77, "the forked page lost its write");
  }),

  pagerCase("P39", "CloneCommitTest", AREA, function* (t) {
    const vmo = yield* t.vmo(32);
    const clone = yield* child(t, vmo, 32);
    const c = t.committer(clone, 0, 32);
    yield* t.waitForPageRead(vmo, 0, 32);
    yield* t.supplyOk(vmo, 0, 32);
    yield* t.expectOk(c);
    check((yield* populated(t, clone)) === 32, "clone populated after commit");
  }),

  pagerCase("P75", "DeepHierarchy", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    let h = vmo.handle;
    for (let i = 0; i < 1000; i++) {
      const [st, next] = yield* t.sys.vmoCreateChild(h, ALOW, 0, PAGE);
      expectStatus(st, ZX_OK, `child ${i}`);
      if (h !== vmo.handle) expectStatus(yield* t.sys.handleClose(h), ZX_OK, "close");
      h = next;
    }
    expectStatus(yield* t.sys.handleClose(h), ZX_OK, "close the last");
  }),

  pagerCase("P78", "CloneCommitSingleBatch", AREA, function* (t) {
    const vmo = yield* t.vmo(4);
    const clone = yield* child(t, vmo, 4);
    const c = t.committer(clone, 0, 4);
    yield* t.waitForPageRead(vmo, 0, 4);
    yield* t.supplyOk(vmo, 0, 4);
    yield* t.expectOk(c);
    check((yield* populated(t, clone)) === 4, "clone populated");
  }),

  pagerCase("P80", "CloneCommitMultipleBatches", AREA, function* (t) {
    const vmo = yield* t.vmo(8);
    yield* t.supplyOk(vmo, 2, 1);
    yield* t.supplyOk(vmo, 5, 1);
    const clone = yield* child(t, vmo, 8);
    const c = t.committer(clone, 0, 8);
    for (const [a, n] of [[0, 2], [3, 2], [6, 2]]) {
      yield* t.waitForPageRead(vmo, a, n);
      yield* t.supplyOk(vmo, a, n);
    }
    yield* t.expectOk(c);
    check((yield* populated(t, clone)) === 8, "clone populated");
  }),

  // OpCommitCloneVmar (vsrinivas/fuchsia zircon/system/utest/core/pager/pager.cc).
  pagerCase("P90", "OpCommitCloneVmar", AREA, function* (t) {
    const [vmar, base] = yield* region(t, t.sys.rootVmar, CAN_MAP, 0, 5);
    const vmo = yield* t.vmo(4, 0, false);
    const clone = yield* child(t, vmo, 4, undefined, 0, false);
    yield* mapAt(t, vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, clone.handle, 4, base);
    yield* t.supplyOk(vmo, 1, 1);
    const data = new Uint8Array([0xcc]);
    expectStatus(yield* t.sys.vmoWrite(clone.handle, data, PAGE), ZX_OK, "fork page 1");
    const c = vmarOp(t, vmar, ZX_VMAR_OP_COMMIT, base + PAGE, 2 * PAGE);
    yield* t.waitForPageRead(vmo, 2, 1);
    yield* t.supplyOk(vmo, 2, 1);
    yield* t.expectOk(c);
    check((yield* committed(t, clone.handle)) === 2, "the clone has two pages committed");
    const [rs, back] = yield* t.sys.vmoRead(clone.handle, PAGE, 1);
    expectStatus(rs, ZX_OK, "read the fork back");
    check(back[0] === 0xcc, "the forked page was not overwritten");
    yield* t.expectNoRead(vmo);
  }),

  pagerCase("P97", "EarlyWakeCloneRace", AREA, function* (t) {
    const vmo = yield* t.vmo(1025);
    yield* t.supplyOk(vmo, 512, 1);
    const clone = yield* child(t, vmo, 1025, ALOW, 0, false);
    const r = t.reader(clone, 0, 1025, "vmo");
    yield* t.waitForPageRead(vmo, 0, 512);
    expectStatus(
      yield* t.sys.vmoOpRange(clone.handle, ZX_VMO_OP_ZERO, 384 * PAGE, 257 * PAGE),
      ZX_OK,
      "zero clone [384,641)",
    );
    expectStatus(
      yield* t.sys.vmoWrite(clone.handle, fill(257, 0x42), 384 * PAGE),
      ZX_OK,
      "write clone [384,641)",
    );
    yield* t.supplyOk(vmo, 0, 511);
    yield* t.waitForPageRead(vmo, 641, 384);
    yield* t.supplyOk(vmo, 641, 384);
    yield* t.waitForExit(r);
    expectStatus(r.status, ZX_OK, "clone read");
    const want = new Uint8Array(1025 * PAGE);
    want.set(pattern(vmo, 0, 384), 0);
    want.fill(0x42, 384 * PAGE, 641 * PAGE);
    want.set(pattern(vmo, 641, 384), 641 * PAGE);
    check(r.data !== null && same(r.data, want), "the clone read the wrong mix");
    yield* t.expectNoPacket();
  }),

  pagerCase("S2", "AtLeastOnWriteAfterSnapshotModified", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, clone, 0, 0xa);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    yield* put(t, clone, 0, 0xb);
    const alow = yield* child(t, snap, 1, ALOW, 0, false);
    yield* expectByte(t, snap, 0, 0xa, "snapshot");
    yield* expectByte(t, alow, 0, 0xa, "alow child");
    yield* put(t, snap, 0, 0xc);
    yield* expectByte(t, alow, 0, 0xa, "alow child after a snapshot write");
  }),

  pagerCase("S3", "SnapshotModifiedAfterAtLeastOnWrite", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* put(t, vmo, 0, 0x1);
    const a1 = yield* child(t, vmo, 1, ALOW, 0, false);
    const a2 = yield* child(t, vmo, 1, ALOW, 0, false);
    const s1 = yield* child(t, a1, 1, SNAP, 0, false);
    const s2 = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, s2, 0, 0xc);
    const s3 = yield* child(t, s2, 1, SNAP, 0, false);
    for (const v of [a1, a2, s1]) yield* expectByte(t, v, 0, 0x1, "alow-derived");
    for (const v of [s2, s3]) yield* expectByte(t, v, 0, 0xc, "snapshot chain");
  }),

  pagerCase("S7", "SnapshotReadOnlyVmo", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* put(t, vmo, 0, 0x5);
    const ro = yield* child(t, vmo, 1, ALOW | ZX_VMO_CHILD_NO_WRITE, 0, false);
    check(((yield* info(t, ro.handle)).handleRights & ZX_RIGHT_WRITE) === 0, "NO_WRITE child");
    const st = yield* t.sys.vmoWrite(ro.handle, fill(1, 1), 0);
    expectStatus(st, ZX_ERR_ACCESS_DENIED, "write to the read-only child");
    const snap = yield* child(t, ro, 1, SNAP, 0, false);
    check(((yield* info(t, snap.handle)).handleRights & ZX_RIGHT_WRITE) !== 0, "snapshot WRITE");
    yield* put(t, snap, 0, 0x6);
    yield* expectByte(t, snap, 0, 0x6, "snapshot");
  }),

  pagerCase("S8", "ReleaseCowParentPagesRight", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 2);
    for (const p of [0, 1]) yield* put(t, vmo, p, 0x10 + p);
    const full = yield* child(t, vmo, 2, SNAP, 0, false);
    const part = yield* child(t, full, 1, SNAP, 0, false);
    expectStatus(yield* t.sys.handleClose(full.handle), ZX_OK, "close the full snapshot");
    yield* expectByte(t, part, 0, 0x10, "partial");
    check((yield* info(t, vmo.handle)).numChildren === 1, "root children");
    for (const p of [0, 1]) yield* expectByte(t, vmo, p, 0x10 + p, "root");
  }),

  pagerCase("S10", "ReleaseCowParentPagesLeftAndRight", AREA, function* (t) {
    const vmo = yield* t.vmo(3);
    yield* t.supplyOk(vmo, 0, 3);
    for (const p of [0, 1, 2]) yield* put(t, vmo, p, 0x20 + p);
    const full = yield* child(t, vmo, 3, SNAP, 0, false);
    const part = yield* child(t, full, 1, SNAP, 1, false);
    expectStatus(yield* t.sys.handleClose(full.handle), ZX_OK, "close the full snapshot");
    yield* expectByte(t, part, 0, 0x21, "partial");
    check((yield* info(t, vmo.handle)).numChildren === 1, "root children");
    for (const p of [0, 1, 2]) yield* expectByte(t, vmo, p, 0x20 + p, "root");
  }),

  pagerCase("S11", "ReleaseCowParentPagesRightInHiddenNode", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 2);
    yield* put(t, vmo, 0, 0x30);
    const full = yield* child(t, vmo, 2, SNAP, 0, false);
    yield* put(t, full, 0, 0x31);
    const part = yield* child(t, full, 1, SNAP, 0, false);
    expectStatus(yield* t.sys.handleClose(full.handle), ZX_OK, "close the full snapshot");
    yield* expectByte(t, part, 0, 0x31, "partial");
  }),

  pagerCase("S12", "ZeroRangeFromEndOfParent", AREA, function* (t) {
    const vmo = yield* t.vmo(3);
    yield* t.supplyOk(vmo, 0, 3);
    for (const p of [0, 1, 2]) yield* put(t, vmo, p, 0x40 + p);
    const clone = yield* child(t, vmo, 3, SNAP, 0, false);
    yield* put(t, clone, 1, 0x4f);
    const part = yield* child(t, clone, 1, SNAP, 0, false);
    expectStatus(
      yield* t.sys.vmoOpRange(clone.handle, ZX_VMO_OP_ZERO, PAGE, 2 * PAGE),
      ZX_OK,
      "zero clone [1,3)",
    );
    yield* expectByte(t, clone, 1, 0, "clone");
    check((yield* populated(t, clone)) === 0, "clone populated");
    check((yield* populated(t, part)) === 0, "partial populated");
    for (const p of [0, 1, 2]) yield* expectByte(t, vmo, p, 0x40 + p, "root");
  }),

  ...[["S13", "ZeroRangeLeftInSnapshotNoPagesInParent", false], [
    "S14",
    "ZeroRangeLeftInSnapshotPageInParent",
    true,
  ]].map(([id, name, early]) =>
    pagerCase(id as string, name as string, AREA, function* (t) {
      const vmo = yield* t.vmo(2);
      if (early) yield* t.supplyOk(vmo, 0, 2);
      const clone = yield* child(t, vmo, 2, SNAP, 0, false);
      const snap = yield* child(t, clone, 2, SNAP, 0, false);
      expectStatus(
        yield* t.sys.vmoOpRange(snap.handle, ZX_VMO_OP_ZERO, 0, PAGE),
        ZX_OK,
        "zero snapshot page 0",
      );
      check(zeros(yield* readNow(t, snap, 0, 1)), "snapshot page 0 before the supply");
      if (!early) yield* t.supplyOk(vmo, 0, 2);
      check(zeros(yield* readNow(t, snap, 0, 1)), "snapshot page 0 after the supply");
      check(same(yield* readNow(t, vmo, 0, 1), pattern(vmo, 0, 1)), "root page 0");
      check(same(yield* readNow(t, clone, 0, 1), pattern(vmo, 0, 1)), "clone sees the root");
      check(same(yield* readNow(t, snap, 1, 1), pattern(vmo, 1, 1)), "snapshot page 1");
    })
  ),

  pagerCase("S16", "ZeroRangeLeftInSnapshotPagesInParentChain", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const c1 = yield* child(t, vmo, 1, SNAP, 0, false);
    const c2 = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, c2, 0, 0x62);
    const snap = yield* child(t, c2, 1, SNAP, 0, false);
    expectStatus(yield* t.sys.vmoOpRange(snap.handle, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK, "zero");
    const c3 = yield* child(t, c2, 1, SNAP, 0, false);
    yield* put(t, c3, 0, 0x63);
    yield* expectByte(t, snap, 0, 0, "snapshot");
    check(same(yield* readNow(t, c1, 0, 1), pattern(vmo, 0, 1)), "clone1 sees the root");
    yield* expectByte(t, c2, 0, 0x62, "clone2");
    yield* expectByte(t, c3, 0, 0x63, "clone3");
  }),

  pagerCase("S20", "AlowSlice", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    const slice = yield* child(t, vmo, 1, ZX_VMO_CHILD_SLICE, 1, false);
    yield* child(t, slice, 1, ALOW, 0, false);
  }),

  pagerCase("S22", "SnapshotSliceAtLeastOnWrite", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    const snap = yield* child(t, vmo, 2, SNAP, 0, false);
    const slice = yield* child(t, snap, 1, ZX_VMO_CHILD_SLICE, 0, false);
    const [st] = yield* t.sys.vmoCreateChild(slice.handle, ALOW, 0, PAGE);
    expectStatus(st, ZX_ERR_NOT_SUPPORTED, "alow child of a slice of a snapshot");
  }),

  pagerCase("S25", "CommitRangeInSnapshot", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, clone, 0, 0x25);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    expectStatus(yield* t.sys.vmoOpRange(snap.handle, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK, "commit");
    check((yield* populated(t, snap)) === 1, "snapshot populated");
    yield* expectByte(t, snap, 0, 0x25, "snapshot");
  }),

  pagerCase("S26", "Read", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, vmo, 0, 0x1);
    yield* expectByte(t, clone, 0, 0x1, "clone after the root write");
    yield* put(t, clone, 0, 0x2);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    yield* expectByte(t, snap, 0, 0x2, "new snapshot");
    yield* put(t, snap, 0, 0x3);
    yield* expectByte(t, vmo, 0, 0x1, "root");
    yield* expectByte(t, clone, 0, 0x2, "clone");
    yield* expectByte(t, snap, 0, 0x3, "snapshot");
  }),

  pagerCase("S27", "SnapshotModifiedClone", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    yield* put(t, clone, 0, 0x27);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    check(same(yield* readNow(t, vmo, 0, 1), pattern(vmo, 0, 1)), "root");
    yield* expectByte(t, snap, 0, 0x27, "snapshot");
  }),

  pagerCase("S31", "RootVmoWrite", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    yield* put(t, vmo, 0, 0x31);
    for (const v of [vmo, clone, snap]) yield* expectByte(t, v, 0, 0x31, "after the root write");
  }),

  pagerCase("S36", "CloseRoot", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const clone = yield* child(t, vmo, 1, SNAP, 0, false);
    const snap = yield* child(t, clone, 1, SNAP, 0, false);
    expectStatus(yield* t.sys.vmarUnmap(t.sys.rootVmar, vmo.addr, PAGE), ZX_OK, "unmap");
    expectStatus(yield* t.sys.handleClose(vmo.handle), ZX_OK, "close the root");
    for (const v of [clone, snap]) {
      check(same(yield* readNow(t, v, 0, 1), pattern(vmo, 0, 1)), "original data");
    }
  }),

  ...trapCases("W56", "OpZeroClone", AREA, function* (t, trap) {
    const vmo = yield* t.vmo(2, trap ? ZX_VMO_TRAP_DIRTY : 0);
    yield* t.supplyOk(vmo, 1, 1);
    const zero = (c: TestVmo, page: number, pages: number) =>
      t.sys.vmoOpRange(c.handle, ZX_VMO_OP_ZERO, page * PAGE, pages * PAGE);
    const c1 = yield* child(t, vmo, 2, ALOW, 0, false);
    expectStatus(yield* zero(c1, 0, 2), ZX_OK, "zero clone1");
    const c2 = yield* child(t, vmo, 2, ALOW, 0, false);
    expectStatus(yield* zero(c2, 0, 1), ZX_OK, "zero clone2 page 0");
    yield* t.supplyOk(vmo, 0, 1);
    const c3 = yield* child(t, vmo, 2, ALOW, 0, false);
    expectStatus(yield* zero(c3, 0, 1), ZX_OK, "zero clone3 page 0");
    check(zeros(yield* readNow(t, c1, 0, 2)), "clone1");
    for (const c of [c2, c3]) {
      check(zeros(yield* readNow(t, c, 0, 1)), "zeroed page");
      check(same(yield* readNow(t, c, 1, 1), pattern(vmo, 1, 1)), "parent data");
      const [st] = yield* t.sys.pagerQueryDirtyRanges(t.pager, c.handle, 0, PAGE, 24);
      expectStatus(st, ZX_ERR_INVALID_ARGS, "dirty query on a clone");
    }
    check(same(yield* readNow(t, vmo, 0, 2), pattern(vmo, 0, 2)), "parent unchanged");
    const [, ranges] = yield* t.sys.pagerQueryDirtyRanges(t.pager, vmo.handle, 0, 2 * PAGE, 240);
    check(ranges.length === 0, "the parent is dirty");
    yield* t.expectNoPacket();
  }),
];
