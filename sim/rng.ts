/**
 * The seeded generator behind every random choice: seedrandom's ARC4, keyed
 * by a string, so one seed draws the same numbers on every machine.
 *
 * @module
 */

// @ts-types="npm:@types/seedrandom@3.0.8"
import seedrandom from "npm:seedrandom@3.0.5";

/** A seeded source of uniform integers. */
export interface Rng {
  /** A uniform integer in `[0, n)`. */
  int(n: number): number;
}

/**
 * A seeded generator; `stream` separates independent uses of one seed.
 *
 * @example
 * ```ts
 * import { makeRng } from "./rng.ts";
 * const a = makeRng(7, "x"), b = makeRng(7, "x");
 * console.assert(a.int(100) === b.int(100));
 * ```
 */
export function makeRng(seed: number | string, stream = ""): Rng {
  const prng = seedrandom(`${seed}/${stream}`);
  return { int: (n) => Math.floor(prng() * n) };
}
