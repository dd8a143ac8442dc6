/**
 * A command for the guard's tests (session 33): builds a large table while it loads (half its
 * worker's 64 MiB heap limit or more), runs 48 watched steps with that heap flat, then stops
 * yielding for 5 seconds of wall-clock time, well past the test's 3 s run limit (its worker then
 * ends by itself): a spinner with a large heap, not a hog. Session 37: it blocks in Atomics.wait
 * for those 5 s instead of looping, the same stop to the guard (no step, the heap flat) without
 * burning a core.
 *
 * @module
 */

import { guardWatch } from "../_guard.ts";

/** The table: 4.5 million doubles, about 36 MiB of the worker's heap, kept for its life. */
const TABLE: number[] = [];
for (let i = 0; i < 4_500_000; i++) TABLE.push(i + 0.5);

/** Milliseconds it stands without yielding. */
export const SPIN_MS = 5000;

/** The command: 48 watched steps, then 5 s without yielding, then status 0. */
export function main(): Promise<number> {
  const watch = guardWatch();
  for (let step = 1; step <= 48; step++) watch?.(step, 1, 1);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SPIN_MS);
  return Promise.resolve(TABLE.length === 0 ? 3 : 0);
}
