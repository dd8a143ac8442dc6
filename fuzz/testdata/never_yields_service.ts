/**
 * A hostile pager service for watchdog tests: on its third READ packet it
 * loops forever without yielding (a `while (true)` in user code).
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Serves two READs, then spins without ever yielding back to the simulator. */
export default function* neverYieldsService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let seen = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    // The bug: no yield, ever.
    if (++seen === 3) { for (;;) seen = (seen + 1) | 0; }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
