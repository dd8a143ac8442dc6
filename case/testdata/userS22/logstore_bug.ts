// logstore.ts: a small log-structured store as a Zircon pager service.
//
// Files are pager VMOs (the harness's, keyed by file id). Each file's pages are looked up in an
// in-memory extent index: a page is either still in the base image ("base": the backing store),
// a hole (past the end of file or wholly inside a hole: supplied as zeroes), or a record of the
// append-only log (written back earlier by a flush). Writes go through the write-back path: DIRTY
// requests are acknowledged, and the `flush` entry (the writeback thread) queries the dirty
// ranges, WRITEBACK_BEGINs them, reads them, appends them to the log, points the index at the new
// records and WRITEBACK_ENDs them.
//
// Threads: each service thread is a receiver on the port that queues READs for its worker thread
// (spawned) through a Mutex/CondVar queue; the worker serves them from the index. Locks:
//   queue  - the request queue
//   index  - the extent index; held by a worker from lookup through supply, and by a flush
//            from index update through WRITEBACK_END, so a page-in never supplies a stale page
//            once a flush has made the range clean
//   log    - the log tail and its statistics
// Lock order: log before index. A worker never holds index while taking log.
import {
  acknowledgeDirty,
  CondVar,
  fileRange,
  isComplete,
  isDirty,
  isRead,
  Mutex,
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
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
} from "../../../kernel/constants.ts";

type Extent = { kind: "base" } | { kind: "hole" } | { kind: "zero" } | { kind: "log"; rec: number };

interface ReadReq {
  vmo: ServiceVmo;
  offset: number;
  length: number;
}

interface Store {
  queueLock: Mutex;
  queueCv: CondVar;
  index: Mutex;
  log: Mutex;
  queue: ReadReq[];
  stopping: boolean;
  /** key -> page -> extent; a page not in the map is computed from the file's layout */
  extents: Map<number, Map<number, Extent>>;
  /** the append-only log: one page image per record */
  records: Uint8Array[];
  logReads: number;
}

