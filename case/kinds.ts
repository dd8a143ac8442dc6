/**
 * The two kinds of input: scenarios (`scenario/`) and syscall programs
 * (`program/`), each a {@linkcode CaseKind}, and their checker sets.
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import { settleVerdict } from "../properties/check_case.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import { type KernelInvariantOptions, kernelInvariants } from "../properties/kernel_invariants.ts";
import { shareJournal } from "../properties/_step_monitor.ts";
import { serviceObligations } from "../properties/service_obligations.ts";
import type { Monitor } from "../sim/world.ts";
import { scenarioCuts } from "../scenario/cuts.ts";
import { type RunOptions, runScenario } from "../scenario/interpreter.ts";
import { contractsOf, contractViolations } from "../scenario/contract.ts";
import {
  type Scenario,
  SCENARIO_FORMAT,
  ScenarioInputSchema,
  ScenarioSchema,
} from "../scenario/schema.ts";
import { programCuts } from "../program/cuts.ts";
import { callCount, type Program, PROGRAM_FORMAT, ProgramSchema } from "../program/program.ts";
import { PROGRAM_MAX_STEPS, programMonitors, runProgram } from "../program/run.ts";
import type { CaseKind, KindName, KindRunOptions, RunContext } from "./kind.ts";
import {
  followStrategy,
  randomStrategy,
  recordingStrategy,
  replayStrategy,
  type SchedulePick,
  type Strategy,
} from "../sim/strategy.ts";
import type { SeededBug } from "../zoo/registry.ts";

/** The scenario checker sets: kernel invariants, or service obligations too. */
export const SCENARIO_CHECKERS = ["kernel", "kernel+service"] as const;
/** The program checker sets: kernel invariants and the contract, or the contract alone. */
export const PROGRAM_CHECKERS = ["kernel", "contract"] as const;

/**
 * Scenario checkers of a set, service obligations first (they name a hang's cause more precisely).
 *
 * @example
 * ```ts
 * import { scenarioCheckers } from "./kinds.ts";
 * const names = scenarioCheckers("kernel+service")().map((m) => m.name);
 * console.assert(names.includes("no-lost-requests"));
 * ```
 */
export function scenarioCheckers(
  set: string,
  options: KernelInvariantOptions = {},
): () => Monitor[] {
  // Without options, the stable functions of properties/checker_sets.ts (a property given one
  // names it in its replay line).
  if (Object.keys(options).length === 0) {
    const f = checkerSet(set);
    if (f !== undefined) return f;
  }
  if (set === "kernel") return () => kernelInvariants(options);
  if (set === "kernel+service") {
    return () => shareJournal([...serviceObligations(), ...kernelInvariants(options)]);
  }
  throw new Error(`no scenario checker set "${set}" (${SCENARIO_CHECKERS.join(", ")})`);
}

/**
 * What a scenario run against seeded bug `b` (zoo/registry.ts `bug(id)`, the
 * one registry) needs: its kernel variant, its services and fresh checkers of
 * its set.
 *
 * @example
 * ```ts
 * import { bug } from "../zoo/registry.ts";
 * import { bugContext } from "./kinds.ts";
 * const ctx = bugContext(bug("duplicate-read"));
 * console.assert(ctx.makeKernel !== undefined && ctx.monitors().length > 0);
 * ```
 */
export function bugContext(b: SeededBug): RunContext {
  return { monitors: scenarioCheckers(b.checkers), services: b.services, makeKernel: b.kernel };
}

/**
 * Program checkers of a set: `contract` is the program's own oracles only.
 *
 * @example
 * ```ts
 * import { programCheckers } from "./kinds.ts";
 * console.assert(programCheckers("contract")().length === 0 && programCheckers("kernel")().length > 0);
 * ```
 */
export function programCheckers(set: string): () => Monitor[] {
  if (set === "kernel") return programMonitors;
  if (set === "contract") return () => [];
  throw new Error(`no program checker set "${set}" (${PROGRAM_CHECKERS.join(", ")})`);
}

/** Threads, operations and events of a scenario: with its decisions, the size shrinking reduces. */
export function scenarioSize(s: Scenario): number {
  return s.threads.length + s.threads.reduce((n, t) => n + t.ops.length, 0) + s.events.length;
}

