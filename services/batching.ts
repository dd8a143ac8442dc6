/**
 * The batching service: gathers up to `batch` packets (waiting for the first,
 * then taking whatever is already queued), and supplies each range extended by
 * `readAhead` pages. Pages that are already present are skipped by the kernel.
 *
 * @module
 */

import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import type { PagePacket } from "../kernel/events.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import {
  isComplete,
  isRead,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "./service.ts";

/**
 * Gathers requests into batches and supplies them with read-ahead.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "batching" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1 });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function* batchingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    sys.checkpoint("batching: waiting for a packet"); // nothing is kept between batches
    const [st, first] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    let batch: PagePacket[] = isRead(first) ? [first] : [];
    while (batch.length < ctx.params.batch) {
      const [more, packet] = yield* sys.portWait(ctx.port, sys.now); // already queued only
      if (more !== ZX_OK) break;
      if (isRead(packet)) batch.push(packet);
      // COMPLETE is the VMO's last packet: its batched READs are stale, drop them.
      else if (isComplete(packet)) batch = batch.filter((b) => b.key !== packet.key);
    }
    for (const packet of batch) {
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      const end = Math.min(
        vmo.size,
        packet.offset + packet.length + ctx.params.readAhead * sys.pageSize,
      );
      yield* supplyFromBacking(sys, ctx, vmo, packet.offset, end - packet.offset);
    }
  }
}
