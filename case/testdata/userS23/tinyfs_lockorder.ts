// tinyfs_lockorder (BUGGY COPY): a tiny file store pager. One receiver thread takes packets from the port and queues
// them; two workers serve them. Written pages are persisted by writeback (a user packet on the
// port) into the service's own store, and served from it when paged in again.
import {
  acknowledgeDirty,
  CondVar,
  fileRange,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type Packet,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import {
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
} from "../../../kernel/constants.ts";

export const WRITEBACK_PACKET_KEY = 0x7777_0000;

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  vmoPages: { min: 1, max: 16 },
  threads: { min: 1, max: 1 },
  clones: true,
  dirty: true,
  writeback: { packet: WRITEBACK_PACKET_KEY },
  reachable: { port: false, pager: false },
};

export default function* tinyFs(sys: Sys, ctx: ServiceContext): ThreadBody {
  const queueLock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const storeLock = new Mutex(sys, "store");
  const queue: Packet[] = [];
  let closing = false;
  let served = 0;
  // persisted pages: VMO key -> page index -> bytes
  const store = new Map<number, Map<number, Uint8Array>>();

  function* supplyRead(s: Sys, vmo: ServiceVmo, offset: number, length: number): Syscall<void> {
    yield* storeLock.lock(s);
    const end = Math.min(offset + length, vmo.size);
    const data = fileRange(vmo.key, offset, end - offset, vmo.file);
    const pages = store.get(vmo.key);
    if (pages !== undefined) {
      for (let p = offset / s.pageSize; p * s.pageSize < end; p++) {
        const saved = pages.get(p);
        if (saved !== undefined) data.set(saved, p * s.pageSize - offset);
      }
    }
    yield* supplyBytes(s, ctx, vmo, offset, data); // BAD_STATE: gone, no retry
    yield* queueLock.lock(s); // stats under the queue lock: store lock, then queue lock
    served += 1;
    yield* queueLock.unlock(s);
    yield* storeLock.unlock(s);
  }

  function* writeback(s: Sys): Syscall<void> {
    yield* storeLock.lock(s);
    for (const vmo of ctx.vmos) {
      const [st, ranges] = yield* s.pagerQueryDirtyRanges(ctx.pager, vmo.handle, 0, vmo.size, 64);
      if (st !== ZX_OK) continue;
      for (const r of ranges) {
        const b = yield* s.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_BEGIN,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
        if (b !== ZX_OK) continue;
        const [rs, bytes] = yield* s.vmoRead(vmo.handle, r.offset, r.length);
        if (rs === ZX_OK) {
          let pages = store.get(vmo.key);
          if (pages === undefined) store.set(vmo.key, pages = new Map());
          for (let i = 0; i * s.pageSize < r.length; i++) {
            pages.set(r.offset / s.pageSize + i, bytes.slice(i * s.pageSize, (i + 1) * s.pageSize));
          }
        }
        yield* s.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
      }
    }
    yield* storeLock.unlock(s);
  }

  const worker = (s: Sys): ThreadBody =>
    (function* () {
      for (;;) {
        yield* queueLock.lock(s);
        while (queue.length === 0 && !closing) yield* nonEmpty.wait(s, queueLock);
        const packet = queue.shift();
        yield* queueLock.unlock(s);
        if (packet === undefined) return; // closing and drained
        if (packet.key === WRITEBACK_PACKET_KEY) {
          // BUG (lock order): pause intake during writeback: queue lock, then store lock
          yield* queueLock.lock(s);
          yield* writeback(s);
          yield* queueLock.unlock(s);
          continue;
        }
        const vmo = vmoForKey(ctx, packet.key);
        if (vmo === undefined) continue;
        if (isRead(packet)) yield* supplyRead(s, vmo, packet.offset, packet.length);
        else if (isDirty(packet)) {
          yield* acknowledgeDirty(s, ctx, vmo, packet.offset, packet.length);
        }
      }
    })();

  sys.spawn("tinyfs-worker-1", worker);
  sys.spawn("tinyfs-worker-2", worker);
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK || packet === null) {
      yield* queueLock.lock(sys);
      closing = true;
      yield* nonEmpty.broadcast(sys);
      yield* queueLock.unlock(sys);
      return;
    }
    if (isComplete(packet)) continue;
    yield* queueLock.lock(sys);
    queue.push(packet);
    yield* nonEmpty.signal(sys);
    yield* queueLock.unlock(sys);
  }
}
