// A correct service whose module takes a while to load (a top-level await, as a service that
// reads its configuration or opens a file at load): the guarded property's first case reaches
// its worker while the worker still loads it (properties/guarded_load_test.ts).
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

await new Promise((resolve) => setTimeout(resolve, 300));

export default function* slowLoadService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
