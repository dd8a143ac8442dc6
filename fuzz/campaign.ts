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
import {
  EVENT_KINDS,
  LEVEL2_EVENT_KINDS,
  parseScenario,
  type Scenario,
  SCENARIO_FORMAT,
} from "../scenario/schema.ts";
import type { Monitor, Verdict } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { answersDirty } from "../properties/arbitraries.ts";
import { signatureOf } from "./signature.ts";

/** Which fault families and features a run has switched on (swarm testing). */
export interface Swarm {
  /** Environment event kinds the run may inject (possibly none), level 2's evict and writeback too. */
  readonly events: readonly ((typeof EVENT_KINDS)[number] | (typeof LEVEL2_EVENT_KINDS)[number])[];
  /** Reference services the run's pagers draw from (at least one). */
  readonly services: readonly ("eager" | "batching" | "flaky" | "detacher" | "writeback")[];
  /** Threads may fault through mappings (`mapRead`, `mapWrite`). */
  readonly mapped: boolean;
  /** Threads may commit ranges (`commit`). */
  readonly commit: boolean;
  /** Threads may write (`write`). */
  readonly writes: boolean;
  /** Threads may use fail-instead-of-block mode. */
  readonly failInsteadOfBlock: boolean;
  /** The kernel's page-request overtime timeout is on. */
  readonly overtime: boolean;
  /** VMOs of writeback pagers may be created with `ZX_VMO_TRAP_DIRTY`. */
  readonly trapDirty: boolean;
  /** VMOs may be resizable and threads may resize them (`resize`). */
  readonly resize: boolean;
  /** Threads may zero ranges (`zero`, `ZX_VMO_OP_ZERO`). */
  readonly zero: boolean;
  /** Threads may read and write through at-least-on-write clones (`cloneRead`, `cloneWrite`). */
  readonly clones: boolean;
}

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

/** Everything that determines run `k` of a campaign. */
export interface RunPlan {
  /** Run index within the campaign. */
  readonly k: number;
  /** Seed of the run's scenario and strategy, derived from the campaign seed and `k`. */
  readonly runSeed: number;
  /** Scheduling strategy from the portfolio. */
  readonly strategy: PortfolioStrategy;
  /** Fault families and features switched on for this run. */
  readonly swarm: Swarm;
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
  return { k, runSeed, strategy, swarm };
}

/** Which run indices a shard owns: `k mod count === index`. */
export function inShard(k: number, shard: { index: number; count: number }): boolean {
  return k % shard.count === shard.index;
}

/** How to run a campaign's cases. */
export interface RunContext {
  /** Fresh checkers for one run. */
  readonly monitors: () => readonly Monitor[];
  readonly services?: Readonly<Record<string, PagerService>>;
  /** Builds the kernel (a kernel variant, e.g. a zoo bug). Default: the model as specified. */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
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
 */
export function executePlan(
  plan: RunPlan,
  scenario: Scenario,
  ctx: RunContext,
  record?: (pick: number) => void,
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
    makeKernel: ctx.makeKernel,
  });
  const verdict = settleVerdict(run, monitors);
  return {
    verdict,
    raw: run.verdict,
    signature: signatureOf(verdict, run.verdict),
    steps: run.steps,
    decisions: run.decisions,
    traceHash: run.traceHash,
  };
}

