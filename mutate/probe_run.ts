/**
 * How a judge runs its probes, shared by the mutation worker (`mutate/worker.ts`, in a worker
 * thread of `deno task mutate`) and `tools/campaign_kills.ts` (in process, named mutants): the
 * unmutated coverage run of a judge's probes, what the main thread makes of it (which probes
 * reach each mutant, which probes cannot judge, in what order a mutant meets its probes), and
 * the judging of one mutant by its probes, each under the hit limit, stopping at the first that
 * fails. No instrumented module is imported here (types only): the worker loads it before the
 * judges, so code run while the judges load stays static coverage.
 *
 * @module
 */

// Types only: a value import of judges.ts would load every instrumented module with this one,
// before `loadProbes` opens the static coverage window, and each mutant of code run at load (a
// module-level table, kernel/constants.ts's status names) would be judged "no coverage".
import type { JudgeName, Probe, ProbeContext, ProbeResult } from "./judges.ts";
import {
  armHitLimit,
  armMemoryLimit,
  disarmHitLimit,
  disarmMemoryLimit,
  HIT_LIMIT,
  memoryOver,
  strykerNs,
} from "./ns.ts";

/**
 * Loads the judges from the copy of the project this module lives in, with mutant
 * `staticMutant` (an id) on if given: the probes of both judges, and the static coverage (the
 * mutants whose code ran while the judges loaded: module top levels), as a worker's `init` does.
 * Everything instrumented loads here, under the static coverage array: import nothing
 * instrumented before.
 */
export async function loadProbes(
  root: URL,
  mutantCount: number,
  staticMutant?: string,
): Promise<{ probes: ProbeSets; staticCoverage: string[] }> {
  const ns = strykerNs();
  const loading = new Uint8Array(mutantCount);
  ns.hits = loading;
  if (staticMutant !== undefined) ns.activeMutant = Number(staticMutant);
  const probes = { tests: new Map<string, Probe>(), campaign: new Map<string, Probe>() };
  try {
    // Imported only now: everything instrumented loads under the static coverage array.
    const judges = await import("./judges.ts");
    for (const p of judges.campaignProbes(root)) probes.campaign.set(p.id, p);
    for (const p of await judges.testProbes(root)) probes.tests.set(p.id, p);
  } finally {
    ns.hits = undefined;
  }
  return { probes, staticCoverage: hitIds(loading) };
}

/** One judge's verdict on a mutant. */
export interface JudgeOutcome {
  /** `null`: survived; else the first failing probe and why. */
  readonly killedBy: { readonly probe: string; readonly reason: string } | null;
  /** Probes run. */
  readonly ran: number;
  /** Wall milliseconds. */
  readonly ms: number;
  /** The killing probe reached the mutant more than {@linkcode HIT_LIMIT} times. */
  readonly hitLimit?: boolean;
  /**
   * The run went over its memory limit (`armMemoryLimit`, mutate/ns.ts): MiB its isolate had grown
   * by, live, when it was stopped; `killedBy` names the probe that was running.
   */
  readonly memoryMiB?: number;
}

/** The memory limit of a mutant's run: MiB it may grow its isolate by over `base` bytes. */
export interface MemoryLimit {
  readonly limitMiB: number;
  readonly base: number;
}

/** The loaded probes of both judges, by id. */
export type ProbeSets = Record<JudgeName, ReadonlyMap<string, Probe>>;

/** What one coverage run of some probes of a judge found. */
export interface CoverageReport {
  /** The mutant ids each probe (or test step) reached. */
  perTest: Record<string, string[]>;
  /** Probes that fail unmutated, and why. */
  failures: Record<string, string>;
  /** Campaign probes that fail unmutated even by the kernel checkers alone: they cannot judge. */
  broken: Record<string, string>;
  /** Each probe's unmutated wall milliseconds (with the coverage marks in). */
  ms: Record<string, number>;
  /**
   * Per campaign probe that fails unmutated, its exemptions ({@linkcode ProbeContext}'s
   * `serviceExempt` entries): `ID#CHECKER` per obligation it breaks by design, or the bare `ID`.
   */
  exemptions?: Record<string, string[]>;
}

