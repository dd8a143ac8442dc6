/**
 * A buggy pager service for the `deno task explore` command tests: it
 * answers the first READ packet and silently drops every later one, so any
 * scenario with two requests strands a faulting thread.
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../../kernel/constants.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";
import {
  isRead,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "../../services/service.ts";

/** Supplies the first requested range, then ignores every packet. */
export default function* forgetfulService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let served = 0;
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined || served++ > 0) continue;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
