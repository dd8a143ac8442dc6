// A chunked, compressed, read-mostly file store served through the pager.
//
// Each file is stored as chunks of CHUNK_PAGES pages, each chunk RLE-compressed. A READ is served
// chunk by chunk: the chunk is looked up in a small LRU cache of decoded chunks; on a miss one
// worker fetches the compressed blob from the "device" (a bounce-buffer VMO: create, write, read,
// close) and decodes it, while any other worker that needs the same chunk waits on a condition
// variable until it is loaded. Pages are then supplied from the decoded chunk (supplyBytes).
//
// Threads: the pager's service thread is the receiver (port -> queue), two spawned workers share
// that one request queue (Mutex + CondVar). COMPLETE (detach / VMO gone) is handled by the receiver:
// the key is marked gone and its cached chunks dropped; a worker that gets BAD_STATE from a supply
// takes the VMO as gone and stops answering that packet (no retry).
import {
  acknowledgeDirty,
  CondVar,
  failOutOfMemory,
  fileRange,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type Packet,
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
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_NO_MEMORY,
  ZX_PAGER_OP_FAIL,
} from "../../../kernel/constants.ts";

const CHUNK_PAGES = 4;
const CACHE_CHUNKS = 2;

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: false, resizable: false }, // read-mostly: files never change size
  threads: { min: 1, max: 1 }, // one receiver per pager; it spawns its own two workers
  clones: true,
  dirty: false,
  writeback: false,
  events: ["detach", "closeVmo", "suspend", "kill", "evict"],
};

/** RLE: pairs (count 1..255, byte). */
export function compress(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let n = 1;
    while (i + n < bytes.length && bytes[i + n] === b && n < 255) n++;
    out.push(n, b);
    i += n;
  }
  return Uint8Array.from(out);
}

export function decompress(blob: Uint8Array, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i + 1 < blob.length; i += 2) {
    const n = blob[i];
    if (o + n > length) return undefined;
    out.fill(blob[i + 1], o, o + n);
    o += n;
  }
  return o === length ? out : undefined;
}

type Entry = { state: "loading" } | { state: "ready"; data: Uint8Array; lastUse: number };

