/**
 * Exploration on all cores: each bound's search is split at a shallow depth
 * into tasks (`splitTasks`: every allowed decision prefix of that many
 * choices), the tasks are explored by a pool of workers, and their results are
 * combined in task order. Task i takes as explored the states tasks
 * 0..i-{@linkcode CACHE_LAG} explored (their state caches, which the workers
 * pass each other), never those of the tasks just before it, which may still
 * be running: task i starts only once tasks 0..i-CACHE_LAG are done.
 *
 * Dynamic re-splitting: a task that has run its budget of executions
 * (`taskBudget`, counted in executions, never time) stops and hands the
 * subtrees it has not explored back as new tasks; under DPOR, a race a task
 * finds at a choice point of its prefix comes back the same way. The tasks
 * handed back during one generation of tasks form the next generation,
 * numbered after it in the order of the tasks that made them, so both workers
 * keep busy while one subtree holds most of the work. The tasks, their order
 * and what each sees depend only on the scenario, the bound, the split depth
 * and the budget, so the verdict, the counterexample (fewest preemptions, then
 * lowest task) and every count are the same whatever the number of workers.
 *
 * @module
 */

import process from "node:process";
import {
  type BoundStats,
  type CacheDelta,
  type Counterexample,
  type ExploreHooks,
  type ExploreOptions,
  type ExploreProgress,
  type ExploreResult,
  exploreTask,
  type HandOffNode,
  passSentence,
  type PrefixSeed,
  splitTasks,
  StateCache,
} from "./explore.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { FoundCounterexample, ShrunkCounterexample } from "./shrink.ts";
import { SCENARIO_KIND, scenarioCheckers } from "../case/kinds.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import { type Pool, startPool } from "../fuzz/_worker_pool.ts";
import { CONTROL } from "../fuzz/engine.ts";
import {
  DEFAULT_EXPLORE_LIMITS,
  type ExploreLimits,
  ExploreStopped,
  findingOf,
  type GuardBuffers,
  guardBuffers,
  startWatchdog,
  type StopFinding,
} from "./guard.ts";

/**
 * Task i of a split search sees the state caches of tasks 0..i-CACHE_LAG: a fixed lag (not the
 * worker count), so what every task sees, and so every count, is the same on any number of
 * workers; two workers rarely wait (task i-CACHE_LAG is the one before the other worker's).
 */
export const CACHE_LAG = 2;

/**
 * Executions after which a task of a split search hands its unexplored subtrees back as new
 * tasks (the CLI's `--task-budget` default).
 */
export const DEFAULT_TASK_BUDGET = 2000;

/** One task of a split search: the subtree under `prefix`. */
export interface SplitTask {
  readonly prefix: readonly number[];
  /** DPOR: what is known of the prefix's choice points that were handed out (see `ExploreOptions.seeds`). */
  readonly seeds: readonly (PrefixSeed | null)[];
  /** The generation that made the task (0: the split at the split depth). */
  readonly generation: number;
}

/** Options of {@linkcode exploreSplit}. */
export interface SplitOptions {
  /** The preemption bound K (`Infinity`: every schedule, one search). */
  readonly preemptions: number;
  /** Split each bound's search after this many choices (0: one task, the plain search). */
  readonly splitDepth: number;
  /**
   * A task hands its unexplored subtrees back after this many executions (`Infinity`: never,
   * each task searches its whole subtree). Default {@linkcode DEFAULT_TASK_BUDGET}.
   */
  readonly taskBudget?: number;
  /** Workers that run the tasks (1: in this thread, unless `inThread` is false). */
  readonly workers: number;
  /**
   * Run the tasks in this thread (not in a worker). Default: with one worker. A caller that
   * must answer signals while the search runs (the CLI) sets false.
   */
  readonly inThread?: boolean;
  readonly stateHash?: boolean;
  readonly reduction?: ExploreOptions["reduction"];
  readonly privateSteps?: boolean;
  /** The service module every pager uses (scenario services of kind `custom`, name `user`), or null. */
  readonly servicePath: string | null;
  /** The checker set (`kernel`, `kernel+service`) judging each schedule. Default: kernel. */
  readonly checkers?: string;
  /** The loaded service module (for the tasks run in this thread and the split itself). */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** A kernel variant module (exporting `makeKernel`) the workers load, or null. */
  readonly kernelPath?: string | null;
  /** The loaded kernel variant (for the tasks run in this thread and the split itself). */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /** Called when a task or a bound is done. */
  readonly onProgress?: (progress: ExploreProgress & { tasks: number; tasksDone: number }) => void;
  /**
   * Called as soon as a finished task reports a counterexample (before the bound's other tasks
   * end), so a caller can keep it even if the search is stopped; the result's counterexample is
   * the bound's fewest-preemptions, lowest-task one, which may be a later call's.
   */
  readonly onCounterexample?: (cx: Counterexample, task: number) => void;
  /** If given, gets the fingerprint of every complete schedule's final state (one worker only: for tests). */
  readonly finalStates?: Set<string>;
  /** Called with every finished task's result (the bench's per-task figures). */
  readonly onTask?: (result: TaskResult, task: SplitTask) => void;
  /**
   * The workers' limits of one execution (`explore/guard.ts`; default
   * {@linkcode DEFAULT_EXPLORE_LIMITS}): an execution past them stops the search, which then
   * rejects with an {@linkcode ExploreStopped}, as does a replay that finds the user's code
   * nondeterministic. Tasks run in this thread (`inThread`) are not watched.
   */
  readonly limits?: ExploreLimits;
  /** A note while the watchdog confirms a suspected hang (the CLI prints it on stderr). */
  readonly onSuspect?: (line: string) => void;
}