/** The mutant ids marked in a hit array. */
export function hitIds(hits: Uint8Array): string[] {
  const ids: string[] = [];
  for (let i = 0; i < hits.length; i++) if (hits[i] !== 0) ids.push(String(i));
  return ids;
}

/** Runs one probe; a probe that throws fails with what it threw. */
export async function runProbe(p: Probe, ctx: ProbeContext): Promise<ProbeResult> {
  try {
    return await p.run(ctx);
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300);
  }
}

/** Runs a probe against the active mutant, with the hit limit armed (and the pool's `stop`). */
export async function runMutantProbe(
  p: Probe,
  ctx: ProbeContext,
  stop: Int32Array,
): Promise<{ result: ProbeResult; hitLimit: boolean }> {
  const ns = strykerNs();
  armHitLimit(stop);
  try {
    const result = await runProbe(p, ctx);
    return { result, hitLimit: (ns.hitCount ?? 0) > HIT_LIMIT };
  } finally {
    disarmHitLimit();
  }
}

/** Splits a selection `test-id` or `test-id::step-id` into tests and their step filters. */
function selectTests(
  tests: ReadonlyMap<string, Probe>,
  ids: readonly string[],
): Map<string, Set<string> | null> {
  const byTest = new Map<string, Set<string> | null>();
  for (const id of ids) {
    if (tests.has(id)) {
      byTest.set(id, null);
      continue;
    }
    const parent = id.slice(0, id.lastIndexOf("::"));
    if (!tests.has(parent)) continue;
    const cur = byTest.get(parent);
    if (cur === null) continue;
    if (cur === undefined) byTest.set(parent, new Set([id]));
    else cur.add(id);
  }
  return byTest;
}

/**
 * Judges the active mutant (`__stryker__.activeMutant`) by the probes `ids` of `judgeName`, in
 * that order, stopping at the first that fails: what a worker does with a `mutant` message. With
 * `memory`, the run is stopped once its isolate's live memory grows past the limit (the outcome's
 * `memoryMiB`).
 */
export async function judgeMutant(
  probes: ProbeSets,
  judgeName: JudgeName,
  ids: readonly string[],
  serviceMutant: boolean,
  serviceExempt: ReadonlySet<string>,
  stop: Int32Array,
  memory?: MemoryLimit,
): Promise<JudgeOutcome> {
  if (memory === undefined) {
    return await judgeProbes(probes, judgeName, ids, serviceMutant, serviceExempt, stop);
  }
  armMemoryLimit(memory.limitMiB, memory.base);
  try {
    return await judgeProbes(probes, judgeName, ids, serviceMutant, serviceExempt, stop);
  } finally {
    disarmMemoryLimit();
  }
}

async function judgeProbes(
  probes: ProbeSets,
  judgeName: JudgeName,
  ids: readonly string[],
  serviceMutant: boolean,
  serviceExempt: ReadonlySet<string>,
  stop: Int32Array,
): Promise<JudgeOutcome> {
  const t0 = performance.now();
  let ran = 0;
  // The tests judge runs a test's chosen steps; the campaign's probes take no steps.
  const order: [string, Probe | undefined, ProbeContext][] = judgeName === "tests"
    ? [...selectTests(probes.tests, ids)].map(([id, steps]) => [
      id,
      probes.tests.get(id),
      { serviceMutant, serviceExempt, steps: steps ?? undefined },
    ])
    : ids.map((id) => [id, probes.campaign.get(id), { serviceMutant, serviceExempt }]);
  for (const [id, p, ctx] of order) {
    if (!p) continue;
    ran++;
    const { result, hitLimit } = await runMutantProbe(p, ctx, stop);
    // Over the memory limit, the run is over whatever the probe made of the error its code threw
    // (a test expecting a throw would pass): no later probe runs.
    const overMiB = memoryOver();
    if (overMiB !== null) {
      const reason = `the run's live memory grew by ${overMiB} MiB, over its limit`;
      return {
        killedBy: { probe: id, reason },
        ran,
        ms: performance.now() - t0,
        memoryMiB: overMiB,
      };
    }
    if (result !== null) {
      return { killedBy: { probe: id, reason: result }, ran, ms: performance.now() - t0, hitLimit };
    }
  }
  return { killedBy: null, ran, ms: performance.now() - t0 };
}

