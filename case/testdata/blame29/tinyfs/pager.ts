/**
 * tinyfs: a small read-write filesystem's pager service, written from pagersim's README.
 *
 * - The service opens its own VMOs (`opens` contract): every file is a trap-dirty pager VMO
 *   created with a key unique to that open (so a re-open before the old COMPLETE is told apart).
 * - Two threads: the receiver (the service body) takes packets from the port and queues READ and
 *   DIRTY requests; the supplier (spawned) takes them off the queue and answers them: READ from the
 *   in-memory backing store (DurableStore, by inode), DIRTY with OP_DIRTY.
 * - Writeback: the contract's `flush` entry queries dirty ranges, BEGIN, reads, persists, END.
 *
 * Deliberate bug (`lostWakeup: true`): the receiver signals "queue nonempty" BEFORE it has pushed
 * the request, and clamps the request to the file's size with a `zx_vmo_get_size` in between. A
 * supplier waiting on the condvar can wake, find the queue empty, and wait again; the push then
 * signals nobody, and the request is stranded until another packet arrives (if ever).
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
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_TRAP_DIRTY,
} from "../../../../kernel/constants.ts";

/** The options of a tinyfs build. */
export interface TinyfsOptions {
  /** Seed the lost wake-up (signal before push, with a syscall in between). */
  readonly lostWakeup: boolean;
}

/** An open file: its VMO as the service holds it. */
interface Node extends ServiceVmo {
  /** The file's identity in the backing store. */
  readonly inode: number;
  closed: boolean;
}

/** A queued request for the supplier. */
interface Work {
  readonly packet: Packet;
  readonly node: Node;
  readonly length: number;
}

/** Everything one run (one ctx) shares: the receiver, supplier, open/close and flush. */
interface Volume {
  readonly store: DurableStore;
  readonly nodes: Map<number, Node>; // by key
  readonly open: Map<number, Node>; // by inode: the currently open node
  nextKey: number;
  supplying: number;
  flushing: boolean;
}

/** The service body and its entries. */
export interface Tinyfs {
  readonly serve: (sys: Sys, ctx: ServiceContext) => ThreadBody;
  readonly open: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<[Status, number]>;
  readonly close: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<Status>;
  readonly flush: (sys: Sys, ctx: ServiceContext) => ThreadBody;
}

