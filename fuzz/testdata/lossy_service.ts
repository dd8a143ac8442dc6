/**
 * A deliberately buggy pager service for campaign tests: it drops every
 * third READ packet it receives (a lost request: the faulting thread hangs).
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Supplies two READs out of three; the third is silently dropped. */
export default function* lossyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let seen = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (++seen % 3 === 0) return; // the bug
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
