/**
 * A correct pager service with the shape of `mostly_failing_service.ts`
 * (a user module served by `serveReads`): the clean baseline of the
 * throughput benchmark.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Supplies every READ. */
export default function* cleanService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
