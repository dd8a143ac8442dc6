/**
 * An example of a user's own pager service, loaded with
 * `deno task sim --service examples/my_service.ts`. It answers each READ by
 * supplying the requested range plus one page of read-ahead.
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import { isRead, type ServiceContext, supplyFromBacking, vmoForKey } from "../services/service.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";

/** Supplies each request and one page past it. */
export default function* myService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    // Nothing is kept between packets: tell `deno task explore` it may forget them.
    sys.checkpoint("my service: waiting for a packet");
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return; // the port is gone: stop serving
    if (!isRead(packet)) continue; // COMPLETE: that VMO is done
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    const end = Math.min(vmo.size, packet.offset + packet.length + sys.pageSize);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, end - packet.offset);
  }
}
