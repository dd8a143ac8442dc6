// The README-only user trial's blob pager with its lost wake-up, rewritten (the user's file was
// lost): a receiver thread takes packets from the port, queues them under a Mutex and signals a
// CondVar; two workers each wait for that signal, take one packet and answer it. The bug: a worker
// waits before it looks at the queue (no predicate loop), so a packet queued and signalled while
// every worker is busy answering (or before a worker first waits) stays in the queue: its signal
// woke nobody, the workers park on the condition variable and the reader waits forever. Whichever
// check sees it (a hang, a READ never answered, a request left at quiescence), the failure signs
// `lost-wakeup:condvar queue nonempty` (properties/wait_for.ts: the receiver handed the packet off
// through that condition variable; corpus/lost-wakeup-condvar-queue-nonempty-*.json).
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
} from "../../../mod.ts";

export default function* blobPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const lock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const queue: Packet[] = [];

  const worker = function* (s: Sys): ThreadBody {
    for (;;) {
      yield* lock.lock(s);
      yield* nonEmpty.wait(s, lock); // BUG: waits without checking the queue first
      const packet = queue.shift();
      yield* lock.unlock(s);
      const vmo = packet === undefined ? undefined : vmoForKey(ctx, packet.key);
      if (packet === undefined || vmo === undefined) continue;
      if (isRead(packet)) yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      else if (isDirty(packet)) yield* acknowledgeDirty(s, ctx, vmo, packet.offset, packet.length);
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
