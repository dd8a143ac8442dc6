import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_MEMORY,
  ZX_INFO_VMO,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "../kernel/constants.ts";
import type { Status } from "../kernel/constants.ts";
import type { EventSink } from "../kernel/events.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import type { Syscall } from "../kernel/yields.ts";
import { describeVerdict, World } from "../sim/world.ts";
import { randomStrategy } from "../sim/strategy.ts";
import { kernelInvariants } from "./kernel_invariants.ts";

Deno.test("syscall-contract K23: children of a pager VMO report PAGER_BACKED, and that is correct", () => {
  const kinds = {
    "at-least-on-write clone": ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    slice: ZX_VMO_CHILD_SLICE,
    reference: ZX_VMO_CHILD_REFERENCE,
  };
  for (const [kind, option] of Object.entries(kinds)) {
    let flags = 0;
    const world = new World({
      strategy: randomStrategy(1),
      pageSize: 64,
      monitors: kernelInvariants(),
    });
    world.spawn("t", "workload", function* (sys) {
      const [, pager] = yield* sys.pagerCreate(0);
      const [, port] = yield* sys.portCreate(0);
      const [, vmo] = yield* sys.pagerCreateVmo(pager, 0, port, 1, 128);
      const [st, child] = yield* sys.vmoCreateChild(vmo, option, 0, 128);
      if (st !== ZX_OK) throw new Error(`create_child(${kind}) returned ${st}`);
      const [, info] = yield* sys.objectGetInfo(child, ZX_INFO_VMO);
      flags = info?.flags ?? 0;
    });
    const r = world.run();
    assert.equal(r.verdict.kind, "pass", `${kind}: ${describeVerdict(r.verdict)}`);
    assert.ok(flags & ZX_INFO_VMO_PAGER_BACKED, `${kind} reports PAGER_BACKED`);
  }
});

Deno.test("syscall-contract K27: a handle zx_pmt_unpin consumed is gone (BAD_HANDLE, not WRONG_TYPE)", () => {
  let status = 0;
  const world = new World({
    strategy: randomStrategy(1),
    pageSize: 64,
    monitors: kernelInvariants(),
  });
  world.spawn("t", "workload", function* (sys) {
    const [, bti] = yield* sys.btiCreate(0, 0);
    const [, vmo] = yield* sys.vmoCreate(128, 0);
    const [, pmt] = yield* sys.btiPin(bti, 0, vmo, 0, 64);
    assert.equal(yield* sys.pmtUnpin(pmt), ZX_OK);
    // A pager call naming the consumed token: its handle argument is checked first.
    status = yield* sys.pagerOpRange(pmt, 0, 0, 0, 0, 0);
  });
  const r = world.run();
  assert.equal(r.verdict.kind, "pass", describeVerdict(r.verdict));
  assert.equal(status, ZX_ERR_BAD_HANDLE);
});

Deno.test("syscall-contract: a syscall that returns no Zircon status fails", () => {
  // A wait that hands back nothing (as a kernel that dropped its return tuple would): the caller
  // reads `undefined` for a status, which no checker compared with anything before.
  class NoStatusKernel extends Kernel {
    protected override *objectWaitOne(
      ...args: Parameters<Kernel["objectWaitOne"]>
    ): ReturnType<Kernel["objectWaitOne"]> {
      yield* super.objectWaitOne(...args);
      return [] as unknown as [number, number];
    }
  }
  const verdict = (makeKernel?: (o: KernelOptions) => Kernel) => {
    const world = new World({
      strategy: randomStrategy(1),
      pageSize: 64,
      monitors: kernelInvariants(),
      ...(makeKernel ? { makeKernel } : {}),
    });
    world.spawn("t", "workload", function* (sys) {
      const [, vmo] = yield* sys.vmoCreate(128, 0);
      yield* sys.objectWaitOne(vmo, ZX_VMO_ZERO_CHILDREN, 0);
    });
    return world.run().verdict;
  };
  assert.equal(verdict().kind, "pass", describeVerdict(verdict()));
  const v = verdict((o) => new NoStatusKernel(o));
  assert.equal(v.kind, "invariant", describeVerdict(v));
  assert.match(describeVerdict(v), /zx_object_wait_one returned undefined, no Zircon status/);
});