/**
 * The interpreter's options for one run of the scenario kind (`SCENARIO_KIND.run`): its seed,
 * strategy (a shrink's follow or recording, a replay, or the named strategy), monitors and
 * context. `explore/shrink.ts` runs with the same options, its strategy wrapped to count
 * preemptions (`makeStrategy` builds the one these options name).
 *
 * @example
 * ```ts
 * import { scenarioRunOptions } from "./kinds.ts";
 * const o = scenarioRunOptions({ seed: 3, decisions: [0, 1] }, { monitors: () => [] }, []);
 * console.assert(o.seed === 3 && o.decisions?.length === 2 && o.keepTrace === true);
 * ```
 */
export function scenarioRunOptions(
  options: KindRunOptions,
  ctx: RunContext,
  monitors: readonly Monitor[],
): RunOptions {
  const shrinking = shrinkStrategy(options);
  return {
    seed: options.seed,
    decisions: shrinking !== null ? undefined : options.decisions,
    replayPicks: options.replayPicks,
    strategy: shrinking ?? (options.decisions !== undefined ? undefined : options.strategy?.kind),
    pctDepth: options.strategy?.kind === "pct" ? options.strategy.depth : undefined,
    monitors,
    services: ctx.services,
    keepTrace: options.keepTrace ?? true,
    makeKernel: ctx.makeKernel,
    watch: ctx.watch,
    stopBefore: ctx.stopBefore,
  };
}

/** Scenarios as a kind of input. */
export const SCENARIO_KIND: CaseKind<Scenario> = {
  name: "scenario",
  format: SCENARIO_FORMAT,
  schema: ScenarioInputSchema,
  checkerSets: SCENARIO_CHECKERS,
  checkers: scenarioCheckers,
  run(input, options, ctx) {
    const monitors = ctx.monitors();
    const run = runScenario(input, scenarioRunOptions(options, ctx, monitors));
    return { ...run, raw: run.verdict, verdict: settleVerdict(run, monitors) };
  },
  *cuts(input) {
    for (const s of scenarioCuts(input)) if (ScenarioSchema.safeParse(s).success) yield s;
  },
  // A cut below a contract's ranges (fewer pages, fewer service threads) is not a case of it.
  admits: (input, ctx) => contractViolations(input, contractsOf(ctx.services)).length === 0,
  followAfterCut: (schedule, from, to) =>
    serviceThreadsFollow(eventThreadsFollow(schedule, from, to), from, to),
  size: scenarioSize,
  stepLimit: (s) => s.maxSteps,
  label: (s) => s.name ?? "scenario",
};

/**
 * A scenario schedule for a cut that removed events: the interpreter names an event's thread by
 * its index (`env2.writeback(p0)`), so the picks of the events left go to their new names
 * (`env0.writeback(p0)` once events 0 and 1 are gone), and a removed event's picks to none
 * (userS28s: a deadlock that needs the writeback event kept two events before it, a second pager
 * and its thread: every cut of them lost the writeback thread's picks, and the deadlock).
 */
export function eventThreadsFollow(
  schedule: readonly SchedulePick[],
  from: Scenario,
  to: Scenario,
): readonly SchedulePick[] {
  if (from.events === to.events) return schedule;
  // An event kept is the same object; one a cut changed (its delay) is the first left with its
  // action and target.
  const taken = new Set<number>();
  const newIndex = new Map<number, number>();
  to.events.forEach((e, j) => {
    let i = from.events.indexOf(e);
    if (i < 0 || taken.has(i)) {
      i = from.events.findIndex((f, k) =>
        !taken.has(k) && !to.events.includes(f) && f.do === e.do && f.target === e.target
      );
    }
    if (i >= 0) {
      taken.add(i);
      newIndex.set(i, j);
    }
  });
  let moved = false;
  for (let i = 0; i < from.events.length; i++) if (newIndex.get(i) !== i) moved = true;
  if (!moved) return schedule;
  return schedule.map((pick) => {
    if (!("thread" in pick)) return pick;
    const m = /^env(\d+)\.(.*)$/.exec(pick.thread);
    if (m === null) return pick;
    const j = newIndex.get(Number(m[1]));
    return j === undefined
      ? { thread: `removed:${pick.thread}` }
      : j === Number(m[1])
      ? pick
      : { thread: `env${j}.${m[2]}` };
  });
}

