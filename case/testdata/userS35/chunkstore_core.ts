// trial35/chunkstore_core.ts: a small blob store pager written from the README alone.
//
// One receiver thread (the pager's service thread) takes packets off the port. READs go to a
// queue (Mutex + CondVar) that two worker threads it spawns drain. The store reads in
// CHUNK-page chunks: a worker loads the whole chunk(s) covering a READ and supplies them in one
// zx_pager_supply_pages. A READ whose pages all lie in chunks another worker is loading right now
// is coalesced (dropped): that worker's chunk supply answers it. DIRTY is acknowledged by the
// receiver; COMPLETE needs nothing (the store keeps no per-VMO state).
//
// Bugs a copy may plant (each a module of its own, so a case names it):
//  - "partial-supply": the loader supplies only the range its own READ asked for, not the whole
//    chunk, while coalescing still assumes the whole chunk arrives.
//  - "late-clear": the loader forgets its chunks only after closing its staging VMO, one step
//    after the supply: an eviction + re-fault in that window is coalesced into a load that is over.
import {
  acknowledgeDirty,
  CondVar,
  failOutOfMemory,
  fileRange,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import { ZX_ERR_NO_MEMORY } from "../../../kernel/constants.ts";

export type Bug = "none" | "partial-supply" | "late-clear";
const CHUNK = 2; // pages per chunk

export const chunkStoreContract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  threads: { min: 1, max: 1 }, // one receiver; it spawns its own two workers
  clones: true,
  dirty: true,
  writeback: false,
};

interface Job {
  vmo: ServiceVmo;
  offset: number;
  length: number;
}

export function makeChunkStore(bug: Bug): (sys: Sys, ctx: ServiceContext) => ThreadBody {
  return function* chunkStore(sys: Sys, ctx: ServiceContext): ThreadBody {
    const qLock = new Mutex(sys, "queue");
    const qNonEmpty = new CondVar(sys, "queue nonempty");
    const queue: Job[] = [];
    let stopping = false;
    const loading = new Set<string>(); // "key:chunk" some worker is loading now

    function* load(s: Sys, job: Job): Syscall<void> {
      const chunkBytes = CHUNK * s.pageSize;
      const first = Math.floor(job.offset / chunkBytes);
      const last = Math.floor((job.offset + job.length - 1) / chunkBytes);
      const ids: string[] = [];
      for (let c = first; c <= last; c++) ids.push(`${job.vmo.key}:${c}`);
      if (ids.every((id) => loading.has(id))) return; // coalesced: that load answers it
      const mine = ids.filter((id) => !loading.has(id));
      for (const id of mine) loading.add(id);
      const forget = () => {
        for (const id of mine) loading.delete(id);
      };
      let start = first * chunkBytes;
      let end = Math.min((last + 1) * chunkBytes, job.vmo.size);
      if (bug === "partial-supply") [start, end] = [job.offset, job.offset + job.length];
      const len = end - start;
      const [cs, aux] = yield* s.vmoCreate(len, 0);
      if (cs !== ZX_OK) {
        forget();
        yield* failOutOfMemory(s, ctx, job.vmo, start, len, cs);
        return;
      }
      const ws = yield* s.vmoWrite(aux, fileRange(job.vmo.key, start, len, job.vmo.file), 0);
      if (ws !== ZX_OK) {
        forget();
        yield* failOutOfMemory(s, ctx, job.vmo, start, len, ws);
        yield* s.handleClose(aux);
        return;
      }
      const ss = yield* s.pagerSupplyPages(ctx.pager, job.vmo.handle, start, len, aux, 0);
      // Runs in the supply's own step: no READ can be coalesced into a load that is over.
      if (bug !== "late-clear") forget();
      if (ss === ZX_ERR_NO_MEMORY) yield* failOutOfMemory(s, ctx, job.vmo, start, len, ss);
      yield* s.handleClose(aux);
      if (bug === "late-clear") forget();
    }

    const worker = (s: Sys): ThreadBody =>
      (function* () {
        for (;;) {
          yield* qLock.lock(s);
          while (queue.length === 0 && !stopping) yield* qNonEmpty.wait(s, qLock);
          const job = queue.shift();
          yield* qLock.unlock(s);
          if (job === undefined) return; // stopping
          yield* load(s, job);
        }
      })();

    sys.spawn("chunk-w1", worker);
    sys.spawn("chunk-w2", worker);

    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) break; // the port is gone
      if (packet === null || isComplete(packet)) continue;
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      if (isRead(packet)) {
        yield* qLock.lock(sys);
        queue.push({ vmo, offset: packet.offset, length: packet.length });
        yield* qNonEmpty.signal(sys);
        yield* qLock.unlock(sys);
      } else if (isDirty(packet)) {
        yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
      }
    }
    yield* qLock.lock(sys);
    stopping = true;
    yield* qNonEmpty.broadcast(sys);
    yield* qLock.unlock(sys);
  };
}