/** One task's outcome, as a worker reports it. */
export interface TaskResult {
  readonly index: number;
  readonly stats: BoundStats;
  readonly counterexample: Counterexample | null;
  readonly states: readonly string[];
  /** Where the task stopped at its budget (null: it searched its whole subtree). */
  readonly handOff: readonly HandOffNode[] | null;
  /** DPOR: threads races added at its prefix's choice points, as [choice index, tid]. */
  readonly wants: readonly (readonly [number, number])[];
  /** CPU milliseconds of the thread that ran it (a measurement only: nothing depends on it). */
  readonly cpuMs: number;
  /** The task's state cache visits, for the other workers (worker tasks only). */
  readonly cache?: CacheDelta;
}

/** What the main thread tells a worker when it starts. */
export interface TaskStart {
  readonly worker: number;
  readonly scenario: Scenario;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers?: string;
  readonly bound: number;
  readonly budget: number;
  /** Task i sees the state caches of tasks 0..i-lag. */
  readonly lag: number;
  readonly stateHash: boolean;
  readonly reduction: ExploreOptions["reduction"];
  readonly privateSteps: boolean;
  /** The watchdog's shared memory (`explore/guard.ts`). */
  readonly guard: GuardBuffers;
}

/** Another worker's finished task's state cache visits, as the main thread passes them on. */
export interface CacheMessage {
  readonly type: "cache";
  readonly delta: CacheDelta;
}

/** What the main thread sends a worker after its start: caches, tasks to run, the end. */
export type WorkerCommand =
  | CacheMessage
  | { readonly type: "run"; readonly index: number; readonly task: SplitTask }
  | { readonly type: "split"; readonly depth: number }
  | { readonly type: "end" };

/** What a worker posts. */
export type TaskMessage =
  | { readonly type: "task"; readonly worker: number; readonly result: TaskResult }
  | { readonly type: "progress"; readonly worker: number; readonly progress: TaskProgress }
  | { readonly type: "split"; readonly worker: number; readonly prefixes: number[][] }
  | NondeterministicMessage;

/** A worker's replay found the user's code nondeterministic (`NondeterministicReplay`). */
export interface NondeterministicMessage {
  readonly type: "nondeterministic";
  readonly worker: number;
  readonly detail: string;
}

/** Where an unfinished task stands. */
export interface TaskProgress {
  readonly index: number;
  readonly executions: number;
  readonly schedules: number;
}

/**
 * `cx` with its case replay (`Counterexample.replay`), made where it was found: a worker, under
 * the watchdog, whose `hooks` see the replay as one more execution with the counterexample's
 * picks, so a replay that never ends is named like any execution.
 */
export function withReplay(
  scenario: Scenario,
  cx: Counterexample,
  checkers: string | undefined,
  services: Readonly<Record<string, PagerService>>,
  makeKernel: ((o: KernelOptions) => Kernel) | undefined,
  hooks?: ExploreHooks,
): Counterexample {
  hooks?.execution();
  for (const d of cx.decisions) hooks?.pick(d);
  const run = SCENARIO_KIND.run(scenario, { seed: 0, decisions: cx.decisions }, {
    monitors: scenarioCheckers(checkers ?? "kernel"),
    services,
    makeKernel,
  });
  return {
    ...cx,
    replay: {
      verdict: run.verdict,
      ...(run.raw !== undefined ? { raw: run.raw } : {}),
      decisions: [...run.decisions],
      traceHash: run.traceHash,
    },
  };
}

