/**
 * A command for the guard's tests (session 33): builds a large table while it loads (half its
 * worker's 64 MiB heap limit or more), runs 48 watched steps with that heap flat, then spins
 * without yielding for 5 seconds of wall-clock time, well past the test's 3 s run limit (its
 * worker then ends by itself): a spinner with a large heap, not a hog.
 *
 * @module
 */

import { guardWatch } from "../_guard.ts";

/** The table: 4.5 million doubles, about 36 MiB of the worker's heap, kept for its life. */
const TABLE: number[] = [];
for (let i = 0; i < 4_500_000; i++) TABLE.push(i + 0.5);

/** Milliseconds of the busy loop. */
export const SPIN_MS = 5000;

/** The command: 48 watched steps, then a spin that never yields, then status 0. */
export function main(): Promise<number> {
  const watch = guardWatch();
  for (let step = 1; step <= 48; step++) watch?.(step, 1, 1);
  let x = TABLE.length;
  const end = Date.now() + SPIN_MS;
  while (Date.now() < end) x = (x * 1103515245 + 12345) | 0;
  return Promise.resolve(x === 0 ? 3 : 0);
}
