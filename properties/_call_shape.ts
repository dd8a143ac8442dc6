/**
 * The shape of the `call` and `ret` events a user reads in the trace (syscall-contract's
 * `event-form`), by the syscall table's declarations (each row's parameters are upstream's
 * declaration's, `docs/reference/syscalls/*.md` @ gnoliyil/fuchsia 3a0300d1):
 *
 * - a `call` shows one slot for each parameter up to the last one the caller must pass, passed
 *   as garbage (undefined, null) or not, and none past the declaration: a required argument
 *   left out of the trace hides what the call was given (`tableCall` drops only an optional
 *   parameter left out, whose slot older traces lack);
 * - a successful call that hands back a handle shows it (`handle`), one that hands back a handle
 *   and an address both, and a successful `zx_pager_query_dirty_ranges` the ranges it returned
 *   (`ranges`, an array, empty when the range holds no dirty page): the out-values the trace
 *   text shows (`sim/trace.ts`).
 *
 * @module
 */

import { ZX_OK } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { type ResultKind, spec, SYSCALL_NAMES } from "../kernel/syscalls.ts";

/** What a call's `call` and `ret` events must show ({@linkcode callShape}). */
export interface Shape {
  /** Slots a `call` shows at least: up to the last parameter that is not optional. */
  readonly required: number;
  /** Slots a `call` shows at most: the declaration's parameters. */
  readonly declared: number;
  readonly result: ResultKind;
}

const SHAPES: ReadonlyMap<string, Shape> = new Map(
  SYSCALL_NAMES.flatMap((name): [string, Shape][] => {
    const row = spec(name);
    if (row === undefined || row.result === "none") return [];
    let required = 0;
    row.params.forEach((p, i) => {
      if (p.optional !== true) required = i + 1;
    });
    return [[name, { required, declared: row.params.length, result: row.result }]];
  }),
);

/**
 * What is wrong with the shape of `call` or `ret` event `e` (see the module doc), or undefined.
 *
 * @example
 * ```ts
 * import { callShapeProblem } from "./_call_shape.ts";
 * const e = { k: "call", tid: 1, name: "zx_port_queue", args: [7] } as const;
 * console.assert(callShapeProblem(e)?.includes("1 of its 2") === true);
 * ```
 */
export function callShapeProblem(e: KernelEvent): string | undefined {
  if (e.k !== "call" && e.k !== "ret") return undefined;
  return shapeProblem(e, SHAPES.get(e.name));
}

/**
 * The shape the `call` and `ret` events of syscall `name` must have, if the table declares one:
 * for a checker that looks its other traits of the name up once per event
 * ({@linkcode shapeProblem}).
 */
export function callShape(name: string): Shape | undefined {
  return SHAPES.get(name);
}

/**
 * {@linkcode callShapeProblem} of `e`, a `call` or `ret` event, given its name's
 * {@linkcode callShape}.
 */
export function shapeProblem(
  e: Extract<KernelEvent, { k: "call" | "ret" }>,
  s: Shape | undefined,
): string | undefined {
  if (s === undefined) return undefined;
  if (e.k === "call") {
    const n = e.args.length;
    return n < s.required || n > s.declared
      ? `t${e.tid} ${e.name}'s call event shows ${n} of its ${s.declared} arguments (${s.required} required)`
      : undefined;
  }
  if (e.status !== ZX_OK) return undefined;
  const missing = s.result === "ranges"
    ? !Array.isArray(e.ranges)
    : s.result === "handle"
    ? typeof e.handle !== "number"
    : s.result === "handleAddr"
    ? typeof e.handle !== "number" || typeof e.value !== "number"
    : false;
  return missing
    ? `t${e.tid} ${e.name} returned ZX_OK, but its ret event shows no ${
      s.result === "ranges" ? "ranges" : s.result === "handle" ? "handle" : "handle and address"
    }`
    : undefined;
}
