import { strict as assert } from "node:assert";
import {
  type Status,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import { Kernel, type KernelOptions, type Syscall } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import type { CallArgs as In, CallImpl as Out } from "../kernel/syscalls.ts";
import type { Program, ProgramCall } from "../program/program.ts";
import { runProgram } from "../program/run.ts";

const PS = 64;

/**
 * A pager VMO of 4 pages (handle 2) supplied from an anonymous aux VMO (handle 3) whose pages hold
 * 1, 2, 3 and 4 in every byte; then `more`.
 */
function supplied(more: ProgramCall[], vmoOptions = 0): Program {
  const calls: ProgramCall[] = [
    { call: "zx_pager_create", args: [0] },
    { call: "zx_port_create", args: [0] },
    { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, vmoOptions, { h: [0, 1] }, 5, 4 * PS] },
    { call: "zx_vmo_create", args: [4 * PS, 0] },
    ...[1, 2, 3, 4].map((fill, p): ProgramCall => ({
      call: "zx_vmo_write",
      args: [{ h: [0, 3] }, { bytes: PS, fill }, p * PS],
    })),
    {
      call: "zx_pager_supply_pages",
      args: [{ h: [0, 0] }, { h: [0, 2] }, 0, 4 * PS, { h: [0, 3] }, 0],
    },
    ...more,
  ];
  return { pageSize: PS, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/** Index of the first call after the supply in {@linkcode supplied}'s program. */
const NEXT = 9;

const CLONE_CALLS: ProgramCall[] = [
  // A slice of root pages 1-2, read whole: 2s then 3s.
  { call: "zx_vmo_create_child", args: [{ h: [0, 2] }, ZX_VMO_CHILD_SLICE, PS, 2 * PS] },
  { call: "zx_vmo_read", args: [{ h: [0, NEXT] }, 0, 2 * PS] },
  // A clone of root pages 2-3 that is 4 pages long: its pages 2-3 are past the parent, zeros.
  {
    call: "zx_vmo_create_child",
    args: [{ h: [0, 2] }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 2 * PS, 4 * PS],
  },
  { call: "zx_vmo_read", args: [{ h: [0, NEXT + 2] }, 0, 4 * PS] },
  // The root's later write shows through the clone's unforked page...
  { call: "zx_vmo_write", args: [{ h: [0, 2] }, { bytes: 8, fill: 9 }, 2 * PS] },
  { call: "zx_vmo_read", args: [{ h: [0, NEXT + 2] }, 0, PS] },
  // ...but not through a page the clone forked by writing part of it.
  { call: "zx_vmo_write", args: [{ h: [0, NEXT + 2] }, { bytes: 8, fill: 7 }, PS + 4] },
  { call: "zx_vmo_write", args: [{ h: [0, 2] }, { bytes: PS, fill: 5 }, 3 * PS] },
  { call: "zx_vmo_read", args: [{ h: [0, NEXT + 2] }, 0, 2 * PS] },
  // The supply took the aux pages: the aux VMO reads zeros.
  { call: "zx_vmo_read", args: [{ h: [0, 3] }, 0, 4 * PS] },
  // A reference shows the root whole.
  { call: "zx_vmo_create_child", args: [{ h: [0, 2] }, ZX_VMO_CHILD_REFERENCE, 0, 4 * PS] },
  { call: "zx_vmo_read", args: [{ h: [0, NEXT + 10] }, 0, 4 * PS] },
];

function verdictOf(p: Program, makeKernel?: (o: KernelOptions) => Kernel) {
  return runProgram(p, { seed: 1, ...(makeKernel ? { makeKernel } : {}) });
}

function assertStatuses(p: Program, statuses: Status[]): void {
  const run = verdictOf(p);
  assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
  assert.deepEqual(run.results[0].slice(NEXT).map((r) => r?.status), statuses);
}

function assertReadContent(v: ReturnType<typeof verdictOf>["verdict"], message: RegExp): void {
  assert.ok(v.kind === "invariant" && v.invariant === "read-content", JSON.stringify(v));
  assert.match(v.message, message);
}

/**
 * A kernel that makes every child of type `type` at offset 0, whatever offset was asked for (past
 * the call's record, as a mutant of the model would).
 */
function childAtZero(type: number): (o: KernelOptions) => Kernel {
  class ChildAtZeroKernel extends Kernel {
    protected override vmoCreateChild(
      t: KThread,
      ...[handle, options, offset, size]: In<"zx_vmo_create_child">
    ): Out<"zx_vmo_create_child"> {
      return super.vmoCreateChild(t, handle, options, options & type ? 0 : offset, size);
    }
  }
  return (o) => new ChildAtZeroKernel(o);
}

/** A read's last byte comes out one higher than the page holds. */
class OffByOneReadKernel extends Kernel {
  override *zx_vmo_read(
    t: KThread,
    handle: number,
    offset: number,
    length: number,
    buffer?: number,
  ): Syscall<[Status, Uint8Array]> {
    const r = yield* super.zx_vmo_read(t, handle, offset, length, buffer);
    if (r[0] === ZX_OK && r[1].length > 0) r[1][r[1].length - 1]++;
    return r;
  }
}

Deno.test("read-content: slices, clones, references and a used aux VMO read as the model says", () => {
  assertStatuses(supplied(CLONE_CALLS), Array(CLONE_CALLS.length).fill(ZX_OK));
});

Deno.test("read-content: a slice made at the wrong offset is caught at its first read", () => {
  const v = verdictOf(supplied(CLONE_CALLS), childAtZero(ZX_VMO_CHILD_SLICE)).verdict;
  assertReadContent(v, /t\d+ read byte 0x0 of its VMO .* = 0x1; the model of its content says 0x2/);
});

Deno.test("read-content: a clone that sees its parent from the wrong page is caught", () => {
  const v =
    verdictOf(supplied(CLONE_CALLS), childAtZero(ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE)).verdict;
  assertReadContent(v, /read byte 0x0 of its VMO .* = 0x1; the model of its content says 0x3/);
});

Deno.test("read-content: a byte a read gets wrong is caught, on a pager VMO and an anonymous one", () => {
  const root = supplied([{ call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, PS] }]);
  assertReadContent(
    verdictOf(root, (o) => new OffByOneReadKernel(o)).verdict,
    /byte 0x3f .* = 0x2; the model of its content says 0x1/,
  );
  const anon: Program = {
    pageSize: PS,
    overtimeTicks: 0,
    threads: [{
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_vmo_create", args: [PS, 0] },
        { call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 8] },
      ],
    }],
  };
  assert.equal(verdictOf(anon).verdict.kind, "pass");
  assertReadContent(
    verdictOf(anon, (o) => new OffByOneReadKernel(o)).verdict,
    /byte 0x7 .* = 0x1; the model of its content says 0x0/,
  );
});

