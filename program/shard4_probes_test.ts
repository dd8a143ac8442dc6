// Campaign judge probes and oracle changes written from blind spots of the fresh shard 4 of 8 on
// db8cb50 (docs/mutation.md, part A, helper triage28a), each passing unmutated and failing on its
// mutant: `program:heir-in-fifo` (`heirInFifoProgram`: a request handed to its overlap waiter
// while its packet waits behind another's), `program:shard4-edges` (`shard4EdgesProgram`, run at
// page size 8: a port duplicated, ZERO_CHILDREN's async packet as a clone goes, a WRITEBACK_BEGIN
// with IS_ZERO, a page pinned twice, a read at an offset into a user buffer, markers ZEROed), the
// contract's overtime rule (program/run.ts `overtimeKept`: no pager wait outlives its overtime)
// and the handle model's own default rights (program/handle_model.ts `DEFAULT_RIGHTS`), and
// dirty-state's K17 for a ZERO over markers (properties/level2/dirty_state.ts), and
// `program:dirty-outside` (`dirtyOutsideProgram`) with single-supply's `resolve-count` for DIRTY
// requests an OP_DIRTY completes.
import { strict as assert } from "node:assert";
import { judgeProgram, mutantMirror } from "../mutate/mutant_mirror.ts";
import * as C from "../kernel/constants.ts";
import { DEFAULT_RIGHTS } from "./handle_model.ts";
import {
  dirtyOutsideProgram,
  heirInFifoProgram,
  shard4EdgesProgram,
  timedOutHeirProgram,
} from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const judge = judgeProgram;

Deno.test("heirInFifoProgram passes unmutated (every read and the last port wait time out); a queued request handed on without the swap leaves its packet to be queued after it is gone", async () => {
  const { base, mutants } = await judge("kernel/pager_proxy.ts", "heirInFifoProgram", [
    "kernel/pager_proxy.ts:169:9:ConditionalExpression:false",
    "kernel/pager_proxy.ts:169:9:EqualityOperator:i > 0",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const statuses = base.results.map((t: Any) => t.map((r: Any) => r.status));
  const T = C.ZX_ERR_TIMED_OUT;
  assert.deepEqual(statuses, [[0, 0, 0, 0, T, T, T], [0, T, T], [0, T, T], [0, T, T]]);
  for (const v of mutants) {
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "packet-discipline", JSON.stringify(v));
    assert.match(v.message, /packet queued for request #2, which is gone/);
  }
});

Deno.test("shard4EdgesProgram at page size 8 passes unmutated; IS_ZERO refused, a pin count that grows at unpin, a read copied to the wrong buffer byte, ZERO_CHILDREN not raised as the last child goes, a grown zero interval's awaiting-clean end moved, markers ZEROed into a zero interval, a slice's partial ZERO looking at the wrong root page, a snapshot of a clone without its markers, a mapping fault that lets go of a VMO it never held and page size 8 refused each fail", async () => {
  const vp = await judge("kernel/vmo_pages.ts", "shard4EdgesProgram", [
    "kernel/vmo_pages.ts:1023:35:ConditionalExpression:true",
    "kernel/vmo_pages.ts:809:28:ArithmeticOperator:n + 1",
    "kernel/vmo_pages.ts:468:54:ArithmeticOperator:pos + offset",
    "kernel/vmo_pages.ts:921:20:ConditionalExpression:true",
    "kernel/vmo_pages.ts:869:15:ArithmeticOperator:Math.floor(from / this.pageSize) - off",
    "kernel/vmo_pages.ts:1422:13:ConditionalExpression:false",
    "kernel/vmo_pages.ts:628:7:CallExpression:;",
  ], [8]);
  assert.equal(vp.base.verdict.kind, "pass", JSON.stringify(vp.base.verdict));
  assert.ok(vp.base.results[0].every((r: Any) => r.status === C.ZX_OK), "every call ZX_OK");
  const [isZero, unpin, readAt, marker, sliceZero, snapshot, hold] = vp.mutants;
  assert.equal(hold.invariant, "program-contract", JSON.stringify(hold));
  assert.match(hold.message, /zx_object_get_info reports 2 children; .* 1$/);
  assert.equal(snapshot.invariant, "read-content", JSON.stringify(snapshot));
  assert.match(snapshot.message, /^R1: .* = 0x11; the model of its content says 0x0/);
  assert.equal(sliceZero.invariant, "dirty-state", JSON.stringify(sliceZero));
  assert.match(
    sliceZero.message,
    /^K17: .* went from marker to dirty in a step running zx_vmo_op_range/,
  );
  assert.equal(marker.invariant, "dirty-state", JSON.stringify(marker));
  assert.match(
    marker.message,
    /^K17: .* went from marker to zero in a step running zx_vmo_op_range/,
  );
  assert.equal(readAt.invariant, "program-contract", JSON.stringify(readAt));
  assert.match(
    readAt.message,
    /zx_vmo_read returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK/,
  );
  assert.equal(isZero.invariant, "program-contract", JSON.stringify(isZero));
  assert.match(
    isZero.message,
    /zx_pager_op_range returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK/,
  );
  assert.equal(unpin.invariant, "program-contract", JSON.stringify(unpin));
  assert.match(
    unpin.message,
    /zx_vmo_op_range returned ZX_ERR_BAD_STATE; the handle model says ZX_OK/,
  );
  const dirty = await judge("kernel/dirty.ts", "shard4EdgesProgram", [
    "kernel/dirty.ts:164:22:ArithmeticOperator:p - 1",
  ], [8]);
  assert.equal(dirty.mutants[0].invariant, "dirty-state", JSON.stringify(dirty.mutants[0]));
  assert.match(dirty.mutants[0].message, /^K17: .*WRITEBACK_END kept a zero slot/);
  const ko = await judge("kernel/kernel_objects.ts", "shard4EdgesProgram", [
    "kernel/kernel_objects.ts:124:9:EqualityOperator:this.pageSize > LIMITS.minPageSize",
    "kernel/kernel_objects.ts:338:9:ConditionalExpression:false",
  ], [8]);
  assert.equal(ko.base.verdict.kind, "pass");
  const [small, zero] = ko.mutants;
  assert.equal(small.kind, "threw", JSON.stringify(small));
  assert.match(small.message, /page size 8 is not a power of two/);
  assert.equal(zero.invariant, "program-contract", JSON.stringify(zero));
  assert.match(
    zero.message,
    /zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ surely held 1 signal packet/,
  );
});

Deno.test("the overtime rule: a kernel whose pager waits never time out fails the contract when the program's threads get stuck", async () => {
  for (const program of ["timedOutHeirProgram", "heirInFifoProgram"]) {
    const { base, mutants: [v] } = await judge("kernel/kernel_objects.ts", program, [
      "kernel/kernel_objects.ts:120:26:LogicalOperator:options.overtimeTicks && 0",
    ]);
    assert.equal(base.verdict.kind, "pass", `${program}: ${JSON.stringify(base.verdict)}`);
    assert.equal(v.invariant, "program-contract", `${program}: ${JSON.stringify(v)}`);
    assert.match(
      v.message,
      /^overtime: t0's zx_vmo_read parked on a page request at tick \d+ still waits .* overtime is 100 ticks/,
    );
  }
});

Deno.test("the overtime rule holds unmutated where waits time out, are answered, or the program has no overtime", () => {
  for (const p of [timedOutHeirProgram(), heirInFifoProgram(), shard4EdgesProgram(64)]) {
    for (const seed of [0, 1, 2, 3]) {
      const r = runProgram(p, { seed, monitors: programMonitors });
      assert.equal(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
    }
  }
});

Deno.test("the handle model's own default rights are rights.h's, equal to the kernel's today", () => {
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_PORT], C.ZX_DEFAULT_PORT_RIGHTS);
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_VMO], C.ZX_DEFAULT_VMO_RIGHTS);
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_THREAD], C.ZX_DEFAULT_THREAD_RIGHTS);
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_SUSPEND_TOKEN], C.ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS);
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_PAGER], C.ZX_DEFAULT_PAGER_RIGHTS);
  assert.equal(DEFAULT_RIGHTS[C.ZX_OBJ_TYPE_VMAR], C.ZX_DEFAULT_VMAR_RIGHTS);
});

