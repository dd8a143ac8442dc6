// Zircon's own pager tests (conformance/) as workloads under the kernel checkers, their
// expectations left out (`runChecked`, what the mutation campaign's `conformance:` probes run):
// the kernel behaviour those tests assert is no checker verdict. Each rule these cases showed too
// narrow was widened to explain exactly its case; the tests after each regression test make the
// wrong behaviour the rule exists for fire it still.
import { strict as assert } from "node:assert";
import {
  type Status,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_OK,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_PERM_READ,
} from "../kernel/constants.ts";
import type { EventSink, KernelEvent } from "../kernel/events.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import { type KernelThread, Page, type Vmo } from "../kernel/objects.ts";
import { PageSource } from "../kernel/page_source.ts";
import { ALL_CASES, OWN_CONTENT_CASES } from "../conformance/cases.ts";
import { child } from "../conformance/_level2.ts";
import {
  isSkipped,
  PAGE,
  runChecked,
  SEEDS,
  type TestBody,
  useKernel,
} from "../conformance/harness.ts";
import type { Monitor, Verdict } from "../sim/world.ts";
import { settleVerdict } from "./check_case.ts";
import { kernelInvariants } from "./kernel_invariants.ts";
import { NoLostRequests } from "./no_lost_requests.ts";
import { PageState } from "./page_state.ts";
import { DirtyState } from "./level2/dirty_state.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The body of the runnable conformance case `id name`. */
function body(id: string, name: string): TestBody {
  const c = ALL_CASES.find((c) => c.id === id && c.name === name);
  assert.ok(c !== undefined && !isSkipped(c), `no runnable case ${id} ${name}`);
  return c.body;
}

/** The first verdict that is not a pass over the harness seeds (else a pass). */
function verdictOf(b: TestBody, monitors: () => Monitor[] = kernelInvariants): Verdict {
  let last: Verdict | undefined;
  for (const seed of SEEDS) {
    const ms = monitors();
    last = settleVerdict(runChecked(b, seed, ms), ms);
    if (last.kind !== "pass") return last;
  }
  return last!;
}

function assertPass(v: Verdict): void {
  assert.equal(v.kind, "pass", JSON.stringify(v));
}

function assertFires(v: Verdict, invariant: string, message: RegExp): void {
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  if (v.kind !== "invariant") return;
  assert.equal(v.invariant, invariant, v.message);
  assert.match(v.message, message);
}

/** Runs `fn` against kernels `patch` changed (given the world's event sink), then the model again. */
function withKernel<T>(patch: (k: Kernel, sink: EventSink) => void, fn: () => T): T {
  useKernel((options: KernelOptions) => {
    const k = new Kernel(options);
    patch(k, options.sink ?? { emit() {} });
    return k;
  });
  try {
    return fn();
  } finally {
    useKernel(undefined);
  }
}

/**
 * A kernel patch: the `name` calls `when` picks (by their arguments) end with `map(status)`
 * instead, in the result the thread sees and in the `ret` event the checkers see.
 */
function rewriteStatus(
  name: string,
  map: (status: Status) => Status,
  when: (k: Kernel, args: Any[]) => boolean = () => true,
): (k: Kernel, sink: EventSink) => void {
  return (k, sink) => {
    const rewriting = new Set<number>();
    const emit = sink.emit.bind(sink);
    sink.emit = (e: KernelEvent) =>
      emit(
        e.k === "ret" && e.name === name && rewriting.has(e.tid)
          ? { ...e, status: map(e.status) }
          : e,
      );
    const orig = (k as Any)[name];
    (k as Any)[name] = function* (t: KernelThread, ...args: Any[]) {
      const on = when(k, args);
      if (on) rewriting.add(t.tid);
      try {
        const r = yield* orig.call(k, t, ...args);
        if (!on) return r;
        return Array.isArray(r) ? [map(r[0]), ...r.slice(1)] : map(r);
      } finally {
        rewriting.delete(t.tid);
      }
    };
  };
}

// ---------------------------------------------------------------- page-state