/** CPU milliseconds this thread has used (user + system). */
function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

/** Explores one task in this thread. */
export function runTask(
  scenario: Scenario,
  bound: number,
  task: SplitTask,
  index: number,
  options:
    & Pick<
      ExploreOptions,
      | "stateHash"
      | "reduction"
      | "privateSteps"
      | "services"
      | "makeKernel"
      | "budget"
      | "finalStates"
      | "hooks"
    >
    & { readonly checkers?: string },
  onProgress?: (p: TaskProgress) => void,
  cache?: { readonly store: StateCache; readonly lag: number; readonly share: boolean },
): TaskResult {
  let states: readonly string[] = [];
  let handOff: TaskResult["handOff"] = null;
  let wants: TaskResult["wants"] = [];
  const { checkers, ...rest } = options;
  const cpu = threadCpuMs();
  const r = exploreTask(scenario, {
    ...rest,
    ...(checkers !== undefined ? { monitors: scenarioCheckers(checkers) } : {}),
    onProgress: (p) => onProgress?.({ index, executions: p.executions, schedules: p.schedules }),
    progressEvery: 1000,
    preemptions: bound,
    firstBound: bound,
    prefix: task.prefix,
    seeds: task.seeds,
    stateSet: (s) => states = [...s],
    taskEnd: (end) => {
      handOff = end.handOff;
      wants = end.wants;
    },
  }, cache !== undefined ? { store: cache.store, task: index, lag: cache.lag } : undefined);
  const delta = cache?.share === true ? { cache: cache.store.export(index) } : {};
  return {
    index,
    stats: r.bounds[0],
    counterexample: r.counterexample,
    states,
    handOff,
    wants,
    cpuMs: threadCpuMs() - cpu,
    ...delta,
  };
}

/** A handed-out thread choice point, by the decisions before it (see {@linkcode nextGeneration}). */
interface Point {
  readonly tids: readonly number[];
  readonly backtrack: Set<number>;
  readonly asleep: ReadonlySet<number>;
  readonly permitted: ReadonlySet<number>;
}

const pointKey = (decisions: readonly number[]) => decisions.join(",");

/**
 * The tasks a generation handed back, in the order of the tasks that made them: for each task,
 * the threads its races added at handed-out choice points of its prefix (not yet run or handed
 * out there, nor asleep there), then, if it stopped at its budget, what is left below its
 * prefix, deepest choice point first (the order its own search would have taken them). The
 * choice points it handed out are recorded in `points`, so the next tasks' seeds and races see
 * them.
 */
export function nextGeneration(
  tasks: readonly SplitTask[],
  results: readonly TaskResult[],
  points: Map<string, Point>,
): number[][] {
  const next: number[][] = [];
  tasks.forEach((task, i) => {
    const r = results[i];
    for (const [depth, tid] of r.wants) {
      const key = task.prefix.slice(0, depth);
      const p = points.get(pointKey(key));
      if (p === undefined) {
        throw new Error(`task ${r.index}: a race at choice ${depth}, not handed out`);
      }
      if (p.backtrack.has(tid) || p.asleep.has(tid) || !p.permitted.has(tid)) continue;
      p.backtrack.add(tid);
      next.push([...key, p.tids.indexOf(tid)]);
    }
    if (r.handOff === null) return;
    const decisions = [...task.prefix, ...r.handOff.map((n) => n.chosen)];
    const base = task.prefix.length;
    r.handOff.forEach((n, k) => {
      if (n.kind !== "thread") return;
      points.set(pointKey(decisions.slice(0, base + k)), {
        tids: n.tids,
        backtrack: new Set(n.backtrack),
        asleep: new Set(n.asleep),
        permitted: new Set(n.permitted),
      });
    });
    for (let k = r.handOff.length - 1; k >= 0; k--) {
      for (const idx of r.handOff[k].todo) next.push([...decisions.slice(0, base + k), idx]);
    }
  });
  return next;
}

/** The seeds of a task's prefix: what `points` knows of its handed-out choice points now. */
function seedsOf(
  prefix: readonly number[],
  points: ReadonlyMap<string, Point>,
): (PrefixSeed | null)[] {
  return prefix.map((_, j) => {
    const p = points.get(pointKey(prefix.slice(0, j)));
    return p === undefined
      ? null
      : { backtrack: [...p.backtrack], asleep: [...p.asleep], permitted: [...p.permitted] };
  });
}