export default function* chunkStore(sys: Sys, ctx: ServiceContext): ThreadBody {
  const chunkBytes = CHUNK_PAGES * sys.pageSize;
  const qlock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const queue: Packet[] = [];
  const cacheLock = new Mutex(sys, "cache");
  const loaded = new CondVar(sys, "chunk loaded");
  const cache = new Map<string, Entry>();
  const gone = new Set<number>();
  let useClock = 0;

  const idOf = (key: number, chunk: number) => `${key}:${chunk}`;

  function evictLru(): void {
    let ready = 0;
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [id, e] of cache) {
      if (e.state !== "ready") continue;
      ready++;
      if (e.lastUse < oldestUse) {
        oldestUse = e.lastUse;
        oldest = id;
      }
    }
    if (ready > CACHE_CHUNKS && oldest !== undefined) cache.delete(oldest);
  }

  /** Reads the compressed chunk from the "device" through a bounce buffer and decodes it. */
  function* fetch(
    s: Sys,
    vmo: ServiceVmo,
    chunk: number,
  ): Syscall<[Status, Uint8Array | undefined]> {
    const start = chunk * chunkBytes;
    const len = Math.min(chunkBytes, vmo.size - start);
    const blob = compress(fileRange(vmo.key, start, len, vmo.file));
    const [st, bounce] = yield* s.vmoCreate(Math.max(blob.length, 1), 0);
    if (st !== ZX_OK) return [st, undefined];
    const wst = yield* s.vmoWrite(bounce, blob, 0);
    if (wst !== ZX_OK) {
      yield* s.handleClose(bounce);
      return [wst, undefined];
    }
    const [rst, bytes] = yield* s.vmoRead(bounce, 0, blob.length);
    yield* s.handleClose(bounce);
    if (rst !== ZX_OK) return [rst, undefined];
    const data = decompress(bytes, len);
    return data === undefined ? [ZX_ERR_IO, undefined] : [ZX_OK, data];
  }

  /** The decoded chunk, from the cache or loaded; BAD_STATE if the VMO is gone. */
  function* acquire(
    s: Sys,
    vmo: ServiceVmo,
    chunk: number,
  ): Syscall<[Status, Uint8Array | undefined]> {
    const id = idOf(vmo.key, chunk);
    yield* cacheLock.lock(s);
    for (;;) {
      if (gone.has(vmo.key)) {
        yield* cacheLock.unlock(s);
        return [ZX_ERR_BAD_STATE, undefined];
      }
      const e = cache.get(id);
      if (e === undefined) {
        cache.set(id, { state: "loading" });
        yield* cacheLock.unlock(s);
        const [st, data] = yield* fetch(s, vmo, chunk);
        yield* cacheLock.lock(s);
        if (data !== undefined && !gone.has(vmo.key)) {
          cache.set(id, { state: "ready", data, lastUse: ++useClock });
          evictLru();
        } else {
          cache.delete(id);
        }
        yield* loaded.broadcast(s);
        yield* cacheLock.unlock(s);
        return [st, data];
      }
      if (e.state === "ready") {
        e.lastUse = ++useClock;
        yield* cacheLock.unlock(s);
        return [ZX_OK, e.data];
      }
      // Another worker is loading this chunk: wait for it, then look again.
      yield* loaded.wait(s, cacheLock);
    }
  }

  /** Answers one READ, chunk by chunk. */
  function* serveRead(s: Sys, vmo: ServiceVmo, offset: number, length: number): Syscall<void> {
    const end = offset + length;
    let pos = offset;
    while (pos < end) {
      const chunk = Math.floor(pos / chunkBytes);
      const cStart = chunk * chunkBytes;
      const segEnd = Math.min(end, cStart + chunkBytes);
      const [st, data] = yield* acquire(s, vmo, chunk);
      if (st === ZX_ERR_BAD_STATE) return; // detached: nothing more to answer
      if (data === undefined) {
        // Could not load the chunk: fail this segment (NO_MEMORY becomes BAD_STATE), go on.
        if (st === ZX_ERR_NO_MEMORY) {
          const fst = yield* failOutOfMemory(s, ctx, vmo, pos, segEnd - pos, st);
          if (fst === ZX_ERR_BAD_STATE) return;
        } else {
          const fst = yield* s.pagerOpRange(
            ctx.pager,
            ZX_PAGER_OP_FAIL,
            vmo.handle,
            pos,
            segEnd - pos,
            ZX_ERR_IO,
          );
          if (fst === ZX_ERR_BAD_STATE) return;
        }
      } else {
        const sst = yield* supplyBytes(
          s,
          ctx,
          vmo,
          pos,
          data.subarray(pos - cStart, segEnd - cStart),
        );
        if (sst === ZX_ERR_BAD_STATE) return; // gone: no retry
      }
      pos = segEnd;
    }
  }

  const worker = function* (s: Sys): ThreadBody {
    for (;;) {
      yield* qlock.lock(s);
      while (queue.length === 0) yield* nonEmpty.wait(s, qlock);
      const packet = queue.shift();
      yield* qlock.unlock(s);
      if (packet === undefined) continue;
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      if (isRead(packet)) yield* serveRead(s, vmo, packet.offset, packet.length);
      else if (isDirty(packet)) yield* acknowledgeDirty(s, ctx, vmo, packet.offset, packet.length);
    }
  };
  sys.spawn("chunk-worker-1", worker);
  sys.spawn("chunk-worker-2", worker);

  // The receiver.
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null) continue;
    if (isComplete(packet)) {
      yield* cacheLock.lock(sys);
      gone.add(packet.key);
      for (const id of [...cache.keys()]) if (id.startsWith(`${packet.key}:`)) cache.delete(id);
      yield* cacheLock.unlock(sys);
      continue;
    }
    if (!isRead(packet) && !isDirty(packet)) continue;
    yield* qlock.lock(sys);
    queue.push(packet);
    yield* nonEmpty.signal(sys);
    yield* qlock.unlock(sys);
  }
}