Deno.test("page-state: a write pin of an AwaitingClean page makes it Dirty (WX7 WritePinAwaitingCleanNoTrapDirty)", () => {
  // `PrepareForWriteLocked` without TRAP_DIRTY marks every page of the run that is not Dirty.
  // page-state alone: dirty-state's K17 is left to its own rule (properties/level2/dirty_state.ts).
  assertPass(verdictOf(body("WX7", "WritePinAwaitingCleanNoTrapDirty"), () => [new PageState()]));
});

Deno.test("page-state K26 and dirty-state K17: a read pin that dirties an AwaitingClean page still fires", () => {
  const b = body("WX6", "ReadPinAwaitingCleanNoTrapDirty");
  assertPass(verdictOf(b, () => [new PageState()]));
  const readPinDirties = (k: Kernel) => {
    const orig = (k as Any).zx_bti_pin;
    (k as Any).zx_bti_pin = function* (t: KernelThread, ...args: Any[]) {
      const r = yield* orig.call(k, t, ...args);
      const vmo = k.handles.entry(args[2])?.object as Vmo | undefined;
      if ((args[1] & ZX_BTI_PERM_WRITE) === 0 && vmo !== undefined) {
        for (const s of vmo.slots) {
          if (s instanceof Page && s.state === "awaiting-clean") s.state = "dirty";
        }
      }
      return r;
    };
  };
  const v = withKernel(readPinDirties, () => verdictOf(b, () => [new PageState()]));
  assertFires(v, "page-state", /^K26: vmo\d+ page 0 went from awaiting-clean to dirty$/);
  const d = withKernel(readPinDirties, () => verdictOf(b, () => [new DirtyState()]));
  assertFires(d, "dirty-state", /^K17: vmo\d+ page 0 went from awaiting-clean to dirty /);
});

Deno.test("page-state K13: a pinned Clean page stays after detach (PX8 PagerDetachPinned)", () => {
  // Masked by data-integrity before OWN_CONTENT_CASES left it out of this case's run.
  assertPass(verdictOf(body("PX8", "PagerDetachPinned"), () => [new PageState()]));
});

Deno.test("page-state K13: a detach that keeps an unpinned Clean page still fires", () => {
  const keepsClean = (k: Kernel) => {
    const orig = (k as Any).zx_pager_detach_vmo;
    (k as Any).zx_pager_detach_vmo = function* (t: KernelThread, ...args: Any[]) {
      const vmo = k.handles.entry(args[1])?.object as Vmo | undefined;
      const kept = vmo?.slots.map((s) => s instanceof Page && s.state === "clean" ? s : undefined);
      const r = yield* orig.call(k, t, ...args);
      kept?.forEach((s, p) => {
        if (s !== undefined && vmo !== undefined && !vmo.pins.has(p)) vmo.slots[p] = s;
      });
      return r;
    };
  };
  const v = withKernel(
    keepsClean,
    () => verdictOf(body("P23", "DecommitOnDetachTestVmo"), () => [new PageState()]),
  );
  assertFires(v, "page-state", /^K13: vmo\d+ page \d+ is clean after detach$/);
});

// ---------------------------------------------------------------- detached-access

Deno.test("detached-access: a commit the detach wakes with its OP_FAIL code returns it (A13 DetachAfterPartialFail)", () => {
  assertPass(verdictOf(body("A13", "DetachAfterPartialFail")));
});

Deno.test("detached-access K12: a detach-woken commit returning another pager error still fires", () => {
  const toIntegrity = rewriteStatus(
    "zx_vmo_op_range",
    (st) => st === ZX_ERR_IO ? ZX_ERR_IO_DATA_INTEGRITY : st,
  );
  const v = withKernel(toIntegrity, () => verdictOf(body("A13", "DetachAfterPartialFail")));
  assertFires(
    v,
    "detached-access",
    /^K12: t\d+ zx_vmo_op_range on detached vmo\d+ returned ZX_ERR_IO_DATA_INTEGRITY$/,
  );
});

