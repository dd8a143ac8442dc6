/**
 * A buggy pager service for throughput benchmarks and dedupe tests: it
 * throws on the first READ it receives unless its pager serves exactly one
 * VMO of a campaign-generated size it handles; most campaign runs fail, all
 * with one signature (a `thread-fault` at the throw).
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Supplies READs for a pager of one small VMO; any other pager's first READ throws. */
export default function* mostlyFailingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (ctx.vmos.length !== 1 || vmo.size > 192) throw new Error("cannot serve this pager");
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
