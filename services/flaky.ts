/**
 * A service over a flaky backing store: each request fails with
 * `ZX_ERR_IO` (through `ZX_PAGER_OP_FAIL`) with probability `failPercent`%,
 * drawn from the run's recorded decision source.
 *
 * @module
 */

import { ZX_ERR_IO, ZX_OK, ZX_PAGER_OP_FAIL, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { isRead, type ServiceContext, supplyFromBacking, vmoForKey } from "./service.ts";

/** Supplies, or fails the request with ZX_ERR_IO. */
export function* flakyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (sys.random(100) < ctx.params.failPercent) {
      yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_FAIL,
        vmo.handle,
        packet.offset,
        packet.length,
        ZX_ERR_IO,
      );
    } else {
      yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    }
  }
}
