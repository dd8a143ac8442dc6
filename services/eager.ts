/**
 * The eager supplier: answers every READ packet by supplying exactly its range.
 *
 * @module
 */

import type { Sys, ThreadBody } from "../sim/sys.ts";
import { serveReads, type ServiceContext, supplyFromBacking } from "./service.ts";

/**
 * Supplies each requested range as it arrives; stops when the port wait fails.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "eager" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1 });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function eagerService(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(
    sys,
    ctx,
    (packet, vmo) => supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length),
    "eager: waiting for a packet",
  );
}
