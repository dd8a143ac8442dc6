/**
 * Throughput: steps/s and executions/s for small, medium and large scenarios
 * (random strategy, kernel invariants on), against the fixed floor
 * (`bench/_floor.ts`), and campaign runs/s on 1 and 2 workers.
 *
 * Run: `deno run -A bench/throughput_report.ts [SECONDS_PER_ROW]` (default 2).
 *
 * @module
 */

import { DEFAULT } from "./_loops.ts";
import { floorLoop } from "./_floor.ts";
import { campaignRunsPerSecond } from "./_campaign.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { numberArg, runCommand, scriptArgs } from "../cli/args.ts";

/** One row of the throughput table. */
export interface ThroughputRow {
  readonly name: string;
  readonly stepsPerSecond: number;
  readonly executionsPerSecond: number | null;
}

const SMALL: Scenario = parseScenario({
  pageSize: 64,
  pagers: [{ name: "fs" }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }],
  threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
});

const LARGE: Scenario = parseScenario({
  pageSize: 64,
  pagers: [
    { name: "p0", service: { kind: "batching" }, threads: 2 },
    { name: "p1", service: { kind: "flaky", failPercent: 10 } },
  ],
  vmos: Array.from({ length: 6 }, (_, i) => ({ name: `v${i}`, pager: `p${i % 2}`, pages: 16 })),
  threads: Array.from({ length: 8 }, (_, t) => ({
    name: `t${t}`,
    ops: Array.from({ length: 16 }, (_, i) => ({
      op: i % 3 === 2 ? "write" as const : "read" as const,
      vmo: `v${(t + i) % 6}`,
      page: (t * 5 + i * 3) % 12,
      pages: 1 + (i % 4),
    })),
  })),
});

/** Scenarios by size, for the table. */
export const SIZES: readonly { name: string; scenario: Scenario }[] = [
  { name: "small (1 reader, 2 pages)", scenario: SMALL },
  { name: "medium (the default scenario)", scenario: DEFAULT },
  { name: "large (8 threads x 16 ops, 6 VMOs, 3 services)", scenario: LARGE },
];

/** Runs `scenario` with seeds 1, 2, ... for `seconds`; steps/s and executions/s. */
export function scenarioThroughput(scenario: Scenario, seconds: number): ThroughputRow {
  const start = performance.now();
  let steps = 0, runs = 0;
  while (performance.now() - start < seconds * 1000) {
    const r = runScenario(scenario, {
      seed: ++runs,
      monitors: kernelInvariants(),
      keepTrace: false,
    });
    steps += r.steps;
  }
  const s = (performance.now() - start) / 1000;
  return { name: "", stepsPerSecond: steps / s, executionsPerSecond: runs / s };
}

/** Every row: the bare floor, the three sizes, and campaigns on 1 and 2 workers. */
export async function throughputRows(
  seconds: number,
  campaignRuns: number,
): Promise<ThroughputRow[]> {
  const start = performance.now();
  let bare = 0;
  while (performance.now() - start < seconds * 1000) bare += floorLoop();
  const rows: ThroughputRow[] = [{
    name: "fixed floor (bench/_floor.ts)",
    stepsPerSecond: bare / ((performance.now() - start) / 1000),
    executionsPerSecond: null,
  }];
  for (const { name, scenario } of SIZES) {
    rows.push({ ...scenarioThroughput(scenario, seconds), name });
  }
  for (const workers of [1, 2]) {
    rows.push({
      name: `campaign, ${workers} worker${workers > 1 ? "s" : ""} (generated scenarios)`,
      stepsPerSecond: Number.NaN,
      executionsPerSecond: await campaignRunsPerSecond(workers, campaignRuns),
    });
  }
  return rows;
}

const USAGE = `usage: deno run -A bench/throughput_report.ts [SECONDS_PER_ROW]

Prints steps/s and executions/s per scenario size and campaign runs/s (default 2 s per row).

options:
  --help    print this help and exit (nothing is run)`;

async function main(): Promise<number> {
  const args = scriptArgs(Deno.args, USAGE, 1);
  if (args === null) return 0;
  for (const r of await throughputRows(numberArg(args, 0, "SECONDS_PER_ROW", 2), 4000)) {
    console.log(
      `${r.name.padEnd(52)} ${
        Number.isNaN(r.stepsPerSecond) ? "-" : r.stepsPerSecond.toFixed(0)
      } steps/s  ${r.executionsPerSecond?.toFixed(0) ?? "-"} executions/s`,
    );
  }
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
