// userS25's chunk pool as the trial ran it when explore reported P14 (logs/u25_rp14.txt): each
// queued job is answered with its whole chunk, a supply's ZX_ERR_BAD_STATE ignored (chunk_pool.ts
// later drops a detached key's jobs). Otherwise chunk_pool.ts line for line.
// A chunked store served by a receiver thread and a pool of workers.
// The receiver takes packets off the port and queues READs; workers pop them,
// supply the whole 2-page chunk(s) covering the request (clamped to the VMO),
// and sometimes (sys.chance) the backing store "fails" a read: the range is OP_FAILed with ZX_ERR_IO.
import {
  acknowledgeDirty,
  CondVar,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import { ZX_ERR_IO, ZX_PAGER_OP_FAIL } from "../../../kernel/constants.ts";

const CHUNK_PAGES = 2;
const WORKERS = 2;

interface Job {
  key: number;
  offset: number;
  length: number;
}

export default function* chunkPool(sys: Sys, ctx: ServiceContext): ThreadBody {
  const lock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const queue: Job[] = [];
  const gone = new Set<number>(); // keys whose COMPLETE we took

  const worker = (s: Sys): ThreadBody =>
    (function* () {
      for (;;) {
        s.checkpoint(`worker idle q=${JSON.stringify(queue)} gone=${[...gone].join(",")}`);
        yield* lock.lock(s);
        while (queue.length === 0) yield* nonEmpty.wait(s, lock);
        const job = queue.shift()!;
        const isGone = gone.has(job.key);
        yield* lock.unlock(s);
        if (isGone) continue;
        const vmo = vmoForKey(ctx, job.key);
        if (vmo === undefined) continue;
        const [st, size] = yield* s.vmoGetSize(vmo.handle);
        if (st !== ZX_OK) continue; // gone
        const chunk = CHUNK_PAGES * s.pageSize;
        const start = Math.floor(job.offset / chunk) * chunk;
        let end = Math.ceil((job.offset + job.length) / chunk) * chunk;
        if (end > size) end = size;
        if (end <= job.offset) end = job.offset + job.length; // shrunk under us: answer the request as asked
        if (s.chance(5)) {
          // the backing store failed: fail what is still inside the VMO (a shrink resolved the rest)
          const failEnd = Math.min(job.offset + job.length, size);
          if (failEnd > job.offset) {
            yield* s.pagerOpRange(
              ctx.pager,
              ZX_PAGER_OP_FAIL,
              vmo.handle,
              job.offset,
              failEnd - job.offset,
              ZX_ERR_IO,
            );
          }
        } else {
          yield* supplyFromBacking(s, ctx, vmo, start, end - start);
        }
      }
    })();

  for (let i = 0; i < WORKERS; i++) sys.spawn(`chunk-worker-${i}`, worker);

  for (;;) {
    sys.checkpoint(`receiver q=${JSON.stringify(queue)} gone=${[...gone].join(",")}`);
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null) continue;
    if (isComplete(packet)) {
      yield* lock.lock(sys);
      gone.add(packet.key);
      yield* lock.unlock(sys);
      continue;
    }
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isDirty(packet)) {
      yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
    } else if (isRead(packet)) {
      yield* lock.lock(sys);
      gone.delete(packet.key); // a re-opened file reuses its key
      queue.push({ key: packet.key, offset: packet.offset, length: packet.length });
      yield* nonEmpty.signal(sys);
      yield* lock.unlock(sys);
    }
  }
}
