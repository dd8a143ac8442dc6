// A blobfs-like pager service: content-addressed immutable blobs, verified on page-in.
//
// - Blobs are opened and closed by the workload (`opens` contract): `open` creates the pager VMO
//   under the blob's key, and stages the blob's on-disk bytes in an anonymous "disk" VMO;
//   `close` detaches the VMO and closes the service's handles.
// - The port is served by a POOL of 2 threads (contract `threads: {min: 2, max: 2}`), both
//   waiting on the same port.
// - A per-blob "verified" cache, keyed by the blob's digest (content address), shared by the
//   workers under a Mutex: the first page-in of a blob reads the whole blob from "disk",
//   checks its digest and keeps the verified bytes; later page-ins supply from the cache.
//   A worker that finds another one verifying waits on a CondVar.
import {
  CondVar,
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
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NOT_FOUND,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_SAME_RIGHTS,
} from "../../../kernel/constants.ts";

export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  lifecycle: true,
  vmoOptions: { trapDirty: false, resizable: false }, // blobs are immutable
  vmoPages: { min: 1, max: 16 },
  threads: { min: 2, max: 2 }, // the pool
  clones: true,
  dirty: false,
  writeback: false,
  reachable: { port: false, pager: false },
  events: ["closeVmo", "suspend", "kill", "evict"],
};

/** The key space of this blobfs instance. */
export const BLOB_KEY_BASE = 0xb10b * 2 ** 32;

/** A blob as the service holds it. */
export interface Blob extends ServiceVmo {
  readonly id: number;
  readonly digest: string;
  readonly disk: number; // handle of the anonymous VMO standing for the blob's on-disk bytes
  closed: boolean;
}

/** A verified-cache entry. */
export interface Verified {
  state: "verifying" | "verified";
  bytes: Uint8Array | undefined;
}

/** Per-run sync state, created by the first service thread. */
export interface Sync {
  readonly lock: Mutex;
  readonly done: CondVar;
  readonly cache: Map<string, Verified>; // by digest, under `lock`
}

/** A 64-bit FNV-1a-like digest of a blob's bytes (its content address). */
export function digestOf(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ bytes[i] ^ (i & 0xff), 0x85ebca6b) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

export interface BlobPager {
  serve(sys: Sys, ctx: ServiceContext): ThreadBody;
  open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]>;
  close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status>;
}

/** Options to plant bugs (the correct pager has none). */
export interface BlobPagerOptions {
  /** BUG: publish the cache entry as "verified" before its bytes are read and checked. */
  readonly publishBeforeVerify?: boolean;
}

