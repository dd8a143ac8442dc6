// userS27k's kernel variants (case/testdata/userS27k, a kernel engineer's README-only trial of
// `--kernel MODULE`).
// 1. va_fail_midrange_ok.ts takes an OP_FAIL whose range starts past page 0 of the VMO for a
//    supply (its readers woken ZX_OK). On fail_half_page1.json seed 3 the reader of page 1
//    (request [1,2)) was woken ZX_OK by an OP_FAIL [1,2) with ZX_ERR_IO, asked again, was
//    supplied and read ZX_OK: a pass. Upstream ResolveRequestsLocked fails a request whose first
//    page the range covers, so the reader gets ZX_ERR_IO; syscall-contract K14w judged the wake
//    only when an earlier OP_FAIL had failed the reader, and the reader's new request cleared
//    the error the OP_FAIL recorded at its return. On fail_page1(_write).json the same variant
//    was a no-lost-requests hang at step 25000 (the reader re-asked a pager that fails it once).
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { makeKernel as va } from "./testdata/userS27k/va_fail_midrange_ok.ts";
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../mod.ts";
import { neverYielded, type StuckAt } from "../sim/stuck.ts";
import { describeVerdict } from "../sim/world.ts";

const data = (f: string) => new URL(`./testdata/userS27k/${f}`, import.meta.url).pathname;
const HALF = await loadScenarioFile(data("fail_half_page1.json"));
const PAGE1 = await loadScenarioFile(data("fail_page1.json"));
const PAGE1_WRITE = await loadScenarioFile(data("fail_page1_write.json"));

type Make = typeof va;

function verdict(scenario: typeof HALF, seed: number, make?: Make) {
  return runScenario(scenario, { seed, monitors: kernelInvariants(), makeKernel: make }).verdict;
}

Deno.test("va_fail_midrange_ok: a reader woken ZX_OK by an OP_FAIL of its request's first page is K14w's at that step", () => {
  const v = verdict(HALF, 3, va);
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract");
  assert.equal(v.step, 3, "at the OP_FAIL's step");
  assert.equal(
    v.message,
    "K14w: t2 zx_vmo_read of vmo1005 parked at page 1, which OP_FAIL [64, +64) failed with " +
      "ZX_ERR_IO; it was woken (complete) with ZX_OK",
  );
  for (
    const [name, s, call] of [
      ["fail_page1", PAGE1, "zx_vmo_read"],
      ["fail_page1_write", PAGE1_WRITE, "zx_vmo_write"],
    ] as const
  ) {
    const w = verdict(s, 3, va);
    assert.ok(w.kind === "invariant", `${name}: ${JSON.stringify(w)}`);
    assert.equal(w.invariant, "syscall-contract", `${name}: ${w.message}`);
    assert.equal(w.step, 3, `${name}: at the fail step, not a late hang`);
    assert.match(w.message, new RegExp(`^K14w: t2 ${call} of vmo1005 parked at page 1`));
  }
});

Deno.test("va's scenarios pass on the model (no false alarm from the wake judged at OP_FAIL)", () => {
  for (const [name, s] of [["fail_half_page1", HALF], ["fail_page1", PAGE1]] as const) {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const v = verdict(s, seed);
      assert.equal(v.kind, "pass", `${name} seed ${seed}: ${JSON.stringify(v)}`);
    }
  }
});

// 2. vh_hostile.ts spins forever in onPagesSupplied of a supply of 3 pages or more (vh_spin.json,
//    the fuzz campaign's case, seed 1518110111, decisions 0,0,0): the hang was reported as
//    "t1 at step 8 never yielded, in the service's body", though the loop is the variant's, run
//    inside zx_pager_supply_pages. The world now tells its watch when a thread is inside a
//    syscall, and the report names the kernel. (The variant itself is not run here: it never
//    returns; a variant that records the watch's last word in the same place stands in for it.)
const SPIN = await loadScenarioFile(data("vh_spin.json"));

class SnoopSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    if (end - start >= 3) seen.push(watched[watched.length - 1] ?? null);
    super.onPagesSupplied(start, end);
  }
}
class SnoopKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SnoopSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}
const watched: StuckAt[] = [];
const seen: (StuckAt | null)[] = [];

