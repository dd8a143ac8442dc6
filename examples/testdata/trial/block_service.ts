// spin_service.ts's twin for the hang tests (session 37: CI time): the same mistake, a READ past
// page 0 waits for "the cache" and never yields, but the wait blocks the thread in Atomics.wait on
// a cell nothing notifies instead of polling a flag. sim, its watchdog and repro read it exactly
// as the busy loop (the thread never returns from the step: same stuck line, verdict and replay),
// and it burns no core for the run limit, the confirmation run and each replay. spin_service.ts
// stays the README's example and the campaign's spinning cap's (fuzz/spinning_cap_test.ts).
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

export default function* blockService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache = new Int32Array(new SharedArrayBuffer(4)); // 0: not ready, and nothing fills it
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (packet.offset > 0) {
      while (Atomics.load(cache, 0) === 0) Atomics.wait(cache, 0, 0);
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
