/**
 * The two judges of a mutant, run in process inside the instrumented copy of
 * the project (the worker imports this module from the copy, so every
 * `../kernel/...` import below resolves to the instrumented kernel).
 *
 * - `tests`: the fast test files, loaded under a `Deno.test` shim that
 *   collects their tests (and `t.step` steps) instead of registering them.
 * - `campaign`: a fixed, seeded budget of campaign runs (portfolio + swarm),
 *   exhaustive exploration of the small scenarios in `explore/testdata`, and
 *   Zircon's pager tests (`conformance/`) as workloads with their expectations
 *   left out, judged only by the checkers: a run fails when its settled
 *   verdict is not `pass`.
 *
 * Each judge is a list of probes with stable ids; a probe is the unit of
 * per-test coverage (`__stryker__.hits`), so a mutant runs only the
 * probes that reached its code in the unmutated coverage run.
 *
 * @module
 */

import { clonePinShrinkProgram, gap32cEdgesProgram } from "../program/probes32c.ts";
import { vmarOpThenCloseProgram, zeroPinnedShrinkProgram } from "../program/probes33.ts";
import {
  cloneSlicePinProgram,
  loanReclaimPinProgram,
  referenceResizeProgram,
  sliceUnpinDetachProgram,
  suspendRunOnProgram,
  userReadPagesProgram,
} from "../program/probes34.ts";
import { clonePartialZeroProgram, cloneTakenChildProgram } from "../program/probes34a.ts";
import { contiguousReadBackProgram, userBufferU64Program } from "../program/probes34f.ts";
import {
  btiClosedWhilePinningProgram,
  detachThenCloseProgram,
  emptyDirtyEndProgram,
} from "../program/probes357.ts";
import { firstStepRun, TouchMemo } from "../properties/touch_memo.ts";
import { executePlan, planRun, PORTFOLIO } from "../fuzz/campaign.ts";
import { programStrategy } from "../fuzz/programs/campaign.ts";
import {
  childHeldByReadProgram,
  cloneChainReadRunProgram,
  clonePinShouldWaitProgram,
  cloneShrinkGrowProgram,
  contiguousZeroLentProgram,
  deadPortWaitProgram,
  destroyedRegionChildProgram,
  dirtyOutsideProgram,
  executeRegionsProgram,
  failedPinShrinkProgram,
  gap30EdgesProgram,
  gap32aEdgesProgram,
  generateProgram,
  heirInFifoProgram,
  hintPlainProgram,
  hintThenCloseProgram,
  loanPinUnloanProgram,
  mappedChildDeathProgram,
  numChildrenDeathProgram,
  portLimitProgram,
  quarantinedPinProgram,
  queryDirtyEdgesProgram,
  readOnlyStoreProgram,
  regionRemnantsProgram,
  relookAfterUserFaultProgram,
  rngDraw,
  shard4EdgesProgram,
  shard5EdgesProgram,
  shard6EdgesProgram,
  shrinkOverPinProgram,
  sizeEdgesProgram,
  sliceFaultProgram,
  sliceFaultWaitProgram,
  slicePinZeroProgram,
  supplyContiguousAuxProgram,
  timedOutHeirProgram,
  triage31aEdgesProgram,
  unmapBetweenRegionsProgram,
  userWriteOffsetProgram,
  zeroPinnedFirstPageProgram,
} from "../program/generate.ts";
import { earlyWakeEndProgram, gap32bEdgesProgram } from "../program/probes32b.ts";
import { programMonitors, runProgram } from "../program/run.ts";
import { makeRng } from "../sim/rng.ts";
import { generateScenario } from "../scenario/generate.ts";
import { checkersOf } from "../case/kinds.ts";
import { explore } from "../explore/explore.ts";
import { parseScenario } from "../scenario/schema.ts";
import { checkCase, settleVerdict } from "../properties/check_case.ts";
import { ReadContent } from "../properties/read_content.ts";
import { shareJournal } from "../properties/_step_monitor.ts";
import { ALL_CASES, OWN_CONTENT_CASES } from "../conformance/cases.ts";
import { isSkipped, runChecked } from "../conformance/harness.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";
import { suspendedUsercopyWoken } from "./suspend_woken_probe.ts";
import type { Monitor, Verdict } from "../sim/world.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { serviceObligations } from "../properties/service_obligations.ts";
import { strykerNs } from "./ns.ts";

/** Which judge. */
export type JudgeName = "tests" | "campaign";

/** The judges, in the order a mutant meets them. */
export const JUDGES: readonly JudgeName[] = ["tests", "campaign"];

/** The test files of the `tests` judge, relative to the project root. */
export const TEST_DIRS = ["kernel", "services", "conformance"] as const;

/**
 * Test files of the `tests` judge outside TEST_DIRS: the corpus replay (every case's verdict and
 * trace hash, a step per case), which `deno task test` runs and which sees what only a trace hash
 * shows (an event's text or order).
 */
export const TEST_FILES = ["case/corpus_replay_test.ts"] as const;

