/**
 * One campaign's runs, deterministically planned: run `k` of a campaign with
 * seed `S` always has the same run seed, strategy, swarm features and
 * scenario, whichever worker or shard executes it. A run is signed from its
 * own verdict; the engine (`engine.ts`) hands a new failure to
 * `case/investigate.ts`.
 *
 * @module
 */

import { makeRng } from "../sim/rng.ts";
import { makeStrategy, runScenario } from "../scenario/interpreter.ts";
import type { Strategy } from "../sim/strategy.ts";
import { EVENT_KINDS, LEVEL2_EVENT_KINDS, type Scenario } from "../scenario/schema.ts";
import type { ScenarioPlan, Swarm } from "../scenario/generate.ts";
import type { Verdict } from "../sim/world.ts";
import type { RunContext } from "../case/kind.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { signatureOf } from "./signature.ts";

/** A strategy of the portfolio. */
export type PortfolioStrategy = { readonly kind: "random" } | {
  readonly kind: "pct";
  readonly depth: number;
};

/** The campaign's default strategy portfolio: uniform random and PCT at depths 1 to 3. */
export const PORTFOLIO: readonly PortfolioStrategy[] = [
  { kind: "random" },
  { kind: "pct", depth: 1 },
  { kind: "pct", depth: 2 },
  { kind: "pct", depth: 3 },
];

/** Everything that determines run `k` of a campaign (a {@linkcode ScenarioPlan} plus its strategy). */
export interface RunPlan extends ScenarioPlan {
  /** Scheduling strategy from the portfolio. */
  readonly strategy: PortfolioStrategy;
}

/** Generates a scenario for a plan (a seeded function of the plan). */
export type ScenarioSource = (plan: RunPlan) => Scenario;

/** Plans run `k` of the campaign seeded `seed`. */
export function planRun(seed: number, k: number): RunPlan {
  const rng = makeRng(seed, `run/${k}`);
  const pickSome = <T>(all: readonly T[], minOne: boolean): T[] => {
    const chosen = all.filter(() => rng.int(2) === 1);
    return chosen.length > 0 || !minOne ? chosen : [all[rng.int(all.length)]];
  };
  const events = pickSome(EVENT_KINDS, false);
  const services = pickSome(["eager", "batching", "flaky", "detacher"] as const, true);
  const mapped = rng.int(2) === 1;
  const commit = rng.int(2) === 1;
  const writes = rng.int(2) === 1;
  const failInsteadOfBlock = rng.int(8) === 0;
  const overtime = rng.int(4) === 0;
  const runSeed = rng.int(2 ** 31);
  const strategy = PORTFOLIO[rng.int(PORTFOLIO.length)];
  // Level-2 features are drawn after the level-1 ones, so a level-1 plan keeps its seed and strategy.
  const level2 = rng.int(2) === 1;
  const on = () => level2 && rng.int(2) === 1;
  const writeback = on();
  const swarm: Swarm = {
    events: [...events, ...(level2 ? pickSome(LEVEL2_EVENT_KINDS, false) : [])],
    services: writeback ? [...services, "writeback"] : services,
    mapped,
    commit,
    writes: writes || writeback,
    failInsteadOfBlock,
    overtime,
    trapDirty: writeback && rng.int(2) === 1,
    resize: on(),
    zero: on(),
    clones: on(),
  };
  // Drawn after every other feature, so plans from before it keep their seed and scenario.
  const allocFailures = rng.int(4) === 0;
  // Drawn last for the same reason: files that come and go (open/close ops).
  const lifecycle = rng.int(3) === 0;
  // File layouts (byte sizes, holes) likewise, after those.
  const files = rng.int(2) === 0;
  // Then real services' sizes (issue 13.4), in a third of runs.
  const realSizes = rng.int(3) === 0;
  return { k, runSeed, strategy, swarm: { ...swarm, allocFailures, lifecycle, files, realSizes } };
}

/** Which run indices a shard owns: `k mod count === index`. */
export function inShard(k: number, shard: { index: number; count: number }): boolean {
  return k % shard.count === shard.index;
}

/** The outcome of one run. */
export interface RunOutcome {
  /** The verdict, settled by the checkers. */
  readonly verdict: Verdict;
  /** The run's own verdict before the checkers judged hangs and thread faults. */
  readonly raw: Verdict;
  /** Dedupe signature (fuzz/signature.ts); null for a pass. */
  readonly signature: string | null;
  readonly steps: number;
  readonly decisions: readonly number[];
  readonly traceHash: string;
  /** What the harness delivered to the services, by kind (`ScenarioRun.delivered`). */
  readonly delivered: Readonly<Record<string, number>>;
}

/** A strategy that tells `record` each pick it makes (the watchdog's record of a run it may stop). */
export function recording(strategy: Strategy, record: (pick: number) => void): Strategy {
  return {
    name: strategy.name,
    pick(c) {
      const v = strategy.pick(c);
      record(v);
      return v;
    },
  };
}

/**
 * Runs a plan's scenario under its strategy, settles the verdict with the
 * checkers and signs it (no trace kept: campaigns keep memory flat).
 * `record`, if given, sees every pick of the plan's strategy as it is made.
 * With `hashTrace` false the trace is not hashed (`traceHash` empty): the
 * same run again, hashed, has the hash it would have had.
 */
export function executePlan(
  plan: RunPlan,
  scenario: Scenario,
  ctx: RunContext,
  record?: (pick: number) => void,
  hashTrace = true,
): RunOutcome {
  const monitors = ctx.monitors();
  const base = makeStrategy(scenario, {
    seed: plan.runSeed,
    strategy: plan.strategy.kind,
    pctDepth: plan.strategy.kind === "pct" ? plan.strategy.depth : undefined,
  });
  const run = runScenario(scenario, {
    seed: plan.runSeed,
    strategy: record === undefined ? base : recording(base, record),
    monitors,
    services: ctx.services,
    keepTrace: false,
    hashTrace,
    makeKernel: ctx.makeKernel,
    watch: ctx.watch,
  });
  const verdict = settleVerdict(run, monitors);
  return {
    verdict,
    raw: run.verdict,
    signature: signatureOf(verdict, run.verdict),
    steps: run.steps,
    decisions: run.decisions,
    traceHash: run.traceHash,
    delivered: run.delivered,
  };
}
