// The trial service with the user's other mistake: a READ of a later page waits on a condition
// variable for a "prefetch" that nothing signals, so the reader blocks forever.
import {
  CondVar,
  Mutex,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../mod.ts";

export default function* stuckService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const m = new Mutex(sys, "prefetch");
  const cv = new CondVar(sys, "prefetch done");
  const worker = (s: Sys) =>
    serveReads(s, ctx, function* (packet, vmo) {
      if (packet.offset > 0) {
        yield* m.lock(s);
        yield* cv.wait(s, m); // nothing ever signals it
        yield* m.unlock(s);
      }
      yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
    });
  sys.spawn("svc-2", worker);
  yield* worker(sys);
}
