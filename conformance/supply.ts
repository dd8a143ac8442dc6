/**
 * Conformance cases tagged `supply`: how `zx_pager_supply_pages` fills pages,
 * resolves requests, never overwrites content and moves pages out of aux.
 *
 * @module
 */

import {
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import {
  ackDirty,
  committed,
  expectDirty,
  fill,
  readNow,
  waitForPageDirty,
  writer,
  zeros,
} from "./_level2.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  PAGE,
  pagerCase,
  type PagerTest,
  pattern,
  TRAP_NOTRAP,
  vmoVmarCases,
  type Worker,
} from "./harness.ts";

const AREA = "supply";

/** Upstream `CannotOverwriteZeroPage`: a second supply over a zero marker is a no-op; a write forks it. */
function* cannotOverwriteZero(t: PagerTest, trap: boolean) {
  const vmo = yield* t.vmo(1, trap ? ZX_VMO_TRAP_DIRTY : 0);
  yield* t.supplyOk(vmo, 0, 1, { content: null });
  check((yield* committed(t, vmo.handle)) === 0, "a zero marker holds no page");
  yield* t.supplyOk(vmo, 0, 1, { content: fill(1, 0x6b) });
  check((yield* committed(t, vmo.handle)) === 0, "the second supply replaced the zero marker");
  check(zeros(yield* readNow(t, vmo, 0, 1)), "the zero marker does not read as zeros");
  const w = writer(t, vmo, 0, fill(1, 0x2e));
  if (trap) {
    yield* waitForPageDirty(t, vmo, 0, 1);
    yield* ackDirty(t, vmo, 0, 1);
  }
  yield* t.expectOk(w);
  check((yield* committed(t, vmo.handle)) === 1, "the write did not fork the zero marker");
  yield* expectDirty(t, vmo, [[0, 1]]);
  yield* t.expectNoPacket();
}

/** P10/P11: per chunk, one 1-page reader per page, then one supply of the whole chunk. */
function* bulkOddSupply(t: PagerTest, access: "vmar" | "vmo", useAuxOffset: boolean) {
  const lengths = [2, 3, 5, 7, 37, 5, 13, 23];
  const total = lengths.reduce((a, b) => a + b, 0);
  const vmo = yield* t.vmo(total);
  let page = 0;
  for (const len of lengths) {
    const readers: Worker[] = [];
    for (let j = 0; j < len; j++) {
      readers.push(t.reader(vmo, page + j, 1, access));
      yield* t.waitForPageRead(vmo, page + j, 1);
    }
    yield* t.supplyOk(vmo, page, len, { auxPage: useAuxOffset ? page : 0 });
    for (let j = 0; j < len; j++) yield* t.expectRead(readers[j], vmo, page + j, 1);
    page += len;
  }
  yield* t.expectNoPacket();
}

