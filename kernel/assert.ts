/**
 * Assertions for the kernel model. A broken invariant throws a
 * {@linkcode KernelAssertionError} at the step that broke it, so the simulator
 * reports the step, the thread and the trace instead of a corrupted end state.
 * The harness around the model (interpreter, checkers, explorer, reports)
 * asserts with {@linkcode present} where a `!` would otherwise stand, and
 * `deno task check` lints that no `!` is left.
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

/**
 * Thrown when the harness around the kernel model (the scenario interpreter, a
 * checker, the explorer, a report, the conformance cases) finds a value it set
 * up itself missing: a harness bug, not the kernel's. The simulator reports it
 * like any other error of that code (a thread fault, or a harness error).
 *
 * @example
 * ```ts
 * import { HarnessAssertionError, KernelAssertionError } from "./assert.ts";
 * const e = new HarnessAssertionError("explore: the recorder of the run");
 * console.assert(e.name === "HarnessAssertionError" && !(e instanceof KernelAssertionError));
 * ```
 */
export class HarnessAssertionError extends Error {
  /** Error name shown in reports: "HarnessAssertionError". */
  override name = "HarnessAssertionError";
}

/**
 * Returns `value`, asserting it is neither `undefined` nor `null`: the
 * assertion written where a `!` would otherwise stand, outside the kernel
 * model (whose bookkeeping uses {@linkcode assert}). `what` names the value
 * and where it was expected; a function is called only on failure, and a
 * constant string costs nothing on a hot path.
 *
 * @example
 * ```ts
 * import { HarnessAssertionError, present } from "./assert.ts";
 * const handles = new Map([["p", 7]]);
 * console.assert(present(handles.get("p"), () => "demo: the handle of pager p") === 7);
 * try {
 *   present(handles.get("q"), "demo: the handle of pager q");
 *   console.assert(false);
 * } catch (e) {
 *   console.assert(e instanceof HarnessAssertionError);
 *   console.assert((e as Error).message === "demo: the handle of pager q is missing (undefined)");
 * }
 * ```
 */
export function present<T>(value: T, what: string | (() => string)): NonNullable<T> {
  if (value === undefined || value === null) {
    throw new HarnessAssertionError(
      `${typeof what === "string" ? what : what()} is missing (${value})`,
    );
  }
  return value;
}