export function makeLogStore() {
  const stores = new WeakMap<ServiceContext, Store>();

  function storeOf(sys: Sys, ctx: ServiceContext): Store {
    let s = stores.get(ctx);
    if (s === undefined) {
      s = {
        queueLock: new Mutex(sys, "queue"),
        queueCv: new CondVar(sys, "queue nonempty"),
        index: new Mutex(sys, "index"),
        log: new Mutex(sys, "log"),
        queue: [],
        stopping: false,
        extents: new Map(),
        records: [],
        logReads: 0,
      };
      stores.set(ctx, s);
    }
    return s;
  }

  /** The extent of page `page` of `vmo` (caller holds index). */
  function extentOf(s: Store, vmo: ServiceVmo, page: number, pageSize: number): Extent {
    const e = s.extents.get(vmo.key)?.get(page);
    if (e !== undefined) return e;
    const f = vmo.file;
    if (f === undefined) return { kind: "base" };
    const start = page * pageSize;
    const end = start + pageSize;
    if (start >= f.bytes) return { kind: "hole" };
    const inHole = f.holes.some((h) => h.offset <= start && h.offset + h.length >= end);
    return inHole ? { kind: "hole" } : { kind: "base" };
  }

  function pageBytes(s: Store, vmo: ServiceVmo, page: number, pageSize: number): Uint8Array {
    const e = extentOf(s, vmo, page, pageSize);
    switch (e.kind) {
      case "hole":
      case "zero":
        return new Uint8Array(pageSize);
      case "base":
        return fileRange(vmo.key, page * pageSize, pageSize, vmo.file);
      case "log":
        s.logReads++;
        return s.records[e.rec].slice();
    }
  }

  function* serve(sys: Sys, ctx: ServiceContext, s: Store, req: ReadReq): Syscall<void> {
    const ps = sys.pageSize;
    yield* s.index.lock(sys);
    const data = new Uint8Array(req.length);
    for (let p = 0; p < req.length / ps; p++) {
      data.set(pageBytes(s, req.vmo, req.offset / ps + p, ps), p * ps);
    }
    // BAD_STATE: the VMO is gone; no retry. NO_MEMORY: supplyBytes already failed the range.
    yield* supplyBytes(sys, ctx, req.vmo, req.offset, data);
    // statistics for the log cleaner (still under index: BUG, lock order index -> log)
    yield* s.log.lock(sys);
    s.logReads += 0;
    yield* s.log.unlock(sys);
    yield* s.index.unlock(sys);
  }

  function* worker(sys: Sys, ctx: ServiceContext, s: Store): ThreadBody {
    for (;;) {
      yield* s.queueLock.lock(sys);
      while (s.queue.length === 0 && !s.stopping) yield* s.queueCv.wait(sys, s.queueLock);
      const req = s.queue.shift();
      yield* s.queueLock.unlock(sys);
      if (req === undefined) return; // stopping
      yield* serve(sys, ctx, s, req);
    }
  }

  function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
    const s = storeOf(sys, ctx);
    sys.spawn(`ls.worker${sys.tid}`, (ws: Sys) => worker(ws, ctx, s));
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) {
        yield* s.queueLock.lock(sys);
        s.stopping = true;
        yield* s.queueCv.broadcast(sys);
        yield* s.queueLock.unlock(sys);
        return;
      }
      if (packet === null) continue;
      if (isComplete(packet)) {
        // drop queued reads of the gone VMO
        yield* s.queueLock.lock(sys);
        s.queue = s.queue.filter((r) => r.vmo.key !== packet.key);
        yield* s.queueLock.unlock(sys);
        continue;
      }
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      if (isRead(packet)) {
        yield* s.queueLock.lock(sys);
        s.queue.push({ vmo, offset: packet.offset, length: packet.length });
        yield* s.queueCv.signal(sys);
        yield* s.queueLock.unlock(sys);
      } else if (isDirty(packet)) {
        yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
      }
    }
  }

  function* flushVmo(sys: Sys, ctx: ServiceContext, s: Store, vmo: ServiceVmo): Syscall<void> {
    const ps = sys.pageSize;
    let from = 0;
    while (from < vmo.size) {
      const [st, ranges] = yield* sys.pagerQueryDirtyRanges(
        ctx.pager,
        vmo.handle,
        from,
        vmo.size - from,
        24 * 16,
      );
      if (st !== ZX_OK || ranges.length === 0) return;
      for (const r of ranges) {
        const zero = (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0;
        const b = yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_BEGIN,
          vmo.handle,
          r.offset,
          r.length,
          zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
        );
        if (b !== ZX_OK) return; // gone
        let bytes: Uint8Array = new Uint8Array(0);
        if (!zero) {
          const [rs, got] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
          if (rs !== ZX_OK) return; // gone; leave it dirty
          bytes = got;
        }
        yield* s.log.lock(sys);
        const first = s.records.length;
        if (!zero) {
          for (let p = 0; p < r.length / ps; p++) s.records.push(bytes.slice(p * ps, (p + 1) * ps));
        }
        yield* s.index.lock(sys);
        let m = s.extents.get(vmo.key);
        if (m === undefined) s.extents.set(vmo.key, m = new Map());
        for (let p = 0; p < r.length / ps; p++) {
          m.set(r.offset / ps + p, zero ? { kind: "zero" } : { kind: "log", rec: first + p });
        }
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
        yield* s.index.unlock(sys);
        yield* s.log.unlock(sys);
      }
      const last = ranges[ranges.length - 1];
      from = last.offset + last.length;
    }
  }

  function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
    const s = storeOf(sys, ctx);
    for (const vmo of [...ctx.vmos]) yield* flushVmo(sys, ctx, s, vmo);
  }

  return { service, flush };
}

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};

const store = makeLogStore();
export default store.service;
export const flush = store.flush;
