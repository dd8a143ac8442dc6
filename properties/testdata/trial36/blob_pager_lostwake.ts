// blobfs/blob_pager_lostwake.ts: blob_pager.ts with a planted bug (session 36 trial).
// BUG: after the idle decommit the worker retakes the lock and waits WITHOUT re-checking the
// queue, so a READ the receiver queued (and signalled, to nobody) during the decommit is lost.
//
// One port, one receiver thread (the service body) and a pool of two workers it spawns.
// The receiver takes packets: a READ goes onto a queue (under the `blob queue` mutex) and a
// worker is signalled; a DIRTY is acknowledged in place; a COMPLETE is skipped.
// Each worker owns a scratch VMO (its "decompression buffer"); when it finds the queue empty it
// drops the lock, decommits the scratch VMO to give the memory back while idle, then takes the
// lock again and, if the queue is still empty, waits for `blob queue nonempty`.
import {
  acknowledgeDirty,
  CondVar,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import { ZX_VMO_OP_DECOMMIT } from "../../../kernel/constants.ts";

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false }, // blobs never change size
  vmoPages: { min: 1, max: 16 },
  threads: { min: 1, max: 1 }, // one receiver; the pool is ours
  clones: true,
  dirty: true,
  writeback: false,
  reachable: { port: false, pager: false },
};

interface Job {
  vmo: ServiceVmo;
  offset: number;
  length: number;
}

const SCRATCH_PAGES = 4;

export default function* blobPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const lock = new Mutex(sys, "blob queue");
  const nonempty = new CondVar(sys, "blob queue nonempty");
  const queue: Job[] = [];
  let stopping = false;

  const worker = function* (s: Sys): ThreadBody {
    const [cst, scratch] = yield* s.vmoCreate(SCRATCH_PAGES * s.pageSize, 0);
    for (;;) {
      yield* lock.lock(s);
      while (queue.length === 0 && !stopping) {
        // Idle: give the scratch pages back, outside the lock.
        yield* lock.unlock(s);
        if (cst === ZX_OK) {
          yield* s.vmoOpRange(scratch, ZX_VMO_OP_DECOMMIT, 0, SCRATCH_PAGES * s.pageSize);
        }
        yield* lock.lock(s);
        yield* nonempty.wait(s, lock); // BUG: no re-check after the unlocked decommit
      }
      const job = queue.shift();
      yield* lock.unlock(s);
      if (job === undefined) break; // stopping and nothing left
      yield* supplyFromBacking(s, ctx, job.vmo, job.offset, job.length);
    }
    if (cst === ZX_OK) yield* s.handleClose(scratch);
  };
  sys.spawn("blob-worker-1", worker);
  sys.spawn("blob-worker-2", worker);

  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) break; // the port is gone
    if (packet === null || isComplete(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isRead(packet)) {
      yield* lock.lock(sys);
      queue.push({ vmo, offset: packet.offset, length: packet.length });
      yield* nonempty.signal(sys);
      yield* lock.unlock(sys);
    } else if (isDirty(packet)) {
      yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
    }
  }
  yield* lock.lock(sys);
  stopping = true;
  yield* nonempty.broadcast(sys);
  yield* lock.unlock(sys);
}