/** Runs one generation of tasks (global indexes from `base`) and resolves with their results. */
/**
 * Runs a generation of tasks. A counterexample ends the bound at its task: the tasks after the
 * lowest-index task that found one are not started (their slots are null), since none of them can
 * give the bound's answer (the fewest preemptions, then the lowest task); the tasks before it all
 * run, so what is kept is the same whatever ran where.
 */
interface Runner {
  run(tasks: readonly SplitTask[], base: number): Promise<(TaskResult | null)[]>;
  /** The bound's tasks split at `depth` (`splitTasks`), computed where the tasks run. */
  split(depth: number): Promise<number[][]>;
  close(): Promise<void>;
}

/**
 * Explores `scenario` like {@linkcode explore}, each bound split into tasks
 * run by `options.workers` workers.
 *
 * @example
 * ```ts
 * import { exploreSplit } from "./parallel.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const r = await exploreSplit(scenario, {
 *   preemptions: 1,
 *   splitDepth: 1,
 *   workers: 1,
 *   servicePath: null,
 * });
 * console.assert(r.outcome === "pass");
 * ```
 */
export async function exploreSplit(
  scenario: Scenario,
  options: SplitOptions,
): Promise<ExploreResult> {
  const k = options.preemptions;
  const bounds: BoundStats[] = [];
  let executions = 0;
  let counterexample: Counterexample | null = null;
  let lastStates = 0;
  const budget = options.taskBudget ?? DEFAULT_TASK_BUDGET;
  if (!(budget === Infinity || (Number.isInteger(budget) && budget >= 1))) {
    throw new RangeError(`taskBudget must be an integer >= 1 or Infinity, got ${budget}`);
  }
  const taskOptions = {
    stateHash: options.stateHash ?? true,
    reduction: options.reduction ?? true,
    privateSteps: options.privateSteps ?? true,
    ...(budget !== Infinity ? { budget } : {}),
    ...(options.checkers !== undefined ? { checkers: options.checkers } : {}),
  };
  const local = { services: options.services, makeKernel: options.makeKernel };
  const first = k === Infinity ? Infinity : 0;
  for (
    let bound = first;
    bound <= k && counterexample === null;
    bound = bound === Infinity ? NaN : bound + 1
  ) {
    // The split runs the user's code: in a worker, where the watchdog sees it, unless the tasks
    // run in this thread.
    const pooled = options.inThread === false;
    const prefixes = pooled
      ? null
      : options.splitDepth > 0
      ? splitTasks(scenario, { ...taskOptions, ...local }, bound, options.splitDepth)
      : [[]];
    let generation: SplitTask[] = [];
    const all: TaskResult[] = [];
    let total = 0;
    // Unfinished tasks' latest counts, so a long bound reports as it goes.
    const running = new Map<number, TaskProgress>();
    const report = () =>
      options.onProgress?.({
        bound,
        executions: sum(all, (x) => x.stats.executions) +
          sum([...running.values()], (x) => x.executions),
        schedules: sum(all, (x) => x.stats.schedules) +
          sum([...running.values()], (x) => x.schedules),
        states: null, // each worker's set is its own until the bound ends
        boundDone: false,
        tasks: total,
        tasksDone: all.length,
      });
    const progress = (p: TaskProgress) => {
      running.set(p.index, p);
      report();
    };
    // Every task by its index, for onTask.
    const byIndex: SplitTask[] = [];
    const note = (r: TaskResult) => {
      running.delete(r.index);
      all.push(r);
      options.onTask?.(r, byIndex[r.index]);
      if (r.counterexample !== null) options.onCounterexample?.(r.counterexample, r.index);
      report();
    };
    const single = !pooled && (options.inThread ??
      (options.workers <= 1 ||
        ((prefixes as number[][]).length === 1 && budget === Infinity)));
    if (options.finalStates !== undefined && !single) {
      throw new Error("exploreSplit: finalStates needs one worker");
    }
    const runner = single
      ? localRunner(
        scenario,
        bound,
        {
          ...taskOptions,
          ...local,
          ...(options.finalStates !== undefined ? { finalStates: options.finalStates } : {}),
        },
        progress,
        note,
      )
      : poolRunner(scenario, bound, options, taskOptions, budget, progress, note);
    const points = new Map<string, Point>();
    let base = 0;
    let found = false;
    try {
      generation = (prefixes ??
        (options.splitDepth > 0 ? await runner.split(options.splitDepth) : [[]]))
        .map((prefix) => ({ prefix, seeds: [], generation: 0 }));
      total = generation.length;
      byIndex.push(...generation);
      while (generation.length > 0 && !found) {
        const results = await runner.run(generation, base);
        found = results.some((r) => r !== null && r.counterexample !== null);
        base += generation.length;
        // A counterexample ends the bound: every later task has a higher index.
        const g = generation[0].generation + 1;
        generation = found ? [] : nextGeneration(
          generation,
          results as TaskResult[], // no counterexample: every task ran
          points,
        ).map((prefix) => ({
          prefix,
          seeds: seedsOf(prefix, points),
          generation: g,
        }));
        total += generation.length;
        byIndex.push(...generation);
      }
    } finally {
      await runner.close();
    }
    // Only the tasks up to the first counterexample count: a task after it that a worker had
    // already begun (or finished) when it was found is left out, so the figures do not depend on
    // timing.
    const stop = all.reduce(
      (m, r) => r.counterexample !== null ? Math.min(m, r.index) : m,
      Infinity,
    );
    if (stop !== Infinity) all.splice(0, all.length, ...all.filter((r) => r.index <= stop));
    all.sort((a, b) => a.index - b.index);
    const states = new Set<string>();
    for (const r of all) for (const s of r.states) states.add(s);
    lastStates = states.size;
    const stats: BoundStats = {
      bound,
      executions: sum(all, (x) => x.stats.executions),
      schedules: sum(all, (x) => x.stats.schedules),
      states: states.size,
      prunedByState: sum(all, (x) => x.stats.prunedByState),
      prunedBySleep: sum(all, (x) => x.stats.prunedBySleep),
      sleptAlternatives: sum(all, (x) => x.stats.sleptAlternatives),
      privateSkips: sum(all, (x) => x.stats.privateSkips),
      drawAlternatives: sum(all, (x) => x.stats.drawAlternatives),
      widestDraw: Math.max(0, ...all.map((x) => x.stats.widestDraw)),
      dpor: {
        races: sum(all, (x) => x.stats.dpor.races),
        summaryRaces: sum(all, (x) => x.stats.dpor.summaryRaces),
        blockStarts: sum(all, (x) => x.stats.dpor.blockStarts),
      },
      notQuiescent: sum(all, (x) => x.stats.notQuiescent),
      pendingAtEnd: sum(all, (x) => x.stats.pendingAtEnd),
      pendingEvents: [...new Set(all.flatMap((x) => x.stats.pendingEvents))].sort(),
      steps: sum(all, (x) => x.stats.steps),
      replayedSteps: sum(all, (x) => x.stats.replayedSteps),
      complete: all.every((x) => x.stats.complete),
    };
    bounds.push(stats);
    executions += stats.executions;
    // The fewest preemptions, then the first task: the same whatever ran where.
    for (const r of all) {
      const cx = r.counterexample;
      if (cx !== null && (counterexample === null || cx.preemptions < counterexample.preemptions)) {
        counterexample = cx;
      }
    }
    options.onProgress?.({
      bound,
      executions: stats.executions,
      schedules: stats.schedules,
      states: stats.states,
      boundDone: true,
      complete: stats.complete,
      tasks: total,
      tasksDone: all.length,
    });
  }
  const last = bounds[bounds.length - 1];
  const outcome = counterexample !== null ? "fail" : "pass";
  return {
    outcome,
    preemptions: k,
    bounds,
    schedules: last.schedules,
    states: lastStates,
    executions,
    counterexample,
    summary: counterexample !== null
      ? `counterexample with ${counterexample.preemptions} preemptions`
      : passSentence(last.schedules, lastStates, k),
  };
}