/** The campaign judge's fixed budget. */
export const CAMPAIGN_BUDGET = {
  /** Campaign seed. */
  seed: 1,
  /** Runs 0..runs-1 of the campaign. */
  runs: 300,
  /**
   * Fresh random programs (`deno task fuzz --mode programs`, unguided, portfolio schedules):
   * the syscall surface the scenario campaign never calls (VMAR calls, handle and object
   * calls, garbage arguments), judged by the kernel invariants and the programs' own
   * contract oracles.
   */
  programs: 300,
  /**
   * Seeded runs (`deno task run --scenario FILE --seed K`, K in 0..seeds-1) of each scenario in
   * `mutate/scenarios/`: small workloads the campaign's generator seldom draws and exploration
   * cannot afford (a flaky service's per-page draws), such as several early-wake readers
   * waiting inside one request while it is supplied and failed page by page.
   */
  scenarioSeeds: 100,
  /** Seeded runs of each runnable conformance case (`conformance/cases.ts`), checkers only. */
  conformanceSeeds: 1,
  /** Preemption bound of the exhaustive exploration of `explore/testdata/*.json`. */
  preemptions: 1,
  /**
   * Explorations searched to a lower bound than {@linkcode CAMPAIGN_BUDGET.preemptions}, by probe
   * id. `explore:disjoint_pages` at bound 1 is 8,286 executions, the judge's costliest probe (~24 s
   * of a loaded core, paid by every mutant it reaches that survives), and in the journals under
   * docs/ it never killed a mutant: at bound 0, 852 executions (session 34, ci200).
   */
  explorationBounds: { "explore:disjoint_pages": 0 } as Readonly<Record<string, number>>,
  /** Executions after which an exploration stops (a mutant that blows up the state space). */
  maxSchedules: 20_000,
  /**
   * Weights above the syscall table's for calls program fuzzing draws rarely (weight 1 there):
   * sub-regions and BTI pinning, so their code is judged, and clones (every program drawn with
   * them passes unmutated: `mutate_test.ts`).
   */
  programWeights: {
    zx_vmar_allocate: 3,
    zx_vmar_destroy: 2,
    zx_bti_create: 2,
    zx_bti_pin: 3,
    zx_pmt_unpin: 2,
    // Clones, slices and references: 28 calls in 300 programs at the table's weight.
    zx_vmo_create_child: 6,
    // Signal waits on ports (weight 0 in the table: outside the default program corpus).
    zx_object_wait_async: 4,
  },
  /**
   * One program in this many ends one thread with a sub-region laid out by hand
   * (`GenerateOptions.regionLayouts`): adjacent, overlapping and replaced SPECIFIC mappings,
   * walked by op_range and protect, and a destroyed region, which random draws seldom make.
   */
  programRegionLayouts: 3,
  /**
   * One program in this many starts one thread with pins laid out by hand
   * (`GenerateOptions.pinLayouts`): VMOs no pager backs pinned with every option word the call
   * takes, through handles with and without the rights the permissions need.
   */
  programPinLayouts: 3,
  /**
   * One program in this many starts one thread with an event signalled and waited on by hand
   * (`GenerateOptions.signalLayouts`): what the waits observe, against the program's own
   * record of the event's signals.
   */
  programSignalLayouts: 3,
  /**
   * One program in this many runs with allocation failures injected into its threads' calls, at
   * `programAllocFailPercent` percent (what a campaign's `allocFailures` swarm runs do to
   * services): a failure must come after the call's argument checks (syscall-contract K27, and
   * the program contract's predictions of those checks).
   */
  programAllocFailures: 4,
  programAllocFailPercent: 20,
} as const;

/** One probe's outcome: `null` passes, a string says why it failed. */
export type ProbeResult = string | null;

/** A unit of judgement. */
export interface Probe {
  /** Stable id (the per-test coverage key). */
  readonly id: string;
  /** Runs it; `serviceMutant` turns on the service obligations where the baseline meets them. */
  run(ctx: ProbeContext): Promise<ProbeResult> | ProbeResult;
}

/** What a probe may know about the mutant it judges. */
export interface ProbeContext {
  /** The mutant lives in `services/`: add the service obligations. */
  readonly serviceMutant: boolean;
  /**
   * Campaign probes whose unmutated run breaks a service obligation by design: `ID#CHECKER`
   * exempts probe ID from that one obligation (the checker named CHECKER; the others still
   * judge it, {@linkcode probeCheckers}), a bare `ID` from every obligation (its unmutated run
   * fails otherwise than by an obligation's verdict).
   */
  readonly serviceExempt: ReadonlySet<string>;
  /** For the tests judge: the steps to run inside a test (all when absent). */
  readonly steps?: ReadonlySet<string>;
}

function verdictText(v: Verdict): string | null {
  switch (v.kind) {
    case "pass":
      return null;
    case "invariant":
      return `invariant:${v.invariant}`;
    default:
      return v.kind;
  }
}

