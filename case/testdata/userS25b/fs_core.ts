// A small fxfs-like filesystem pager: opens its own VMOs, a receiver thread per
// service thread plus a pool of fetch workers, writeback through a flush entry.
import {
  acknowledgeDirty,
  CondVar,
  DurableStore,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type OpenFile,
  type ServiceContext,
  type ServiceVmo,
  type Status,
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_NOT_FOUND,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_TRAP_DIRTY,
} from "../../../kernel/constants.ts";

export const FS_BASE = 0x77 * 2 ** 32;

export interface Bugs {
  /** writeback: WRITEBACK_END before the data is read and persisted */
  endBeforePersist?: boolean;
  /** flush entry only: WRITEBACK_END before the data is read and persisted */
  flushEndEarly?: boolean;
  /** trust the query's IS_ZERO across WRITEBACK_BEGIN (the README snippet's pattern) */
  staleZero?: boolean;
  /** close: writes back dirty pages but forgets to persist them */
  closeNoPersist?: boolean;
  /** read path: retries a supply that got BAD_STATE (closed file) */
  retryBadState?: boolean;
  // unusual-but-correct knobs
  skipCloseWriteback?: boolean; // close drops unflushed dirty data (allowed: may be kept or lost)
  lifo?: boolean; // answer queued reads newest first
  batch?: boolean; // merge queued reads of one file into one supply
  prefetch?: boolean; // supply to the end of the file
  failSome?: boolean; // fail ~20% of reads with ZX_ERR_IO on purpose
}

interface Node extends ServiceVmo {
  readonly id: number;
  closed: boolean;
}
interface Req {
  node: Node;
  offset: number;
  length: number;
}
interface State {
  nodes: Map<number, Node[]>;
  queue: Req[];
  qm: Mutex;
  qcv: CondVar;
  storeLock: Mutex;
  store: DurableStore;
  spawned: boolean;
  file: Map<number, OpenFile>;
}

