/**
 * A command for the guard's tests: prints a line, computes past a short run limit (a count of
 * iterations, never time), prints its verdict and ends with status 0 (userS33a: `repro
 * --current-code` printed the whole replay of such a run twice, stopped and confirmed).
 *
 * @module
 */

import { SPIN } from "./slow_command.ts";

/** The command: prints, spins, prints, succeeds. */
export function main(): Promise<number> {
  console.log("replaying: the case");
  let x = 1;
  for (let i = 0; i < SPIN; i++) x = (x * 1103515245 + 12345) | 0;
  console.log("verdict: pass");
  console.error("a line on stderr");
  return Promise.resolve(x === 0 ? 3 : 0);
}