/** Builds tinyfs; `lostWakeup` turns the seeded bug on. */
export function makeTinyfs(options: TinyfsOptions): Tinyfs {
  const volumes = new WeakMap<ServiceContext, Volume>();
  const volumeOf = (ctx: ServiceContext): Volume => {
    let v = volumes.get(ctx);
    if (v === undefined) {
      v = {
        store: new DurableStore(),
        nodes: new Map(),
        open: new Map(),
        nextKey: 1,
        supplying: 0,
        flushing: false,
      };
      volumes.set(ctx, v);
    }
    return v;
  };

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const v = volumeOf(ctx);
    const key = 0x7f * 2 ** 32 + v.nextKey++;
    const [st, own] = yield* sys.pagerCreateVmo(
      ctx.pager,
      ZX_VMO_TRAP_DIRTY,
      ctx.port,
      key,
      file.size,
    );
    if (st !== ZX_OK) return [st, 0];
    const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
    if (ds !== ZX_OK) {
      yield* sys.handleClose(own);
      return [ds, 0];
    }
    const node: Node = {
      name: file.name,
      key,
      handle: own,
      size: file.size,
      inode: file.id,
      ...(file.file === undefined ? {} : { file: file.file }),
      closed: false,
    };
    v.nodes.set(key, node);
    v.open.set(file.id, node);
    return [ZX_OK, client];
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const v = volumeOf(ctx);
    const node = v.open.get(file.id);
    if (node === undefined) return ZX_OK;
    v.open.delete(file.id);
    node.closed = true;
    // Flush what is dirty before the file goes (a real fs would); then detach.
    yield* writeBack(sys, ctx, v, node);
    yield* sys.pagerDetachVmo(ctx.pager, node.handle);
    yield* sys.handleClose(node.handle);
    return ZX_OK;
  }

  function* pageIn(
    sys: Sys,
    ctx: ServiceContext,
    v: Volume,
    node: Node,
    offset: number,
    length: number,
  ): Syscall<Status> {
    v.supplying++;
    try {
      const data = v.store.read(node.inode, offset, length, sys.pageSize, node.file);
      return yield* supplyBytes(sys, ctx, node, offset, data);
    } finally {
      v.supplying--;
    }
  }

  function* writeBack(sys: Sys, ctx: ServiceContext, v: Volume, node: Node): Syscall<void> {
    const [gs, size] = yield* sys.vmoGetSize(node.handle);
    if (gs !== ZX_OK) return;
    const room = 64 * ZX_VMO_DIRTY_RANGE_SIZE;
    const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(ctx.pager, node.handle, 0, size, room);
    if (qs !== ZX_OK) return;
    for (const r of ranges) {
      const op = (o: number) => sys.pagerOpRange(ctx.pager, o, node.handle, r.offset, r.length, 0);
      if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) !== ZX_OK) continue;
      const [rs, bytes] = yield* sys.vmoRead(node.handle, r.offset, r.length);
      if (rs !== ZX_OK) continue;
      if (v.supplying > 0) return; // a page-in in flight would put old bytes back: next pass
      v.store.persist(node.inode, r.offset, bytes, sys.pageSize);
      yield* op(ZX_PAGER_OP_WRITEBACK_END);
    }
  }

  function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
    const v = volumeOf(ctx);
    if (v.flushing) return;
    v.flushing = true;
    try {
      for (const node of [...v.open.values()]) yield* writeBack(sys, ctx, v, node);
    } finally {
      v.flushing = false;
    }
  }

  function* serve(sys: Sys, ctx: ServiceContext): ThreadBody {
    const v = volumeOf(ctx);
    const m = new Mutex(sys, "queue");
    const nonempty = new CondVar(sys, "queue nonempty");
    const queue: Work[] = [];

    // The supplier: takes work off the queue and answers it.
    sys.spawn("tinyfs.supplier", function* (s: Sys): ThreadBody {
      for (;;) {
        yield* m.lock(s);
        while (queue.length === 0) yield* nonempty.wait(s, m);
        const w = queue.shift();
        yield* m.unlock(s);
        if (w === undefined) continue;
        const { packet, node } = w;
        if (isRead(packet)) {
          yield* pageIn(s, ctx, v, node, packet.offset, w.length);
        } else if (isDirty(packet)) {
          yield* acknowledgeDirty(s, ctx, node, packet.offset, w.length);
        }
      }
    });

    // The receiver: takes packets from the port and queues them.
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (packet === null) continue;
      const node = v.nodes.get(packet.key);
      if (node === undefined) continue;
      if (isComplete(packet)) {
        v.nodes.delete(packet.key); // no more packets for this VMO
        continue;
      }
      if (!isRead(packet) && !isDirty(packet)) continue;
      if (options.lostWakeup) {
        // BUG: wake the supplier first, then look at the file's size, then queue.
        yield* nonempty.signal(sys);
        const [gs, size] = yield* sys.vmoGetSize(node.handle);
        const length = gs === ZX_OK
          ? Math.min(packet.length, Math.max(0, size - packet.offset))
          : packet.length;
        yield* m.lock(sys);
        queue.push({ packet, node, length: length > 0 ? length : packet.length });
        yield* m.unlock(sys);
      } else {
        const [gs, size] = yield* sys.vmoGetSize(node.handle);
        const length = gs === ZX_OK
          ? Math.min(packet.length, Math.max(0, size - packet.offset))
          : packet.length;
        yield* m.lock(sys);
        queue.push({ packet, node, length: length > 0 ? length : packet.length });
        yield* nonempty.signal(sys);
        yield* m.unlock(sys);
      }
    }
  }

  return { serve, open, close, flush };
}

/** What tinyfs receives: files it opens itself, always trap-dirty, flushed by a call. */
export const tinyfsContract: ServiceContractInput = {
  pageSize: { min: 64, max: 512 },
  vmoPages: { min: 1, max: 32 },
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 1 }, // the service spawns its own supplier
  clones: false,
  dirty: true,
  writes: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  opens: { entry: "open", close: "close" },
  lifecycle: true,
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};
