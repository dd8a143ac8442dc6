/**
 * Runs one case (scenario, decision list, seed) under a set of checkers and
 * settles its verdict: hangs and service crashes are judged by the checkers
 * (a lost request, a documented stranding, a broken service obligation).
 *
 * @module
 */

import type { Scenario } from "../scenario/schema.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import { invariantVerdict, InvariantViolation, type Monitor, type Verdict } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import { isJudge } from "./_step_monitor.ts";
import { variantCrashSite } from "../sim/variant_crash.ts";

/** One case: everything a run depends on. */
export interface Case {
  /** The validated scenario to run. */
  readonly scenario: Scenario;
  /** Indices into the runnable set (mod its size); past the end the seeded fallback picks. */
  readonly decisions: readonly number[];
  /** Seeds the replay fallback. */
  readonly seed: number;
}

/** Options of {@linkcode checkCase}. */
export interface CheckOptions {
  /** Makes fresh checkers for one run (they keep state). */
  readonly monitors: () => readonly Monitor[];
  /** Services for `custom` service kinds, by name. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** Keep trace entries (for the failure report). Default true. */
  readonly keepTrace?: boolean;
  /** Builds the kernel (a kernel variant, e.g. a zoo bug). Default: the model as specified. */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /**
   * Told which thread's code is about to run, at which step (sim/world.ts `watch`): a watchdog
   * outside the run reads it to name a thread that never yields. It only watches.
   */
  readonly watch?: (step: number, tid: number, entry: number) => void;
}

/** A settled run. */
export interface CaseResult {
  /** The case that was run. */
  readonly input: Case;
  /** The raw run, before the checkers settled its verdict. */
  readonly run: ScenarioRun;
  /** The verdict after the checkers judged hangs and crashes. */
  readonly verdict: Verdict;
}

/**
 * The expected-verdict string of a verdict: `pass`, a verdict kind, or `invariant:<name>`.
 *
 * @example
 * ```ts
 * import { verdictLabel } from "./check_case.ts";
 * console.assert(verdictLabel({ kind: "pass", step: 3 }) === "pass");
 * console.assert(
 *   verdictLabel({ kind: "invariant", invariant: "page-state", message: "", step: 3, tid: 1 }) ===
 *     "invariant:page-state",
 * );
 * ```
 */
export function verdictLabel(v: Verdict): string {
  if (v.kind === "hang" && v.unfinished !== undefined) return "liveness-budget";
  return v.kind === "invariant" ? `invariant:${v.invariant}` : v.kind;
}

/**
 * Runs a case and settles its verdict.
 *
 * @example
 * ```ts
 * import { checkCase } from "./check_case.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 *   events: [{ do: "closePort", target: "fs", notBefore: 1 }],
 * });
 * const r = checkCase({ scenario, decisions: [], seed: 0 }, { monitors: kernelInvariants });
 * console.assert(r.verdict.kind === "pass" || r.verdict.kind === "invariant");
 * ```
 */
export function checkCase(input: Case, options: CheckOptions): CaseResult {
  const monitors = options.monitors();
  const run = runScenario(input.scenario, {
    decisions: input.decisions,
    seed: input.seed,
    monitors,
    services: options.services,
    keepTrace: options.keepTrace,
    makeKernel: options.makeKernel,
    watch: options.watch,
  });
  return { input, run, verdict: settleVerdict(run, monitors) };
}

/**
 * Settles a finished run's verdict: a hang or a service crash is judged by
 * the checkers (documented stranding passes; otherwise the checker that
 * explains it names the failure). A crash of a kernel variant's own code
 * stays the verdict: it is not a pager semantics failure.
 *
 * @example
 * ```ts
 * import { settleVerdict } from "./check_case.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const monitors = kernelInvariants();
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * }), { seed: 1, monitors });
 * console.assert(settleVerdict(run, monitors).kind === "pass");
 * ```
 */
export function settleVerdict(
  run: Pick<ScenarioRun, "world" | "verdict">,
  monitors: readonly Monitor[],
): Verdict {
  const verdict = run.verdict;
  if (verdict.kind !== "hang" && verdict.kind !== "thread-fault") return verdict;
  // A kernel variant's own crash left the kernel half-way through a step: whatever a checker
  // says of that state is the crash's doing (userS26k: K26 "clean without a supply").
  if (verdict.kind === "thread-fault" && variantCrashSite(verdict.stack) !== null) return verdict;
  try {
    let documented = false;
    for (const m of monitors) if (isJudge(m) && m.judge(run.world, verdict)) documented = true;
    if (!documented) return verdict;
    const pass: Verdict = { kind: "pass", step: verdict.step };
    for (const m of monitors) m.atEnd?.(run.world, pass);
    return pass;
  } catch (e) {
    if (!(e instanceof InvariantViolation)) throw e;
    return invariantVerdict(e, verdict.step, "tid" in verdict ? verdict.tid : 0);
  }
}
