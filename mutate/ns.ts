/**
 * The `__stryker__` namespace the instrumented code reads, and the hit limit.
 * No project imports: the worker sets coverage up through this module before
 * it imports anything instrumented, so code run while modules load is seen.
 *
 * @module
 */

/**
 * Times one probe may reach the active mutant before it counts as looping
 * (Stryker's hit limit: a mutant inside a loop it makes endless is stopped in
 * a second instead of at the wall-clock limit). The unmutated campaign and
 * tests reach the hottest kernel site well under a million times per probe.
 */
export const HIT_LIMIT = 20_000_000;

/** The stryker namespace the instrumented code reads. */
export interface StrykerNs {
  /** Hits of the active mutant so far, and the count past which it throws (Stryker's hit limit). */
  hitCount?: number;
  hitLimit?: number;
  /** The active mutant's id, as a number (see instrument.ts). */
  activeMutant?: number;
  /** Where the coverage helper marks the mutants it reaches (none: coverage off; see instrument.ts). */
  hits?: Uint8Array;
  /** While the unmutated coverage run lasts: the hit array of a probe id (a test step's, say). */
  hitsFor?: (probe: string) => Uint8Array;
}

/** The namespace object (created if absent). */
export function strykerNs(): StrykerNs {
  const g = globalThis as unknown as { __stryker__?: StrykerNs };
  return g.__stryker__ ??= {};
}