/**
 * The checkers that judge campaign probe `id`: the kernel's alone for a kernel mutant; for a
 * service mutant the service obligations too, less those `ctx.serviceExempt` exempts it from
 * (`id#CHECKER`), or none of them if it exempts the whole probe (`id`). Exempting per obligation
 * keeps a run that breaks one by design (the detacher that closes its pager breaks P11) judged
 * by the others (P17: it never calls through the handle it closed).
 *
 * @example
 * ```ts
 * import { probeCheckers } from "./judges.ts";
 * const ctx = { serviceMutant: true, serviceExempt: new Set(["run:3#keeps-pager-open"]) };
 * const names = probeCheckers(ctx, "run:3")().map((m) => m.name);
 * console.assert(!names.includes("keeps-pager-open") && names.includes("uses-no-closed-handle"));
 * ```
 */
export function probeCheckers(ctx: ProbeContext, id: string): () => Monitor[] {
  if (!ctx.serviceMutant || ctx.serviceExempt.has(id)) return checkersOf("kernel");
  const dropped = SERVICE_OBLIGATION_NAMES.filter((n) => ctx.serviceExempt.has(`${id}#${n}`));
  if (dropped.length === 0) return checkersOf("kernel+service");
  return () =>
    shareJournal([
      ...serviceObligations().filter((m) => !dropped.includes(m.name)),
      ...kernelInvariants(),
    ]);
}

/** The names of the service obligations' checkers (what `ID#CHECKER` exemptions name). */
export const SERVICE_OBLIGATION_NAMES: readonly string[] = serviceObligations().map((m) => m.name);

// ---------------------------------------------------------------- campaign

/**
 * Program `k` of the campaign judge: drawn from its own stream, so each probe
 * is independent of the others (a mutant runs only the probes that reach it).
 */
export function judgeProgram(k: number) {
  const rng = makeRng(CAMPAIGN_BUDGET.seed, `mutate/program/${k}`);
  const program = generateProgram(rngDraw(rng), {
    weights: CAMPAIGN_BUDGET.programWeights,
    regionLayouts: CAMPAIGN_BUDGET.programRegionLayouts,
    pinLayouts: CAMPAIGN_BUDGET.programPinLayouts,
    signalLayouts: CAMPAIGN_BUDGET.programSignalLayouts,
  });
  const seed = rng.int(2 ** 31);
  const strategy = programStrategy(program, seed, PORTFOLIO[rng.int(PORTFOLIO.length)]);
  // Drawn last, so the programs, seeds and strategies are what they were without it.
  const allocFailPercent = rng.int(CAMPAIGN_BUDGET.programAllocFailures) === 0
    ? CAMPAIGN_BUDGET.programAllocFailPercent
    : 0;
  return { program, seed, strategy, allocFailPercent };
}

/**
 * The preemption bound the campaign judge's exploration probe `id` (`explore:NAME`) searches to.
 *
 * @example
 * ```ts
 * import { explorationBound } from "./judges.ts";
 * console.assert(explorationBound("explore:disjoint_pages") === 0);
 * console.assert(explorationBound("explore:bug_detach") === 1);
 * ```
 */
export function explorationBound(id: string): number {
  return CAMPAIGN_BUDGET.explorationBounds[id] ?? CAMPAIGN_BUDGET.preemptions;
}

