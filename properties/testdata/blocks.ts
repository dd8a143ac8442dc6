// trial35/spins.ts's twin for the guarded hang tests (session 37: CI time): on a READ past the
// first page its checksum never returns, but it blocks the thread in Atomics.wait on a cell nothing
// notifies instead of looping. The guard reads it exactly as the loop (the thread never yields:
// the same finding, report and replay) and it burns no core for the run limit, the confirmation
// run and the replay. spins.ts, the trial's own service, stays where a test reads the spin
// (properties/guarded_property_test.ts: no thread left spinning after a guarded hang).
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../mod.ts";

function checksum(offset: number): number {
  const done = new Int32Array(new SharedArrayBuffer(4)); // nothing ever notifies it
  while (Atomics.load(done, 0) === 0) Atomics.wait(done, 0, 0);
  return offset;
}

export default function* blockService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (packet.offset > 0) checksum(packet.offset);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
