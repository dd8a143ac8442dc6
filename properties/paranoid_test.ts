// The incremental checkers and `--paranoid` (every page, every step) agree: same verdict, same
// message, same step, on a sample of the corpus and on random cases under every zoo kernel bug;
// and paranoid mode is not vacuous: a byte changed behind every event and access is caught there.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { Kernel, type KernelOptions, type Syscall } from "../kernel/kernel.ts";
import type { CallArgs as In, CallImpl as Out } from "../kernel/syscalls.ts";
import type { KernelThread, Page } from "../kernel/objects.ts";
import { parseScenario } from "../scenario/schema.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { replayWith } from "../case/replay.ts";
import { readCaseFile, readCorpus, resolveContext } from "../case/store.ts";
import { bug, ZOO_IDS } from "../zoo/registry.ts";
import { BUGGY_SERVICES } from "../zoo/buggy_services.ts";
import { scenarioArbitrary } from "./arbitraries.ts";
import { checkCase } from "./check_case.ts";

const CORPUS = new URL("../corpus", import.meta.url).pathname;

/** Every other corpus case (CI's sample): paranoid replay gives the same verdict at the same step. */
Deno.test("a sample of the corpus replays to the same verdict, message and step under --paranoid", async () => {
  const { cases } = await readCorpus(CORPUS);
  const sample = cases.filter((c, i) => c.case.kind === "scenario" && i % 2 === 0);
  assert.ok(sample.length >= 10, `only ${sample.length} cases sampled`);
  for (const { file, case: c } of sample) {
    const ctx = await resolveContext(c, file);
    const fast = replayWith(c, ctx);
    const paranoid = replayWith(c, {
      ...ctx,
      monitors: scenarioCheckers(c.checkers, { paranoid: true }),
    });
    assert.deepEqual(paranoid.run.verdict, fast.run.verdict, file);
    assert.equal(paranoid.traceHash, fast.traceHash, file);
  }
});

/**
 * A COMMIT parks, its only handle is closed, and the resumed call makes an OP_ZERO'd page Dirty:
 * dirty-state must judge that change in the step the call returns, as --paranoid does (it once
 * looked the closed handle up again, skipped the VMO, and blamed the next step's supply: K17).
 */
Deno.test("a parked call whose handle closes: its change is judged where it returns, as under --paranoid", async () => {
  const file = `${CORPUS}/regress-k17-commit-zero-page-closed-handle.json`;
  const c = await readCaseFile(file);
  const ctx = await resolveContext(c, file);
  const fast = replayWith(c, ctx);
  const paranoid = replayWith(c, {
    ...ctx,
    monitors: scenarioCheckers(c.checkers, { paranoid: true }),
  });
  assert.equal(fast.run.verdict.kind, "pass", JSON.stringify(fast.run.verdict));
  assert.deepEqual(fast.run.verdict, paranoid.run.verdict);
  assert.match(JSON.stringify(c.input), /"do":"closeVmo"/, "the case closes the VMO's handle");
});

Deno.test("random cases under every zoo bug: incremental and paranoid checkers give one verdict", () => {
  const custom = Object.keys(BUGGY_SERVICES);
  const cases = fc.sample(
    fc.tuple(
      scenarioArbitrary({
        maxThreads: 4,
        maxOps: 4,
        maxVmos: 3,
        maxPages: 5,
        maxEvents: 3,
        customServices: custom,
      }),
      fc.array(fc.nat(7), { maxLength: 60 }),
      fc.nat(100_000),
      fc.nat(ZOO_IDS.length),
    ),
    { seed: 20261202, numRuns: 150 },
  );
  let failed = 0;
  for (const [scenario, decisions, seed, z] of cases) {
    const zoo = z < ZOO_IDS.length ? bug(ZOO_IDS[z]) : undefined;
    const run = (paranoid: boolean) =>
      checkCase({ scenario, decisions, seed }, {
        monitors: scenarioCheckers("kernel", { paranoid }),
        services: { ...BUGGY_SERVICES, ...zoo?.services },
        makeKernel: zoo?.kernel,
        keepTrace: false,
      }).verdict;
    const fast = run(false);
    const slow = run(true);
    if (fast.kind === "kernel-assertion" && slow.kind === "kernel-assertion") {
      assert.equal(slow.message, fast.message);
      assert.equal(slow.step, fast.step);
    } else assert.deepEqual(slow, fast, JSON.stringify({ scenario, decisions, seed, z }));
    if (fast.kind !== "pass") failed++;
  }
  assert.ok(failed >= 8, `only ${failed} of 150 cases failed: the comparison saw too few verdicts`);
});

/** A kernel that flips a byte of a present page through a reference kept from an earlier read. */
class StaleWriterKernel extends Kernel {
  #kept: Uint8Array | null = null;

  protected override *portWait(
    t: KernelThread,
    ...args: In<"zx_port_wait">
  ): Syscall<Out<"zx_port_wait">> {
    const r = yield* super.portWait(t, ...args);
    const page = this.pagerVmos[0]?.slots.find((s) => s !== undefined && "peek" in s) as
      | Page
      | undefined;
    // First wait after a page exists: keep its bytes; any later wait: write through them.
    if (this.#kept !== null) this.#kept[3] ^= 0x11;
    else if (page !== undefined) this.#kept = page.peek();
    return r;
  }
}

Deno.test("--paranoid finds a byte changed behind every event and access at the step it changed", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 3 }],
    threads: [{
      name: "r",
      ops: [
        { op: "read", vmo: "a", page: 0 },
        { op: "read", vmo: "a", page: 1 },
        { op: "read", vmo: "a", page: 2 },
      ],
    }],
  });
  const run = (paranoid: boolean) =>
    checkCase({ scenario, decisions: [], seed: 1 }, {
      monitors: scenarioCheckers("kernel", { paranoid }),
      makeKernel: (o: KernelOptions) => new StaleWriterKernel(o),
      keepTrace: false,
    }).verdict;
  const slow = run(true);
  assert.equal(slow.kind, "invariant", JSON.stringify(slow));
  if (slow.kind !== "invariant") return;
  assert.equal(slow.invariant, "page-state");
  assert.match(slow.message, /^K26: vmo\d+ page 0 bytes changed without a write$/);
  // Without paranoid mode nothing names that page in that step: it is found later, or by a read.
  const fast = run(false);
  assert.ok(fast.kind === "pass" || fast.step > slow.step, JSON.stringify(fast));
});
