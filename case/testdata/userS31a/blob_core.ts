/**
 * A blobfs-like read-only, content-addressed store as a pager service.
 *
 * - The service opens its own VMOs (contract `opens`): a blob's VMO is created with the
 *   key `BLOB_KEY_BASE + blob id` (the same key every time the blob is opened).
 * - READ: the service supplies the whole aligned chunk of N pages around the request
 *   (N = `readAhead` service parameter, default 4), clamped to the VMO's end.
 * - Per blob a "verified chunks" cache (chunk index -> verified bytes), under a Mutex
 *   shared by the two service threads; a chunk being loaded/verified by one thread is
 *   waited for by the other (CondVar "chunk verified"), so a chunk is verified once.
 * - close: the blob is marked closed and its VMO detached; the cache entry is forgotten
 *   when its COMPLETE packet comes. Re-opening a blob id waits until the predecessor was
 *   forgotten (its COMPLETE taken), as a filesystem reuses an inode number.
 *
 * `makeBlobPager({ bug: "reuse-before-complete" })` is the planted bug: open does not
 * wait for the predecessor's COMPLETE, and only registers the new VMO when the cache holds
 * no entry for the blob id, so a re-opened blob is served through its detached predecessor.
 */
import {
  CondVar,
  failOutOfMemory,
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
import { ZX_ERR_NOT_FOUND, ZX_RIGHT_SAME_RIGHTS } from "../../../kernel/constants.ts";

export const BLOB_KEY_BASE = 0x5b * 2 ** 32;

export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  vmoOptions: { trapDirty: false, resizable: false },
  writes: false,
  dirty: false,
  writeback: false,
  threads: { min: 2, max: 2 },
  reachable: { port: false, pager: false },
};

interface Blob extends ServiceVmo {
  readonly id: number;
  closed: boolean; // close entry ran: detached, COMPLETE due
  completed: boolean; // COMPLETE taken: forgotten
  users: number; // service threads serving a READ of it right now
  handleClosed: boolean;
  readonly verified: Map<number, Uint8Array>; // chunk index -> verified bytes
  readonly loading: Set<number>; // chunks being read and verified by some thread
}

interface State {
  readonly lock: Mutex;
  readonly chunkDone: CondVar; // a chunk finished loading
  readonly forgotten: CondVar; // a blob's cache entry was forgotten (COMPLETE)
  readonly blobs: Map<number, Blob>; // by key
}

export interface BlobOptions {
  bug?: "none" | "reuse-before-complete" | "spin" | "throw";
}

