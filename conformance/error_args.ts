/**
 * Conformance cases tagged `error-args`: argument and handle validation of
 * the pager syscalls, in Zircon's checking order (spec 1.5, 2.2-2.5, K27).
 *
 * @module
 */

import {
  type Status,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys } from "../sim/sys.ts";
import { check, type ConformanceCase, expectStatus, PAGE, pagerCase } from "./harness.ts";

const AREA = "error-args";
const INVALID = 0; // ZX_HANDLE_INVALID

function* ok<T>(call: Syscall<[Status, T]>, what: string): Syscall<T> {
  const [st, value] = yield* call;
  expectStatus(st, ZX_OK, what);
  return value;
}

function* anonCommitted(sys: Sys): Syscall<number> {
  const vmo = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create");
  expectStatus(yield* sys.vmoOpRange(vmo, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK, "commit anon");
  return vmo;
}

/** The `error-args` cases. */
export const ERROR_ARGS_CASES: readonly ConformanceCase[] = [
  pagerCase("P56", "InvalidPagerDetachVmo", AREA, function* (t) {
    const { sys, port } = t;
    let pager = t.pager;
    const vmo = yield* ok(sys.pagerCreateVmo(pager, 0, port, 0, PAGE), "create_vmo");
    const detach = (p: number, v: number) => sys.pagerDetachVmo(p, v);
    expectStatus(yield* detach(INVALID, vmo), ZX_ERR_BAD_HANDLE, "invalid pager");
    expectStatus(yield* detach(pager, INVALID), ZX_ERR_BAD_HANDLE, "invalid vmo");
    expectStatus(yield* detach(vmo, vmo), ZX_ERR_WRONG_TYPE, "vmo as pager");
    expectStatus(yield* detach(pager, pager), ZX_ERR_WRONG_TYPE, "pager as vmo");
    const ro = yield* ok(
      sys.handleDuplicate(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE),
      "duplicate without WRITE",
    );
    expectStatus(yield* detach(pager, ro), ZX_ERR_ACCESS_DENIED, "vmo lacking WRITE");
    const anon = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create");
    expectStatus(yield* detach(pager, anon), ZX_ERR_INVALID_ARGS, "anonymous vmo");
    let pager2 = yield* ok(sys.pagerCreate(0), "pager_create");
    expectStatus(yield* detach(pager2, vmo), ZX_ERR_INVALID_ARGS, "vmo of another pager");
    pager = yield* ok(
      sys.handleReplace(pager, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_ATTACH_VMO),
      "replace pager without ATTACH_VMO",
    );
    expectStatus(yield* detach(pager, vmo), ZX_ERR_ACCESS_DENIED, "pager lacking ATTACH_VMO");
    const vmo2 = yield* ok(sys.pagerCreateVmo(pager2, 0, port, 0, PAGE), "create_vmo on pager2");
    pager2 = yield* ok(
      sys.handleReplace(pager2, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO),
      "replace pager2 without MANAGE_VMO",
    );
    expectStatus(yield* detach(pager2, vmo2), ZX_ERR_ACCESS_DENIED, "pager lacking MANAGE_VMO");
  }),

  // The physical-aux and pinned-aux sub-cases need system/IOMMU resources; upstream skips
  // them without those, and so does this port.
  pagerCase("P57", "InvalidPagerSupplyPages", AREA, function* (t) {
    const { sys, port } = t;
    let pager = t.pager;
    const vmo = yield* ok(sys.pagerCreateVmo(pager, 0, port, 0, PAGE), "create_vmo");
    let aux = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create aux");
    const supply = (p: number, v: number, off: number, len: number, a: number, aoff: number) =>
      sys.pagerSupplyPages(p, v, off, len, a, aoff);
    expectStatus(yield* supply(INVALID, vmo, 0, 0, aux, 0), ZX_ERR_BAD_HANDLE, "invalid pager");
    expectStatus(yield* supply(pager, INVALID, 0, 0, aux, 0), ZX_ERR_BAD_HANDLE, "invalid vmo");
    expectStatus(yield* supply(pager, vmo, 0, 0, INVALID, 0), ZX_ERR_BAD_HANDLE, "invalid aux");
    expectStatus(yield* supply(vmo, vmo, 0, 0, aux, 0), ZX_ERR_WRONG_TYPE, "vmo as pager");
    expectStatus(yield* supply(pager, pager, 0, 0, aux, 0), ZX_ERR_WRONG_TYPE, "pager as vmo");
    expectStatus(yield* supply(pager, vmo, 0, 0, port, 0), ZX_ERR_WRONG_TYPE, "port as aux");
    expectStatus(yield* supply(pager, aux, 0, 0, aux, 0), ZX_ERR_INVALID_ARGS, "anonymous dest");
    const pager2 = yield* ok(sys.pagerCreate(0), "pager_create");
    expectStatus(
      yield* supply(pager2, vmo, 0, 0, INVALID, 0),
      ZX_ERR_INVALID_ARGS,
      "dest of another pager",
    );
    const ro = yield* ok(sys.handleDuplicate(aux, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE), "dup");
    expectStatus(yield* supply(pager, vmo, 0, 0, ro, 0), ZX_ERR_ACCESS_DENIED, "aux lacking WRITE");
    const wo = yield* ok(sys.handleDuplicate(aux, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ), "dup");
    expectStatus(yield* supply(pager, vmo, 0, 0, wo, 0), ZX_ERR_ACCESS_DENIED, "aux lacking READ");
    const rod = yield* ok(sys.handleDuplicate(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE), "dup");
    expectStatus(
      yield* supply(pager, rod, 0, 0, aux, 0),
      ZX_ERR_ACCESS_DENIED,
      "dest lacking WRITE",
    );
    expectStatus(yield* supply(pager, vmo, 1, 0, aux, 0), ZX_ERR_INVALID_ARGS, "unaligned offset");
    expectStatus(yield* supply(pager, vmo, 0, 1, aux, 0), ZX_ERR_INVALID_ARGS, "unaligned length");
    expectStatus(yield* supply(pager, vmo, 0, 0, aux, 1), ZX_ERR_INVALID_ARGS, "unaligned aux");
    // A pager-backed aux (itself supplied from a committed anonymous VMO) cannot give pages away.
    const pagerAux = yield* ok(sys.pagerCreateVmo(pager, 0, port, 0, PAGE), "create_vmo aux");
    const alt = yield* anonCommitted(sys);
    expectStatus(yield* supply(pager, pagerAux, 0, PAGE, alt, 0), ZX_OK, "supply pager aux");
    expectStatus(
      yield* supply(pager, vmo, 0, PAGE, pagerAux, 0),
      ZX_ERR_NOT_SUPPORTED,
      "pager-backed aux",
    );
    expectStatus(yield* sys.vmoOpRange(aux, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK, "commit aux");
    expectStatus(
      yield* supply(pager, vmo, PAGE, PAGE, aux, 0),
      ZX_ERR_OUT_OF_RANGE,
      "dest range past end",
    );
    aux = yield* anonCommitted(sys);
    expectStatus(
      yield* supply(pager, vmo, 0, PAGE, aux, PAGE),
      ZX_ERR_OUT_OF_RANGE,
      "aux range past end",
    );
    pager = yield* ok(
      sys.handleReplace(pager, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO),
      "replace pager without MANAGE_VMO",
    );
    expectStatus(
      yield* supply(pager, vmo, 0, PAGE, aux, 0),
      ZX_ERR_ACCESS_DENIED,
      "pager lacking MANAGE_VMO",
    );
  }),

  // An all-ones size with UNBOUNDED is out of range, not a crash.
  pagerCase("P99", "CreateVmoUnboundedInvalidStreamSize", AREA, function* (t) {
    const [st] = yield* t.sys.pagerCreateVmo(
      t.pager,
      ZX_VMO_UNBOUNDED,
      t.port,
      0x1234,
      2 ** 64 - 1,
    );
    expectStatus(st, ZX_ERR_OUT_OF_RANGE, "create_vmo(UNBOUNDED, 0xffff_ffff_ffff_ffff)");
  }),

  // The level-1 part of the row: OP_FAIL's checks, the opcode check, and OP_DIRTY on a
  // VMO without TRAP_DIRTY (NOT_SUPPORTED, after the data check).
  pagerCase("W90", "InvalidPagerOpRange", AREA, function* (t) {
    const { sys, port } = t;
    let pager = t.pager;
    const vmo = yield* ok(sys.pagerCreateVmo(pager, 0, port, 0, PAGE), "create_vmo");
    const op = (p: number, code: number, v: number, off: number, len: number, data: number) =>
      sys.pagerOpRange(p, code, v, off, len, data);
    const FAIL = ZX_PAGER_OP_FAIL;
    const IO = ZX_ERR_IO;
    expectStatus(yield* op(INVALID, FAIL, vmo, 0, 0, IO), ZX_ERR_BAD_HANDLE, "invalid pager");
    expectStatus(yield* op(pager, FAIL, INVALID, 0, 0, IO), ZX_ERR_BAD_HANDLE, "invalid vmo");
    expectStatus(yield* op(vmo, FAIL, vmo, 0, 0, IO), ZX_ERR_WRONG_TYPE, "vmo as pager");
    expectStatus(yield* op(pager, FAIL, pager, 0, 0, IO), ZX_ERR_WRONG_TYPE, "pager as vmo");
    const ro = yield* ok(sys.handleDuplicate(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE), "dup");
    expectStatus(yield* op(pager, FAIL, ro, 0, 0, IO), ZX_ERR_ACCESS_DENIED, "vmo lacking WRITE");
    const anon = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create");
    expectStatus(yield* op(pager, FAIL, anon, 0, 0, IO), ZX_ERR_INVALID_ARGS, "anonymous vmo");
    const pager2 = yield* ok(sys.pagerCreate(0), "pager_create");
    expectStatus(yield* op(pager2, FAIL, vmo, 0, 0, IO), ZX_ERR_INVALID_ARGS, "foreign pager");
    expectStatus(yield* op(pager, FAIL, vmo, 1, 0, IO), ZX_ERR_INVALID_ARGS, "unaligned offset");
    expectStatus(yield* op(pager, FAIL, vmo, 0, 1, IO), ZX_ERR_INVALID_ARGS, "unaligned length");
    expectStatus(
      yield* op(pager, FAIL, vmo, PAGE, PAGE, IO),
      ZX_ERR_OUT_OF_RANGE,
      "range past end",
    );
    expectStatus(yield* op(pager, 0, vmo, 0, 0, 0), ZX_ERR_NOT_SUPPORTED, "opcode 0");
    for (const code of [ZX_OK, ZX_ERR_NO_MEMORY, ZX_ERR_INVALID_ARGS, 2 ** 32 + ZX_ERR_IO]) {
      expectStatus(
        yield* op(pager, FAIL, vmo, 0, PAGE, code),
        ZX_ERR_INVALID_ARGS,
        `OP_FAIL with disallowed code ${code}`,
      );
    }
    expectStatus(
      yield* op(pager, ZX_PAGER_OP_DIRTY, vmo, 0, PAGE, 1),
      ZX_ERR_INVALID_ARGS,
      "OP_DIRTY with non-zero data",
    );
    expectStatus(
      yield* op(pager, ZX_PAGER_OP_DIRTY, vmo, 0, PAGE, 0),
      ZX_ERR_NOT_SUPPORTED,
      "OP_DIRTY on a VMO without TRAP_DIRTY",
    );
    pager = yield* ok(
      sys.handleReplace(pager, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO),
      "replace pager without MANAGE_VMO",
    );
    expectStatus(
      yield* op(pager, FAIL, vmo, 0, PAGE, IO),
      ZX_ERR_ACCESS_DENIED,
      "pager lacking MANAGE_VMO",
    );
  }),
  // The level-2 part of the row: the generic checks for OP_DIRTY and WRITEBACK_BEGIN/END, OP_DIRTY
  // on an unsupplied page of a trap-dirty VMO, unknown data words, and a pager without MANAGE_VMO.
  pagerCase("W90", "InvalidPagerOpRange[trap-dirty+writeback]", AREA, function* (t) {
    const { sys, port } = t;
    let pager = t.pager;
    const vmo = yield* ok(
      sys.pagerCreateVmo(pager, ZX_VMO_TRAP_DIRTY, port, 0, PAGE),
      "create_vmo",
    );
    const op = (p: number, code: number, v: number, off: number, len: number, data: number) =>
      sys.pagerOpRange(p, code, v, off, len, data);
    const ro = yield* ok(sys.handleDuplicate(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE), "dup");
    const anon = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create");
    const pager2 = yield* ok(sys.pagerCreate(0), "pager_create");
    const OPS = [
      ["OP_DIRTY", ZX_PAGER_OP_DIRTY],
      ["WRITEBACK_BEGIN", ZX_PAGER_OP_WRITEBACK_BEGIN],
      ["WRITEBACK_END", ZX_PAGER_OP_WRITEBACK_END],
    ] as const;
    for (const [name, code] of OPS) {
      const cases: [number, number, number, number, Status, string][] = [
        [INVALID, vmo, 0, 0, ZX_ERR_BAD_HANDLE, "invalid pager"],
        [pager, INVALID, 0, 0, ZX_ERR_BAD_HANDLE, "invalid vmo"],
        [vmo, vmo, 0, 0, ZX_ERR_WRONG_TYPE, "vmo as pager"],
        [pager, pager, 0, 0, ZX_ERR_WRONG_TYPE, "pager as vmo"],
        [pager, ro, 0, 0, ZX_ERR_ACCESS_DENIED, "vmo lacking WRITE"],
        [pager, anon, 0, 0, ZX_ERR_INVALID_ARGS, "anonymous vmo"],
        [pager2, vmo, 0, 0, ZX_ERR_INVALID_ARGS, "foreign pager"],
        [pager, vmo, 1, 0, ZX_ERR_INVALID_ARGS, "unaligned offset"],
        [pager, vmo, 0, 1, ZX_ERR_INVALID_ARGS, "unaligned length"],
        [pager, vmo, PAGE, PAGE, ZX_ERR_OUT_OF_RANGE, "range past end"],
      ];
      for (const [p, v, off, len, want, what] of cases) {
        expectStatus(yield* op(p, code, v, off, len, 0), want, `${name}: ${what}`);
      }
      expectStatus(
        yield* op(pager, code, vmo, 0, PAGE, 2),
        ZX_ERR_INVALID_ARGS,
        `${name} with unknown data`,
      );
    }
    expectStatus(
      yield* op(pager, ZX_PAGER_OP_DIRTY, vmo, 0, PAGE, 0),
      ZX_ERR_NOT_FOUND,
      "OP_DIRTY on an unsupplied page",
    );
    pager = yield* ok(
      sys.handleReplace(pager, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO),
      "replace pager without MANAGE_VMO",
    );
    for (const [name, code] of OPS) {
      expectStatus(
        yield* op(pager, code, vmo, 0, PAGE, 0),
        ZX_ERR_ACCESS_DENIED,
        `${name}: pager lacking MANAGE_VMO`,
      );
    }
  }),

  // Null buffers have no counterpart here: the model's queries return their results.
  pagerCase("W91", "InvalidQuery", AREA, function* (t) {
    const { sys, port } = t;
    let pager = t.pager;
    const vmo = yield* ok(sys.pagerCreateVmo(pager, 0, port, 0, PAGE), "create_vmo");
    const ranges = (p: number, v: number, off: number, len: number) =>
      sys.pagerQueryDirtyRanges(p, v, off, len, 64 * ZX_VMO_DIRTY_RANGE_SIZE);
    const stats = (p: number, v: number, options = 0, size = ZX_PAGER_VMO_STATS_SIZE) =>
      sys.pagerQueryVmoStats(p, v, options, size);
    const noRead = yield* ok(
      sys.handleDuplicate(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ),
      "dup",
    );
    const anon = yield* ok(sys.vmoCreate(PAGE, 0), "zx_vmo_create");
    const pager2 = yield* ok(sys.pagerCreate(0), "pager_create");
    const cases: [number, number, Status, string][] = [
      [INVALID, vmo, ZX_ERR_BAD_HANDLE, "invalid pager"],
      [pager, INVALID, ZX_ERR_BAD_HANDLE, "invalid vmo"],
      [vmo, vmo, ZX_ERR_WRONG_TYPE, "vmo as pager"],
      [pager, pager, ZX_ERR_WRONG_TYPE, "pager as vmo"],
      [pager, noRead, ZX_ERR_ACCESS_DENIED, "vmo lacking READ"],
      [pager, anon, ZX_ERR_INVALID_ARGS, "anonymous vmo"],
      [pager2, vmo, ZX_ERR_INVALID_ARGS, "foreign pager"],
    ];
    for (const [p, v, want, what] of cases) {
      expectStatus((yield* ranges(p, v, 0, PAGE))[0], want, `query_dirty_ranges: ${what}`);
      expectStatus((yield* stats(p, v))[0], want, `query_vmo_stats: ${what}`);
    }
    expectStatus(
      (yield* ranges(pager, vmo, PAGE, PAGE))[0],
      ZX_ERR_OUT_OF_RANGE,
      "query_dirty_ranges past the end",
    );
    expectStatus((yield* stats(pager, vmo, 2))[0], ZX_ERR_INVALID_ARGS, "unknown stats option");
    expectStatus(
      (yield* stats(pager, vmo, 0, 0))[0],
      ZX_ERR_BUFFER_TOO_SMALL,
      "zero-size stats buffer",
    );
    pager = yield* ok(
      sys.handleReplace(pager, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO),
      "replace pager without MANAGE_VMO",
    );
    expectStatus(
      (yield* ranges(pager, vmo, 0, PAGE))[0],
      ZX_ERR_ACCESS_DENIED,
      "query_dirty_ranges: pager lacking MANAGE_VMO",
    );
    expectStatus(
      (yield* stats(pager, vmo))[0],
      ZX_ERR_ACCESS_DENIED,
      "query_vmo_stats: pager lacking MANAGE_VMO",
    );
  }),

  // Upstream's harness refuses UNBOUNDED before calling the kernel; ours does the same.
  pagerCase("W93", "Unbounded", AREA, function* (t) {
    const before = t.world.kernel.pagerVmos.length;
    const vmo = yield* t.createVmo(1, ZX_VMO_UNBOUNDED);
    check(vmo === null, "the harness created a VMO with ZX_VMO_UNBOUNDED");
    check(t.world.kernel.pagerVmos.length === before, "an UNBOUNDED VMO reached the kernel");
  }),
];
