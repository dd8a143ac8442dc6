/**
 * A hostile pager service for explore's replay check: it keeps state at module level, across
 * executions (a "warm cache" that outlives the run), so from the second execution on it serves
 * a READ in fewer steps than the first. Exploration replays each schedule's prefix from the
 * root, so the replay no longer meets the choice points it recorded.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Pages served by any run of this module: never reset between runs (the bug). */
const warm = new Set<number>();

/** Supplies every READ; a page some earlier run served is supplied without the extra yield. */
export default function* statefulService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (!warm.has(packet.offset)) {
      warm.add(packet.offset);
      yield* supplyFromBacking(sys, ctx, vmo, packet.offset, sys.pageSize);
      if (packet.length > sys.pageSize) {
        yield* supplyFromBacking(
          sys,
          ctx,
          vmo,
          packet.offset + sys.pageSize,
          packet.length - sys.pageSize,
        );
      }
      return;
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
