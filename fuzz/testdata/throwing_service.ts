/**
 * A pager service that throws on its first READ (a decompressor that finds
 * its frame table corrupt): the run's verdict is that thread's fault.
 *
 * @module
 */

import { serveReads, type ServiceContext } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Throws on the first READ it takes. */
export default function* throwingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* () {
    throw new Error("decompressor: frame table corrupt");
  });
}
