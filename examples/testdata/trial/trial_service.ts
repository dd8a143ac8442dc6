// A user's first pager service, written from the README alone (issue hC's trial): a pool of two
// threads on one port, the second spawned by the first, with a lock around a pages-served table.
import {
  Mutex,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

export default function* trialService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const stats = new Mutex(sys, "stats");
  const served = new Map<number, number>();
  const worker = (s: Sys) =>
    serveReads(s, ctx, function* (packet, vmo) {
      yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      yield* stats.lock(s);
      served.set(vmo.key, (served.get(vmo.key) ?? 0) + packet.length / s.pageSize);
      yield* stats.unlock(s);
    });
  sys.spawn("svc-2", worker);
  yield* worker(sys);
}
