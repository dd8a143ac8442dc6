// trial32 (session 32) heap hog, copied from /work/userS32a/wb_hog.ts: its READ handler grows a
// cache every step while it keeps yielding (findings 3/4). An fxfs-like read-write pager service with writeback (userS32a), written from the README and
// docs/sys.md alone.
//
// - The service opens its own VMOs (contract `opens`), each created with ZX_VMO_TRAP_DIRTY, under
//   a fresh key per open, and detaches it on close.
// - Service threads (the pager's `threads`) take packets from the port: READ is answered by
//   supplying the pages from the volume's DurableStore (under a page-in count), DIRTY by
//   ZX_PAGER_OP_DIRTY, COMPLETE retires the open instance.
// - One writeback thread (spawned by the first service thread) waits on a CondVar for work (a
//   `flush` call) and runs passes: query dirty ranges, WRITEBACK_BEGIN,
//   read the VMO, persist into the store, wait for page-ins in flight (page-in barrier),
//   WRITEBACK_END.
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
  type ServiceContractInput,
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
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_TRAP_DIRTY,
} from "../../../kernel/constants.ts";

export const contract: ServiceContractInput = {
  pageSize: { min: 64, max: 256 },
  vmoPages: { min: 1, max: 16 },
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  opens: { entry: "open", close: "close" },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};

/** One open instance of a file: the VMO this service created for it. */
interface Node {
  id: number; // the file's identity in the store
  vmo: ServiceVmo; // key, handle (the service's own), size, layout
  open: boolean; // not yet closed by the client
  completed: boolean; // its COMPLETE was taken
  inUse: number; // threads between calls on vmo.handle (under `lock`)
  closed: boolean; // vmo.handle closed
}

interface Volume {
  store: DurableStore;
  lock: Mutex; // guards everything below
  work: CondVar; // writeback work pending
  pageInsDone: CondVar; // pageIns dropped to 0
  nodes: Map<number, Node>; // by key
  nextKey: number;
  pageIns: number; // page-ins between their store read and their supply
  workPending: boolean;
  writerStarted: boolean;
}

function makeVolumes(): (sys: Sys, ctx: ServiceContext) => Volume {
  const volumes = new WeakMap<ServiceContext, Volume>();
  return (sys, ctx) => {
    let v = volumes.get(ctx);
    if (v === undefined) {
      v = {
        store: new DurableStore(),
        lock: new Mutex(sys, "volume"),
        work: new CondVar(sys, "writeback work"),
        pageInsDone: new CondVar(sys, "page-ins done"),
        nodes: new Map(),
        nextKey: 1,
        pageIns: 0,
        workPending: false,
        writerStarted: false,
      };
      volumes.set(ctx, v);
    }
    return v;
  };
}
const volumeOf = makeVolumes();

/** Takes a reference on the node of `key` (null if unknown or its handle is closed). */
function* acquire(sys: Sys, v: Volume, key: number): Syscall<Node | null> {
  yield* v.lock.lock(sys);
  const n = v.nodes.get(key);
  const ok = n !== undefined && !n.closed;
  if (ok) n.inUse++;
  yield* v.lock.unlock(sys);
  return ok ? n : null;
}

/** Drops a reference; closes the handle once the node is retired and idle. Call under `lock`. */
function* releaseLocked(sys: Sys, v: Volume, n: Node): Syscall<void> {
  n.inUse--;
  yield* retireIfIdleLocked(sys, v, n);
}

function* retireIfIdleLocked(sys: Sys, v: Volume, n: Node): Syscall<void> {
  if (n.completed && n.inUse === 0 && !n.closed) {
    n.closed = true;
    v.nodes.delete(n.vmo.key);
    yield* sys.handleClose(n.vmo.handle);
  }
}

function* release(sys: Sys, v: Volume, n: Node): Syscall<void> {
  yield* v.lock.lock(sys);
  yield* releaseLocked(sys, v, n);
  yield* v.lock.unlock(sys);
}

/** A READ: the pages as the store holds them, supplied under the page-in count. */
function* pageIn(
  sys: Sys,
  ctx: ServiceContext,
  v: Volume,
  key: number,
  offset: number,
  length: number,
): Syscall<void> {
  const n = yield* acquire(sys, v, key);
  if (n === null) return;
  yield* v.lock.lock(sys);
  v.pageIns++;
  yield* v.lock.unlock(sys);
  const data = v.store.read(n.id, offset, length, sys.pageSize, n.vmo.file);
  // HOSTILE: a read-ahead cache that grows without bound, one chunk per syscall.
  const cache: number[][] = [];
  // The user wrote `for (;;)`; this copy's condition is always true as well, but keeps the tail
  // below reachable for the type-check and lint (behaviour unchanged: the loop never ends).
  while (cache.length >= 0) {
    cache.push(new Array(100_000).fill(cache.length));
    yield* sys.vmoGetSize(n.vmo.handle);
  }
  yield* supplyBytes(sys, ctx, n.vmo, offset, data);
  yield* v.lock.lock(sys);
  v.pageIns--;
  if (v.pageIns === 0) yield* v.pageInsDone.broadcast(sys);
  yield* releaseLocked(sys, v, n);
  yield* v.lock.unlock(sys);
}

/** A DIRTY: acknowledge it, then tell the writer there is work. */
function* dirty(
  sys: Sys,
  ctx: ServiceContext,
  v: Volume,
  key: number,
  offset: number,
  length: number,
): Syscall<void> {
  const n = yield* acquire(sys, v, key);
  if (n === null) return;
  // No writeback pass is started here: a pass right after OP_DIRTY cleans the page before the
  // writer's store lands, and the writer asks DIRTY again (a livelock under an unfair schedule).
  yield* acknowledgeDirty(sys, ctx, n.vmo, offset, length);
  yield* release(sys, v, n);
}

