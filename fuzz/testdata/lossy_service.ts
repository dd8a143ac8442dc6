/**
 * A deliberately buggy pager service for campaign tests: it drops every
 * third READ packet it receives (a lost request: the faulting thread hangs).
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../../kernel/constants.ts";
import {
  isRead,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Supplies two READs out of three; the third is silently dropped. */
export default function* lossyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let seen = 0;
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    if (++seen % 3 === 0) continue; // the bug
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo !== undefined) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