/** A small generator of scenarios for a plan, honouring its swarm features. */
export function generateScenario(plan: RunPlan): Scenario {
  const rng = makeRng(plan.runSeed, "scenario");
  const sw = plan.swarm;
  const pageSize = [64, 128, 256][rng.int(3)];
  const pagerCount = 1 + rng.int(2);
  const pagers = Array.from({ length: pagerCount }, (_, i) => {
    // Half the pagers of a writeback run write back: level-2 paths need a writeback pager.
    const kind = sw.services.includes("writeback") && rng.int(2) === 0
      ? "writeback"
      : sw.services[rng.int(sw.services.length)];
    return {
      name: `p${i}`,
      threads: 1 + (rng.int(4) === 0 ? 1 : 0),
      service: {
        kind,
        batch: 1 + rng.int(4),
        readAhead: rng.int(3),
        failPercent: [10, 30, 60][rng.int(3)],
        detachAfter: rng.int(4),
        closePager: rng.int(3) === 0,
        // Writeback passes often enough to race with faults, evictions and writes.
        ...(kind === "writeback" ? { writebackTicks: 10 + rng.int(60) } : {}),
      },
    };
  });
  const vmos = Array.from({ length: 1 + rng.int(3) }, (_, i) => {
    const pager = rng.int(pagerCount);
    return {
      name: `v${i}`,
      pager: `p${pager}`,
      pages: 1 + rng.int(6),
      key: 1 + i + (rng.int(4) === 0 ? 0x1_0000_0000 : 0),
      // Only services that answer DIRTY requests get trap-dirty VMOs (the same rule as the arbitraries).
      trapDirty: sw.trapDirty && answersDirty(pagers[pager].service.kind) && rng.int(2) === 0,
      resizable: sw.resize && rng.int(2) === 0,
    };
  });
  const kinds = [
    "read",
    "read",
    ...(sw.writes ? ["write"] : []),
    ...(sw.commit ? ["commit"] : []),
    ...(sw.mapped ? ["mapRead", "mapWrite"] : []),
    ...(sw.zero ? ["zero"] : []),
    ...(sw.clones ? ["cloneRead", "cloneWrite"] : []),
    ...(sw.resize && vmos.some((v) => v.resizable) ? ["resize"] : []),
    "info",
  ];
  // Writeback runs need write, writeback, evict, re-read sequences: longer threads.
  const opsMax = sw.services.includes("writeback") ? 6 : 3;
  const threads = Array.from({ length: 1 + rng.int(3) }, (_, i) => ({
    name: `t${i}`,
    failInsteadOfBlock: sw.failInsteadOfBlock && rng.int(2) === 0,
    ops: Array.from({ length: 1 + rng.int(opsMax) }, () => {
      const op = kinds[rng.int(kinds.length)];
      const pool = op === "resize" ? vmos.filter((v) => v.resizable) : vmos;
      const v = pool[rng.int(pool.length)];
      if (op === "info") return { op: "info" as const, vmo: v.name };
      if (op === "resize") return { op: "resize" as const, vmo: v.name, newPages: rng.int(8) };
      const page = rng.int(v.pages);
      return { op: op as "read", vmo: v.name, page, pages: 1 + rng.int(v.pages - page) };
    }),
  }));
  // Writeback events go to writeback pagers when there are any (others ignore the packet).
  const writebackPagers = pagers.filter((p) => p.service.kind === "writeback");
  const wbTargets = writebackPagers.length > 0 ? writebackPagers : pagers;
  const events = sw.events.length === 0 ? [] : Array.from({ length: rng.int(3) }, () => {
    const kind = sw.events[rng.int(sw.events.length)];
    const target = kind === "suspend" || kind === "kill"
      ? threads[rng.int(threads.length)].name
      : kind === "closePager" || kind === "closePort"
      ? pagers[rng.int(pagers.length)].name
      : kind === "writeback"
      ? wbTargets[rng.int(wbTargets.length)].name
      : vmos[rng.int(vmos.length)].name;
    return { do: kind, target, notBefore: rng.int(3) === 0 ? rng.int(20) : 0 };
  });
  // Evictions and writebacks matter after pages arrive and are written: more of them, spread out.
  const level2Events = sw.events.filter((k) => k === "evict" || k === "writeback");
  if (level2Events.length > 0) {
    for (let n = 2 + rng.int(6); n > 0; n--) {
      const kind = level2Events[rng.int(level2Events.length)];
      const target = kind === "writeback"
        ? wbTargets[rng.int(wbTargets.length)].name
        : vmos[rng.int(vmos.length)].name;
      events.push({ do: kind, target, notBefore: rng.int(150) });
    }
  }
  return parseScenario({
    format: SCENARIO_FORMAT,
    name: `campaign run ${plan.k}`,
    pageSize,
    overtimeTicks: sw.overtime ? 200 + rng.int(400) : 0,
    maxSteps: 20_000,
    liveness: { afterSteps: 400, bound: 4000 },
    pagers,
    vmos,
    threads,
    events,
  }, `run ${plan.k}`);
}
