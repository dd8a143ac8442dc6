/**
 * A hostile pager service for watchdog tests: on a READ of page 0 of a VMO
 * with key 2 it allocates without bound inside one step (other runs are
 * served normally, so a campaign has clean runs around the failing ones).
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Supplies every READ, except one shape of request, where it hoards memory forever. */
export default function* allocatingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (packet.key === 2 && packet.offset === 0) {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1 << 16).fill(hoard.length)); // the bug
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
