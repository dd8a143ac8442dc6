/**
 * Prints steps/s of the three benchmark loops (the bare generator floor, the
 * world's scheduler over empty threads, the default read/supply workload)
 * and the two ratios the issue sets targets for, as plain text lines.
 *
 * Run: `deno run --allow-read bench/report.ts [SECONDS_PER_LOOP]` (default 2).
 *
 * @module
 */

import { bareLoop, STEPS, THREADS, workloadLoop, worldLoop } from "./_loops.ts";
import { floorLoop } from "./_floor.ts";
import { numberArg, runCommand, scriptArgs } from "../cli/args.ts";

/** Issue target: the scheduler costs at most this many bare-loop steps per step. */
export const MAX_SCHEDULER_OVERHEAD = 5;
/** Issue target: kernel steps per second on the default workload. */
export const MIN_WORKLOAD_STEPS_PER_SECOND = 300_000;

/** Steps per second of `loop`, run repeatedly for `seconds` after a warm-up. */
export function stepsPerSecond(loop: () => number, seconds: number): number {
  for (let i = 0; i < 3; i++) loop();
  const start = performance.now();
  let steps = 0;
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    steps += loop();
    elapsed = performance.now() - start;
  }
  return steps / (elapsed / 1000);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

const USAGE = `usage: deno run --allow-read bench/report.ts [SECONDS_PER_LOOP]

Prints steps/s of the benchmark loops and their ratios (default 2 s per loop).

options:
  --help    print this help and exit (nothing is run)`;

function main(): number {
  const args = scriptArgs(Deno.args, USAGE, 1);
  if (args === null) return 0;
  const seconds = numberArg(args, 0, "SECONDS_PER_LOOP", 2);
  const floor = stepsPerSecond(() => floorLoop(STEPS), seconds);
  const bare = stepsPerSecond(() => bareLoop(STEPS, "rng"), seconds);
  const bareRr = stepsPerSecond(() => bareLoop(STEPS, "round-robin"), seconds);
  const world = stepsPerSecond(() => worldLoop(STEPS, "raw"), seconds);
  const worldRr = stepsPerSecond(() => worldLoop(STEPS, "raw", "round-robin"), seconds);
  const syscall = stepsPerSecond(() => worldLoop(STEPS, "syscall"), seconds);
  const workload = stepsPerSecond(() => workloadLoop(STEPS), seconds);
  const overhead = bare / world;
  console.log(`loops: ${THREADS} threads, ${STEPS} steps per iteration, ${seconds} s each`);
  console.log(`fixed floor (bench/_floor.ts):        ${fmt(floor)} steps/s`);
  console.log(`bare generators, seeded random pick:  ${fmt(bare)} steps/s`);
  console.log(`bare generators, round-robin:         ${fmt(bareRr)} steps/s`);
  console.log(`world scheduler, empty threads:       ${fmt(world)} steps/s`);
  console.log(`world scheduler, round-robin strategy: ${fmt(worldRr)} steps/s`);
  console.log(`world + kernel, zx_handle_close loop: ${fmt(syscall)} steps/s`);
  console.log(`default read/supply workload:         ${fmt(workload)} steps/s`);
  console.log(
    `ratio scheduler/bare (same seeded pick): ${overhead.toFixed(2)}x ` +
      `(target <= ${MAX_SCHEDULER_OVERHEAD}x: ${
        overhead <= MAX_SCHEDULER_OVERHEAD ? "met" : "MISSED"
      })`,
  );
  console.log(`ratio scheduler/bare (round-robin pick both): ${(bareRr / worldRr).toFixed(2)}x`);
  console.log(
    `ratio floor/workload (per-step cost): ${(floor / workload).toFixed(2)}x; workload ` +
      `${fmt(workload)} steps/s (target >= ${fmt(MIN_WORKLOAD_STEPS_PER_SECOND)}: ` +
      `${workload >= MIN_WORKLOAD_STEPS_PER_SECOND ? "met" : "MISSED"})`,
  );
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
