/**
 * A pager service with module-level state, for campaign tests: it counts the
 * services started in its module's lifetime and, past the fifth, drops every
 * READ. In a campaign worker the count survives from run to run, so later runs
 * fail; replayed alone (a new instance of the module) the same run passes.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

let started = 0; // the bug: survives between runs in a worker

/** Supplies every READ while fewer than six services started in this module instance. */
export default function* leakyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  started++;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (started > 5) return;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