/**
 * A scenario schedule for a cut that gave a pager fewer service threads: the interpreter names a
 * pager's service threads `P.svc0`, `P.svc1`, ... (one: `P.svc`), so the picks of the threads the
 * cut removed go to the threads left (`P.svcK` to `P.svc{K mod m}`, or to `P.svc`), which now take
 * the packets those took: the interleaving of service work with the clients survives the cut.
 */
export function serviceThreadsFollow(
  schedule: readonly SchedulePick[],
  from: Scenario,
  to: Scenario,
): readonly SchedulePick[] {
  const rename = new Map<string, string>();
  for (const p of to.pagers) {
    const was = from.pagers.find((q) => q.name === p.name)?.threads ?? p.threads;
    if (was <= 1 || was === p.threads) continue;
    for (let k = 0; k < was; k++) {
      rename.set(
        `${p.name}.svc${k}`,
        p.threads === 1 ? `${p.name}.svc` : `${p.name}.svc${k % p.threads}`,
      );
    }
  }
  if (rename.size === 0) return schedule;
  return schedule.map((pick) =>
    "thread" in pick && rename.has(pick.thread)
      ? { ...pick, thread: rename.get(pick.thread) as string }
      : pick
  );
}

/** Syscall programs as a kind of input (random or replayed schedules; no PCT yet). */
export const PROGRAM_KIND: CaseKind<Program> = {
  name: "program",
  format: PROGRAM_FORMAT,
  schema: ProgramSchema,
  checkerSets: PROGRAM_CHECKERS,
  checkers: programCheckers,
  run(input, options, ctx) {
    const shrinking = shrinkStrategy(options);
    return runProgram(input, {
      seed: options.seed,
      decisions: shrinking !== null ? undefined : options.decisions,
      strategy: shrinking ?? undefined,
      makeKernel: ctx.makeKernel,
      monitors: ctx.monitors,
      keepTrace: options.keepTrace ?? true,
      watch: ctx.watch,
    });
  },
  cuts: programCuts,
  size: (p) => p.threads.length + callCount(p),
  stepLimit: () => PROGRAM_MAX_STEPS,
  label: (p) => `program of ${p.threads.length} threads, ${callCount(p)} calls`,
};

/**
 * The strategy of a run that follows another input's schedule or records its
 * own (`follow`, `schedule`); null for an ordinary run.
 */
function shrinkStrategy(options: KindRunOptions): Strategy | null {
  if (options.follow === undefined && options.schedule === undefined) return null;
  const base = options.follow !== undefined
    ? followStrategy(options.follow)
    : options.decisions !== undefined
    ? replayStrategy(options.decisions, options.seed)
    : randomStrategy(options.seed);
  return options.schedule !== undefined ? recordingStrategy(base, options.schedule) : base;
}

/** Every kind by name. */
// deno-lint-ignore no-explicit-any
export const KINDS: Readonly<Record<KindName, CaseKind<any>>> = {
  scenario: SCENARIO_KIND,
  program: PROGRAM_KIND,
};

/** The checker set names of every kind. */
export const ALL_CHECKER_SETS: readonly string[] = [
  ...new Set([...SCENARIO_CHECKERS, ...PROGRAM_CHECKERS]),
];

/** Zod schema of a checker set name (any kind's; the envelope checks it against its kind). */
export const CheckerSetSchema = z.enum(ALL_CHECKER_SETS as [string, ...string[]]);

/** A scenario checker set name. */
export type CheckerSet = "kernel" | "kernel+service";
/** The scenario checker sets (campaign flags). */
export const CHECKER_SETS: readonly CheckerSet[] = SCENARIO_CHECKERS;
/**
 * The checkers of a scenario set (one name for {@linkcode scenarioCheckers}).
 *
 * @example
 * ```ts
 * import { checkersOf } from "./kinds.ts";
 * console.assert(checkersOf("kernel+service")().length > checkersOf("kernel")().length);
 * ```
 */
export const checkersOf: (set: CheckerSet) => () => Monitor[] = scenarioCheckers;