/**
 * Runs the probes `ids` of `judge` once, unmutated, recording the mutants each reaches (the
 * instrumented code must keep its coverage marks): what a worker does with a `coverage` message.
 * Campaign probes run with the service obligations; one that fails is run again by the kernel
 * checkers alone, and is `broken` if it fails that way too.
 */
export async function coverageRun(
  probes: ProbeSets,
  judge: JudgeName,
  ids: readonly string[],
  mutantCount: number,
): Promise<CoverageReport> {
  const ns = strykerNs();
  const perTest: Record<string, string[]> = {};
  const failures: Record<string, string> = {};
  const broken: Record<string, string> = {};
  const ms: Record<string, number> = {};
  const exempt = new Set<string>();
  const exemptions: Record<string, string[]> = {};
  for (const id of ids) {
    const p = probes[judge].get(id);
    if (!p) continue;
    const cov = new Map<string, Uint8Array>();
    const hitsFor = (probe: string) => {
      let h = cov.get(probe);
      if (!h) cov.set(probe, h = new Uint8Array(mutantCount));
      return h;
    };
    ns.hitsFor = hitsFor;
    ns.hits = hitsFor(id);
    const t0 = performance.now();
    // Campaign probes run with the service obligations: a failure marks a run whose
    // unmutated services break an obligation by design (the detacher detaches).
    const r = await runProbe(p, { serviceMutant: judge === "campaign", serviceExempt: exempt });
    ms[id] = performance.now() - t0;
    if (r !== null && judge === "campaign") {
      // Exempt it from the obligation that failed only, and again until the rest pass: a run that
      // breaks one obligation by design (P11) is still judged by the others (P17).
      exemptions[id] = await obligationExemptions(p, id, r, exempt);
    }
    ns.hits = undefined;
    ns.hitsFor = undefined;
    if (r !== null) failures[id] = r;
    if (r !== null && judge === "campaign") {
      // Its coverage counts too: a kernel mutant is judged by this kernel-only run, which goes
      // on past the obligation the first run stopped at (else what follows is never judged).
      ns.hitsFor = hitsFor;
      ns.hits = hitsFor(id);
      const k = await runProbe(p, { serviceMutant: false, serviceExempt: exempt });
      ns.hits = undefined;
      ns.hitsFor = undefined;
      if (k !== null) broken[id] = k;
    }
    for (const [probe, hits] of cov) perTest[probe] = hitIds(hits);
  }
  return { perTest, failures, broken, ms, exemptions };
}

/**
 * The exemptions of campaign probe `p` (`id`), whose unmutated run failed `why` with the service
 * obligations on: one `id#CHECKER` per obligation it breaks, each found by running it again
 * without the ones found so far (added to `exempt` as found), until it passes; the bare `id`
 * (every obligation) if a failure is not a service obligation's verdict.
 */
async function obligationExemptions(
  p: Probe,
  id: string,
  why: string,
  exempt: Set<string>,
): Promise<string[]> {
  // Loaded by now: the probe came from it (`loadProbes`).
  const { SERVICE_OBLIGATION_NAMES } = await import("./judges.ts");
  const found: string[] = [];
  for (let r: string | null = why; r !== null;) {
    const name = r.startsWith("invariant:") ? r.slice("invariant:".length) : "";
    const mark = `${id}#${name}`;
    if (!SERVICE_OBLIGATION_NAMES.includes(name) || exempt.has(mark)) {
      for (const f of found) exempt.delete(f);
      exempt.add(id);
      return [id];
    }
    found.push(mark);
    exempt.add(mark);
    r = await runProbe(p, { serviceMutant: true, serviceExempt: exempt });
  }
  return found;
}

