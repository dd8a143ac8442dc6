/**
 * The three loops the benchmarks and the report time: the bare generator
 * floor, the world's scheduler over threads that only yield scheduling
 * points, and the kernel running the default read/supply workload.
 *
 * @module
 */

import { ZX_OK } from "../kernel/constants.ts";
import type { KernelYield } from "../kernel/kernel.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { makeRng } from "../sim/rng.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { fairStrategy, randomStrategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { World } from "../sim/world.ts";

/** Threads in the scheduler loops: the "N empty threads". */
export const THREADS = 4;

/** Steps per scheduler-loop iteration. */
export const STEPS = 100_000;

const NOP: KernelYield = { kind: "syscall", name: "nop" };

function* bare(): Generator<KernelYield, void, void> {
  for (;;) yield NOP;
}

/**
 * The floor: `threads` generators that only yield, resumed one per step by a
 * plain loop that picks with the same seeded generator the random strategy
 * uses (or round-robin). No world, no kernel, no trace.
 */
export function bareLoop(steps: number, pick: "rng" | "round-robin", seed = 1): number {
  const gens = Array.from({ length: THREADS }, bare);
  const rng = makeRng(seed, "random");
  let resumed = 0;
  for (let i = 0; i < steps; i++) {
    const g = gens[pick === "rng" ? rng.int(THREADS) : i % THREADS];
    if (g.next().done !== true) resumed++;
  }
  return resumed;
}

/** A thread body that yields bare scheduling points forever (no kernel work). */
function* rawSteps(): ThreadBody {
  for (;;) yield NOP;
}

/** A thread body that makes the cheapest real syscall forever (close of the invalid handle). */
function* cheapSyscalls(sys: Sys): ThreadBody {
  for (;;) {
    const st = yield* sys.handleClose(0);
    if (st !== ZX_OK) return;
  }
}

/**
 * The world's scheduler: `THREADS` workload threads that never finish, run
 * under the random strategy (or the fair round-robin one) until the step
 * budget ends the run. Returns the scheduler steps taken.
 */
export function worldLoop(
  steps: number,
  body: "raw" | "syscall",
  pick: "rng" | "round-robin" = "rng",
  seed = 1,
): number {
  const world = new World({
    strategy: pick === "rng" ? randomStrategy(seed) : fairStrategy(),
    maxSteps: steps,
    liveness: { afterSteps: steps + 1, bound: 1 },
    keepTrace: false,
  });
  for (let i = 0; i < THREADS; i++) {
    world.spawn(`t${i}`, "workload", body === "raw" ? rawSteps : cheapSyscalls);
  }
  const r = world.run();
  if (r.verdict.kind !== "step-budget") throw new Error(`unexpected verdict ${r.verdict.kind}`);
  return r.steps;
}

/** The default scenario, parsed once. */
export const DEFAULT: Scenario = parseScenario(DEFAULT_SCENARIO, "DEFAULT_SCENARIO");

/**
 * The default read/supply workload: runs the default scenario with seeds
 * `seed, seed + 1, ...` (trace not kept) until at least `steps` world steps
 * were taken. Returns the steps taken.
 */
export function workloadLoop(steps: number, seed = 1): number {
  let total = 0;
  for (let s = seed; total < steps; s++) {
    const r = runScenario(DEFAULT, { seed: s, keepTrace: false });
    if (r.verdict.kind !== "pass") throw new Error(`seed ${s}: ${r.verdict.kind}`);
    total += r.steps;
  }
  return total;
}
