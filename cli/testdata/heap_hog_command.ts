/**
 * A command for the guard's tests (session 33): a watched step at a time, it keeps what it
 * allocates (about 1 MiB a step) until its worker's heap limit stops it: a hog, whose heap grows
 * during the run.
 *
 * @module
 */

import { guardWatch } from "../_guard.ts";

/** The command: steps that each keep about 1 MiB more, without end. */
export function main(): Promise<number> {
  const watch = guardWatch();
  const kept: number[][] = [];
  for (let step = 1;; step++) {
    watch?.(step, 1, 1);
    kept.push(new Array(131_072).fill(step + 0.5));
  }
}
