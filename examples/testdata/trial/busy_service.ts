// The trial service with a third mistake: a READ past page 0 polls the VMO's size "until the
// cache is warm", a loop through syscalls that never ends, so the run stops at its step limit.
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

export default function* busyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache = { warm: false };
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    while (packet.offset > 0 && !cache.warm) yield* sys.vmoGetSize(vmo.handle);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
