/**
 * Assertions for the kernel model. A broken invariant throws a
 * {@linkcode KernelAssertionError} at the step that broke it, so the simulator
 * reports the step, the thread and the trace instead of a corrupted end state.
 *
 * @module
 */

/**
 * Thrown when the kernel model's own bookkeeping is inconsistent (a model bug or a mutant).
 *
 * @example
 * ```ts
 * import { KernelAssertionError } from "./assert.ts";
 * const e = new KernelAssertionError("K1: a request with no pending pages");
 * console.assert(e instanceof Error && e.name === "KernelAssertionError");
 * ```
 */
export class KernelAssertionError extends Error {
  /** Error name shown in reports: "KernelAssertionError". */
  override name = "KernelAssertionError";
}

/**
 * Asserts `condition`; the message is built only on failure.
 *
 * @example
 * ```ts
 * import { assert } from "./assert.ts";
 * assert(1 + 1 === 2, () => "arithmetic");
 * ```
 */
export function assert(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new KernelAssertionError(message());
}
