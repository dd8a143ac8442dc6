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

/**
 * Arms the hit limit for one probe run of the active mutant: every hit of it is counted, and the
 * limit (read through a getter on every hit) is {@linkcode HIT_LIMIT}, or -1 once `stop[0]` is
 * set: a mutant looping through its own code then throws Stryker's hit-limit error at its next
 * hit. This is how the pool ends a worker's run: `Worker.terminate()` does not stop a worker busy
 * in a loop (Deno 2.9.6; a loop went on allocating after it until the process ran out of memory).
 *
 * @example
 * ```ts
 * import { armHitLimit, disarmHitLimit, strykerNs } from "./ns.ts";
 * const stop = new Int32Array(new SharedArrayBuffer(4));
 * armHitLimit(stop);
 * Atomics.store(stop, 0, 1);
 * console.assert(strykerNs().hitLimit === -1);
 * disarmHitLimit();
 * console.assert(strykerNs().hitLimit === undefined);
 * ```
 */
export function armHitLimit(stop: Int32Array): void {
  const ns = strykerNs();
  ns.hitCount = 0;
  Object.defineProperty(ns, "hitLimit", {
    get: () => Atomics.load(stop, 0) !== 0 ? -1 : HIT_LIMIT,
    configurable: true,
    enumerable: true,
  });
}

/** Ends what {@linkcode armHitLimit} began: no counting, no limit. */
export function disarmHitLimit(): void {
  const ns = strykerNs();
  ns.hitCount = undefined;
  Object.defineProperty(ns, "hitLimit", {
    value: undefined,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}
