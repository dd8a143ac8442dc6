/**
 * A command for the guard's tests: computes a fixed amount (a count of iterations, never time),
 * well past a short run limit on any machine, then ends with status 0.
 *
 * @module
 */

/** Iterations of the busy loop. */
export const SPIN = 100_000_000;

/** The command: spins, then succeeds. */
export function main(): Promise<number> {
  let x = 1;
  for (let i = 0; i < SPIN; i++) x = (x * 1103515245 + 12345) | 0;
  return Promise.resolve(x === 0 ? 3 : 0);
}