Deno.test("a kernel whose ports lack DUPLICATE (constants.ts:225:66, static) fails shard4EdgesProgram's duplicate", async () => {
  const m = await mutantMirror(["kernel/constants.ts"]);
  try {
    m.activate("kernel/constants.ts:225:66:UnaryOperator:ZX_RIGHT_WAIT");
    const g = await m.load("program/generate.ts") as Any;
    const run = await m.load("program/run.ts") as Any;
    const v = run.runProgram(g.shard4EdgesProgram(8), { seed: 0, monitors: run.programMonitors })
      .verdict;
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_handle_duplicate returned ZX_ERR_ACCESS_DENIED; the handle model says ZX_OK/,
    );
  } finally {
    m.deactivate();
    m.dispose();
  }
});

Deno.test("dirtyOutsideProgram passes unmutated; an OP_DIRTY that completes a DIRTY request outside its range, or under an overflowing range, fails resolve-count", async () => {
  const { base, mutants } = await judge("kernel/vmo_pages.ts", "dirtyOutsideProgram", [
    "kernel/vmo_pages.ts:1217:18:ConditionalExpression:true",
    "kernel/vmo_pages.ts:1191:30:ArithmeticOperator:offset - length",
    "kernel/vmo_pages.ts:1191:9:LogicalOperator:offset > vmo.size && offset + length >= MAX_U64",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const statuses = base.results.map((t: Any) => t.map((r: Any) => r.status));
  const [T, R] = [C.ZX_ERR_TIMED_OUT, C.ZX_ERR_OUT_OF_RANGE];
  assert.deepEqual(statuses, [[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, T, 0, 0, 0, 0, T, 0, R, 0]]);
  const [before, ...overflow] = mutants;
  assert.equal(before.invariant, "single-supply", JSON.stringify(before));
  assert.match(before.message, /^K30: .*DIRTY request #1 \[0,1\) .*does not overlap/);
  for (const v of overflow) {
    assert.equal(v.invariant, "single-supply", JSON.stringify(v));
    assert.match(v.message, /^K30: .*DIRTY request #2 \[2,3\) .*whose range overflows/);
  }
});

Deno.test("resolve-count's DIRTY rule holds on the dirty-outside program under other seeds", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = runProgram(dirtyOutsideProgram(), { seed, monitors: programMonitors });
    assert.equal(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
  }
});