Deno.test("vh_hostile: a thread that never returns from a supply is named inside the kernel, the variant's code", () => {
  seen.length = 0;
  watched.length = 0;
  runScenario(SPIN, {
    seed: 1518110111,
    decisions: [0, 0, 0],
    monitors: kernelInvariants(),
    makeKernel: (o: KernelOptions) => new SnoopKernel(o),
    watch: (step, tid, entry) => {
      watched.push({ step, tid, entry });
    },
  });
  const at = seen[0];
  assert.ok(at !== null && at !== undefined, "the 3-page supply ran");
  assert.equal(at.step, 8);
  assert.equal(
    neverYielded(at, undefined, "vh_hostile.ts"),
    "t1 at step 8 never yielded, in the kernel, inside zx_pager_supply_pages (the kernel " +
      "variant's code, vh_hostile.ts; called from the service's body (the service function " +
      "each service thread runs)), not the caller's code",
  );
  assert.match(neverYielded(at, undefined, null), /the kernel model's code: no --kernel variant/);
  // Back in the service's code once the supply returns: the next word for t1 is the service's.
  const after = watched.slice(watched.indexOf(at) + 1).find((w) => w.tid === at.tid);
  assert.ok(after !== undefined);
  assert.equal(after.entry, 1, "the service's body, outside the kernel");
});

// 3. Without checkers, va_fail_midrange_ok.ts on fail_page1.json never lets the reader finish
//    (each OP_FAIL of page 1 wakes it ZX_OK, it asks again): the liveness budget ran out with
//    "(liveness.bound; raise it if the service is slow but correct)" and "t2 "r1" waits on vmo
//    1005: nothing". With a kernel variant loaded the hint names the kernel as a possible cause,
//    and a woken, not yet run thread says so.
Deno.test("va_fail_midrange_ok: a livelock under a kernel variant is not blamed on a slow service alone, and says what the reader does", () => {
  const r = runScenario(PAGE1, { seed: 1, makeKernel: va, keepTrace: false });
  assert.equal(r.verdict.kind, "hang");
  const text = describeVerdict(r.verdict);
  assert.match(text, /^liveness budget exhausted at step 25000/);
  assert.match(text, /a kernel variant is loaded, and the kernel may be what keeps the workload/);
  assert.doesNotMatch(text, /: nothing/);
  assert.match(
    text,
    /t2 "r1" waits on nothing now: woken from its wait on vmo 1005 \(its request resolved\), runnable and not yet run again$/,
  );
  // The model on the same scenario finishes; a liveness stop without a variant keeps its hint.
  assert.equal(runScenario(PAGE1, { seed: 1 }).verdict.kind, "pass");
  assert.match(
    describeVerdict({
      kind: "hang",
      step: 9,
      blocked: [],
      unfinished: { afterSteps: 1, bound: 8, runnable: [1] },
    }),
    /raise it if the service is slow but correct\), with t1 still runnable$/,
  );
});

// 1b. The same variant under a page fault (va_fault.json, from a fuzz campaign on it: a
//     mem_read of a mapped pager VMO): each OP_FAIL of the fault's page woke it ZX_OK, it
//     refaulted, and the run was a liveness stop; K14w judged reads and writes only. A fault's
//     or commit's wait whose request's first page an OP_FAIL fails is woken with the error.
const FAULT = await loadScenarioFile(data("va_fault.json"));

Deno.test("va_fail_midrange_ok: a page fault woken ZX_OK by an OP_FAIL of its request's first page is K14w's", () => {
  const v = runScenario(FAULT, {
    seed: 348316124,
    decisions: [],
    monitors: kernelInvariants(),
    makeKernel: va,
  }).verdict;
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.step, 5);
  assert.equal(
    v.message,
    "K14w: t2 mem_read parked as the primary of a request whose first page OP_FAIL " +
      "[11072, +64) failed with ZX_ERR_IO; it was woken (complete) with ZX_OK",
  );
  const m = runScenario(FAULT, { seed: 348316124, decisions: [], monitors: kernelInvariants() });
  assert.notEqual(m.verdict.kind, "invariant", JSON.stringify(m.verdict));
});

// 2. PagerProxy.complete() asserted that no request was left in the VMO's FIFO (K6). vc2 (detach
//    skips the withdraws, the proxy's `withdraw` wrapped) and vc (its PageSource.detach calls
//    complete() before super.detach(), "COMPLETE before withdraw") ended in that assertion on
//    seed 12 of detach_three_readers.json, two requests queued behind the port's packet: a
//    kernel-assertion crash, not a checker's verdict. complete() now queues COMPLETE behind what
//    is queued: vc2's left packet is packet-discipline's K6, and vc's port sees the model's
//    packets (the withdraws still come before COMPLETE leaves the FIFO; docs/kernel_variants.md).
import { makeKernel as vc2 } from "./testdata/userS27k/vc2_detach_no_withdraw.ts";
import { makeKernel as vc } from "./testdata/userS27k/vc_complete_first.ts";
const THREE = await loadScenarioFile(data("detach_three_readers.json"));

Deno.test("vc2/vc: COMPLETE queued with requests still in the FIFO is the checker's verdict, not a kernel assertion", () => {
  const run = (make?: Make) =>
    runScenario(THREE, { seed: 12, monitors: kernelInvariants(), makeKernel: make });
  const v = run(vc2).verdict;
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "packet-discipline");
  assert.equal(v.message, "K6: vmo1005 packet #1 not withdrawn at detach");
  const model = run();
  assert.equal(model.verdict.kind, "pass");
  const first = run(vc);
  assert.equal(first.verdict.kind, "pass", JSON.stringify(first.verdict));
  // The pager sees the model's packets, in its order; only t4's wake moves after COMPLETE's
  // queueing, inside the same detach step.
  const port = (r: typeof model) => r.trace.text().split("\n").filter((l) => /port1004/.test(l));
  assert.deepEqual(port(first), port(model));
  assert.notEqual(first.traceHash, model.traceHash);
});