/**
 * Starts `count` exploration workers of module `url`. A worker's search cannot be taken up by
 * a fresh worker (its task and state cache die with it), so a worker that stops (crashed) is
 * not replaced: its slot ends with the reason in `errors`, never a silent restart. The pool's
 * own run limit never fires (the workers keep no run in its slots): the exploration's watchdog
 * (`explore/guard.ts`) times each execution and calls `onStop` with a hang or out-of-memory
 * finding, as does a worker that reports its heap limit; returns the pool and the function that
 * stops the watchdog.
 */
function startExplorePool<Start, Message extends { readonly type: string }>(
  url: URL,
  count: number,
  start: (worker: number) => Start,
  onMessage: (m: Message) => void,
  errors: string[],
  guard: GuardBuffers,
  limits: ExploreLimits,
  onStop: (finding: StopFinding) => void,
  onSuspect?: (line: string) => void,
): { pool: Pool; unwatch: () => void } {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size(count)));
  // The pool replaces a stopped worker only while the control block's stop flag is clear.
  Atomics.store(control, CONTROL.stop, 1);
  let stopped = false;
  const stop = (f: StopFinding) => {
    if (stopped) return;
    stopped = true;
    unwatch();
    onStop(f);
  };
  const unwatch = startWatchdog(guard, count, limits, { onSuspect, onStop: stop });
  const pool = startPool<Start, Message>({
    url,
    count,
    start,
    onMessage,
    errors,
    control,
    runLimitMs: 2 ** 30,
    memoryMb: limits.memoryMb,
    onStall: (worker, _state, cause) => {
      if (cause === "out-of-memory") {
        stop(findingOf(
          guard,
          worker,
          "out-of-memory",
          0,
          `worker ${worker} reached the --memory ${limits.memoryMb} MiB heap limit`,
        ));
      } else errors.push(`worker ${worker} stopped: ${cause}`);
      return Promise.resolve();
    },
  });
  return { pool, unwatch };
}