export function makeFs(bugs: Bugs = {}) {
  const states = new WeakMap<ServiceContext, State>();
  const st = (sys: Sys, ctx: ServiceContext): State => {
    let s = states.get(ctx);
    if (s === undefined) {
      s = {
        nodes: new Map(),
        queue: [],
        qm: new Mutex(sys, "queue"),
        qcv: new CondVar(sys, "queue nonempty"),
        storeLock: new Mutex(sys, "store"),
        store: new DurableStore(),
        spawned: false,
        file: new Map(),
      };
      states.set(ctx, s);
    }
    return s;
  };

  function* writebackNode(
    sys: Sys,
    ctx: ServiceContext,
    s: State,
    node: Node,
    persist: boolean,
    early = bugs.endBeforePersist,
  ): Syscall<void> {
    const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(
      ctx.pager,
      node.handle,
      0,
      node.size,
      24 * 64,
    );
    if (qs !== ZX_OK) return;
    for (const r of ranges) {
      const b = yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_WRITEBACK_BEGIN,
        node.handle,
        r.offset,
        r.length,
        0,
      );
      if (b !== ZX_OK) continue;
      if (early) {
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          node.handle,
          r.offset,
          r.length,
          0,
        );
      }
      // Read after BEGIN, always: the query's IS_ZERO may be stale by now (a write in between).
      const [rs, bytes] = bugs.staleZero && (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0
        ? [ZX_OK, new Uint8Array(r.length)] as const
        : yield* sys.vmoRead(node.handle, r.offset, r.length);
      if (rs !== ZX_OK) continue;
      yield* s.storeLock.lock(sys);
      if (persist) s.store.persist(node.id, r.offset, bytes, sys.pageSize);
      if (!early) {
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          node.handle,
          r.offset,
          r.length,
          0,
        );
      }
      yield* s.storeLock.unlock(sys);
    }
  }

  function* serveReq(sys: Sys, ctx: ServiceContext, s: State, req: Req): Syscall<void> {
    const { node } = req;
    let { offset, length } = req;
    if (bugs.failSome && sys.chance(20)) {
      yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, node.handle, offset, length, ZX_ERR_IO);
      return;
    }
    if (bugs.prefetch) length = node.size - offset;
    yield* s.storeLock.lock(sys);
    for (;;) {
      const data = s.store.read(node.id, offset, length, sys.pageSize, node.file);
      const r: Status = yield* supplyBytes(sys, ctx, node, offset, data);
      if (!(bugs.retryBadState && r === ZX_ERR_BAD_STATE)) break;
    }
    yield* s.storeLock.unlock(sys);
  }

  function* worker(sys: Sys, ctx: ServiceContext): ThreadBody {
    const s = st(sys, ctx);
    for (;;) {
      yield* s.qm.lock(sys);
      while (s.queue.length === 0) yield* s.qcv.wait(sys, s.qm);
      let req = bugs.lifo ? s.queue.pop()! : s.queue.shift()!;
      if (bugs.batch) {
        // merge every other queued read of the same node into one range
        const same = s.queue.filter((q) => q.node === req.node);
        s.queue = s.queue.filter((q) => q.node !== req.node);
        let lo = req.offset, hi = req.offset + req.length;
        for (const q of same) {
          lo = Math.min(lo, q.offset);
          hi = Math.max(hi, q.offset + q.length);
        }
        req = { node: req.node, offset: lo, length: hi - lo };
      }
      yield* s.qm.unlock(sys);
      yield* serveReq(sys, ctx, s, req);
    }
  }

  return {
    *serve(sys: Sys, ctx: ServiceContext): ThreadBody {
      const s = st(sys, ctx);
      if (!s.spawned) {
        s.spawned = true;
        sys.spawn("fetch-1", (w) => worker(w, ctx));
        sys.spawn("fetch-2", (w) => worker(w, ctx));
      }
      for (;;) {
        const [ps, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
        if (ps !== ZX_OK) return;
        if (packet === null) continue;
        const list = s.nodes.get(packet.key);
        if (list === undefined) continue;
        if (isComplete(packet)) {
          const i = list.findIndex((n) => n.closed);
          if (i >= 0) list.splice(i, 1);
          continue;
        }
        const node = list.findLast((n) => !n.closed);
        if (node === undefined) continue;
        if (isRead(packet)) {
          yield* s.qm.lock(sys);
          s.queue.push({ node, offset: packet.offset, length: packet.length });
          yield* s.qcv.signal(sys);
          yield* s.qm.unlock(sys);
        } else if (isDirty(packet)) {
          yield* acknowledgeDirty(sys, ctx, node, packet.offset, packet.length);
        }
      }
    },
    *open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
      const s = st(sys, ctx);
      const key = FS_BASE + file.id;
      const [cs, own] = yield* sys.pagerCreateVmo(
        ctx.pager,
        ZX_VMO_TRAP_DIRTY,
        ctx.port,
        key,
        file.size,
      );
      if (cs !== ZX_OK) return [cs, 0];
      const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
      if (ds !== ZX_OK) {
        yield* sys.handleClose(own);
        return [ds, 0];
      }
      const list = s.nodes.get(key) ?? [];
      list.push({
        name: file.name,
        key,
        handle: own,
        size: file.size,
        id: file.id,
        closed: false,
        ...(file.file === undefined ? {} : { file: file.file }),
      });
      s.nodes.set(key, list);
      return [ZX_OK, client];
    },
    *close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
      const s = st(sys, ctx);
      const node = s.nodes.get(FS_BASE + file.id)?.find((n) => !n.closed);
      if (node === undefined) return ZX_ERR_NOT_FOUND;
      // make the file's dirty pages durable before letting it go
      if (!bugs.skipCloseWriteback) yield* writebackNode(sys, ctx, s, node, !bugs.closeNoPersist);
      node.closed = true;
      const d = yield* sys.pagerDetachVmo(ctx.pager, node.handle);
      yield* sys.handleClose(node.handle);
      return d;
    },
    *flush(sys: Sys, ctx: ServiceContext): ThreadBody {
      const s = st(sys, ctx);
      for (const list of [...s.nodes.values()]) {
        for (const node of list) {
          if (!node.closed) {
            yield* writebackNode(
              sys,
              ctx,
              s,
              node,
              true,
              bugs.endBeforePersist || bugs.flushEndEarly,
            );
          }
        }
      }
    },
  };
}
