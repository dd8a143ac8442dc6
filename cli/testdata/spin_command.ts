/**
 * A command for the guard's tests: never returns and never yields.
 *
 * @module
 */

/** The command: spins forever. */
export function main(): Promise<number> {
  let x = 1;
  for (;;) x = (x * 1103515245 + 12345) | 0;
}
