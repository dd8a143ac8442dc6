/**
 * Exploration on all cores: each bound's search is split at a shallow depth
 * into tasks (`splitTasks`: every allowed decision prefix of that many
 * choices), the tasks are explored by a pool of workers that claim them one
 * at a time, and their results are combined in task order. Task i takes as
 * explored the states tasks 0..i-{@linkcode CACHE_LAG} explored (their state
 * caches, which the workers pass each other), never those of the tasks just
 * before it, which may still be running: a worker that claims task i waits
 * until tasks 0..i-CACHE_LAG are done. The tasks depend only on the scenario,
 * the bound and the split depth, and what each task sees only on its index,
 * so the verdict, the counterexample (fewest preemptions, then lowest task)
 * and every count are the same whatever the number of workers; splitting
 * still costs executions (a state task i-1 explored is explored again by
 * task i), so the counts do depend on the split depth.
 *
 * @module
 */

import {
  type BoundStats,
  type CacheDelta,
  type Counterexample,
  type ExploreOptions,
  type ExploreProgress,
  type ExploreResult,
  exploreTask,
  passSentence,
  splitTasks,
  StateCache,
} from "./explore.ts";
import type { Scenario } from "../scenario/schema.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import { startPool } from "../fuzz/_worker_pool.ts";
import { CONTROL } from "../fuzz/engine.ts";

/** Heap limit of each exploration worker (its state cache lives there), MiB. */
const WORKER_MEMORY_MB = 4096;

/**
 * Task i of a split search sees the state caches of tasks 0..i-CACHE_LAG: a fixed lag (not the
 * worker count), so what every task sees, and so every count, is the same on any number of
 * workers; two workers rarely wait (task i-CACHE_LAG is the one before the other worker's).
 */
export const CACHE_LAG = 2;

/** Options of {@linkcode exploreSplit}. */
export interface SplitOptions {
  /** The preemption bound K (`Infinity`: every schedule, one search). */
  readonly preemptions: number;
  /** Split each bound's search after this many choices (0: one task, the plain search). */
  readonly splitDepth: number;
  /** Workers that run the tasks (1: in this thread). */
  readonly workers: number;
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
}

/** One task's outcome, as a worker reports it. */
export interface TaskResult {
  readonly index: number;
  readonly stats: BoundStats;
  readonly counterexample: Counterexample | null;
  readonly states: readonly string[];
  /** The task's state cache visits, for the other workers (worker tasks only). */
  readonly cache?: CacheDelta;
}

/** What the main thread tells a worker. */
export interface TaskStart {
  readonly worker: number;
  readonly scenario: Scenario;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers?: string;
  readonly bound: number;
  readonly tasks: readonly (readonly number[])[];
  /** Task i sees the state caches of tasks 0..i-lag. */
  readonly lag: number;
  /** The pool's control block; `CONTROL.next` is the next unclaimed task index. */
  readonly control: SharedArrayBuffer;
  readonly stateHash: boolean;
  readonly reduction: ExploreOptions["reduction"];
  readonly privateSteps: boolean;
}

/** Another worker's finished task's state cache visits, as the main thread passes them on. */
export interface CacheMessage {
  readonly type: "cache";
  readonly delta: CacheDelta;
}

/** What a worker posts. */
export type TaskMessage =
  | { readonly type: "task"; readonly worker: number; readonly result: TaskResult }
  | { readonly type: "progress"; readonly worker: number; readonly progress: TaskProgress };

/** Where an unfinished task stands. */
export interface TaskProgress {
  readonly index: number;
  readonly executions: number;
  readonly schedules: number;
}

/** The checkers of a named set, or an error naming the set. */
function scenarioCheckerSet(name: string) {
  const f = checkerSet(name);
  if (f === undefined) throw new Error(`no scenario checker set "${name}"`);
  return f;
}

