/**
 * The level-2 kernel invariant checkers (spec 7.1: K3, K17, K18, K19, K20, K21,
 * K25) and the durable-data extension of data integrity, fresh for one run.
 *
 * @module
 */

import type { Monitor } from "../../sim/world.ts";
import { DirtyState } from "./dirty_state.ts";
import { DurableData } from "./durable_data.ts";

export { DirtyState, DurableData };

/** Which checker covers which item; each violation's message starts with the item. */
export const LEVEL2_INVARIANTS: Readonly<Record<string, readonly string[]>> = {
  "dirty-state": ["K3", "K17", "K18", "K19", "K20", "K21", "K25"],
  "durable-data": ["read", "lost-write"],
};

/**
 * Every level-2 checker, fresh for one run.
 *
 * @example
 * ```ts
 * import { level2Invariants } from "./mod.ts";
 * import { parseScenario } from "../../scenario/schema.ts";
 * import { runScenario } from "../../scenario/interpreter.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "writeback" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2, trapDirty: true }],
 *   threads: [{ name: "w", ops: [{ op: "write", vmo: "a", page: 0, pages: 2 }] }],
 * });
 * const run = runScenario(scenario, { seed: 1, monitors: level2Invariants() });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function level2Invariants(): Monitor[] {
  return [new DirtyState(), new DurableData()];
}
