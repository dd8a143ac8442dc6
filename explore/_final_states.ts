/**
 * Test support: the final states every complete schedule of a scenario
 * reaches, for the soundness checks that compare a reduced search with a
 * plain one (explore/explore_test.ts, kernel/futex_test.ts, services/sync_test.ts).
 *
 * @module
 */

import { explore, type ExploreOptions, type ExploreResult } from "./explore.ts";
import type { Scenario } from "../scenario/schema.ts";

/**
 * Explores `scenario` to `k` preemptions under `options`, collecting the final state of every
 * complete schedule.
 *
 * @example
 * ```ts
 * import { parseScenario } from "../scenario/schema.ts";
 * import { finals } from "./_final_states.ts";
 * const s = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const plain = finals(s, { reduction: false, stateHash: false }, 1), dpor = finals(s, {}, 1);
 * console.assert([...plain.states].sort().join() === [...dpor.states].sort().join());
 * ```
 */
export function finals(
  scenario: Scenario,
  options: Partial<ExploreOptions>,
  k: number,
): { result: ExploreResult; states: Set<string> } {
  const states = new Set<string>();
  const result = explore(scenario, { preemptions: k, finalStates: states, ...options });
  return { result, states };
}