Deno.test("detached-access K12: a detach that wakes a waiter with a code no OP_FAIL passed still fires", () => {
  // The detach signals every waiter with ZX_ERR_IO, though no OP_FAIL ran.
  const commitThenDetach: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    t.committer(vmo, 0, 1);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.detach(vmo);
    yield* t.waitForPageComplete(vmo);
  };
  assertPass(verdictOf(commitThenDetach));
  const orig = PageSource.prototype.detach;
  PageSource.prototype.detach = function (this: PageSource) {
    for (const r of this.outstanding("READ")) for (const w of r.waiters()) w.error = ZX_ERR_IO;
    orig.call(this);
  };
  try {
    assertFires(
      verdictOf(commitThenDetach),
      "detached-access",
      /^K12: t\d+ zx_vmo_op_range on detached vmo\d+ returned ZX_ERR_IO$/,
    );
  } finally {
    PageSource.prototype.detach = orig;
  }
});

// ---------------------------------------------------------------- no-lost-requests

Deno.test("no-lost-requests: a clone's fault answers for its root's detach (P23 DecommitOnDetachTestVmar, P38 CloneDetachTest)", () => {
  assertPass(verdictOf(body("P23", "DecommitOnDetachTestVmar")));
  assertPass(verdictOf(body("P38", "CloneDetachTest")));
});

Deno.test("no-lost-requests documented-errors: a clone's BAD_STATE fault with its root attached still fires", () => {
  // Another VMO is detached; the clone's root is not, yet its page source answers BAD_STATE.
  const cloneFault: TestBody = function* (t) {
    const other = yield* t.vmo(1);
    yield* t.detach(other);
    yield* t.waitForPageComplete(other);
    const vmo = yield* t.vmo(1);
    const clone = yield* child(t, vmo, 1);
    yield* t.waitForExit(t.reader(clone, 0, 1, "vmar"));
  };
  const orig = PageSource.prototype.populate;
  PageSource.prototype.populate = function (this: PageSource, ...args: Any[]) {
    return this.detached ? (orig as Any).apply(this, args) : ZX_ERR_BAD_STATE;
  };
  try {
    // syscall-contract's K14 judges such a fault too: the rule is judged alone.
    assertFires(
      verdictOf(cloneFault, () => [new NoLostRequests()]),
      "no-lost-requests",
      /^documented-errors: t\d+ "read\[0,1\)": fatal page fault at 0x[0-9a-f]+ ended with ZX_ERR_BAD_STATE, which nothing explains$/,
    );
  } finally {
    PageSource.prototype.populate = orig;
  }
});

Deno.test("no-lost-requests: a write's pager-backed source answers for its error (W77 ModifiedOnPartialVmoWriteNoTrapDirty)", () => {
  assertPass(verdictOf(body("W77", "ModifiedOnPartialVmoWriteNoTrapDirty")));
});

Deno.test("no-lost-requests documented-errors: a user-buffer write failing with a code only another VMO was failed with still fires", () => {
  const writeFromBuffer: TestBody = function* (t) {
    const other = yield* t.vmo(1);
    yield* t.failPages(other, 0, 1, ZX_ERR_IO);
    const src = yield* t.vmo(1);
    yield* t.supplyOk(src, 0, 1);
    const dst = yield* t.vmo(1);
    yield* t.supplyOk(dst, 0, 1);
    yield* t.sys.vmoWrite(dst.handle, new Uint8Array(PAGE), 0, src.addr);
  };
  assertPass(verdictOf(writeFromBuffer));
  const bufferWritesFail = rewriteStatus(
    "zx_vmo_write",
    () => ZX_ERR_IO,
    (_k, a) => a[3] !== undefined,
  );
  // syscall-contract's K14 judges such a write too: the rule is judged alone.
  assertFires(
    withKernel(bufferWritesFail, () => verdictOf(writeFromBuffer, () => [new NoLostRequests()])),
    "no-lost-requests",
    /^documented-errors: t1 "main": zx_vmo_write ended with ZX_ERR_IO, which nothing explains$/,
  );
});

