/**
 * Services of the campaign judge's seeded scenarios (`mutate/scenarios/`, kind `custom`): correct
 * pagers whose order of answers the reference services never use.
 *
 * @module
 */

import type { PagerService } from "../services/service.ts";
import { serveReads, supplyFromBacking } from "../services/service.ts";

/**
 * Answers each READ packet page by page, each pair of pages second page first (1, 0, 3, 2, ...):
 * the pages of one request arrive out of order, so a reader waiting inside another's request
 * has its page supplied without a wake and then sees the primary's wake page move past its own
 * (`EarlyWakeRequestLocked`'s "not linearly supplied" case).
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "pairs-swapped" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.steps > 0);
 * ```
 */
export const pairsSwapped: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    const end = packet.offset + packet.length;
    for (let at = packet.offset; at < end; at += 2 * ps) {
      if (at + ps < end) yield* supplyFromBacking(sys, ctx, vmo, at + ps, ps);
      yield* supplyFromBacking(sys, ctx, vmo, at, ps);
    }
  }, "pairs-swapped: waiting for a packet");

/** The custom services the seeded scenarios name. */
export const SCENARIO_SERVICES: Readonly<Record<string, PagerService>> = {
  "pairs-swapped": pairsSwapped,
};
