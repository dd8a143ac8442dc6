/**
 * A service that detaches a VMO (or closes its pager handle) while requests
 * are still in flight, after serving `detachAfter` packets. It keeps draining
 * the port afterwards and treats BAD_STATE from supply as "detached".
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { isRead, type ServiceContext, supplyFromBacking, vmoForKey } from "./service.ts";

/**
 * Serves, then detaches (or closes the pager) mid-stream.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "detacher", detachAfter: 1 } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1 });
 * console.assert(run.steps > 0);
 * ```
 */
export function* detacherService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let served = 0;
  let pagerOpen = true;
  for (;;) {
    // All it keeps: how many packets it served (until the detach) and whether the pager is open.
    const count = served > ctx.params.detachAfter ? "past the detach" : `${served} served`;
    sys.checkpoint(`detacher: ${count}, pager ${pagerOpen ? "open" : "closed"}`);
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (served++ === ctx.params.detachAfter && pagerOpen) {
      if (ctx.params.closePager) {
        yield* sys.handleClose(ctx.pager);
        pagerOpen = false;
      } else {
        yield* sys.pagerDetachVmo(ctx.pager, vmo.handle);
      }
      continue;
    }
    if (pagerOpen) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