/** What the coverage runs of both judges say, folded on the main thread. */
export interface Coverage {
  /** Per mutant id, the probes of each judge that reach it (broken probes left out). */
  readonly coveredBy: Map<string, Record<JudgeName, Set<string>>>;
  /** `judge/probe` to its unmutated wall milliseconds. */
  readonly probeMs: Map<string, number>;
  /**
   * Campaign probes whose unmutated services break an obligation, as exemptions: `ID#CHECKER`,
   * that obligation left out of the probe's checkers; a bare `ID`, the kernel checkers only.
   */
  readonly exempt: string[];
  /** Tests that fail unmutated (`probe: why`): no mutant can be judged. */
  readonly failures: string[];
  /** Campaign probes that fail unmutated by the kernel checkers alone: left out. */
  readonly broken: Map<string, string>;
  /**
   * Tests that start a child process (the mutate task may not): the child loads the project's
   * own modules, never the mirror's mutant, so such a test cannot judge one. Left out, named.
   */
  readonly childTests: string[];
}

/** Deno's refusal of `Deno.Command` to a task without `--allow-run`: the test starts a process. */
const STARTS_A_PROCESS = /Requires run access to/;

/** No coverage yet. */
export function emptyCoverage(): Coverage {
  return {
    coveredBy: new Map(),
    probeMs: new Map(),
    exempt: [],
    failures: [],
    broken: new Map(),
    childTests: [],
  };
}

/** Whether the tests-judge probe `probe` is one of `c.childTests` or a step of one. */
export function startsAProcess(c: Coverage, probe: string): boolean {
  return c.childTests.some((t) => probe === t || probe.startsWith(`${t}::`));
}

/** Folds one coverage report of `judge` into `c`. */
export function addCoverage(c: Coverage, judge: JudgeName, r: CoverageReport): void {
  for (const [probe, why] of Object.entries(r.broken)) c.broken.set(probe, why);
  for (const [probe, why] of Object.entries(r.failures)) {
    if (judge === "campaign") c.exempt.push(...(r.exemptions?.[probe] ?? [probe]));
    else if (STARTS_A_PROCESS.test(why)) c.childTests.push(probe);
    else c.failures.push(`${probe}: ${why}`);
  }
  for (const [probe, hit] of Object.entries(r.perTest)) {
    if (c.broken.has(probe) || (judge === "tests" && startsAProcess(c, probe))) continue;
    for (const id of hit) {
      let by = c.coveredBy.get(id);
      if (!by) c.coveredBy.set(id, by = { tests: new Set(), campaign: new Set() });
      by[judge].add(probe);
    }
  }
  for (const [probe, ms] of Object.entries(r.ms)) c.probeMs.set(`${judge}/${probe}`, ms);
}

/**
 * The probes of `judge` that judge mutant `id`, in the order it meets them (the judges' own
 * order, so which probe kills is reproducible): every probe for a static mutant (its code ran
 * while the modules loaded), else those that reached it unmutated. `probes` are the judge's
 * probe ids in order, broken ones left out.
 */
export function probesOfMutant(
  c: Coverage,
  judge: JudgeName,
  probes: readonly string[],
  id: string,
  isStatic: boolean,
): string[] {
  if (isStatic) return [...probes];
  const ids = [...(c.coveredBy.get(id)?.[judge] ?? [])];
  const order = new Map(probes.map((p, i) => [p, i]));
  // A test step's place is its test's, just after it.
  const at = (p: string) =>
    order.get(p) ?? (order.get(p.slice(0, p.lastIndexOf("::"))) ?? -1) + 0.5;
  return ids.sort((a, b) => at(a) - at(b));
}

/** Fixed slack on every time limit, and the factor on the unmutated probes' time. */
export const TIMEOUT_BASE_MS = 2_000;
export const TIMEOUT_FACTOR = 1.5;

/**
 * A judge's first time limit for the probes `ids`: {@linkcode TIMEOUT_BASE_MS} plus
 * {@linkcode TIMEOUT_FACTOR} times their unmutated time (a test counts once however many of its
 * steps are selected: they run within it).
 */
export function timeLimitMs(c: Coverage, judge: JudgeName, ids: readonly string[]): number {
  const timed = new Set(
    ids.map((id) => judge === "tests" ? id.split("::").slice(0, 2).join("::") : id),
  );
  let budget = 0;
  for (const id of timed) budget += c.probeMs.get(`${judge}/${id}`) ?? 50;
  return TIMEOUT_BASE_MS + TIMEOUT_FACTOR * budget;
}
