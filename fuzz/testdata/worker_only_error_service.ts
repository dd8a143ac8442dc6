/**
 * A correct service whose module throws, with a two-line message, when a campaign's worker loads
 * it (the main thread loads it fine): a harness error the campaign cannot blame on a run.
 *
 * @module
 */

import { isMainThread } from "node:worker_threads";
import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

if (!isMainThread) throw new RangeError("worker-only failure:\n - second line");

/** Supplies every READ. */
export default function* workerOnlyErrorService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