Deno.test("read-content: ZERO and DECOMMIT of an anonymous VMO and a shrink of a clone's parent", () => {
  const calls: ProgramCall[] = [
    { call: "zx_vmo_create", args: [2 * PS, 0] },
    { call: "zx_vmo_write", args: [{ h: [0, 0] }, { bytes: 2 * PS, fill: 6 }, 0] },
    // ZERO of bytes 8..72: the tail of page 0 and the head of page 1.
    { call: "zx_vmo_op_range", args: [{ h: [0, 0] }, ZX_VMO_OP_ZERO, 8, PS] },
    { call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 2 * PS] },
    { call: "zx_vmo_op_range", args: [{ h: [0, 0] }, ZX_VMO_OP_DECOMMIT, PS, PS] },
    { call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 2 * PS] },
  ];
  const anon: Program = {
    pageSize: PS,
    overtimeTicks: 0,
    threads: [{ failInsteadOfBlock: false, calls }],
  };
  const run = verdictOf(anon);
  assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
  assert.deepEqual(run.results[0].map((r) => r?.status), Array(calls.length).fill(ZX_OK));
  // The model states those bytes (it does not just let them pass): a wrong one is caught.
  assertReadContent(
    verdictOf(anon, (o) => new OffByOneReadKernel(o)).verdict,
    /byte 0x7f .* = 0x7; the model of its content says 0x6/,
  );
  // A resizable root shrunk to one page and grown back: its clone reads zeros past page 0 for
  // good (CloneShrinkGrowParent), and the root reads zeros in its new tail.
  const shrink: ProgramCall[] = [
    {
      call: "zx_vmo_create_child",
      args: [{ h: [0, 2] }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 4 * PS],
    },
    { call: "zx_vmo_set_size", args: [{ h: [0, 2] }, PS] },
    { call: "zx_vmo_set_size", args: [{ h: [0, 2] }, 4 * PS] },
    { call: "zx_vmo_read", args: [{ h: [0, NEXT] }, 0, 4 * PS] },
    { call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, 4 * PS] },
  ];
  assertStatuses(supplied(shrink, ZX_VMO_RESIZABLE), Array(shrink.length).fill(ZX_OK));
  assertReadContent(
    verdictOf(supplied(shrink, ZX_VMO_RESIZABLE), (o) => new OffByOneReadKernel(o)).verdict,
    /byte 0xff .* = 0x1; the model of its content says 0x0/,
  );
});

