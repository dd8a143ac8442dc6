/**
 * A small fxfs-like pager service: files opened and closed by the service
 * itself (`open`/`close` entries), a receiver thread per service thread that
 * takes packets off the port and hands READ/DIRTY work to a pool of two
 * workers through a queue guarded by a Mutex + CondVar, reads served from a
 * DurableStore keyed by the file's id, and a `flush` writeback entry that
 * persists dirty ranges (BEGIN, read, persist, END).
 *
 * Lock order: `store` before `queue`. A worker never holds `queue` while it
 * takes `store`.
 */
import {
  acknowledgeDirty,
  CondVar,
  DurableStore,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type OpenFile,
  type Packet,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  type Status,
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../../mod.ts";
import {
  ZX_ERR_NOT_FOUND,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_TRAP_DIRTY,
} from "../../../../kernel/constants.ts";

export const FS_KEY_BASE = 0x5f * 2 ** 32;

interface Node extends ServiceVmo {
  readonly id: number; // file id: where its bytes live in the store
  closed: boolean;
}

interface Work {
  readonly packet: Packet;
  readonly node: Node;
}

interface Volume {
  readonly store: DurableStore;
  readonly nodes: Map<number, Node[]>; // by key, newest last
  readonly queue: Work[];
  readonly qLock: Mutex;
  readonly qNonEmpty: CondVar;
  readonly sLock: Mutex;
  stopping: boolean;
  served: number;
  flushing: boolean;
}

function makeVolumes(): (ctx: ServiceContext, sys: Sys) => Volume {
  const volumes = new WeakMap<ServiceContext, Volume>();
  return (ctx, sys) => {
    let v = volumes.get(ctx);
    if (v === undefined) {
      v = {
        store: new DurableStore(),
        nodes: new Map(),
        queue: [],
        qLock: new Mutex(sys, "queue"),
        qNonEmpty: new CondVar(sys, "queue nonempty"),
        sLock: new Mutex(sys, "store"),
        stopping: false,
        served: 0,
        flushing: false,
      };
      volumes.set(ctx, v);
    }
    return v;
  };
}
const volumeOf = makeVolumes();

const keyOf = (id: number): number => FS_KEY_BASE + (id % 2 ** 32);

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  vmoPages: { min: 1, max: 32 },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
  opens: { entry: "open", close: "close" },
  lifecycle: true,
};

export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  const v = volumeOf(ctx, sys);
  const key = keyOf(file.id);
  const options = file.trapDirty ? ZX_VMO_TRAP_DIRTY : 0;
  const [st, own] = yield* sys.pagerCreateVmo(ctx.pager, options, ctx.port, key, file.size);
  if (st !== ZX_OK) return [st, 0];
  const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
  if (ds !== ZX_OK) {
    yield* sys.pagerDetachVmo(ctx.pager, own);
    yield* sys.handleClose(own);
    return [ds, 0];
  }
  const list = v.nodes.get(key) ?? [];
  list.push({
    name: file.name,
    key,
    handle: own,
    size: file.size,
    id: file.id,
    ...(file.file === undefined ? {} : { file: file.file }),
    closed: false,
  });
  v.nodes.set(key, list);
  return [ZX_OK, client];
}

export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  const v = volumeOf(ctx, sys);
  const node = v.nodes.get(keyOf(file.id))?.find((n) => !n.closed);
  if (node === undefined) return ZX_ERR_NOT_FOUND;
  node.closed = true;
  yield* sys.pagerDetachVmo(ctx.pager, node.handle);
  yield* sys.handleClose(node.handle);
  return ZX_OK;
}

/** A page-in: under `store`, read what was persisted and supply it. */
function* pageIn(
  sys: Sys,
  ctx: ServiceContext,
  v: Volume,
  node: Node,
  offset: number,
  length: number,
): Syscall<void> {
  // the caller holds `store`
  const data = v.store.read(node.id, offset, length, sys.pageSize, node.file);
  yield* supplyBytes(sys, ctx, node, offset, data);
  yield* v.sLock.unlock(sys);
  yield* v.qLock.lock(sys);
  v.served++;
  yield* v.qLock.unlock(sys);
}

function worker(ctx: ServiceContext, v: Volume): (sys: Sys) => ThreadBody {
  return function* (sys: Sys): ThreadBody {
    for (;;) {
      yield* v.qLock.lock(sys);
      while (v.queue.length === 0 && !v.stopping) yield* v.qNonEmpty.wait(sys, v.qLock);
      const w = v.queue.shift();
      // page-ins start in queue order: take the store before letting the next worker dequeue
      if (w !== undefined && isRead(w.packet)) yield* v.sLock.lock(sys);
      yield* v.qLock.unlock(sys);
      if (w === undefined) return; // stopping
      const p = w.packet;
      if (isRead(p)) {
        yield* pageIn(sys, ctx, v, w.node, p.offset, p.length);
      } else if (isDirty(p)) {
        yield* acknowledgeDirty(sys, ctx, w.node, p.offset, p.length);
      }
    }
  };
}

/** A service thread: spawns two workers, then receives packets and queues them. */
export default function* fsPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const v = volumeOf(ctx, sys);
  sys.spawn(`worker-a${sys.tid}`, worker(ctx, v));
  sys.spawn(`worker-b${sys.tid}`, worker(ctx, v));
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) {
      yield* v.qLock.lock(sys);
      v.stopping = true;
      yield* v.qNonEmpty.broadcast(sys);
      yield* v.qLock.unlock(sys);
      return;
    }
    if (packet === null) continue;
    const list = v.nodes.get(packet.key);
    if (list === undefined) continue;
    if (isComplete(packet)) {
      const i = list.findIndex((n) => n.closed);
      if (i >= 0) list.splice(i, 1);
      else if (list.length > 0) list[0].closed = true; // detached under us
      continue;
    }
    const node = list.findLast((n) => !n.closed);
    if (node === undefined) continue; // the detach resolved it
    yield* v.qLock.lock(sys);
    v.queue.push({ packet, node });
    yield* v.qNonEmpty.signal(sys);
    yield* v.qLock.unlock(sys);
  }
}

/** The writeback entry: for each open file, each dirty range: BEGIN, read, then persist+END under `store`. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  const v = volumeOf(ctx, sys);
  if (v.flushing) return;
  v.flushing = true;
  try {
    const open: Node[] = [];
    for (const list of v.nodes.values()) for (const n of list) if (!n.closed) open.push(n);
    for (const node of open) {
      const [gs, size] = yield* sys.vmoGetSize(node.handle);
      if (gs !== ZX_OK) continue;
      const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(
        ctx.pager,
        node.handle,
        0,
        size,
        64 * ZX_VMO_DIRTY_RANGE_SIZE,
      );
      if (qs !== ZX_OK) continue;
      for (const r of ranges) {
        const op = (o: number) =>
          sys.pagerOpRange(ctx.pager, o, node.handle, r.offset, r.length, 0);
        if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) !== ZX_OK) continue;
        const [rs, bytes] = yield* sys.vmoRead(node.handle, r.offset, r.length);
        if (rs !== ZX_OK) continue;
        yield* v.sLock.lock(sys);
        v.store.persist(node.id, r.offset, bytes, sys.pageSize);
        yield* op(ZX_PAGER_OP_WRITEBACK_END);
        // Yield to readers: if page-ins are queued, stop here and let the next flush go on.
        yield* v.qLock.lock(sys);
        const busy = v.queue.length > 0;
        yield* v.qLock.unlock(sys);
        yield* v.sLock.unlock(sys);
        if (busy) return;
      }
    }
  } finally {
    v.flushing = false;
  }
}
