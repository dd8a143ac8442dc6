/**
 * A hostile pager service for watchdog tests: on its third READ packet it
 * never yields again. It blocks its thread in `Atomics.wait` on a cell nothing
 * notifies, which the simulator and its watchdog see exactly as a `while (true)`
 * in user code (the thread never returns), without burning a core for the run
 * limit, the confirmation and the replay (session 37: CI time). A spinning
 * service stays where a test reads the spin itself
 * (examples/testdata/trial/spin_service.ts, tools/busy_worker_terminate.ts).
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Serves two READs, then blocks without ever yielding back to the simulator. */
export default function* neverYieldsService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let seen = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    // The bug: no yield, ever.
    if (++seen === 3) { for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