/** Runs every task in this thread, in order, with one state cache. */
function localRunner(
  scenario: Scenario,
  bound: number,
  options: Parameters<typeof runTask>[4],
  progress: (p: TaskProgress) => void,
  note: (r: TaskResult) => void,
): Runner {
  const cache = { store: new StateCache(), lag: CACHE_LAG, share: false };
  return {
    run(tasks, base) {
      const results: (TaskResult | null)[] = tasks.map(() => null);
      for (let i = 0; i < tasks.length; i++) {
        const t = runTask(scenario, bound, tasks[i], base + i, options, progress, cache);
        // With its case replay, as a worker's: the result is the same on any number of workers.
        const r = t.counterexample === null ? t : {
          ...t,
          counterexample: withReplay(
            scenario,
            t.counterexample,
            options.checkers,
            options.services ?? {},
            options.makeKernel,
          ),
        };
        note(r);
        results[i] = r;
        if (r.counterexample !== null) break;
      }
      return Promise.resolve(results);
    },
    split: (depth) => Promise.resolve(splitTasks(scenario, options, bound, depth)),
    close: () => Promise.resolve(),
  };
}

/**
 * Runs tasks on a pool of workers that lives for the bound. Task i goes to an idle worker once
 * tasks up to i-{@linkcode CACHE_LAG} are done; every finished task's cache goes to the other
 * workers before any later task does, so a worker holds every cache its task may see.
 */
