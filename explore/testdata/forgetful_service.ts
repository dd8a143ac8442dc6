/**
 * A buggy pager service for the `deno task explore` command tests: it
 * answers the first READ packet and silently drops every later one, so any
 * scenario with two requests strands a faulting thread.
 *
 * @module
 */

import type { Sys, ThreadBody } from "../../sim/sys.ts";
import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";

/** Supplies the first requested range, then ignores every packet. */
export default function* forgetfulService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let served = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (served++ > 0) return;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
