// A pager service run as a pool of two threads on one port, with a lock around shared state: the
// shape of fxfs's and blobfs's pagers (issue 13). `deno task fuzz --service
// examples/pool_service.ts` checks it like any other service.
import {
  Mutex,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../mod.ts";

export default function* poolService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const stats = new Mutex(sys, "stats"); // one futex word, shared by every thread of the process
  const served = new Map<number, number>(); // pages served per VMO key, under `stats`
  const worker = (s: Sys) =>
    serveReads(s, ctx, function* (packet, vmo) {
      yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      yield* stats.lock(s); // contended: zx_futex_wait, naming the holder as the futex's owner
      served.set(vmo.key, (served.get(vmo.key) ?? 0) + packet.length / s.pageSize);
      yield* stats.unlock(s); // zx_futex_wake if someone waits
    });
  sys.spawn("pool-2", worker); // the next tid; runs from the next step on
  yield* worker(sys);
}
