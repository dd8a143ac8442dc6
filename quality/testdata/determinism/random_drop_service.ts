// A service that drops a request at random: a run of it would not replay.
import { ZX_OK, ZX_TIME_INFINITE } from "../../../kernel/constants.ts";
import {
  isRead,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "../../../services/service.ts";
import type { Sys, ThreadBody } from "../../../sim/sys.ts";
export default function* svc(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined || Math.random() < 0.01) continue; // ✗ drops one request in 100
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