/** The `supply` cases. */
export const SUPPLY_CASES: readonly ConformanceCase[] = [
  // A page supplied before any access never produces a request.
  ...vmoVmarCases("P4", "PresupplyTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    const r = t.reader(vmo, 0, 1, access);
    yield* t.expectRead(r, vmo, 0, 1);
    yield* t.expectNoRead(vmo);
  }),

  // Eight 1-page READs; one supply of all eight wakes every reader.
  ...vmoVmarCases("P9", "BulkSingleSupplyTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(8);
    const readers: Worker[] = [];
    for (let i = 0; i < 8; i++) {
      readers.push(t.reader(vmo, i, 1, access));
      yield* t.waitForPageRead(vmo, i, 1);
    }
    yield* t.supplyOk(vmo, 0, 8);
    for (let i = 0; i < 8; i++) yield* t.expectRead(readers[i], vmo, i, 1);
    yield* t.expectNoPacket();
  }),

  ...vmoVmarCases("P10", "BulkOddLengthSupplyTest", AREA, (t, a) => bulkOddSupply(t, a, false)),
  ...vmoVmarCases("P11", "BulkOddOffsetSupplyTest", AREA, (t, a) => bulkOddSupply(t, a, true)),

  // Page 0 from alternate content, page 1 normal; a later supply never replaces page 0.
  ...vmoVmarCases("P12", "OverlapSupplyTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(2);
    const alt = pattern(vmo, 2, 1); // upstream: GenerateBufferContents(alt, 1, 2)
    yield* t.supplyOk(vmo, 0, 1, { content: alt });
    yield* t.supplyOk(vmo, 1, 1);
    const want = new Uint8Array(2 * PAGE);
    want.set(alt, 0);
    want.set(pattern(vmo, 1, 1), PAGE);
    const r = t.reader(vmo, 0, 2, access);
    yield* t.expectReadData(r, want);
    yield* t.supplyOk(vmo, 0, 2); // the row's intent (K8): present pages are never replaced
    const again = t.reader(vmo, 0, 2, access);
    yield* t.expectReadData(again, want);
    yield* t.expectNoRead(vmo);
  }),

  // 15 commits of 7 pages (each READ seen), 21 overlapping commits of 5 blocked; 3-page supplies.
  pagerCase("P48", "OverlapCommitSupplyTest", AREA, function* (t) {
    const vmo = yield* t.vmo(105);
    const a: Worker[] = [];
    for (let i = 0; i < 15; i++) {
      a.push(t.committer(vmo, i * 7, 7));
      yield* t.waitForPageRead(vmo, i * 7, 7);
    }
    const b: Worker[] = [];
    for (let i = 0; i < 21; i++) {
      b.push(t.committer(vmo, i * 5, 5));
      yield* t.waitUntilBlocked(b[i]);
    }
    for (let i = 0; i < 35; i++) yield* t.supplyOk(vmo, i * 3, 3);
    for (const w of [...a, ...b]) yield* t.expectOk(w);
    yield* t.expectNoPacket();
  }),

  // One READ [0,32) answered by 32 single-page supplies.
  pagerCase("P49", "MultisupplyCommitTest", AREA, function* (t) {
    const vmo = yield* t.vmo(32);
    const c = t.committer(vmo, 0, 32);
    yield* t.waitForPageRead(vmo, 0, 32);
    for (let i = 0; i < 32; i++) yield* t.supplyOk(vmo, i, 1);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  // Five 7-page commits answered by seven 5-page supplies straddling request boundaries.
  pagerCase("P50", "MulticommitSupplyTest", AREA, function* (t) {
    const vmo = yield* t.vmo(35);
    const cs: Worker[] = [];
    for (let i = 0; i < 5; i++) {
      cs.push(t.committer(vmo, i * 7, 7));
      yield* t.waitForPageRead(vmo, i * 7, 7);
    }
    for (let i = 0; i < 7; i++) yield* t.supplyOk(vmo, i * 5, 5);
    for (const c of cs) yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  // Supplies [0,1), [0,2), ..., [0,8) re-cover present pages: all OK, the commit completes.
  pagerCase("P51", "CommitRedundantSupplyTest", AREA, function* (t) {
    const vmo = yield* t.vmo(8);
    const c = t.committer(vmo, 0, 8);
    yield* t.waitForPageRead(vmo, 0, 8);
    for (let i = 1; i <= 8; i++) yield* t.supplyOk(vmo, 0, i);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  // Supply moves the page out of a mapped aux: the pager VMO has the byte, aux reads 0.
  pagerCase("P58", "MappedSupplyPages", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    const [cs, aux] = yield* t.sys.vmoCreate(PAGE, 0);
    expectStatus(cs, ZX_OK, "zx_vmo_create");
    const [ms, addr] = yield* t.sys.vmarMap(
      t.sys.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
      0,
      aux,
      0,
      PAGE,
    );
    expectStatus(ms, ZX_OK, "zx_vmar_map of aux");
    yield* t.sys.memWrite(addr, new Uint8Array([0xcc]));
    const st = yield* t.sys.pagerSupplyPages(t.pager, vmo.handle, 0, PAGE, aux, 0);
    expectStatus(st, ZX_OK, "supply from mapped aux");
    const [rs, bytes] = yield* t.sys.vmoRead(vmo.handle, 0, 1);
    expectStatus(rs, ZX_OK, "vmo_read of the pager VMO");
    check(bytes[0] === 0xcc, `pager VMO byte is ${bytes[0]}, want 0xcc`);
    const after = yield* t.sys.memRead(addr, 1);
    check(after[0] === 0, `aux mapping reads ${after[0]} after the supply, want 0`);
    expectStatus(yield* t.sys.vmarUnmap(t.sys.rootVmar, addr, PAGE), ZX_OK, "unmap aux");
    yield* t.expectNoPacket();
  }),

  // Supplying from a never-committed aux gives a zero page: no fault, value 0.
  pagerCase("P61", "UncommittedSupply", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1, { content: null });
    const [st, bytes] = yield* t.sys.vmoRead(vmo.handle, 0, 4);
    expectStatus(st, ZX_OK, "vmo_read");
    check(bytes.every((b) => b === 0), "uncommitted supply did not read as zero");
    yield* t.expectNoPacket();
  }),

  // Early wake: out-of-order supplies become visible up to the first gap; no extra READ.
  pagerCase("P94", "EarlyWakeNonLinearSupply", AREA, function* (t) {
    const vmo = yield* t.vmo(128);
    const r = t.reader(vmo, 0, 128, "vmo");
    yield* t.waitForPageRead(vmo, 0, 128);
    yield* t.supplyOk(vmo, 16, 16);
    yield* t.supplyOk(vmo, 48, 16);
    yield* t.waitUntilBlocked(r);
    check(t.copiedPages(r, vmo) === 0, "reader copied data before page 0 was supplied");
    yield* t.supplyOk(vmo, 0, 16);
    yield* t.waitForData(r, vmo, 0, 32);
    yield* t.waitUntilBlocked(r);
    check(t.copiedPages(r, vmo) === 32, () => `reader stopped at ${t.copiedPages(r, vmo)}, not 32`);
    yield* t.supplyOk(vmo, 32, 16);
    yield* t.waitForData(r, vmo, 0, 64);
    yield* t.waitUntilBlocked(r);
    check(t.copiedPages(r, vmo) === 64, () => `reader stopped at ${t.copiedPages(r, vmo)}, not 64`);
    yield* t.supplyOk(vmo, 64, 64);
    yield* t.expectRead(r, vmo, 0, 128);
    yield* t.expectNoRead(vmo);
  }),

  ...TRAP_NOTRAP.map((v) =>
    pagerCase(
      "W23",
      `CannotOverwriteZeroPage${v}`,
      AREA,
      (t) => cannotOverwriteZero(t, v === "TrapDirty"),
    )
  ),
];
