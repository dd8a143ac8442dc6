/**
 * The eager supplier: answers every READ packet by supplying exactly its range.
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { isRead, type ServiceContext, supplyFromBacking, vmoForKey } from "./service.ts";

/** Supplies each requested range as it arrives; stops when the port wait fails. */
export function* eagerService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue; // COMPLETE: nothing left to serve for that VMO
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
