/**
 * Where a split exploration's work goes, task by task: runs `exploreSplit` in this thread (one
 * task after another, so each task's CPU time is its own) and prints, per bound, the tasks'
 * executions and CPU seconds, the largest task's share, and the wall time the measured tasks
 * would take on 1 and 2 idle cores under the pool's rules (task i starts once tasks 0..i-2 are
 * done and a worker is free; a generation of handed-back tasks starts once the one before it
 * ended), and the steps the executions ran (how many an execution replays from the previous
 * one's prefix, and the CPU microseconds a step). The counts are the CLI's (they never depend on the worker count); the CPU seconds
 * are this machine's, loaded or not: thread CPU time, not wall time. `--tasks` lists every
 * task.
 *
 * @example
 * ```sh
 * deno run --allow-read tools/explore_tasks.ts --preemptions 0
 * deno run --allow-read tools/explore_tasks.ts --scenario explore/testdata/default_small.json --preemptions 2 --task-budget 50 --tasks
 * ```
 *
 * @module
 */

import {
  DEFAULT_TASK_BUDGET,
  exploreSplit,
  type SplitTask,
  type TaskResult,
} from "../explore/parallel.ts";
import { CACHE_LAG } from "../explore/parallel.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { reductionFlag, taskBudgetFlag } from "../cli/explore.ts";
import { type FlagSpec, intFlag, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  scenario: { type: "string", value: "FILE", help: "the scenario (default: the built-in one)" },
  preemptions: { type: "string", value: "K", help: "bounds 0..K (required, 0-8)" },
  "split-depth": { type: "string", value: "D", help: "split depth (default 4)" },
  "task-budget": {
    type: "string",
    value: "N",
    help: `executions before a task hands back (default ${DEFAULT_TASK_BUDGET}; all: never)`,
  },
  reduction: { type: "string", value: "KIND", help: "dpor (default) | sleep-sets" },
  tasks: { type: "boolean", help: "list every task" },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage(
  "deno run --allow-read tools/explore_tasks.ts",
  "--preemptions K [options]",
  FLAGS,
);

/** A measured task, in task order. */
interface Row {
  readonly task: SplitTask;
  readonly result: TaskResult;
}

/**
 * Wall milliseconds of the measured tasks on `workers` idle cores: tasks in index order, task i
 * on the first free worker once tasks up to i-lag are done, a generation after the previous one.
 */
export function makespan(rows: readonly Row[], workers: number, lag: number): number {
  const free = new Array<number>(workers).fill(0);
  const end: number[] = [];
  let genStart = 0, genEnd = 0, gen = 0;
  rows.forEach((row, i) => {
    if (row.task.generation !== gen) {
      gen = row.task.generation;
      genStart = genEnd;
    }
    const w = free.indexOf(Math.min(...free));
    let start = Math.max(free[w], genStart);
    for (let j = 0; j <= i - lag; j++) start = Math.max(start, end[j]);
    end[i] = start + row.result.cpuMs;
    free[w] = end[i];
    genEnd = Math.max(genEnd, end[i]);
  });
  return Math.max(0, ...end);
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.preemptions === undefined) throw new UsageError("--preemptions K is required");
  const k = intFlag(values, "preemptions", 0, 0, 8);
  const splitDepth = intFlag(values, "split-depth", 4, 0, 6);
  const taskBudget = taskBudgetFlag(values);
  const kind = reductionFlag(values);
  const scenario: Scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  console.log(
    `explore tasks: ${values.scenario ?? "the default scenario"}, bounds 0..${k}, split at ` +
      `depth ${splitDepth}, task budget ${taskBudget === Infinity ? "none" : taskBudget}, ` +
      `reduction ${kind}, lag ${CACHE_LAG}`,
  );
  const byBound = new Map<number, Row[]>();
  const printBound = (bound: number) => {
    const rows = byBound.get(bound) ?? [];
    if (rows.length === 0) return;
    rows.sort((a, b) => a.result.index - b.result.index);
    const execs = rows.reduce((n, r) => n + r.result.stats.executions, 0);
    const cpu = rows.reduce((n, r) => n + r.result.cpuMs, 0);
    const top = rows.reduce((a, b) =>
      b.result.stats.executions > a.result.stats.executions ? b : a
    );
    const gens = Math.max(...rows.map((r) => r.task.generation)) + 1;
    const one = makespan(rows, 1, CACHE_LAG), two = makespan(rows, 2, CACHE_LAG);
    console.log(
      `bound ${bound}: ${rows.length} tasks in ${gens} generations, ${execs} executions, ` +
        `${(cpu / 1000).toFixed(1)} CPU s (${(cpu / execs).toFixed(2)} ms an execution); ` +
        `largest task ${top.result.index} (prefix ${top.task.prefix.join(",") || "-"}) ` +
        `${top.result.stats.executions} executions (${
          (100 * top.result.stats.executions / execs).toFixed(0)
        }%); on idle cores: 1 worker ${(one / 1000).toFixed(1)} s, 2 workers ${
          (two / 1000).toFixed(1)
        } s (${(100 * two / one).toFixed(0)}%)`,
    );
    const steps = rows.reduce((n, r) => n + r.result.stats.steps, 0);
    const replayed = rows.reduce((n, r) => n + r.result.stats.replayedSteps, 0);
    console.log(
      `bound ${bound} steps: ${steps} (${(steps / execs).toFixed(1)} an execution, ${
        (100 * replayed / steps).toFixed(0)
      }% replayed: ${(replayed / execs).toFixed(1)} an execution), ${
        (1000 * cpu / steps).toFixed(1)
      } CPU us a step`,
    );
  };

  const result = await exploreSplit(scenario, {
    preemptions: k,
    splitDepth,
    taskBudget,
    workers: 1,
    inThread: true,
    reduction: kind,
    servicePath: null,
    onProgress: (p) => {
      if (p.boundDone) printBound(p.bound);
    },
    onTask: (r, task) => {
      const rows = byBound.get(r.stats.bound) ?? [];
      rows.push({ task, result: r });
      byBound.set(r.stats.bound, rows);
      if (values.tasks) {
        console.log(
          `  bound ${r.stats.bound} task ${r.index} gen ${task.generation} ` +
            `prefix ${task.prefix.join(",") || "-"}: ${r.stats.executions} executions, ` +
            `${(r.cpuMs / 1000).toFixed(2)} CPU s` +
            (r.handOff !== null ? `, handed back ${r.handOff.length} choice points` : "") +
            (r.wants.length > 0 ? `, ${r.wants.length} races at its prefix` : ""),
        );
      }
    },
  });
  console.log(result.summary);
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