Deno.test("no-lost-requests: a write through a handle without WRITE is ACCESS_DENIED (S7 SnapshotReadOnlyVmo)", () => {
  assertPass(verdictOf(body("S7", "SnapshotReadOnlyVmo")));
});

Deno.test("no-lost-requests documented-errors: ACCESS_DENIED through a handle holding the right still fires", () => {
  const write: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.sys.vmoWrite(vmo.handle, new Uint8Array(8), 0);
  };
  assertPass(verdictOf(write));
  // Only writes to pager VMOs: the harness fills supplies' aux VMOs with zx_vmo_write.
  const denied = rewriteStatus(
    "zx_vmo_write",
    () => ZX_ERR_ACCESS_DENIED,
    (k, a) => (k.handles.entry(a[0])?.object as Vmo | undefined)?.source != null,
  );
  assertFires(
    withKernel(denied, () => verdictOf(write)),
    "no-lost-requests",
    /^documented-errors: t1 "main": zx_vmo_write ended with ZX_ERR_ACCESS_DENIED, which nothing explains$/,
  );
});

Deno.test("no-lost-requests: zx_vmar_map into a destroyed sub-region is BAD_STATE (A20 UnmapDestroysWholeSubRegion)", () => {
  assertPass(verdictOf(body("A20", "UnmapDestroysWholeSubRegion")));
});

Deno.test("no-lost-requests documented-errors: BAD_STATE from zx_vmar_map into a live sub-region still fires", () => {
  const mapIntoRegion: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    const [, sub] = yield* t.sys.vmarAllocate(
      t.sys.rootVmar,
      ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_SPECIFIC,
      0,
      4 * PAGE,
    );
    yield* t.sys.vmarMap(sub, ZX_VM_PERM_READ, 0, vmo.handle, 0, PAGE);
  };
  assertPass(verdictOf(mapIntoRegion));
  const intoSubRegion = rewriteStatus(
    "zx_vmar_map",
    (st) => st === ZX_OK ? ZX_ERR_BAD_STATE : st,
    (k, a) => a[0] !== k.rootVmarHandle,
  );
  assertFires(
    withKernel(intoSubRegion, () => verdictOf(mapIntoRegion)),
    "no-lost-requests",
    /^documented-errors: t1 "main": zx_vmar_map ended with ZX_ERR_BAD_STATE, which nothing explains$/,
  );
});

Deno.test("dirty-state: a write pin of an AwaitingClean page makes it Dirty (WX7 WritePinAwaitingCleanNoTrapDirty)", () => {
  assertPass(verdictOf(body("WX7", "WritePinAwaitingCleanNoTrapDirty")));
});

Deno.test("the kernel checkers find nothing in any runnable Zircon case but data-integrity's in the cases that supply bytes of their own, and nothing else there", () => {
  // data-integrity judges supplied content against the backing store the reference services
  // serve; a case that supplies bytes of its own (zero markers, patterns) is no such pager.
  const other: string[] = [];
  const dataIntegrity: string[] = [];
  for (const c of ALL_CASES) {
    if (isSkipped(c)) continue;
    const ms = kernelInvariants();
    const v = settleVerdict(runChecked(c.body, 1, ms), ms);
    if (v.kind === "pass") continue;
    if (v.kind === "invariant" && v.invariant === "data-integrity") {
      dataIntegrity.push(`${c.id} ${c.name}`);
    } else other.push(`${c.id} ${c.name}: ${JSON.stringify(v).slice(0, 200)}`);
  }
  assert.deepEqual(other, []);
  assert.deepEqual(dataIntegrity.sort(), [...OWN_CONTENT_CASES].sort());
  // Without data-integrity, those pass too (the campaign judge's conformance probes run so).
  for (const name of OWN_CONTENT_CASES) {
    const ms = kernelInvariants().filter((m) => m.name !== "data-integrity");
    const [id, caseName] = name.split(" ");
    assertPass(settleVerdict(runChecked(body(id, caseName), 1, ms), ms));
  }
});
