// A hostile service (trial35, hostile/spins.ts): a checksum loop that never ends on a READ past the
// first page (no yield). Runs 0 and 1 of seed 1 pass; run 2 spins (fuzz/hang_keeps_steps_test.ts).
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../mod.ts";

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