/** Explores one task in this thread. */
export function runTask(
  scenario: Scenario,
  bound: number,
  prefix: readonly number[],
  index: number,
  options:
    & Pick<
      ExploreOptions,
      "stateHash" | "reduction" | "privateSteps" | "services" | "makeKernel"
    >
    & { readonly checkers?: string },
  onProgress?: (p: TaskProgress) => void,
  cache?: { readonly store: StateCache; readonly lag: number; readonly share: boolean },
): TaskResult {
  let states: readonly string[] = [];
  const { checkers, ...rest } = options;
  const r = exploreTask(scenario, {
    ...rest,
    ...(checkers !== undefined ? { monitors: scenarioCheckerSet(checkers) } : {}),
    onProgress: (p) => onProgress?.({ index, executions: p.executions, schedules: p.schedules }),
    progressEvery: 1000,
    preemptions: bound,
    firstBound: bound,
    prefix,
    stateSet: (s) => states = [...s],
  }, cache !== undefined ? { store: cache.store, task: index, lag: cache.lag } : undefined);
  const delta = cache?.share === true ? { cache: cache.store.export(index) } : {};
  return { index, stats: r.bounds[0], counterexample: r.counterexample, states, ...delta };
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
  const taskOptions = {
    stateHash: options.stateHash ?? true,
    reduction: options.reduction ?? true,
    privateSteps: options.privateSteps ?? true,
    ...(options.checkers !== undefined ? { checkers: options.checkers } : {}),
  };
  const local = { services: options.services, makeKernel: options.makeKernel };
  const first = k === Infinity ? Infinity : 0;
  for (
    let bound = first;
    bound <= k && counterexample === null;
    bound = bound === Infinity ? NaN : bound + 1
  ) {
    const tasks = options.splitDepth > 0
      ? splitTasks(
        scenario,
        { ...taskOptions, ...local },
        bound,
        options.splitDepth,
      )
      : [[]];
    const results: (TaskResult | null)[] = tasks.map(() => null);
    let done = 0;
    // Unfinished tasks' latest counts, so a long bound reports as it goes.
    const running = new Map<number, TaskProgress>();
    const report = () =>
      options.onProgress?.({
        bound,
        executions: sum(results, (x) => x.stats.executions) +
          sum([...running.values()], (x) => x.executions),
        schedules: sum(results, (x) => x.stats.schedules) +
          sum([...running.values()], (x) => x.schedules),
        states: null, // each worker's set is its own until the bound ends
        boundDone: false,
        tasks: tasks.length,
        tasksDone: done,
      });
    const progress = (p: TaskProgress) => {
      running.set(p.index, p);
      report();
    };
    const note = (r: TaskResult) => {
      running.delete(r.index);
      results[r.index] = r;
      done++;
      report();
    };
    if (options.workers <= 1 || tasks.length === 1) {
      const cache = { store: new StateCache(), lag: CACHE_LAG, share: false };
      tasks.forEach((prefix, i) =>
        note(runTask(scenario, bound, prefix, i, { ...taskOptions, ...local }, progress, cache))
      );
    } else {
      const count = Math.min(options.workers, tasks.length);
      const buffer = new SharedArrayBuffer(4 * CONTROL.size(count));
      const control = new Int32Array(buffer);
      Atomics.store(control, CONTROL.next, 0);
      const errors: string[] = [];
      // No run limit: a task ends when its subtree is searched (slots stay idle to the watchdog).
      const pool = startPool<TaskStart, TaskMessage>({
        url: new URL("./_task_worker.ts", import.meta.url),
        count,
        start: (worker) => ({
          worker,
          scenario,
          servicePath: options.servicePath,
          kernelPath: options.kernelPath ?? null,
          bound,
          tasks,
          lag: CACHE_LAG,
          control: buffer,
          ...taskOptions,
        }),
        onMessage: (m) => {
          if (m.type === "progress") return progress(m.progress);
          const { cache: delta, ...result } = m.result;
          // The other workers import the task's visits (each holds every task's it may need).
          if (delta !== undefined) {
            for (let w = 0; w < count; w++) {
              if (w !== m.worker) pool.send(w, { type: "cache", delta } satisfies CacheMessage);
            }
          }
          note(result);
        },
        errors,
        control,
        runLimitMs: 2 ** 30,
        memoryMb: WORKER_MEMORY_MB,
        onStall: (worker, _state, cause) => {
          errors.push(`worker ${worker} stopped: ${cause}`);
          return Promise.resolve();
        },
      });
      await pool.finished;
      if (errors.length > 0) throw new Error(`exploration workers failed: ${errors.join("; ")}`);
    }
    const all = results.map((r, i) => {
      if (r === null) throw new Error(`task ${i} of bound ${bound} reported nothing`);
      return r;
    });
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
      dpor: {
        races: sum(all, (x) => x.stats.dpor.races),
        summaryRaces: sum(all, (x) => x.stats.dpor.summaryRaces),
        blockStarts: sum(all, (x) => x.stats.dpor.blockStarts),
      },
      notQuiescent: sum(all, (x) => x.stats.notQuiescent),
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
      tasks: tasks.length,
      tasksDone: tasks.length,
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

function sum<T>(xs: readonly (T | null)[], f: (x: T) => number): number {
  let n = 0;
  for (const x of xs) if (x !== null) n += f(x);
  return n;
}