/** A kernel whose ZERO (op 1) of a range starting at `from` or later works `shift` bytes later. */
function shiftedZero(shift: number, from = 0): (o: KernelOptions) => Kernel {
  class ShiftedZeroKernel extends Kernel {
    protected override *vmoOpRange(
      t: KThread,
      ...[handle, op, offset, size]: In<"zx_vmo_op_range">
    ): Syscall<Out<"zx_vmo_op_range">> {
      const moved = op === ZX_VMO_OP_ZERO && offset >= from ? offset + shift : offset;
      return yield* super.vmoOpRange(t, handle, op, moved, size);
    }
  }
  return (o) => new ShiftedZeroKernel(o);
}

/** A kernel whose ZERO of a range that is no page multiple returns ZX_OK having done nothing. */
class IdleZeroKernel extends Kernel {
  protected override *vmoOpRange(
    t: KThread,
    ...[handle, op, offset, size]: In<"zx_vmo_op_range">
  ): Syscall<Out<"zx_vmo_op_range">> {
    if (op === ZX_VMO_OP_ZERO && offset % PS !== 0) return ZX_OK;
    return yield* super.vmoOpRange(t, handle, op, offset, size);
  }
}

/** A kernel whose buffer-less `zx_vmo_write` lands one byte later than asked. */
class LateWriteKernel extends Kernel {
  protected override *vmoWrite(
    t: KThread,
    ...[handle, data, offset, buffer]: In<"zx_vmo_write">
  ): Syscall<Out<"zx_vmo_write">> {
    const late = buffer === undefined && data instanceof Uint8Array && data.length < PS;
    return yield* super.vmoWrite(t, handle, data, late ? offset + 1 : offset, buffer);
  }
}

/** A kernel whose buffer-less `zx_vmo_write` of 8 bytes stores the first 4 and returns ZX_OK. */
class HalfWriteKernel extends Kernel {
  protected override *vmoWrite(
    t: KThread,
    ...[handle, data, offset, buffer]: In<"zx_vmo_write">
  ): Syscall<Out<"zx_vmo_write">> {
    const half = buffer === undefined && data instanceof Uint8Array && data.length === 8;
    return yield* super.vmoWrite(t, handle, half ? data.subarray(0, 4) : data, offset, buffer);
  }
}

const ZERO_CALLS: ProgramCall[] = [
  // ZERO from the middle of page 1 to the middle of page 3 of the supplied root: a partial
  // first page, a whole page, a partial last page; then the root read whole.
  { call: "zx_vmo_op_range", args: [{ h: [0, 2] }, ZX_VMO_OP_ZERO, PS + PS / 2, 2 * PS] },
  { call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, 4 * PS] },
  // A short write at an offset that is no page multiple, read back.
  { call: "zx_vmo_write", args: [{ h: [0, 2] }, { bytes: 8, fill: 9 }, 4] },
  { call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, PS] },
];

Deno.test("read-content R4: ZERO of a pager VMO reads zeros over its range, from the call's own range", () => {
  assertStatuses(supplied(ZERO_CALLS), Array(ZERO_CALLS.length).fill(ZX_OK));
  // Zeroes 16 bytes later than asked: its last store ends past the range it names.
  assertReadContent(
    verdictOf(supplied(ZERO_CALLS), shiftedZero(PS / 4, PS)).verdict,
    /ZERO of \[0x60,0xe0\) stored zeros at vmo\d+ \[0xc0,0xf0\), outside its range there/,
  );
  // Returns ZX_OK having zeroed nothing (no store tells the model anything): the read sees the
  // supplied bytes where the call's range says zeros.
  assertReadContent(
    verdictOf(supplied(ZERO_CALLS), (o) => new IdleZeroKernel(o)).verdict,
    /read byte 0x60 of its VMO .* = 0x2; the model of its content says 0x0/,
  );
});

Deno.test("read-content R4: a buffer-less zx_vmo_write stores where the caller's bytes go", () => {
  assertReadContent(
    verdictOf(supplied(ZERO_CALLS), (o) => new LateWriteKernel(o)).verdict,
    /zx_vmo_write of 0x8 bytes at 0x4 stored its byte 0x0 at vmo\d+ \[0x5,0xd\); the model puts it at 0x4 of that VMO/,
  );
});

Deno.test("read-content R4: a buffer-less zx_vmo_write that returns ZX_OK stored all its bytes", () => {
  // The model follows the stores, so the read back agrees: only the count tells.
  assertReadContent(
    verdictOf(supplied(ZERO_CALLS), (o) => new HalfWriteKernel(o)).verdict,
    /^R4: t\d+ zx_vmo_write returned ZX_OK having stored 4 of its 8 bytes$/,
  );
});