Deno.test("syscall-contract ret: a call whose ret is lost or misnamed fails, a paired one passes", () => {
  // kernel_evict's ret lost (`k: ""`) or named "" (kernel_objects.ts's two StringLiteral
  // mutants): the trace shows a call that never returns, or a return from no call.
  type Mode = "paired" | "lost" | "misnamed";
  const kernelFor = (mode: Mode) => (o: KernelOptions) =>
    new class extends Kernel {
      override *kernel_evict(t: KThread, handle: number, page: number): Syscall<Status> {
        const k = this as unknown as { sink: EventSink };
        const real = k.sink;
        k.sink = {
          emit(e) {
            if (e.k !== "ret" || e.name !== "kernel_evict" || mode === "paired") real.emit(e);
            else if (mode === "misnamed") real.emit({ ...e, name: "" });
          },
        };
        try {
          return yield* super.kernel_evict(t, handle, page);
        } finally {
          k.sink = real;
        }
      }
    }(o);
  const verdict = (mode: Mode, callAgain: boolean) => {
    const world = new World({
      strategy: randomStrategy(1),
      pageSize: 64,
      monitors: kernelInvariants(),
      makeKernel: kernelFor(mode),
    });
    world.spawn("t", "workload", function* (sys) {
      const [, vmo] = yield* sys.vmoCreate(128, 0);
      yield* sys.kernelEvict(vmo, 0);
      if (callAgain) yield* sys.vmoGetSize(vmo);
    });
    return world.run().verdict;
  };
  for (const callAgain of [true, false]) {
    assert.equal(
      verdict("paired", callAgain).kind,
      "pass",
      describeVerdict(verdict("paired", callAgain)),
    );
  }
  assert.match(
    describeVerdict(verdict("lost", true)),
    /ret: t1 called zx_vmo_get_size while its kernel_evict had not returned/,
  );
  assert.match(describeVerdict(verdict("lost", false)), /ret: t1 exited in kernel_evict/);
  assert.match(
    describeVerdict(verdict("misnamed", false)),
    /ret: t1 returned from "", but it was in kernel_evict/,
  );
});

Deno.test("syscall-contract K27: NO_MEMORY only after the call's argument checks passed", () => {
  // A kernel that runs out of memory before it looks the handle up (as an injected allocation
  // failure that skipped checksPass would, kernel/syscalls.ts): a write through a handle that
  // does not exist returns NO_MEMORY instead of BAD_HANDLE.
  class EarlyNoMemory extends Kernel {
    protected override *vmoWrite(
      ...args: Parameters<Kernel["vmoWrite"]>
    ): ReturnType<Kernel["vmoWrite"]> {
      yield* super.vmoWrite(...args);
      return ZX_ERR_NO_MEMORY;
    }
  }
  const verdict = (makeKernel?: (o: KernelOptions) => Kernel, handle?: number) => {
    const world = new World({
      strategy: randomStrategy(1),
      pageSize: 64,
      monitors: kernelInvariants(),
      ...(makeKernel ? { makeKernel } : {}),
    });
    // A service thread: what a workload thread gets is no-lost-requests' to explain.
    world.spawn("t", "service", function* (sys) {
      const [, vmo] = yield* sys.vmoCreate(128, 0);
      yield* sys.vmoWrite(handle ?? vmo, new Uint8Array(8), 0);
    });
    return world.run().verdict;
  };
  assert.equal(verdict(undefined, 0x7).kind, "pass", describeVerdict(verdict(undefined, 0x7)));
  // Out of memory after the checks passed: allowed.
  const ok = verdict((o) => new EarlyNoMemory(o));
  assert.equal(ok.kind, "pass", describeVerdict(ok));
  const v = verdict((o) => new EarlyNoMemory(o), 0x7);
  assert.equal(v.kind, "invariant", describeVerdict(v));
  assert.match(
    describeVerdict(v),
    /K27.*zx_vmo_write returned ZX_ERR_NO_MEMORY; its argument checks say ZX_ERR_BAD_HANDLE first/,
  );
});
