/**
 * Shrinking an exploration's counterexample as `deno task fuzz` shrinks its cases: the one
 * driver (`case/investigate.ts` `investigate`, `case/shrink.ts`: the scenario's cuts, then the
 * decision list's), keeping a candidate only if it fails with the counterexample's signature and
 * with no more preemptions than the counterexample has, so explore's promise, the counterexample
 * with the fewest preemptions, still holds of the case (userS27k: a 25,000-step hang of a kernel
 * variant was written as it was found, 13,932 decisions). Fuzz's rule holds too: a shrunk case
 * that does not replay alone (new instances of the user's modules, replayed as `deno task repro`
 * replays a case) with the same signature and trace is not kept; the counterexample is.
 *
 * Runs wherever the user's code may run: `explore/_shrink_worker.ts`, under the watchdog.
 *
 * @module
 */

import type { CaseKind, KindRun, RunContext } from "../case/kind.ts";
import { SCENARIO_KIND, scenarioRunOptions } from "../case/kinds.ts";
import { investigate } from "../case/investigate.ts";
import { signatureOf } from "../properties/signature.ts";
import { makeStrategy, runScenario } from "../scenario/interpreter.ts";
import type { Scenario } from "../scenario/schema.ts";
import { settleVerdict } from "../properties/check_case.ts";
import type { Strategy } from "../sim/strategy.ts";
import type { Monitor, Verdict } from "../sim/world.ts";

/** What {@linkcode shrinkCounterexample} needs besides the counterexample. */
export interface ShrinkCxOptions {
  /** The search's checkers, services and kernel variant. */
  readonly ctx: RunContext;
  /** New instances of the user's modules, for the replay alone of the shrunk case. */
  readonly fresh?: () => Promise<RunContext>;
  /** Most candidate runs (fuzz's `--max-shrink`). */
  readonly maxAttempts: number;
  /** Stop early (a time budget): the case shrunk so far is kept, marked cut. */
  readonly abort?: () => boolean;
  /** Told as each candidate run starts (progress, and the watchdog's execution mark). */
  readonly onRun?: () => void;
}

/** A counterexample as the search found it: its case replay and its preemptions. */
export interface FoundCounterexample {
  readonly decisions: readonly number[];
  readonly preemptions: number;
  readonly traceHash: string;
}

/** What shrinking gave. */
export type ShrunkCounterexample =
  | {
    readonly status: "shrunk";
    readonly signature: string;
    readonly input: Scenario;
    readonly decisions: readonly number[];
    readonly traceHash: string;
    readonly verdict: Verdict;
    readonly raw?: Verdict;
    readonly steps: number;
    /** Preemptions of the shrunk run (never more than the counterexample's). */
    readonly preemptions: number;
    readonly attempts: number;
    /** True when `abort` cut shrinking short. */
    readonly cut: boolean;
  }
  | {
    /** The counterexample stays as found; `reason` says why. */
    readonly status: "kept";
    readonly reason: string;
    readonly attempts: number;
  };

/** The run's preemptions, as {@linkcode countingKind} counted them. */
const PREEMPTIONS = "explorePreemptions";

/** The preemptions {@linkcode countingKind} counted in `run` (undefined: another kind's run). */
function preemptionsOf(run: KindRun): number | undefined {
  return (run as KindRun & { [PREEMPTIONS]?: number })[PREEMPTIONS];
}

/**
 * The scenario kind, each run also counting its preemptions as the search counts them (a thread
 * choice that runs another thread while the one that ran the step before is still runnable;
 * the fair liveness phase's round-robin picks are not choices), for `fails` to refuse a candidate
 * that needs more.
 */
function countingKind(onRun?: () => void): CaseKind<Scenario> {
  return {
    ...SCENARIO_KIND,
    run(input, options, ctx) {
      onRun?.();
      let lastRun = 0, preemptions = 0;
      const monitors = ctx.monitors();
      // Who ran the step, as the search's own strategy learns it (`afterStep`, world.running):
      // a thread's start before the first step runs no step.
      const ran: Monitor = {
        name: "explore-shrink-last-run",
        afterStep(world) {
          lastRun = world.running?.tid ?? lastRun;
        },
      };
      // The scenario kind's own run, its strategy wrapped to count preemptions.
      const runOptions = scenarioRunOptions(options, ctx, [...monitors, ran]);
      const picks = makeStrategy(input, runOptions);
      const strategy: Strategy = {
        name: picks.name,
        pick(c) {
          const v = picks.pick(c);
          if (c.kind === "thread") {
            const tid = c.tids[v % c.n];
            if (c.tids.includes(lastRun) && tid !== lastRun) preemptions++;
          }
          return v;
        },
      };
      const run = runScenario(input, { ...runOptions, decisions: undefined, strategy });
      // A field of the run, not a side table: investigate copies a run before it signs it.
      return {
        ...run,
        raw: run.verdict,
        verdict: settleVerdict(run, monitors),
        [PREEMPTIONS]: preemptions,
      };
    },
  };
}

