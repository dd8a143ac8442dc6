// A hostile service: its block-map lookup throws on a READ past the first page.
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

function blockOf(offset: number, pageSize: number): number {
  const block = offset / pageSize;
  if (block >= 1) throw new Error(`block map has no entry for block ${block}`);
  return block;
}

export default function* throwsService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    blockOf(packet.offset, sys.pageSize);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
