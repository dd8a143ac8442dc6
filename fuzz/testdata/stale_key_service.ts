// A service that remembers, per key, the VMO it first served and never forgets it: after a file
// is closed and re-opened under the same key (its COMPLETE came in between), it supplies through
// the old VMO's closed handle and the new VMO's reader waits forever. Files that come and go
// (contract `lifecycle: true`) find it; without lifecycles it is correct.
import {
  acknowledgeDirty,
  isComplete,
  isDirty,
  isRead,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../mod.ts";

export const contract: ServiceContractInput = { lifecycle: true };

export default function* staleKeyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const known = new Map<number, ServiceVmo>();
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null || isComplete(packet)) continue; // the bug: COMPLETE forgets nothing
    let vmo = known.get(packet.key);
    if (vmo === undefined) {
      vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      known.set(packet.key, vmo);
    }
    if (isRead(packet)) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    else if (isDirty(packet)) yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
  }
}