export function makeBlobPager(opts: BlobOptions = {}) {
  const bug = opts.bug ?? "none";
  const states = new WeakMap<ServiceContext, State>();
  const stateOf = (sys: Sys, ctx: ServiceContext): State => {
    let s = states.get(ctx);
    if (s === undefined) {
      s = {
        lock: new Mutex(sys, "blob cache"),
        chunkDone: new CondVar(sys, "chunk verified"),
        forgotten: new CondVar(sys, "blob forgotten"),
        blobs: new Map(),
      };
      states.set(ctx, s);
    }
    return s;
  };
  const keyOf = (id: number) => BLOB_KEY_BASE + id;
  const chunkPagesOf = (ctx: ServiceContext): number => {
    const p = (ctx.params as { readAhead?: number } | undefined)?.readAhead;
    return typeof p === "number" && p >= 1 ? p : 4;
  };

  function* release(sys: Sys, b: Blob): Syscall<void> {
    // called with the lock held; the handle is closed outside the lock by the caller
    if (b.completed && b.users === 0 && !b.handleClosed) {
      b.handleClosed = true;
      yield* sys.handleClose(b.handle);
    }
  }

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const s = stateOf(sys, ctx);
    const key = keyOf(file.id);
    yield* s.lock.lock(sys);
    if (bug !== "reuse-before-complete") {
      // the predecessor's COMPLETE must be taken (and its cache forgotten) before the id is reused
      while (s.blobs.has(key)) yield* s.forgotten.wait(sys, s.lock);
    }
    yield* s.lock.unlock(sys);
    const [st, own] = yield* sys.pagerCreateVmo(ctx.pager, 0, ctx.port, key, file.size);
    if (st !== ZX_OK) return [st, 0];
    const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
    if (ds !== ZX_OK) {
      yield* sys.handleClose(own);
      return [ds, 0];
    }
    const blob: Blob = {
      name: file.name,
      key,
      handle: own,
      size: file.size,
      ...(file.file === undefined ? {} : { file: file.file }),
      id: file.id,
      closed: false,
      completed: false,
      users: 0,
      handleClosed: false,
      verified: new Map(),
      loading: new Set(),
    };
    yield* s.lock.lock(sys);
    if (bug === "reuse-before-complete") {
      if (!s.blobs.has(key)) s.blobs.set(key, blob); // BUG: keeps a detached predecessor
    } else {
      s.blobs.set(key, blob);
    }
    yield* s.lock.unlock(sys);
    return [ZX_OK, client];
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const s = stateOf(sys, ctx);
    yield* s.lock.lock(sys);
    const b = s.blobs.get(keyOf(file.id));
    if (b === undefined || b.closed) {
      yield* s.lock.unlock(sys);
      return b === undefined ? ZX_OK : ZX_ERR_NOT_FOUND; // detached already (COMPLETE taken)
    }
    b.closed = true;
    yield* s.lock.unlock(sys);
    yield* sys.pagerDetachVmo(ctx.pager, b.handle); // COMPLETE follows
    return ZX_OK;
  }

  // Supplies the chunks covering [offset, offset+length) of blob b, in one supply.
  function* serveRead(
    sys: Sys,
    ctx: ServiceContext,
    s: State,
    b: Blob,
    offset: number,
    length: number,
  ): Syscall<void> {
    const chunkBytes = chunkPagesOf(ctx) * sys.pageSize;
    const first = Math.floor(offset / chunkBytes);
    const last = Math.floor((Math.min(offset + length, b.size) - 1) / chunkBytes);
    if (last < first) return;
    const mine: number[] = [];
    yield* s.lock.lock(sys);
    // wait until no chunk of the range is being verified by the other thread (never while
    // holding a chunk of our own: two threads each holding one and waiting would deadlock)
    for (;;) {
      let busy = false;
      for (let c = first; c <= last; c++) if (b.loading.has(c)) busy = true;
      if (!busy) break;
      yield* s.chunkDone.wait(sys, s.lock);
    }
    for (let c = first; c <= last; c++) {
      if (!b.verified.has(c)) {
        b.loading.add(c);
        mine.push(c);
      }
    }
    yield* s.lock.unlock(sys);
    const start = first * chunkBytes;
    const end = Math.min((last + 1) * chunkBytes, b.size);
    const data = new Uint8Array(end - start);
    const fresh = new Map<number, Uint8Array>();
    for (let c = first; c <= last; c++) {
      const cs = c * chunkBytes;
      let bytes = b.verified.get(c);
      if (bytes === undefined) {
        // read the chunk from the device and verify it against the merkle tree
        bytes = fileRange(b.id, cs, Math.min(chunkBytes, b.size - cs), b.file);
        fresh.set(c, bytes);
      }
      data.set(bytes, cs - start);
    }
    yield* supplyBytes(sys, ctx, b, start, data);
    // BAD_STATE: detached (gone); NO_MEMORY: supplyBytes already failed the range.
    if (mine.length > 0) {
      yield* s.lock.lock(sys);
      for (const c of mine) {
        b.verified.set(c, fresh.get(c) as Uint8Array);
        b.loading.delete(c);
      }
      yield* s.chunkDone.broadcast(sys);
      yield* s.lock.unlock(sys);
    }
  }

  function* serve(sys: Sys, ctx: ServiceContext): ThreadBody {
    const s = stateOf(sys, ctx);
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (packet === null) continue;
      if (bug === "spin" && isRead(packet) && packet.offset > 0) {
        let x = 0;
        for (;;) x++; // hostile: never yields
      }
      if (bug === "throw" && isRead(packet) && packet.offset > 0) {
        throw new Error("hostile: merkle tree corrupt");
      }
      if (isComplete(packet)) {
        yield* s.lock.lock(sys);
        const b = s.blobs.get(packet.key);
        if (b !== undefined) {
          s.blobs.delete(packet.key); // forget the blob's cache
          b.completed = true;
          yield* s.forgotten.broadcast(sys);
          yield* release(sys, b);
        }
        yield* s.lock.unlock(sys);
        continue;
      }
      if (!isRead(packet)) continue; // read-only store: no DIRTY expected
      yield* s.lock.lock(sys);
      const b = s.blobs.get(packet.key);
      if (b === undefined || b.closed) {
        yield* s.lock.unlock(sys);
        continue; // a request of a closed blob: the detach ended it
      }
      b.users++;
      yield* s.lock.unlock(sys);
      yield* serveRead(sys, ctx, s, b, packet.offset, packet.length);
      yield* s.lock.lock(sys);
      b.users--;
      yield* release(sys, b);
      yield* s.lock.unlock(sys);
    }
  }

  return { open, close, serve };
}

// unused import guard (failOutOfMemory kept for reference)
void failOutOfMemory;