export function makeBlobPager(options: BlobPagerOptions = {}): BlobPager {
  const tables = new WeakMap<ServiceContext, Map<number, Blob[]>>();
  const syncs = new WeakMap<ServiceContext, Sync>();
  const blobs = (ctx: ServiceContext): Map<number, Blob[]> => {
    let m = tables.get(ctx);
    if (m === undefined) tables.set(ctx, m = new Map());
    return m;
  };
  const syncOf = (sys: Sys, ctx: ServiceContext): Sync => {
    let s = syncs.get(ctx);
    if (s === undefined) {
      s = {
        lock: new Mutex(sys, "verified cache"),
        done: new CondVar(sys, "blob verified"),
        cache: new Map(),
      };
      syncs.set(ctx, s);
    }
    return s;
  };
  const keyOf = (id: number) => BLOB_KEY_BASE + (id % 2 ** 32);

  /** Reads the blob from "disk" and checks it against its content address. */
  function* readAndVerify(sys: Sys, blob: Blob): Syscall<Uint8Array | undefined> {
    const [st, bytes] = yield* sys.vmoRead(blob.disk, 0, blob.size);
    if (blob.size > sys.pageSize) {
      throw new Error(`merkle tree of blob ${blob.digest} has no leaf for block 1`); // HOSTILE
    }
    if (st !== ZX_OK) return undefined;
    return digestOf(bytes) === blob.digest ? bytes : undefined;
  }

  /** The verified bytes of `blob`, verifying them once per digest. */
  function* verified(sys: Sys, s: Sync, blob: Blob): Syscall<Uint8Array | undefined> {
    yield* s.lock.lock(sys);
    let entry = s.cache.get(blob.digest);
    while (entry !== undefined && entry.state === "verifying") {
      yield* s.done.wait(sys, s.lock);
      entry = s.cache.get(blob.digest);
    }
    if (entry !== undefined) {
      const bytes = entry.bytes;
      yield* s.lock.unlock(sys);
      return bytes;
    }
    if (options.publishBeforeVerify) {
      // BUG: claim the entry as verified with an empty buffer, fill it after the disk read.
      const mine: Verified = { state: "verified", bytes: new Uint8Array(blob.size) };
      s.cache.set(blob.digest, mine);
      yield* s.lock.unlock(sys);
      const bytes = yield* readAndVerify(sys, blob);
      if (bytes === undefined) {
        yield* s.lock.lock(sys);
        s.cache.delete(blob.digest);
        yield* s.lock.unlock(sys);
        return undefined;
      }
      mine.bytes?.set(bytes);
      return mine.bytes;
    }
    const mine: Verified = { state: "verifying", bytes: undefined };
    s.cache.set(blob.digest, mine);
    yield* s.lock.unlock(sys);
    const bytes = yield* readAndVerify(sys, blob);
    yield* s.lock.lock(sys);
    if (bytes === undefined) {
      s.cache.delete(blob.digest); // the next page-in verifies again
    } else {
      mine.state = "verified";
      mine.bytes = bytes;
    }
    yield* s.done.broadcast(sys);
    yield* s.lock.unlock(sys);
    return bytes;
  }

  return {
    *open(sys, ctx, file) {
      const key = keyOf(file.id);
      const content = fileRange(file.id, 0, file.size, file.file);
      const [ds, disk] = yield* sys.vmoCreate(file.size, 0);
      if (ds !== ZX_OK) return [ds, 0];
      const ws = yield* sys.vmoWrite(disk, content, 0);
      if (ws !== ZX_OK) {
        yield* sys.handleClose(disk);
        return [ws, 0];
      }
      const [st, own] = yield* sys.pagerCreateVmo(ctx.pager, 0, ctx.port, key, file.size);
      if (st !== ZX_OK) {
        yield* sys.handleClose(disk);
        return [st, 0];
      }
      const [hs, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
      if (hs !== ZX_OK) {
        yield* sys.handleClose(own);
        yield* sys.handleClose(disk);
        return [hs, 0];
      }
      const m = blobs(ctx);
      const list = m.get(key) ?? [];
      list.push({
        name: file.name,
        key,
        handle: own,
        size: file.size,
        ...(file.file === undefined ? {} : { file: file.file }),
        id: file.id,
        digest: digestOf(content),
        disk,
        closed: false,
      });
      m.set(key, list);
      return [ZX_OK, client];
    },

    *close(sys, ctx, file) {
      const blob = blobs(ctx).get(keyOf(file.id))?.findLast((b) => !b.closed);
      if (blob === undefined) return ZX_ERR_NOT_FOUND;
      blob.closed = true;
      const st = yield* sys.pagerDetachVmo(ctx.pager, blob.handle);
      yield* sys.handleClose(blob.handle);
      yield* sys.handleClose(blob.disk);
      return st === ZX_OK || st === ZX_ERR_BAD_STATE ? ZX_OK : st;
    },

    *serve(sys, ctx) {
      const s = syncOf(sys, ctx);
      for (;;) {
        const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
        if (st !== ZX_OK) return; // the port is gone
        if (packet === null) continue;
        const list = blobs(ctx).get(packet.key);
        if (list === undefined) continue; // not a blob of ours
        if (isComplete(packet)) {
          const i = list.findIndex((b) => b.closed);
          if (i >= 0) list.splice(i, 1);
          continue;
        }
        if (!isRead(packet)) continue; // immutable: no DIRTY expected
        const blob = list.findLast((b) => !b.closed);
        if (blob === undefined) continue; // closed: the detach failed its requests
        const bytes = yield* verified(sys, s, blob);
        if (bytes === undefined) {
          if (blob.closed) continue; // closed under us: the detach answered it
          yield* sys.pagerOpRange(
            ctx.pager,
            ZX_PAGER_OP_FAIL,
            blob.handle,
            packet.offset,
            packet.length,
            ZX_ERR_IO_DATA_INTEGRITY,
          );
          continue;
        }
        const data = bytes.slice(packet.offset, packet.offset + packet.length);
        yield* supplyBytes(sys, ctx, blob, packet.offset, data);
      }
    },
  };
}

const pager = makeBlobPager();

export default function* blobPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* pager.serve(sys, ctx);
}

export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* pager.open(sys, ctx, file);
}

export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* pager.close(sys, ctx, file);
}
