/**
 * The nightly switch of the test suite. `deno task test` (and CI's test step) runs each heavy
 * block at a sampled size that still fails on what the block exists to catch; `deno task
 * nightly` sets `PAGERSIM_NIGHTLY=1` and the same files run their full budgets (every program of
 * a mutant's search, every scenario of a split-search comparison, every run of a sampled
 * property). A test reads {@linkcode NIGHTLY} to pick its size, or passes `ignore: !NIGHTLY` for a
 * block that only the nightly run holds. Test-side only: nothing that decides a run reads it.
 *
 * @example
 * ```ts
 * import { NIGHTLY } from "./nightly.ts";
 * const runs = NIGHTLY ? 10_000 : 2_000;
 * console.log(runs > 0);
 * ```
 *
 * @module
 */

/** The environment variable `deno task nightly` sets to `1`. */
export const NIGHTLY_ENV = "PAGERSIM_NIGHTLY";

/**
 * True under `deno task nightly` (`PAGERSIM_NIGHTLY=1`): the full budgets. False without the
 * variable, or without permission to read the environment.
 */
export const NIGHTLY: boolean = (() => {
  try {
    return Deno.env.get(NIGHTLY_ENV) === "1";
  } catch {
    return false;
  }
})();
