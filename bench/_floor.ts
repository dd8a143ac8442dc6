/**
 * The fixed floor of the bench's `per-step cost` (issue 17: at most 20x): the bare generator loop
 * as it was when the issue measured 37-62x. Four generators that only yield, resumed one per step
 * by a plain loop that picks with seedrandom@3.0.5's ARC4 (`Math.floor(prng() * 4)`, keyed
 * `1/random`), the library itself, which is what `sim/rng.ts` called then.
 *
 * It is frozen on purpose. The floor used to be `bench/_loops.ts`'s `bareLoop`, which picks with
 * the project's generator: when `sim/rng.ts` wrote the ARC4 out over typed arrays (the same
 * draws, faster), the floor got faster with the workload, and the ratio moved against the
 * workload although the floor's work had not changed. A floor that depends on nothing in the
 * project measures the same work on every commit, so the ratio moves only with the workload; the
 * measuring checkout's floor is the one both sides of a comparison are divided by.
 *
 * @example
 * ```ts
 * import { floorLoop } from "./_floor.ts";
 * console.assert(floorLoop(1_000) === 1_000);
 * ```
 *
 * @module
 */

// @ts-types="npm:@types/seedrandom@3.0.8"
import seedrandom from "npm:seedrandom@3.0.5";

/** The floor's threads: the "N empty threads" (`bench/_loops.ts` THREADS then). */
export const FLOOR_THREADS = 4;

/** Steps per floor iteration (`bench/_loops.ts` STEPS then). */
export const FLOOR_STEPS = 100_000;

const NOP = { kind: "syscall", name: "nop" } as const;

function* bare(): Generator<typeof NOP, void, void> {
  for (;;) yield NOP;
}

/**
 * Runs the floor for `steps` steps (seeded pick among {@linkcode FLOOR_THREADS} bare generators);
 * returns the generators resumed, which is `steps`.
 */
export function floorLoop(steps: number = FLOOR_STEPS): number {
  const gens = Array.from({ length: FLOOR_THREADS }, bare);
  const prng = seedrandom("1/random");
  let resumed = 0;
  for (let i = 0; i < steps; i++) {
    if (gens[Math.floor(prng() * FLOOR_THREADS)].next().done !== true) resumed++;
  }
  return resumed;
}
