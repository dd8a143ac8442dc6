/**
 * userS28c's service (session 29, helper sig29): it answers only the FIRST READ packet of each
 * key and range and ignores any later one, so a reader whose page was evicted (or whose first
 * answer failed) and who faults again waits forever. One bug: a campaign signed it three ways.
 *
 * @module
 */

import {
  acknowledgeDirty,
  isComplete,
  isDirty,
  isRead,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";

/** Acknowledges every DIRTY; supplies a READ the first time its key and range are asked for, never again. */
export default function* firstReadOnly(sys: Sys, ctx: ServiceContext): ThreadBody {
  const answered = new Set<string>();
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null || isComplete(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isDirty(packet)) {
      yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
      continue;
    }
    if (!isRead(packet)) continue;
    const range = `${packet.key}:${packet.offset}+${packet.length}`;
    if (answered.has(range)) continue; // the bug: a later READ of the same range is ignored
    answered.add(range);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}
