/**
 * A service with an error path no campaign can drive it into: a READ longer
 * than any scenario's VMO. Campaign coverage must list that branch's lines as
 * never reached.
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

/** Supplies each READ; refuses (by never answering) a READ of 1 TiB or more. */
export default function* unreachableService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (packet.length >= 2 ** 40) {
      // UNREACHED: no scenario has a VMO this large.
      sys.checkpoint("refusing a huge read");
      continue;
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