function poolRunner(
  scenario: Scenario,
  bound: number,
  options: SplitOptions,
  taskOptions: {
    stateHash: boolean;
    reduction: ExploreOptions["reduction"];
    privateSteps: boolean;
    checkers?: string;
  },
  budget: number,
  progress: (p: TaskProgress) => void,
  note: (r: TaskResult) => void,
): Runner {
  const count = Math.max(1, options.workers);
  const errors: string[] = [];
  const idle: number[] = Array.from({ length: count }, (_, w) => w);
  let current: {
    readonly tasks: readonly SplitTask[];
    readonly base: number;
    readonly results: (TaskResult | null)[];
    sent: number;
    /** Tasks 0..doneBelow-1 of the generation are done. */
    doneBelow: number;
    done: number;
    /** Tasks 0..end-1 are the generation's: all, or up to the first that found a counterexample. */
    end: number;
    readonly resolve: (r: (TaskResult | null)[]) => void;
    readonly reject: (e: Error) => void;
  } | null = null;
  /** The finding that stopped the search (a hang, out of memory, a nondeterministic replay). */
  let stopped: StopFinding | null = null;
  let splitting: { resolve: (p: number[][]) => void; reject: (e: Error) => void } | null = null;
  const fail = () => {
    if (stopped === null && errors.length === 0) return;
    const e = stopped !== null
      ? new ExploreStopped(stopped)
      : new Error(`exploration workers failed: ${errors.join("; ")}`);
    const c = current, sp = splitting;
    current = null;
    splitting = null;
    c?.reject(e);
    sp?.reject(e);
  };
  const onStop = (f: StopFinding) => {
    stopped ??= f;
    fail();
  };
  const pump = () => {
    fail();
    const c = current;
    if (c === null) return;
    while (idle.length > 0 && c.sent < c.end && c.sent - CACHE_LAG < c.doneBelow) {
      const w = idle.shift() as number;
      const index = c.base + c.sent;
      pool.send(w, { type: "run", index, task: c.tasks[c.sent] } satisfies WorkerCommand);
      c.sent++;
    }
    if (c.doneBelow >= c.end) {
      current = null;
      cut ||= c.end < c.tasks.length;
      c.resolve(c.results.map((r, i) => i < c.end ? r : null));
    }
  };
  // A task ends when its budget or its subtree is spent; the watchdog times each execution.
  const guard = guardBuffers(count);
  const { pool, unwatch } = startExplorePool<TaskStart, TaskMessage>(
    new URL("./_task_worker.ts", import.meta.url),
    count,
    (worker) => ({
      worker,
      scenario,
      servicePath: options.servicePath,
      kernelPath: options.kernelPath ?? null,
      bound,
      budget,
      lag: CACHE_LAG,
      ...taskOptions,
      guard,
    }),
    (m) => {
      if (m.type === "progress") return progress(m.progress);
      if (m.type === "nondeterministic") {
        return onStop(findingOf(guard, m.worker, "nondeterministic", 0, m.detail));
      }
      if (m.type === "split") {
        const sp = splitting;
        splitting = null;
        idle.push(m.worker);
        return sp?.resolve(m.prefixes);
      }
      const { cache: delta, ...result } = m.result;
      // The other workers import the task's visits (each holds every task's it may need).
      if (delta !== undefined) {
        for (let w = 0; w < count; w++) {
          if (w !== m.worker) pool.send(w, { type: "cache", delta } satisfies WorkerCommand);
        }
      }
      idle.push(m.worker);
      const c = current;
      if (c !== null) {
        const at = result.index - c.base;
        c.results[at] = result;
        c.done++;
        if (result.counterexample !== null) c.end = Math.min(c.end, at + 1);
        while (c.doneBelow < c.tasks.length && c.results[c.doneBelow] !== null) c.doneBelow++;
      }
      note(result);
      pump();
    },
    errors,
    guard,
    options.limits ?? DEFAULT_EXPLORE_LIMITS,
    onStop,
    options.onSuspect,
  );
  let closed = false;
  /** A generation ended at a counterexample while later tasks may still run: close stops them. */
  let cut = false;
  void pool.finished.then(() => {
    if (!closed && errors.length === 0) errors.push("every worker ended before the bound did");
    fail();
  });
  // A worker that failed leaves its task unanswered: the pool only records why.
  const check = setInterval(fail, 100);
  return {
    run(tasks, base) {
      return new Promise<(TaskResult | null)[]>((resolve, reject) => {
        current = {
          tasks,
          base,
          results: tasks.map(() => null),
          sent: 0,
          doneBelow: 0,
          done: 0,
          end: tasks.length,
          resolve,
          reject,
        };
        pump();
      });
    },
    split(depth) {
      return new Promise<number[][]>((resolve, reject) => {
        splitting = { resolve, reject };
        const w = idle.shift() as number; // every worker is idle before the first task
        pool.send(w, { type: "split", depth } satisfies WorkerCommand);
        fail();
      });
    },
    async close() {
      closed = true;
      clearInterval(check);
      unwatch();
      // A worker stopped in user code may spin on after terminate() (Deno 2.9.6): the caller
      // ends the process; waiting for the pool here could wait forever.
      if (stopped !== null) return void pool.terminateAll();
      if (errors.length > 0 || cut) await pool.terminateAll();
      else for (let w = 0; w < count; w++) pool.send(w, { type: "end" } satisfies WorkerCommand);
      await pool.finished;
    },
  };
}

function sum<T>(xs: readonly (T | null)[], f: (x: T) => number): number {
  let n = 0;
  for (const x of xs) if (x !== null) n += f(x);
  return n;
}

/** What the main thread gives the worker of {@linkcode exploreInWorker}. */
export interface SearchStart {
  readonly scenario: Scenario;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers: string;
  readonly options: Pick<
    ExploreOptions,
    "preemptions" | "maxSchedules" | "stateHash" | "reduction" | "privateSteps" | "progressEvery"
  >;
  /** The watchdog's shared memory (`explore/guard.ts`): set by {@linkcode exploreInWorker}. */
  readonly guard?: GuardBuffers;
}

/** What the worker of {@linkcode exploreInWorker} posts. */
export type SearchMessage =
  | { readonly type: "progress"; readonly progress: ExploreProgress }
  | { readonly type: "result"; readonly result: ExploreResult }
  | NondeterministicMessage;