/**
 * Shrinks `cx`, a counterexample of `scenario` found with seed 0 (explore's cases replay with
 * it), keeping its signature and at most its preemptions.
 *
 * @example
 * ```ts
 * import { shrinkCounterexample } from "./shrink.ts";
 * import { SCENARIO_KIND, scenarioCheckers } from "../case/kinds.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { NAMED_SERVICES } from "../zoo/registry.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "supplies-wrong-key" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [
 *     { name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] },
 *     { name: "q", ops: [{ op: "read", vmo: "a", page: 0 }] },
 *   ],
 * });
 * const ctx = { monitors: scenarioCheckers("kernel"), services: NAMED_SERVICES };
 * const run = SCENARIO_KIND.run(scenario, { seed: 0, decisions: [1, 1, 1, 1] }, ctx);
 * const cx = { decisions: run.decisions, preemptions: 4, traceHash: run.traceHash };
 * const r = await shrinkCounterexample(scenario, cx, { ctx, maxAttempts: 200 });
 * console.assert(r.status === "shrunk" && r.preemptions <= 4);
 * ```
 */
export async function shrinkCounterexample(
  scenario: Scenario,
  cx: FoundCounterexample,
  options: ShrinkCxOptions,
): Promise<ShrunkCounterexample> {
  const kind = countingKind(options.onRun);
  let attempts = 0;
  const sign = (run: KindRun): string | null => {
    const p = preemptionsOf(run);
    // More preemptions than the search's fewest: not the counterexample explore promises.
    if (p === undefined || p > cx.preemptions) return null;
    return signatureOf(run.verdict, run.raw);
  };
  const found = await investigate(kind, scenario, cx.decisions, {
    seed: 0,
    ctx: options.ctx,
    meta: { checkers: "kernel", found: { by: "explore" } },
    sign,
    originalTraceHash: cx.traceHash,
    maxAttempts: options.maxAttempts,
    abort: () => {
      attempts++;
      return options.abort?.() ?? false;
    },
    ...(options.fresh !== undefined ? { fresh: options.fresh } : {}),
  });
  if (found.status !== "found") {
    return {
      status: "kept",
      reason: found.status === "nondeterministic"
        ? `its replay under the shrinker did not fail the same way (${found.message})`
        : "its signature is known",
      attempts,
    };
  }
  if (found.notShrunk !== undefined) {
    return { status: "kept", reason: found.notShrunk, attempts: found.attempts };
  }
  const c = found.case;
  if (c === found.unshrunk || c.decisions.length === 0 && cx.decisions.length === 0) {
    return {
      status: "kept",
      reason: "no smaller case replayed with its signature and at most its preemptions",
      attempts: found.attempts,
    };
  }
  if (c.decisions.length >= cx.decisions.length && c.input === scenario) {
    return {
      status: "kept",
      reason: "no smaller case fails the same way",
      attempts: found.attempts,
    };
  }
  // Replayed alone as `deno task repro` replays the case (the scenario kind, its decisions, seed
  // 0), on new instances of the user's modules: the case is kept only if that is the same run.
  const ctx = options.fresh !== undefined ? await options.fresh() : options.ctx;
  const alone = kind.run(c.input, { seed: 0, decisions: c.decisions }, ctx);
  const repro = SCENARIO_KIND.run(c.input, { seed: 0, decisions: c.decisions }, ctx);
  const signature = found.signature;
  if (
    signatureOf(repro.verdict, repro.raw) !== signature || repro.traceHash !== c.traceHash ||
    alone.traceHash !== c.traceHash
  ) {
    return {
      status: "kept",
      reason: `the shrunk case replayed alone ${
        signatureOf(repro.verdict, repro.raw) === signature
          ? "ran differently"
          : `did not fail as ${signature}`
      }`,
      attempts: found.attempts,
    };
  }
  return {
    status: "shrunk",
    signature,
    input: c.input,
    decisions: c.decisions,
    traceHash: c.traceHash,
    verdict: repro.verdict,
    ...(repro.raw !== undefined ? { raw: repro.raw } : {}),
    steps: repro.steps,
    preemptions: preemptionsOf(alone) ?? cx.preemptions,
    attempts: found.attempts,
    cut: found.shrinkCut,
  };
}
