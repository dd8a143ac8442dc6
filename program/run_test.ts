import { strict as assert } from "node:assert";
import {
  type Status,
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_OK,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from "../kernel/constants.ts";
import { Kernel, type KernelOptions, type Syscall } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import { ReplaceLeaksKernel, WriteWithoutRightKernel } from "../zoo/mutants.ts";
import type { Program, ProgramCall } from "./program.ts";
import { CONTRACT, LIFETIME, runProgram } from "./run.ts";

/** A pager thread that answers one READ from its port, and a reader. */

/** A program of one thread that fails no call instead of blocking, page size 64, no overtime. */
function oneThread(calls: ProgramCall[]): Program {
  return { pageSize: 64, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

const SERVED: Program = {
  pageSize: 64,
  overtimeTicks: 0,
  threads: [
    {
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_pager_create", args: [0] },
        { call: "zx_port_create", args: [0] },
        { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, 0, { h: [0, 1] }, 5, 256] },
        { call: "zx_vmo_create", args: [256, 0] },
        { call: "zx_vmo_write", args: [{ h: [0, 3] }, { bytes: 256, fill: 7 }, 0] },
        { call: "zx_port_wait", args: [{ h: [0, 1] }, { after: 1000 }] },
        {
          call: "zx_pager_supply_pages",
          args: [
            { h: [0, 0] },
            { h: [0, 2] },
            { pkt: [0, 5], field: "offset" },
            { pkt: [0, 5], field: "length" },
            { h: [0, 3] },
            0,
          ],
        },
      ],
    },
    { failInsteadOfBlock: false, calls: [{ call: "zx_vmo_read", args: [{ h: [0, 2] }, 64, 8] }] },
  ],
};

Deno.test("a program thread serves a READ that another thread's read is blocked on", () => {
  let served = 0;
  for (let seed = 0; seed < 30; seed++) {
    const run = runProgram(SERVED, { seed });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}`);
    const read = run.results[1][0]!.status;
    // The reader either got its page, or ran before the VMO existed (an invalid handle).
    assert.ok(read === ZX_OK || read === ZX_ERR_BAD_HANDLE, `seed ${seed}: ${read}`);
    if (read === ZX_OK) served++;
  }
  assert.ok(served > 0);
});

Deno.test("the janitor closes everything: the kernel ends with no handle and no live pager VMO", () => {
  const run = runProgram(SERVED, { seed: 3 });
  assert.equal(run.verdict.kind, "pass");
  assert.equal(run.world.kernel.handles.size, 0);
  assert.ok(run.world.kernel.pagerVmos.every((v) => v.dead));
});

Deno.test("a reader stranded on an unserved VMO is released by cleanup with BAD_STATE", () => {
  const p = oneThread([
    { call: "zx_pager_create", args: [0] },
    { call: "zx_port_create", args: [0] },
    { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, 0, { h: [0, 1] }, 1, 64] },
    { call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, 8] },
  ]);
  const run = runProgram(p, { seed: 1 });
  assert.equal(run.verdict.kind, "pass");
  assert.equal(run.results[0][3]!.status, ZX_ERR_BAD_STATE);
});

Deno.test("the handle model catches a write through a handle without WRITE", () => {
  const p = oneThread([
    { call: "zx_vmo_create", args: [64, 0] },
    { call: "zx_handle_replace", args: [{ h: [0, 0] }, 4] },
    { call: "zx_vmo_write", args: [{ h: [0, 1] }, { bytes: 1, fill: 1 }, 0] },
  ]);
  assert.equal(runProgram(p).verdict.kind, "pass");
  const v = runProgram(p, { makeKernel: (o) => new WriteWithoutRightKernel(o) }).verdict;
  assert.ok(v.kind === "invariant" && v.invariant === CONTRACT, JSON.stringify(v));
  assert.match(v.message, /ZX_OK; the handle model says ZX_ERR_ACCESS_DENIED/);
});

Deno.test("the lifetime check catches a handle the kernel keeps after every close", () => {
  const p = oneThread([{ call: "zx_port_create", args: [0] }, {
    call: "zx_handle_replace",
    args: [{ h: [0, 0] }, 0],
  }]);
  assert.equal(runProgram(p).verdict.kind, "pass");
  const v = runProgram(p, { makeKernel: (o) => new ReplaceLeaksKernel(o) }).verdict;
  assert.ok(v.kind === "invariant" && v.invariant === LIFETIME, JSON.stringify(v));
});

Deno.test("a program run is deterministic and records state signatures", () => {
  const a = runProgram(SERVED, { seed: 9, signatures: true });
  const b = runProgram(SERVED, { seed: 9, signatures: true });
  assert.equal(a.traceHash, b.traceHash);
  assert.deepEqual([...a.signatures].sort(), [...b.signatures].sort());
  assert.ok(a.signatures.size > 5);
  const replay = runProgram(SERVED, { seed: 0, decisions: a.decisions });
  assert.equal(replay.traceHash, a.traceHash);
});

/** Kernel mutants that drop an argument check (mutation survivors before the contract knew it). */
class AllocateAcceptsPermKernel extends Kernel {
  override *zx_vmar_allocate(
    t: KThread,
    parent: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number, number]> {
    return yield* super.zx_vmar_allocate(t, parent, options & ~ZX_VM_PERM_READ, offset, size);
  }
}
class ChildIgnoresUnknownOptionsKernel extends Kernel {
  override *zx_vmo_create_child(
    t: KThread,
    handle: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number]> {
    return yield* super.zx_vmo_create_child(t, handle, options & 0xff, offset, size);
  }
}

for (
  const [what, call, makeKernel] of [
    [
      "zx_vmar_allocate with a PERM flag",
      {
        call: "zx_vmar_allocate",
        args: [{ vmar: 0 }, ZX_VM_CAN_MAP_READ | ZX_VM_PERM_READ, 0, 64],
      },
      (o: KernelOptions) => new AllocateAcceptsPermKernel(o),
    ],
    [
      "zx_vmo_create_child with an unknown option bit",
      {
        call: "zx_vmo_create_child",
        args: [{ h: [0, 0] }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | 2 ** 20, 0, 64],
      },
      (o: KernelOptions) => new ChildIgnoresUnknownOptionsKernel(o),
    ],
  ] as const
) {
  Deno.test(`the contract predicts INVALID_ARGS for ${what}`, () => {
    const p = oneThread([{ call: "zx_vmo_create", args: [64, 0] }, call as ProgramCall]);
    const clean = runProgram(p);
    assert.equal(clean.verdict.kind, "pass", JSON.stringify(clean.verdict));
    assert.equal(clean.results[0][1]?.status, ZX_ERR_INVALID_ARGS);
    const v = runProgram(p, { makeKernel }).verdict;
    assert.ok(v.kind === "invariant" && v.invariant === CONTRACT, JSON.stringify(v));
    assert.match(v.message, /the handle model says ZX_ERR_INVALID_ARGS/);
  });
}

// A sub-region outlives its handles (zx_vmar_destroy.md): with its handle closed, what is mapped
// in it stays until the janitor unmaps the region's extent from the root, which destroys it.
Deno.test("the janitor destroys a sub-region whose handle the program closed, and its mappings", () => {
  const orphan = oneThread([
    { call: "zx_pager_create", args: [0] },
    { call: "zx_port_create", args: [0] },
    { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, 0, { h: [0, 1] }, 1, 128] },
    { call: "zx_vmar_allocate", args: [{ vmar: 0 }, ZX_VM_CAN_MAP_READ, 0, 256] },
    { call: "zx_vmar_map", args: [{ h: [0, 3] }, ZX_VM_PERM_READ, 0, { h: [0, 2] }, 0, 128] },
    { call: "zx_handle_close", args: [{ h: [0, 3] }] },
    { call: "zx_handle_close", args: [{ h: [0, 2] }] },
  ]);
  const run = runProgram(orphan);
  assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
  assert.deepEqual(run.results[0].map((r) => r?.status), [0, 0, 0, 0, 0, 0, 0]);
  assert.equal(run.world.kernel.rootVmar.regions.length, 0);
});

// zx_pmt_unpin consumes the token's handle: the handle model must drop it, or the janitor's
// close of it would be BAD_HANDLE.
Deno.test("a pin and its unpin leave nothing for the janitor", () => {
  const pinned = oneThread([
    { call: "zx_vmo_create", args: [128, 0] },
    { call: "zx_bti_create", args: [0, 1] },
    { call: "zx_bti_pin", args: [{ h: [0, 1] }, ZX_BTI_PERM_READ, { h: [0, 0] }, 0, 64] },
    { call: "zx_pmt_unpin", args: [{ h: [0, 2] }] },
    { call: "zx_bti_pin", args: [{ h: [0, 1] }, ZX_BTI_PERM_READ, { h: [0, 0] }, 64, 64] },
  ]);
  const run = runProgram(pinned);
  assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
  assert.deepEqual(run.results[0].map((r) => r?.status), [0, 0, 0, 0, 0]);
});
