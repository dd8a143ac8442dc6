// trial37/chunk_pager.ts: a read-ahead pager. Every service thread of a pager waits on the port;
// a READ is answered by supplying the whole 4-page chunk(s) it falls in, out of a chunk cache the
// threads share under a Mutex. A chunk is "loaded" (its size checked with zx_vmo_get_size, then
// its bytes computed from the file) by the first thread that needs it; a thread whose READ needs a
// chunk another thread is loading waits on a CondVar until the load is done, then supplies its
// own READ's range from the cache. Each file also has a Mutex, looked up in a table kept under the
// cache's lock: a supply of a file's chunk and a DIRTY acknowledgement of the file hold it, so the
// two never interleave. Lock order: the cache's lock, then a file's.
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
  type Status,
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import { ZX_ERR_BAD_STATE, ZX_ERR_NO_MEMORY } from "../../../kernel/constants.ts";

export const CHUNK_PAGES = 4;

interface Chunk {
  loading: boolean;
  data: Uint8Array | undefined; // the chunk's bytes, clamped to the VMO's size
  offset: number;
}

interface Cache {
  lock: Mutex;
  loaded: CondVar;
  chunks: Map<string, Chunk>; // "key:chunkIndex"
  files: Map<number, Mutex>; // per VMO key, under `lock`
}

// The file lock of a VMO key; call it holding the cache's lock.
function fileLockOf(sys: Sys, cache: Cache, key: number): Mutex {
  let m = cache.files.get(key);
  if (m === undefined) cache.files.set(key, m = new Mutex(sys, `file ${key}`));
  return m;
}

// Drops the cached chunks a write to [offset, offset + length) of `key` makes stale; call it
// holding the cache's lock.
function invalidate(sys: Sys, cache: Cache, key: number, offset: number, length: number): void {
  const chunkBytes = CHUNK_PAGES * sys.pageSize;
  for (let i = Math.floor(offset / chunkBytes); i * chunkBytes < offset + length; i++) {
    const chunk = cache.chunks.get(`${key}:${i}`);
    if (chunk !== undefined && !chunk.loading) cache.chunks.delete(`${key}:${i}`);
  }
}

function makeCaches(): (sys: Sys, ctx: ServiceContext) => Cache {
  const caches = new WeakMap<ServiceContext, Cache>(); // one cache per run (its ctx)
  return (sys, ctx) => {
    let cache = caches.get(ctx);
    if (cache === undefined) {
      cache = {
        lock: new Mutex(sys, "chunk cache"),
        loaded: new CondVar(sys, "chunk loaded"),
        chunks: new Map(),
        files: new Map(),
      };
      caches.set(ctx, cache);
    }
    return cache;
  };
}
const cacheOf = makeCaches();

// Wake every thread waiting for a chunk load. (The planted bug swaps this for a single signal.)
function* wakeWaiters(sys: Sys, cache: Cache): Syscall<void> {
  yield* cache.loaded.broadcast(sys);
}

// Returns the chunk's bytes once loaded (by this thread or another), or undefined if the VMO is
// gone (its size could not be read).
function* getChunk(
  sys: Sys,
  cache: Cache,
  vmo: ServiceVmo,
  index: number,
): Syscall<Chunk | undefined> {
  const chunkBytes = CHUNK_PAGES * sys.pageSize;
  const id = `${vmo.key}:${index}`;
  yield* cache.lock.lock(sys);
  let chunk = cache.chunks.get(id);
  if (chunk !== undefined) {
    while (chunk.loading) yield* cache.loaded.wait(sys, cache.lock);
    yield* cache.lock.unlock(sys);
    return chunk.data === undefined ? undefined : chunk;
  }
  chunk = { loading: true, data: undefined, offset: index * chunkBytes };
  cache.chunks.set(id, chunk);
  yield* cache.lock.unlock(sys);

  // The "disk read": clamp the chunk to the VMO's size, then read the file's bytes.
  const [st, size] = yield* sys.vmoGetSize(vmo.handle);
  const end = Math.min(chunk.offset + chunkBytes, st === ZX_OK ? size : 0);
  const data = end > chunk.offset
    ? fileRange(vmo.key, chunk.offset, end - chunk.offset, vmo.file)
    : undefined;

  yield* cache.lock.lock(sys);
  chunk.data = data;
  chunk.loading = false;
  if (data === undefined) cache.chunks.delete(id); // nothing cached: the next READ loads again
  yield* wakeWaiters(sys, cache);
  yield* cache.lock.unlock(sys);
  return data === undefined ? undefined : chunk;
}

// A DIRTY request: acknowledge it holding the file's lock, and drop the chunks it makes stale.
function* answerDirty(
  sys: Sys,
  ctx: ServiceContext,
  cache: Cache,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  yield* cache.lock.lock(sys);
  const file = fileLockOf(sys, cache, vmo.key);
  yield* file.lock(sys);
  invalidate(sys, cache, vmo.key, offset, length);
  yield* cache.lock.unlock(sys);
  const st = yield* acknowledgeDirty(sys, ctx, vmo, offset, length);
  yield* file.unlock(sys);
  return st;
}

function* answerRead(
  sys: Sys,
  ctx: ServiceContext,
  cache: Cache,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  const chunkBytes = CHUNK_PAGES * sys.pageSize;
  const first = Math.floor(offset / chunkBytes);
  const last = Math.floor((offset + length - 1) / chunkBytes);
  let result: Status = ZX_OK;
  for (let i = first; i <= last; i++) {
    const chunk = yield* getChunk(sys, cache, vmo, i);
    if (chunk === undefined || chunk.data === undefined) return ZX_ERR_BAD_STATE; // VMO gone
    // Supply the whole chunk (read-ahead): the pages outside the READ are kept if present.
    yield* cache.lock.lock(sys);
    const file = fileLockOf(sys, cache, vmo.key);
    yield* file.lock(sys);
    yield* cache.lock.unlock(sys);
    const st = yield* supplyBytes(sys, ctx, vmo, chunk.offset, chunk.data);
    yield* file.unlock(sys);
    if (st === ZX_ERR_NO_MEMORY) { // supplyBytes failed this chunk's range: go on to the next
      result = st;
      continue;
    }
    if (st !== ZX_OK) return st; // BAD_STATE: detached, no retry
  }
  return result;
}

export default function* chunkPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache = cacheOf(sys, ctx);
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return; // the port is gone
    if (packet === null || isComplete(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isRead(packet)) {
      yield* answerRead(sys, ctx, cache, vmo, packet.offset, packet.length);
    } else if (isDirty(packet)) {
      yield* answerDirty(sys, ctx, cache, vmo, packet.offset, packet.length);
    }
  }
}

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  threads: { min: 2, max: 3 },
  dirty: true,
  writeback: false,
};
