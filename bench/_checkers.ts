/**
 * The checker-overhead loop: the default scenario under every kernel
 * checker, to time beside {@linkcode workloadLoop} (no checkers).
 *
 * @module
 */

import { type KernelInvariantOptions, kernelInvariants } from "../properties/kernel_invariants.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { DEFAULT } from "./_loops.ts";

/**
 * The default workload with all kernel checkers on: seeds `seed, seed + 1,
 * ...` until at least `steps` world steps were taken. Returns the steps.
 */
export function checkedWorkloadLoop(
  steps: number,
  seed = 1,
  options: KernelInvariantOptions = {},
): number {
  let total = 0;
  for (let s = seed; total < steps; s++) {
    const monitors = kernelInvariants(options);
    const r = runScenario(DEFAULT, { seed: s, keepTrace: false, monitors });
    if (r.verdict.kind !== "pass") throw new Error(`seed ${s}: ${r.verdict.kind}`);
    total += r.steps;
  }
  return total;
}
