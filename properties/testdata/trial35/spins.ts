// A hostile service: a checksum loop that never ends on a READ past the first page (no yield).
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

function checksum(offset: number): number {
  let sum = 0;
  for (let i = offset; sum !== 0.5; i = (i + 1) | 0) sum = (sum + i) | 0; // an int sum is never 0.5
  return sum;
}

export default function* spinService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (packet.offset > 0) checksum(packet.offset);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
