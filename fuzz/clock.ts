/**
 * The one module that reads the wall clock: campaign budgets and progress
 * display. Nothing that decides a run's outcome may import it (enforced by
 * the determinism lint, quality/determinism_lint.ts: a deciding module that
 * uses it is a finding).
 *
 * @module
 */

/** Milliseconds on a monotonic clock. */
export function wallMs(): number {
  return performance.now();
}

/** A wall-clock budget. */
export class Stopwatch {
  readonly #start = wallMs();

  /** Seconds since the stopwatch started. */
  get seconds(): number {
    return (wallMs() - this.#start) / 1000;
  }
}