/** The campaign judge's probes: `run:K`, `program:K`, `scenario:NAME:K` and `explore:NAME`. */
export function campaignProbes(root: URL): Probe[] {
  const probes: Probe[] = [];
  for (let k = 0; k < CAMPAIGN_BUDGET.runs; k++) {
    const id = `run:${k}`;
    probes.push({
      id,
      run(ctx) {
        const plan = planRun(CAMPAIGN_BUDGET.seed, k);
        // Without the joined readers campaigns draw since session 28: the probes stay as they were.
        const scenario = generateScenario(plan, undefined, { joinedReaders: false });
        const out = executePlan(plan, scenario, { monitors: probeCheckers(ctx, id) });
        return verdictText(out.verdict);
      },
    });
  }
  for (let k = 0; k < CAMPAIGN_BUDGET.programs; k++) {
    probes.push({
      id: `program:${k}`,
      run() {
        const { program, ...how } = judgeProgram(k);
        return verdictText(runProgram(program, { ...how, monitors: programMonitors }).verdict);
      },
    });
  }
  // A port filled to its packet limit (4,100 calls: no random program comes near), then the
  // kernel packets a full port must still take (`portLimitProgram`).
  probes.push({
    id: "program:port-limit",
    run() {
      return verdictText(
        runProgram(portLimitProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A contiguous VMO ZEROed over a page a DECOMMIT lent (`contiguousZeroLentProgram`): random
  // programs decommit a contiguous VMO and ZERO over the lent page almost never.
  probes.push({
    id: "program:contiguous-zero-lent",
    run() {
      return verdictText(
        runProgram(contiguousZeroLentProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A resizable VMO shrunk over a page a BTI pin holds (`shrinkOverPinProgram`): random programs
  // pin a resizable VMO and then shrink it almost never.
  probes.push({
    id: "program:shrink-over-pin",
    run() {
      return verdictText(
        runProgram(shrinkOverPinProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Size arguments exactly at the bound a syscall checks (`sizeEdgesProgram`).
  probes.push({
    id: "program:size-edges",
    run() {
      return verdictText(
        runProgram(sizeEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A ZERO whose first whole page is pinned, on a TRAP_DIRTY VMO nothing modified
  // (`zeroPinnedFirstPageProgram`): its DIRTY request comes before anything is zeroed, so the
  // stats flag stays clear (dirty-state K25).
  probes.push({
    id: "program:zero-pinned-first-page",
    run() {
      return verdictText(
        runProgram(zeroPinnedFirstPageProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // zx_pager_supply_pages from a contiguous aux VMO (`supplyContiguousAuxProgram`): NOT_SUPPORTED
  // before any range check; random programs supply from a contiguous VMO almost never.
  probes.push({
    id: "program:supply-contiguous-aux",
    run() {
      return verdictText(
        runProgram(supplyContiguousAuxProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // num_children across the death of a middle VMO (`numChildrenDeathProgram`): random programs
  // close a child with children of its own and then query its parent seldom.
  probes.push({
    id: "program:num-children-death",
    run() {
      return verdictText(
        runProgram(numChildrenDeathProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A child alive by its handle while another thread's read holds it (`childHeldByReadProgram`).
  probes.push({
    id: "program:child-held-by-read",
    run() {
      return verdictText(
        runProgram(childHeldByReadProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // An unmap of exactly a mapping flush between two sub-regions (`unmapBetweenRegionsProgram`).
  probes.push({
    id: "program:unmap-between-regions",
    run() {
      return verdictText(
        runProgram(unmapBetweenRegionsProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // zx_pager_query_dirty_ranges from a page offset over a Dirty page, and with each argument
  // garbage past its lookups (`queryDirtyEdgesProgram`).
  probes.push({
    id: "program:query-dirty-edges",
    run() {
      return verdictText(
        runProgram(queryDirtyEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Loads through a mapped slice a page into its pager VMO (`sliceFaultProgram`).
  probes.push({
    id: "program:slice-fault",
    run() {
      return verdictText(
        runProgram(sliceFaultProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Sub-regions asking for CAN_MAP_EXECUTE in regions made with and without it
  // (`executeRegionsProgram`).
  probes.push({
    id: "program:execute-regions",
    run() {
      return verdictText(
        runProgram(executeRegionsProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // zx_vmo_write at a page offset from a user buffer at a mapping's start
  // (`userWriteOffsetProgram`).
  probes.push({
    id: "program:user-write-offset",
    run() {
      return verdictText(
        runProgram(userWriteOffsetProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pin of a pager VMO that fails after pinning a page, then a shrink over that page
  // (`failedPinShrinkProgram`).
  probes.push({
    id: "program:failed-pin-shrink",
    run() {
      return verdictText(
        runProgram(failedPinShrinkProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A fail-instead-of-block pin of a clone whose root page is absent (`clonePinShouldWaitProgram`).
  probes.push({
    id: "program:clone-pin-should-wait",
    run() {
      return verdictText(
        runProgram(clonePinShouldWaitProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pager VMO hinted DONT_NEED, closed, and its port waited on (`hintThenCloseProgram`).
  probes.push({
    id: "program:hint-then-close",
    run() {
      return verdictText(
        runProgram(hintThenCloseProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A resizable clone shrunk to nothing, grown back and read (`cloneShrinkGrowProgram`).
  probes.push({
    id: "program:clone-shrink-grow",
    run() {
      return verdictText(
        runProgram(cloneShrinkGrowProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A write pin through a slice a page into its pager VMO, then a ZERO of the pinned page through
  // the slice (`slicePinZeroProgram`).
  probes.push({
    id: "program:slice-pin-zero",
    run() {
      return verdictText(
        runProgram(slicePinZeroProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Eviction hints on a decommitted plain VMO, then its info (`hintPlainProgram`).
  probes.push({
    id: "program:hint-plain",
    run() {
      return verdictText(
        runProgram(hintPlainProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A load and a store through a read-only mapping (`readOnlyStoreProgram`).
  probes.push({
    id: "program:read-only-store",
    run() {
      return verdictText(
        runProgram(readOnlyStoreProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A clone of a clone's READ run over a cut view and over a forked page
  // (`cloneChainReadRunProgram`).
  probes.push({
    id: "program:clone-chain-read-run",
    run() {
      return verdictText(
        runProgram(cloneChainReadRunProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Two overlapping reads of an unanswered VMO time out, the primary first
  // (`timedOutHeirProgram`).
  probes.push({
    id: "program:timed-out-heir",
    run() {
      return verdictText(
        runProgram(timedOutHeirProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A load through a mapped slice faults on an absent page and a second thread answers it
  // (`sliceFaultWaitProgram`).
  probes.push({
    id: "program:slice-fault-wait",
    run() {
      return verdictText(
        runProgram(sliceFaultWaitProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A write whose copy from its user buffer waits while another thread decommits its page
  // (`relookAfterUserFaultProgram`).
  probes.push({
    id: "program:relook-after-user-fault",
    run() {
      return verdictText(
        runProgram(relookAfterUserFaultProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A child mapped, used as a user buffer, unmapped and closed, then its parent's info
  // (`mappedChildDeathProgram`).
  probes.push({
    id: "program:mapped-child-death",
    run() {
      return verdictText(
        runProgram(mappedChildDeathProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A wait on a region, a sub-region flush before a mapping, a COMMIT past a shrunk VMO's end and
  // a region destroyed over a child's only mapping (`destroyedRegionChildProgram`).
  probes.push({
    id: "program:destroyed-region-child",
    run() {
      return verdictText(
        runProgram(destroyedRegionChildProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pager page in a loaned frame pinned, then the frame taken back (`loanPinUnloanProgram`).
  probes.push({
    id: "program:loan-pin-unloan",
    run() {
      return verdictText(
        runProgram(loanPinUnloanProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A mapping overwritten over one page, and a sub-region of a destroyed region
  // (`regionRemnantsProgram`).
  probes.push({
    id: "program:region-remnants",
    run() {
      return verdictText(
        runProgram(regionRemnantsProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pin token closed without an unpin, then a pin on its BTI (`quarantinedPinProgram`).
  probes.push({
    id: "program:quarantined-pin",
    run() {
      return verdictText(
        runProgram(quarantinedPinProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A request handed to its overlap waiter while its packet waits behind another's, whose heir
  // then times out too (`heirInFifoProgram`).
  probes.push({
    id: "program:heir-in-fifo",
    run() {
      return verdictText(
        runProgram(heirInFifoProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // DIRTY requests outstanding while the pager dirties beside them and sends an overflowing
  // OP_DIRTY (`dirtyOutsideProgram`).
  probes.push({
    id: "program:dirty-outside",
    run() {
      return verdictText(
        runProgram(dirtyOutsideProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A WRITEBACK_BEGIN with IS_ZERO, a page pinned twice and unpinned twice then decommitted, at
  // the smallest page size the program schema takes, 8 bytes (`shard4EdgesProgram`).
  probes.push({
    id: "program:shard4-edges",
    run() {
      return verdictText(
        runProgram(shard4EdgesProgram(8), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A region without CAN_MAP_READ refusing a readable sub-region and mapping, at the largest page
  // size the program schema takes, 65536 bytes (`shard6EdgesProgram`).
  probes.push({
    id: "program:shard6-edges",
    run() {
      return verdictText(
        runProgram(shard6EdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A COMMIT of a clone of a pager VMO and a read of a decommitted plain VMO, each VMO's info
  // asked after (`shard5EdgesProgram`: the contract's CloneCommitFloor and CommitCeiling).
  probes.push({
    id: "program:shard5-edges",
    run() {
      return verdictText(
        runProgram(shard5EdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A COMMIT of a grown pager VMO's zero interval, and a pin of a fresh clone of a supplied pager
  // VMO read after (`gap30EdgesProgram`: dirty-state's K17 commit row, read-content's pin fork).
  probes.push({
    id: "program:gap30-edges",
    run() {
      return verdictText(
        runProgram(gap30EdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A child written through zx_vmo_write and closed, a lending VMO's two frames borrowed by a
  // pager VMO that dies and taken back, and a WRITEBACK_END over two zero intervals split by a
  // committed page (`triage31aEdgesProgram`: ChildCount, LoanPool's kernel assertions,
  // dirty-state's K17 writeback-end row).
  // A port's last handle closed while a thread waits on it, then a READ for it
  // (`deadPortWaitProgram`: the contract's port model, no packet from a dead port).
  probes.push({
    id: "program:dead-port-wait",
    run() {
      return verdictText(
        runProgram(deadPortWaitProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  probes.push({
    id: "program:triage31a-edges",
    run() {
      return verdictText(
        runProgram(triage31aEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pinned pager VMO closed and then unpinned, a write pin, a COMMIT over a zero-page marker
  // and one through two pager waits with a suspend between (`gap32bEdgesProgram`: the
  // contract's CompleteModel and RootCommitFloor, dirty-state's K25 must-set rule).
  probes.push({
    id: "program:gap32b-edges",
    run() {
      return verdictText(
        runProgram(gap32bEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A clone's reader woken early runs past its root's open READ (`earlyWakeEndProgram`: the
  // re-wait test of VmoPages' reads, PageSource.rewait's kernel assertion).
  probes.push({
    id: "program:early-wake-end",
    run() {
      return verdictText(
        runProgram(earlyWakeEndProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Shards 7 and 8's open keys, one fail-instead-of-block thread (`gap32aEdgesProgram`): a
  // PREFETCH through a read-only handle, a `1 << 31` signal mask, writable mappings refused and
  // an empty one, a fractional user buffer, a supply after a detach, a whole-page ZERO of a slice
  // at an offset, a ZERO whose partial page needs a READ, a part of a mapping unmapped, a mapping
  // protected to nothing and loaded from (the contract's rules, read-content R4,
  // fail-instead-of-block).
  probes.push({
    id: "program:gap32a-edges",
    run() {
      return verdictText(
        runProgram(gap32aEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Two mappings of one region made high first, walked by op_range; a clone of a clone at an
  // offset PREFETCHed and committed; a clone read after its parent's detach
  // (`gap32cEdgesProgram`: the contract's VMAR walk and CloneDetachRead, page-state K2).
  probes.push({
    id: "program:gap32c-edges",
    run() {
      return verdictText(
        runProgram(gap32cEdgesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pin of a resizable clone parked on its READ while another thread shrinks the clone
  // (`clonePinShrinkProgram`: the contract's PinShrink, upstream ResizeBlockedPin).
  probes.push({
    id: "program:clone-pin-shrink",
    run() {
      return verdictText(
        runProgram(clonePinShrinkProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A mapped pager VMO committed through `zx_vmar_op_range`, unmapped, closed, and its port
  // waited on (`vmarOpThenCloseProgram`: the contract's CompleteModel of a mapped VMO).
  probes.push({
    id: "program:vmar-op-then-close",
    run() {
      return verdictText(
        runProgram(vmarOpThenCloseProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A ZERO parked on a pinned page's DIRTY while another thread shrinks the VMO
  // (`zeroPinnedShrinkProgram`: the contract's PinShrink of a ZERO).
  probes.push({
    id: "program:zero-pinned-shrink",
    run() {
      return verdictText(
        runProgram(zeroPinnedShrinkProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pager VMO read whole into a two-page user buffer (`userReadPagesProgram`: read-content R2).
  probes.push({
    id: "program:user-read-pages",
    run() {
      return verdictText(
        runProgram(userReadPagesProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Two borrowers of lent frames die, a third borrow reclaims both, and its page is pinned
  // (`loanReclaimPinProgram`: LoanPool's kernel assertions).
  probes.push({
    id: "program:loan-reclaim-pin",
    run() {
      return verdictText(
        runProgram(loanReclaimPinProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A slice of a clone at a page offset pinned, then the root written and the clone read
  // (`cloneSlicePinProgram`: read-content, the clone page no pin named shows the root).
  probes.push({
    id: "program:clone-slice-pin",
    run() {
      return verdictText(
        runProgram(cloneSlicePinProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A reader suspended as it leaves a usercopy's fault wait for a pager wait of its own
  // (`suspendRunOnProgram`: wake-discipline K11's run-on rule).
  probes.push({
    id: "program:suspend-run-on",
    run() {
      return verdictText(
        runProgram(suspendRunOnProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A reference of a resizable pager VMO sized after the VMO grew and shrank
  // (`referenceResizeProgram`: the contract's ReferenceSize).
  probes.push({
    id: "program:reference-resize",
    run() {
      return verdictText(
        runProgram(referenceResizeProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pin through a slice at a page offset, unpinned, then its VMO detached
  // (`sliceUnpinDetachProgram`: page-state K13, the detach drops the unpinned clean page).
  probes.push({
    id: "program:slice-unpin-detach",
    run() {
      return verdictText(
        runProgram(sliceUnpinDetachProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Half of each of two pages of an at-least-on-write clone ZEROed and read, pages the clone does
  // not hold (`clonePartialZeroProgram`: read-content's R4 on a clone's partial page).
  probes.push({
    id: "program:clone-partial-zero",
    run() {
      return verdictText(
        runProgram(clonePartialZeroProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A child of a clone made after a supply took one of the clone's pages as its aux page
  // (`cloneTakenChildProgram`: read-content's model of a child of a clone).
  probes.push({
    id: "program:clone-taken-child",
    run() {
      return verdictText(
        runProgram(cloneTakenChildProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // zx_vmo_write and zx_vmo_read given user buffers no u64 holds: half a byte into a mapping,
  // -1 over an empty range, 2^65 past the VMO's end (`userBufferU64Program`: the contract's
  // INVALID_ARGS before any range check). Met first by kernel/kernel.ts's mutants
  // (mutate/probe_rank.ts `FIRST`).
  probes.push({
    id: "program:user-buffer-u64",
    run() {
      return verdictText(
        runProgram(userBufferU64Program(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A contiguous VMO's decommitted (lent) page read back, its info asked before and after
  // (`contiguousReadBackProgram`: the contract's ContiguousReadFloor, the read took the frame back).
  probes.push({
    id: "program:contiguous-read-back",
    run() {
      return verdictText(
        runProgram(contiguousReadBackProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // An empty OP_DIRTY at a TRAP_DIRTY VMO's end, in its middle and past it, then after a detach
  // (`emptyDirtyEndProgram`: the contract's ZX_OK for an empty OP_DIRTY range on an attached VMO).
  probes.push({
    id: "program:empty-dirty-end",
    run() {
      return verdictText(
        runProgram(emptyDirtyEndProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // Two pager VMOs detached, the pager closed before the second's COMPLETE is taken
  // (`detachThenCloseProgram`: CompleteModel's withdrawal of a detached VMO's COMPLETE).
  probes.push({
    id: "program:detach-then-close",
    run() {
      return verdictText(
        runProgram(detachThenCloseProgram(), { seed: 0, monitors: programMonitors }).verdict,
      );
    },
  });
  // A pin parked on its READ while another thread closes the BTI's one handle, then supplies
  // (`btiClosedWhilePinningProgram`: the contract's BtiClosePin, BAD_STATE at zero handles).
  probes.push({
    id: "program:bti-closed-while-pinning",
    run() {
      return verdictText(
        runProgram(btiClosedWhilePinningProgram(), { seed: 0, monitors: programMonitors })
          .verdict,
      );
    },
  });
  // The checkers' byte memo (kernel/objects.ts `PageTouches`) held to an independent oracle
  // (properties/touch_memo.ts `TouchMemo`, which copies every page every step: too slow for
  // campaigns): a world holding a page before its first step, a page written twice in one step
  // and a page made and written in one (`firstStepRun`), and campaign run 1 judged by the
  // oracle alone (a service's whole-page supply adopted into an aux page). A wrong memo blinds
  // page-state and dirty-state without failing anything; met first by kernel/objects.ts's
  // mutants (mutate/probe_rank.ts `FIRST`).
  probes.push({ id: "touch-memo:first-step", run: () => verdictText(firstStepRun()) });
  probes.push({
    id: "touch-memo:run:1",
    run() {
      const plan = planRun(CAMPAIGN_BUDGET.seed, 1);
      const scenario = generateScenario(plan, undefined, { joinedReaders: false });
      return verdictText(
        executePlan(plan, scenario, { monitors: () => [new TouchMemo()] }).verdict,
      );
    },
  });
  const seeded = new URL("mutate/scenarios/", root);
  const files = [...Deno.readDirSync(seeded)].map((e) => e.name).filter((n) => n.endsWith(".json"))
    .sort();
  for (const name of files) {
    const scenario = parseScenario(JSON.parse(Deno.readTextFileSync(new URL(name, seeded))));
    for (let seed = 0; seed < CAMPAIGN_BUDGET.scenarioSeeds; seed++) {
      const id = `scenario:${name.replace(/\.json$/, "")}:${seed}`;
      probes.push({
        id,
        run(ctx) {
          return verdictText(
            checkCase({ scenario, decisions: [], seed }, {
              monitors: probeCheckers(ctx, id),
              services: SCENARIO_SERVICES,
            }).verdict,
          );
        },
      });
    }
  }
  // Explorations: explore/testdata's scenarios (built-in services), then the judge's own
  // (mutate/explore_scenarios/, served by the seeded scenarios' services): a service that takes a
  // contended futex mutex, so exploration hashes states holding a futex waiter (kernel/futex.ts
  // `stateKey`; none of explore/testdata's services takes a lock).
  const explorations = [
    new URL("explore/testdata/", root),
    new URL("mutate/explore_scenarios/", root),
  ];
  for (const dir of explorations) {
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".json"))
      .sort();
    const services = dir === explorations[0] ? undefined : SCENARIO_SERVICES;
    for (const name of names) {
      const id = `explore:${name.replace(/\.json$/, "")}`;
      probes.push({
        id,
        run(ctx) {
          const scenario = parseScenario(JSON.parse(Deno.readTextFileSync(new URL(name, dir))));
          const r = explore(scenario, {
            preemptions: explorationBound(id),
            monitors: probeCheckers(ctx, id),
            maxSchedules: CAMPAIGN_BUDGET.maxSchedules,
            services,
          });
          if (r.outcome === "fail" && r.counterexample) {
            return verdictText(r.counterexample.verdict);
          }
          return null;
        },
      });
    }
  }
  // Zircon's own pager tests as workloads (conformance/), judged by the kernel checkers and
  // read-content (every byte the case reads, against its own model of the VMOs the case made:
  // slices, references and clones translated from the create_child arguments) alone: a case's
  // expectations are left out (runChecked), so only a checker's verdict, a hang, a kernel
  // assertion or a fault of the case's code kills.
  // A case that supplies bytes of its own is judged without data-integrity (OWN_CONTENT_CASES).
  for (const c of ALL_CASES) {
    if (isSkipped(c)) continue;
    const ownContent = OWN_CONTENT_CASES.has(`${c.id} ${c.name}`);
    for (let seed = 1; seed <= CAMPAIGN_BUDGET.conformanceSeeds; seed++) {
      probes.push({
        id: `conformance:${c.id}:${c.name}:${seed}`,
        run() {
          const kernel = checkersOf("kernel")();
          const monitors = shareJournal([
            ...(ownContent ? kernel.filter((m) => m.name !== "data-integrity") : kernel),
            new ReadContent(),
          ]);
          const { world, verdict } = runChecked(c.body, seed, monitors);
          return verdictText(settleVerdict({ world, verdict }, monitors));
        },
      });
    }
  }
  // A suspended thread woken from a kernel usercopy's fault wait runs on: its waker sleeps after
  // the supply, so the clock moves only if the woken thread is held (wake-discipline's K11 run-on rule).
  probes.push({
    id: "probe:suspended-usercopy-woken",
    run() {
      const monitors = shareJournal(checkersOf("kernel")());
      const { world, verdict } = runChecked(suspendedUsercopyWoken, 1, monitors);
      return verdictText(settleVerdict({ world, verdict }, monitors));
    },
  });
  return probes;
}

// ---------------------------------------------------------------- tests

type TestFn = (t: TestContext) => unknown;
interface TestContext {
  name: string;
  step(nameOrDef: string | { name: string; fn: TestFn } | TestFn, fn?: TestFn): Promise<boolean>;
}

interface Collected {
  name: string;
  fn: TestFn;
  ignore: boolean;
}

function normalise(a: unknown, b: unknown, c: unknown): Collected {
  if (typeof a === "function") return { name: a.name, fn: a as TestFn, ignore: false };
  if (typeof a === "string") {
    if (typeof b === "function") return { name: a, fn: b as TestFn, ignore: false };
    const o = b as { ignore?: boolean };
    return { name: a, fn: c as TestFn, ignore: o?.ignore === true };
  }
  const o = a as { name: string; fn?: TestFn; ignore?: boolean };
  const fn = (o.fn ?? b) as TestFn;
  return { name: o.name ?? fn.name, fn, ignore: o.ignore === true };
}

/**
 * Imports the test files under a `Deno.test` shim and returns one probe per
 * test step (`file::test::step`) and per test (`file::test`, for the code a
 * test runs outside its steps).
 */
export async function testProbes(root: URL): Promise<Probe[]> {
  return await testFileProbes(root, judgeTestFiles(root));
}

/** The tests judge's test files (paths under `root`), in the order it imports them. */
export function judgeTestFiles(root: URL): string[] {
  const files: string[] = [];
  for (const dir of TEST_DIRS) {
    for (const e of Deno.readDirSync(new URL(`${dir}/`, root))) {
      if (e.isFile && e.name.endsWith("_test.ts")) files.push(`${dir}/${e.name}`);
    }
  }
  files.sort();
  files.push(...TEST_FILES);
  return files;
}

/**
 * The modules a mutation run loads its judges from (paths under `root`): the command, the
 * worker and the tests judge's test files. What they reach is the judges' code, the part of the
 * tree a journal's fingerprint covers (mutate/journal.ts).
 */
export function judgeModuleRoots(root: URL): string[] {
  return ["cli/mutate.ts", "mutate/worker.ts", ...judgeTestFiles(root)];
}

/**
 * One probe per test of each of `files` (paths under `root`), imported in order under a
 * `Deno.test` shim, as {@linkcode testProbes} makes them (`tools/test_kills.ts` runs one file's).
 */
export async function testFileProbes(root: URL, files: readonly string[]): Promise<Probe[]> {
  const deno = Deno as unknown as { test: unknown };
  const original = deno.test;
  const probes: Probe[] = [];
  try {
    for (const file of files) {
      const collected: Collected[] = [];
      deno.test = (a: unknown, b?: unknown, c?: unknown) => {
        collected.push(normalise(a, b, c));
      };
      await import(new URL(file, root).href);
      for (const t of collected) {
        if (t.ignore) continue;
        const id = `${file}::${t.name}`;
        probes.push({ id, run: (ctx) => runTest(id, t, ctx) });
      }
    }
  } finally {
    deno.test = original;
  }
  return probes;
}

async function runTest(id: string, t: Collected, ctx: ProbeContext): Promise<ProbeResult> {
  const ns = strykerNs();
  const hitsFor = ns.hitsFor;
  let failure: string | null = null;
  const context: TestContext = {
    name: t.name,
    async step(nameOrDef, fn) {
      const name = typeof nameOrDef === "string" ? nameOrDef : nameOrDef.name;
      const body = typeof nameOrDef === "string"
        ? fn as TestFn
        : typeof nameOrDef === "function"
        ? nameOrDef
        : nameOrDef.fn;
      const stepId = `${id}::${name}`;
      if (ctx.steps && !ctx.steps.has(stepId)) return true;
      // Judging a mutant (no coverage marks), the test's verdict is its first failure: the steps
      // after it cannot change it, only cost time, or reach the hit limit and turn a kill into a
      // timeout. The coverage run runs every step: it records what each reaches.
      if (failure !== null && hitsFor === undefined) return false;
      const outer = ns.hits;
      if (hitsFor) ns.hits = hitsFor(stepId);
      try {
        await body({ name, step: context.step });
        return true;
      } catch (e) {
        failure ??= `${name}: ${e instanceof Error ? e.message : String(e)}`;
        return false;
      } finally {
        ns.hits = outer;
      }
    },
  };
  try {
    await t.fn(context);
  } catch (e) {
    failure ??= e instanceof Error ? e.message : String(e);
  }
  return failure === null ? null : `${t.name}: ${failure}`.slice(0, 300);
}
