/**
 * How much of an exploration is the world running its executions again, and how much the
 * search's own work: explores the first N executions of a scenario (one search, no split),
 * records each execution's decisions, then runs those same executions again with
 * `replayStrategy` and the same checkers but no search (an execution the search cut is stopped
 * at the same choice). Taking turns for about SECONDS, least CPU time of each side (this
 * thread's user + system time, so a loaded machine's reads stay comparable):
 *
 * - `explore`: the search, T;
 * - `world`: the kernel, services, workload and checkers running every step of those
 *   executions, W (the re-run; the same steps, checked: the tool fails if the count differs);
 * - `search`: T - W, the search's bookkeeping (fingerprints, footprints, DPOR, snapshots);
 * - `replayed`: W times the share of steps replayed from the previous execution's prefix,
 *   what an exploration that copied the world at each branch choice instead of running the
 *   prefix again would save at most (before the copies' own cost), and T over what is left.
 *
 * @example
 * ```sh
 * deno run --allow-read tools/explore_replay_cost.ts --preemptions 1 --executions 3000
 * deno run --allow-read tools/explore_replay_cost.ts --preemptions 1 --first-bound 1 --executions 3000
 * deno run --allow-read tools/explore_replay_cost.ts --scenario explore/testdata/default_small.json --preemptions 2 --executions 300 --seconds 5
 * ```
 *
 * @module
 */

import process from "node:process";
import { explore } from "../explore/explore.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import type { Strategy } from "../sim/strategy.ts";
import type { Monitor } from "../sim/world.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { type FlagSpec, intFlag, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  scenario: { type: "string", value: "FILE", help: "the scenario (default: the built-in one)" },
  preemptions: { type: "string", value: "K", help: "bounds 0..K (required, 0-8)" },
  "first-bound": {
    type: "string",
    value: "B",
    help: "start at bound B (default 0), to sample a later bound's executions",
  },
  executions: { type: "string", value: "N", help: "executions to explore (default 2000)" },
  seconds: { type: "string", value: "S", help: "how long to take turns (default 30)" },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage(
  "deno run --allow-read tools/explore_replay_cost.ts",
  "--preemptions K [options]",
  FLAGS,
);

/** One execution as the search ran it: its decisions, and whether the search cut it there. */
export interface Recorded {
  readonly decisions: readonly number[];
  readonly steps: number;
}

/** Thrown out of a re-run where the search cut the execution. */
class Cut extends Error {}

function cpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Explores the first `n` executions of `scenario`, bounds `firstBound..k`, with the kernel
 * checkers, recording each execution's decisions and steps when `record` is given.
 */
export function exploreFirst(
  scenario: Scenario,
  k: number,
  n: number,
  record?: Recorded[],
  firstBound = 0,
) {
  const monitors = (): Monitor[] => {
    if (record === undefined) return kernelInvariants();
    const run = { decisions: [] as readonly number[], steps: 0 };
    record.push(run);
    return [...kernelInvariants(), {
      name: "recorder",
      afterStep: (w) => {
        run.decisions = [...w.decisions.decisions];
        run.steps++;
      },
    }];
  };
  return explore(scenario, { preemptions: k, firstBound, maxSchedules: n, monitors });
}

/** Runs the recorded executions again with the kernel checkers and no search; their steps. */
export function rerun(scenario: Scenario, runs: readonly Recorded[]): number {
  let steps = 0;
  for (const r of runs) {
    let i = 0;
    const strategy: Strategy = {
      name: "rerun",
      pick: () => {
        if (i >= r.decisions.length) throw new Cut("the search cut the execution here");
        return r.decisions[i++];
      },
    };
    let ran = 0;
    const count: Monitor = { name: "count", afterStep: () => void ran++ };
    try {
      runScenario(scenario, {
        strategy,
        monitors: [count, ...kernelInvariants()],
        keepTrace: false,
        quiescentTail: false, // as explore with the kernel checkers
      });
    } catch (e) {
      if (!(e instanceof Cut)) throw e;
    }
    steps += ran;
  }
  return steps;
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.preemptions === undefined) throw new UsageError("--preemptions K is required");
  const k = intFlag(values, "preemptions", 0, 0, 8);
  const n = intFlag(values, "executions", 2000, 1, 10_000_000);
  const seconds = intFlag(values, "seconds", 30, 0, 86_400);
  const first = intFlag(values, "first-bound", 0, 0, k);
  const scenario: Scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  const runs: Recorded[] = [];
  const result = exploreFirst(scenario, k, n, runs, first);
  const steps = result.bounds.reduce((s, b) => s + b.steps, 0);
  const replayed = result.bounds.reduce((s, b) => s + b.replayedSteps, 0);
  const again = rerun(scenario, runs);
  if (again !== steps || runs.length !== result.executions) {
    throw new Error(
      `the re-run ran ${again} steps in ${runs.length} executions, the search ${steps} in ` +
        `${result.executions}: not the same executions`,
    );
  }
  let t = Infinity, w = Infinity;
  const until = performance.now() + seconds * 1000;
  for (let round = 0; round < 2 || performance.now() < until; round++) {
    const sides = [
      () => exploreFirst(scenario, k, n, undefined, first),
      () => rerun(scenario, runs),
    ];
    // Each round alternates which side goes first.
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const c = cpuMs();
      sides[side]();
      const ms = cpuMs() - c;
      if (side === 0) t = Math.min(t, ms);
      else w = Math.min(w, ms);
    }
  }
  const share = replayed / steps;
  const left = t - w * share;
  console.log(
    `${result.executions} executions (${result.summary}), ${steps} steps, ` +
      `${(steps / result.executions).toFixed(1)} an execution, ${(100 * share).toFixed(0)}% ` +
      `replayed\nexplore  ${t.toFixed(0)} CPU ms (${(t / result.executions).toFixed(3)} ms an ` +
      `execution)\nworld    ${w.toFixed(0)} CPU ms (${(100 * w / t).toFixed(0)}%: kernel, ` +
      `services, workload and checkers, every step)\nsearch   ${(t - w).toFixed(0)} CPU ms (${
        (100 * (t - w) / t).toFixed(0)
      }%)\nreplayed ${(w * share).toFixed(0)} CPU ms (${
        (100 * w * share / t).toFixed(0)
      }%): without it ${left.toFixed(0)} CPU ms, ${(t / left).toFixed(2)}x fewer`,
  );
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
