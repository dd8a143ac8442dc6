// A pool service as a README-only user writes one (session 29, exp29): N service threads take
// packets from the pager's one port, supply from backing and count what they served under a
// Mutex. Nothing is wrong with it; what it shows is what each thread of a pool costs
// `deno task explore` (pool1/2/3_service.ts: the same service on 1, 2 and 3 threads).
import {
  Mutex,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

/** The pool service on `threads` threads (the first runs the service function, the rest are spawned). */
export function poolOf(threads: number): (sys: Sys, ctx: ServiceContext) => ThreadBody {
  return function* pool(sys: Sys, ctx: ServiceContext): ThreadBody {
    const stats = new Mutex(sys, "stats");
    const served = new Map<number, number>(); // pages served per VMO key, under `stats`
    const worker = (s: Sys) =>
      serveReads(s, ctx, function* (packet, vmo) {
        yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
        yield* stats.lock(s);
        served.set(vmo.key, (served.get(vmo.key) ?? 0) + packet.length / s.pageSize);
        yield* stats.unlock(s);
      });
    for (let i = 2; i <= threads; i++) sys.spawn(`pool-${i}`, worker);
    yield* worker(sys);
  };
}
