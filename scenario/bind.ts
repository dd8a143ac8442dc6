/**
 * Binding a scenario's pagers to a named service.
 *
 * @module
 */

import type { Scenario } from "./schema.ts";

/**
 * Overrides every pager's service with the registered custom service `name`.
 *
 * @example
 * ```ts
 * import { withService } from "./bind.ts";
 * import { parseScenario } from "./schema.ts";
 * const s = withService(parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * }), "user");
 * console.assert(s.pagers[0].service.kind === "custom" && s.pagers[0].service.name === "user");
 * ```
 */
export function withService(scenario: Scenario, name: string): Scenario {
  return {
    ...scenario,
    pagers: scenario.pagers.map((p) => ({
      ...p,
      service: { ...p.service, kind: "custom" as const, name },
    })),
  };
}
