// Helpers a service might import: each wraps a host source of nondeterminism.

/** A random jitter in [0, n). */
export function jitter(n: number): number {
  return Math.floor(Math.random() * n); // ✗
}

/** Milliseconds since construction. */
export class Stopwatch {
  readonly start = Date.now(); // ✗
  elapsed(): number {
    return Date.now() - this.start; // ✗
  }
}

/** An object whose method reads the clock. */
export const clock = {
  now: () => performance.now(), // ✗
};

/** Deterministic: must not taint its users. */
export function double(n: number): number {
  return 2 * n;
}
