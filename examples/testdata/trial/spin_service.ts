// The trial service with the user's mistake: a READ past page 0 makes it wait for "the cache" in
// a busy loop that never yields (it polls a flag nothing sets), so the run never ends by itself.
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

export default function* spinService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache = { ready: false };
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (packet.offset > 0) {
      while (!cache.ready) { /* waits for a cache fill that never comes */ }
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
