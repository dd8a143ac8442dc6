// A blob pager written from the README alone, as a user trial wrote one: a receiver thread takes
// packets from the port and queues them (a Mutex and a CondVar), and two workers each take every
// queued packet at once and answer them in turn. It is correct: a worker answers every packet it
// took once, and a supply refused with ZX_ERR_BAD_STATE ends that packet (the VMO is gone), so a
// second packet for the same range, queued before the detach (the reader was suspended and asked
// again), is answered once too: not a retry (P14,
// properties/service_obligations.ts; corpus/regress-p14-queued-packets-after-detach.json).
import {
  acknowledgeDirty,
  CondVar,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type Packet,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../mod.ts";

export default function* blobPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const lock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const queue: Packet[] = [];

  const worker = function* (s: Sys): ThreadBody {
    for (;;) {
      yield* lock.lock(s);
      while (queue.length === 0) yield* nonEmpty.wait(s, lock);
      const batch = queue.splice(0);
      yield* lock.unlock(s);
      for (const packet of batch) {
        const vmo = vmoForKey(ctx, packet.key);
        if (vmo === undefined) continue;
        // One answer per packet: BAD_STATE means the VMO is gone, and the packet is done with.
        if (isRead(packet)) yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
        else if (isDirty(packet)) {
          yield* acknowledgeDirty(s, ctx, vmo, packet.offset, packet.length);
        }
      }
    }
  };
  sys.spawn("blob-worker-1", worker);
  sys.spawn("blob-worker-2", worker);

  // The receiver: the service's own thread.
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null || isComplete(packet)) continue;
    yield* lock.lock(sys);
    queue.push(packet);
    yield* nonEmpty.signal(sys);
    yield* lock.unlock(sys);
  }
}
