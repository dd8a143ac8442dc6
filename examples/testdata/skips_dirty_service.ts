/**
 * The README's example service before issue 12: it answers READ and skips
 * every other packet, DIRTY included, so a writer to a trap-dirty VMO waits
 * forever. Kept as the service a property and a campaign must both fail.
 *
 * @module
 */

import {
  isRead,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../mod.ts";

/** Supplies each READ and one page past it; skips DIRTY and COMPLETE alike. */
export default function* skipsDirty(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    const end = Math.min(vmo.size, packet.offset + packet.length + sys.pageSize);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, end - packet.offset);
  }
}
