// A two-volume file host: each pager of the scenario is one volume (own pager, port, one thread).
// Volume kind "A" hands each client a copy-on-write clone; kind "B" hands the file VMO itself.
// Kind B unmounts itself after serving UNMOUNT_AFTER reads: detach every VMO, then close the pager.
// Missing extents (a deterministic map) fail with ZX_ERR_IO.
import {
  fileRange,
  isComplete,
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
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_RESIZABLE,
} from "../../../kernel/constants.ts";

export const UNMOUNT_AFTER = 3;

interface FileEntry {
  vmo: ServiceVmo; // the root pager VMO, ours
  id: number;
}
interface Volume {
  kind: "A" | "B";
  lock: Mutex;
  files: Map<number, FileEntry>; // by key
  byId: Map<number, number>; // file id -> key
  nextKey: number;
  reads: number;
  unmounted: boolean;
  awaiting: Set<number>; // keys detached by the unmount whose COMPLETE has not come yet
  pagerClosed: boolean;
}

export function missingExtent(id: number, page: number): boolean {
  return (id * 7 + page) % 11 === 5;
}

export function makeVolumes() {
  const volumes = new WeakMap<ServiceContext, Volume>();
  function volumeOf(sys: Sys, ctx: ServiceContext): Volume {
    let v = volumes.get(ctx);
    if (v === undefined) {
      // pager handles are deterministic: the first pager's is even-indexed
      const kind = (ctx.pager >> 5) % 2 === 1 ? "A" : "B";
      v = {
        kind,
        lock: new Mutex(sys, `volume ${ctx.pager}`),
        files: new Map(),
        byId: new Map(),
        nextKey: 1,
        reads: 0,
        unmounted: false,
        awaiting: new Set(),
        pagerClosed: false,
      };
      volumes.set(ctx, v);
    }
    return v;
  }

  function* serveRead(
    sys: Sys,
    ctx: ServiceContext,
    e: FileEntry,
    offset: number,
    length: number,
  ): Syscall<void> {
    const [st, size] = yield* sys.vmoGetSize(e.vmo.handle);
    if (st !== ZX_OK) return;
    const end = Math.min(offset + length, size);
    const ps = sys.pageSize;
    let p = offset;
    while (p < end) {
      let q = p;
      const missing = missingExtent(e.id, p / ps);
      while (q < end && missingExtent(e.id, q / ps) === missing) q += ps;
      if (missing) {
        const s = yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_FAIL,
          e.vmo.handle,
          p,
          q - p,
          ZX_ERR_IO,
        );
        if (s === ZX_ERR_BAD_STATE) return;
      } else {
        const s: Status = yield* supplyBytes(
          sys,
          ctx,
          e.vmo,
          p,
          fileRange(e.id, p, q - p, e.vmo.file),
        );
        if (s === ZX_ERR_BAD_STATE) return;
      }
      p = q;
    }
  }

  function* unmount(sys: Sys, ctx: ServiceContext, v: Volume): Syscall<void> {
    yield* v.lock.lock(sys);
    v.unmounted = true;
    for (const e of [...v.files.values()]) {
      const st = yield* sys.pagerDetachVmo(ctx.pager, e.vmo.handle);
      if (st === ZX_OK) v.awaiting.add(e.vmo.key);
      yield* sys.handleClose(e.vmo.handle); // the volume lets go of its files
      v.files.delete(e.vmo.key);
      v.byId.delete(e.id);
    }
    yield* v.lock.unlock(sys);
    yield* maybeClosePager(sys, ctx, v);
  }

  // the pager closes once every detached VMO's COMPLETE has come (P11)
  function* maybeClosePager(sys: Sys, ctx: ServiceContext, v: Volume): Syscall<void> {
    if (v.unmounted && !v.pagerClosed && v.awaiting.size === 0) {
      v.pagerClosed = true;
      yield* sys.handleClose(ctx.pager);
    }
  }

  function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
    const v = volumeOf(sys, ctx);
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (packet === null) continue;
      if (isComplete(packet)) {
        v.awaiting.delete(packet.key);
        yield* maybeClosePager(sys, ctx, v);
        continue;
      }
      if (!isRead(packet)) continue;
      if (v.unmounted) continue;
      const e = v.files.get(packet.key);
      if (e === undefined) continue;
      yield* serveRead(sys, ctx, e, packet.offset, packet.length);
      v.reads++;
      if (v.kind === "B" && v.reads >= UNMOUNT_AFTER) yield* unmount(sys, ctx, v);
    }
  }

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const v = volumeOf(sys, ctx);
    yield* v.lock.lock(sys);
    try {
      if (v.unmounted) return [ZX_ERR_BAD_STATE, 0];
      const key = v.nextKey++;
      const [st, root] = yield* sys.pagerCreateVmo(
        ctx.pager,
        file.resizable ? ZX_VMO_RESIZABLE : 0,
        ctx.port,
        key,
        file.size,
      );
      if (st !== ZX_OK) return [st, 0];
      const e: FileEntry = {
        id: file.id,
        vmo: { name: file.name, key, handle: root, size: file.size, file: file.file },
      };
      v.files.set(key, e);
      v.byId.set(file.id, key);
      // (pagersim refuses a clone as the open's handle: "not a VMO of pager"; volume A's
      // clients clone it themselves: cloneRead/cloneWrite ops)
      const [ds, dup] = yield* sys.handleDuplicate(root, ZX_RIGHT_SAME_RIGHTS);
      return [ds, ds === ZX_OK ? dup : 0];
    } finally {
      yield* v.lock.unlock(sys);
    }
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const v = volumeOf(sys, ctx);
    yield* v.lock.lock(sys);
    const key = v.byId.get(file.id);
    const e = key === undefined ? undefined : v.files.get(key);
    if (e !== undefined && key !== undefined) {
      v.files.delete(key);
      v.byId.delete(file.id);
      if (!v.unmounted) yield* sys.pagerDetachVmo(ctx.pager, e.vmo.handle);
      yield* sys.handleClose(e.vmo.handle);
    }
    yield* v.lock.unlock(sys);
    return ZX_OK;
  }
  return { service, open, close };
}

const vols = makeVolumes();
export default vols.service;
export const open = vols.open;
export const close = vols.close;

export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  vmoOptions: { trapDirty: false, resizable: true },
  threads: { min: 1, max: 1 },
  clones: true,
  dirty: false,
  writeback: false,
  reachable: { port: false, pager: false },
};