/**
 * {@linkcode explore} (one search, e.g. with a schedule limit, which counts executions in search
 * order) run in a worker, so this thread stays free for signal listeners while it runs. An
 * execution past `limits`, or a nondeterministic replay, rejects with an
 * {@linkcode ExploreStopped} (the worker may spin on: the caller ends the process).
 *
 * @example
 * ```ts ignore
 * import { exploreInWorker } from "./parallel.ts";
 * const r = await exploreInWorker({
 *   scenario,
 *   servicePath: null,
 *   kernelPath: null,
 *   checkers: "kernel",
 *   options: { preemptions: 2, maxSchedules: 1000 },
 * });
 * ```
 */
export async function exploreInWorker(
  start: SearchStart,
  onProgress?: (p: ExploreProgress) => void,
  limits: ExploreLimits = DEFAULT_EXPLORE_LIMITS,
  onSuspect?: (line: string) => void,
): Promise<ExploreResult> {
  const errors: string[] = [];
  let result: ExploreResult | null = null;
  const guard = guardBuffers(1);
  let stop: StopFinding | null = null;
  let stopNow = () => {};
  const stopped = new Promise<void>((resolve) => stopNow = resolve);
  const onStop = (f: StopFinding) => {
    stop ??= f;
    stopNow();
  };
  const { pool, unwatch } = startExplorePool<SearchStart, SearchMessage>(
    new URL("./_explore_worker.ts", import.meta.url),
    1,
    () => ({ ...start, guard }),
    (m) => {
      if (m.type === "progress") onProgress?.(m.progress);
      else if (m.type === "nondeterministic") {
        onStop(findingOf(guard, 0, "nondeterministic", 0, m.detail));
      } else result = m.result;
    },
    errors,
    guard,
    limits,
    onStop,
    onSuspect,
  );
  await Promise.race([pool.finished, stopped]);
  unwatch();
  if (stop !== null) {
    void pool.terminateAll();
    throw new ExploreStopped(stop);
  }
  if (errors.length > 0) throw new Error(`exploration worker failed: ${errors.join("; ")}`);
  if (result === null) throw new Error("the exploration worker reported nothing");
  return result;
}

/** What the worker of {@linkcode shrinkInWorker} is started with. */
export interface ShrinkStart {
  /** The scenario searched (its pagers bound to the service as searched). */
  readonly scenario: Scenario;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers: string;
  /** The counterexample: its case replay's decisions and trace hash, and its preemptions. */
  readonly cx: FoundCounterexample;
  /** Most candidate runs. */
  readonly maxAttempts: number;
  /** Seconds of shrinking before the case shrunk so far is kept (0: no limit). */
  readonly seconds: number;
  /** The watchdog's shared memory: set by {@linkcode shrinkInWorker}. */
  readonly guard: GuardBuffers;
}

/** What the worker of {@linkcode shrinkInWorker} posts. */
export type ShrinkMessage =
  | { readonly type: "progress"; readonly runs: number }
  | { readonly type: "result"; readonly result: ShrunkCounterexample };

/**
 * Shrinks a counterexample (explore/shrink.ts) in a worker under the watchdog: a candidate run
 * past `limits` rejects with an {@linkcode ExploreStopped} (the caller keeps the counterexample
 * as found; the worker may spin on until the process ends). `onProgress` hears the candidate
 * runs tried so far, about once a second.
 */
export async function shrinkInWorker(
  start: Omit<ShrinkStart, "guard">,
  onProgress?: (runs: number) => void,
  limits: ExploreLimits = DEFAULT_EXPLORE_LIMITS,
  onSuspect?: (line: string) => void,
): Promise<ShrunkCounterexample> {
  const errors: string[] = [];
  let result: ShrunkCounterexample | null = null;
  const guard = guardBuffers(1);
  let stop: StopFinding | null = null;
  let stopNow = () => {};
  const stopped = new Promise<void>((resolve) => stopNow = resolve);
  const { pool, unwatch } = startExplorePool<ShrinkStart, ShrinkMessage>(
    new URL("./_shrink_worker.ts", import.meta.url),
    1,
    () => ({ ...start, guard }),
    (m) => {
      if (m.type === "progress") onProgress?.(m.runs);
      else result = m.result;
    },
    errors,
    guard,
    limits,
    (f) => {
      stop ??= f;
      stopNow();
    },
    onSuspect,
  );
  await Promise.race([pool.finished, stopped]);
  unwatch();
  if (stop !== null) {
    void pool.terminateAll();
    throw new ExploreStopped(stop);
  }
  if (errors.length > 0) throw new Error(`shrinking worker failed: ${errors.join("; ")}`);
  if (result === null) throw new Error("the shrinking worker reported nothing");
  return result;
}