/** One writeback pass over every live node. */
function* writebackPass(sys: Sys, ctx: ServiceContext, v: Volume): Syscall<void> {
  yield* v.lock.lock(sys);
  const keys = [...v.nodes.keys()].sort((a, b) => a - b);
  yield* v.lock.unlock(sys);
  for (const key of keys) {
    const n = yield* acquire(sys, v, key);
    if (n === null) continue;
    yield* writebackNode(sys, ctx, v, n);
    yield* release(sys, v, n);
  }
}

function* writebackNode(sys: Sys, ctx: ServiceContext, v: Volume, n: Node): Syscall<void> {
  const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(
    ctx.pager,
    n.vmo.handle,
    0,
    n.vmo.size,
    16 * ZX_VMO_DIRTY_RANGE_SIZE,
  );
  if (qs !== ZX_OK) return;
  for (const r of ranges) {
    const op = (o: number) => sys.pagerOpRange(ctx.pager, o, n.vmo.handle, r.offset, r.length, 0);
    if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) !== ZX_OK) continue;
    // Read after BEGIN, even an IS_ZERO range: a write may have landed since the query.
    const [rs, bytes] = yield* sys.vmoRead(n.vmo.handle, r.offset, r.length);
    if (rs !== ZX_OK) continue;
    yield* v.lock.lock(sys);
    // A closed file's instance is not persisted: the file may be open again under a new VMO
    // that already paged in the store's bytes (its dirty data is lost at close, as allowed).
    if (!n.open) {
      yield* v.lock.unlock(sys);
      return;
    }
    v.store.persist(n.id, r.offset, bytes, sys.pageSize);
    // Page-in barrier: a page-in that read the store before the persist must supply before END,
    // or it would put the old bytes back into a page END makes clean.
    while (v.pageIns > 0) yield* v.pageInsDone.wait(sys, v.lock);
    yield* v.lock.unlock(sys);
    yield* op(ZX_PAGER_OP_WRITEBACK_END);
  }
  // More ranges than fit: the next pass takes them.
}

function writer(ctx: ServiceContext, v: Volume): (sys: Sys) => ThreadBody {
  return function* (sys: Sys): ThreadBody {
    for (;;) {
      yield* v.lock.lock(sys);
      while (!v.workPending) yield* v.work.wait(sys, v.lock);
      v.workPending = false;
      yield* v.lock.unlock(sys);
      yield* writebackPass(sys, ctx, v);
    }
  };
}

export default function* wbService(sys: Sys, ctx: ServiceContext): ThreadBody {
  const v = volumeOf(sys, ctx);
  if (!v.writerStarted) {
    v.writerStarted = true;
    sys.spawn("flusher", writer(ctx, v));
  }
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null) continue;
    if (isComplete(packet)) {
      yield* v.lock.lock(sys);
      const n = v.nodes.get(packet.key);
      if (n !== undefined) {
        n.completed = true;
        yield* retireIfIdleLocked(sys, v, n);
      }
      yield* v.lock.unlock(sys);
    } else if (isRead(packet)) {
      yield* pageIn(sys, ctx, v, packet.key, packet.offset, packet.length);
    } else if (isDirty(packet)) {
      yield* dirty(sys, ctx, v, packet.key, packet.offset, packet.length);
    }
  }
}

/** `open`: a trap-dirty VMO under a fresh key; the client gets a duplicate. */
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  const v = volumeOf(sys, ctx);
  yield* v.lock.lock(sys);
  const key = v.nextKey++;
  yield* v.lock.unlock(sys);
  const [cs, handle] = yield* sys.pagerCreateVmo(
    ctx.pager,
    ZX_VMO_TRAP_DIRTY,
    ctx.port,
    key,
    file.size,
  );
  if (cs !== ZX_OK) return [cs, 0];
  const [ds, client] = yield* sys.handleDuplicate(handle, ZX_RIGHT_SAME_RIGHTS);
  if (ds !== ZX_OK) {
    yield* sys.pagerDetachVmo(ctx.pager, handle);
    yield* sys.handleClose(handle);
    return [ds, 0];
  }
  const vmo: ServiceVmo = { name: file.name, key, handle, size: file.size, file: file.file };
  yield* v.lock.lock(sys);
  v.nodes.set(key, { id: file.id, vmo, open: true, completed: false, inUse: 0, closed: false });
  yield* v.lock.unlock(sys);
  return [ZX_OK, client];
}

/** `close`: detach the file's open instance (its COMPLETE retires the node). */
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  const v = volumeOf(sys, ctx);
  yield* v.lock.lock(sys);
  let node: Node | undefined;
  for (const n of v.nodes.values()) if (n.id === file.id && n.open) node = n;
  if (node !== undefined) {
    node.open = false;
    node.inUse++;
  }
  yield* v.lock.unlock(sys);
  if (node === undefined) return ZX_OK;
  yield* sys.pagerDetachVmo(ctx.pager, node.vmo.handle);
  yield* release(sys, v, node);
  return ZX_OK;
}

/** `flush` (a writeback event): ask the writer for a pass. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  const v = volumeOf(sys, ctx);
  yield* v.lock.lock(sys);
  v.workPending = true;
  yield* v.work.signal(sys);
  yield* v.lock.unlock(sys);
}
