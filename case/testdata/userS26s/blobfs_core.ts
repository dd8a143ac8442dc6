// A blobfs-like pager service: content-addressed blobs, verified reads, a pool of two worker
// threads on one port, a shared cache of verified pages under a Mutex, detach on close.
// Built from the README only.
import {
  acknowledgeDirty,
  fileRange,
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
  ZX_ERR_IO,
  ZX_ERR_NOT_FOUND,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_SAME_RIGHTS,
} from "../../../kernel/constants.ts";

/** Every blob's key: a filesystem id in the high bits, the blob id (its "digest") below. */
export const BLOB_KEY_BASE = 0xb10b * 2 ** 32;
/** Chance, in percent, that a page read from the "disk" comes back corrupt. */
export const CORRUPT_PERCENT = 10;
/** Verification granularity (pages): a READ is extended to whole chunks (read-ahead). */
export const CHUNK_PAGES = 2;

export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  vmoOptions: { trapDirty: false, resizable: false }, // blobs are immutable
  threads: { min: 1, max: 1 }, // the one service thread spawns the second worker itself
};

interface Node extends ServiceVmo {
  readonly blob: number; // the file id in the backing store
  closed: boolean;
}

/** FNV-1a over a page: the "merkle leaf". */
function hashPage(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

interface Blobfs {
  serve: (sys: Sys, ctx: ServiceContext) => ThreadBody;
  open: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<[Status, number]>;
  close: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<Status>;
}

interface PerRun {
  nodes: Map<number, Node[]>;
  merkle: Map<number, number[]>; // blob -> stored hash per page, written when the blob "was created"
}

/**
 * @param publishBeforeVerify the BUG: a worker puts a page read from disk into the shared cache
 * before it has checked it against the merkle hash (and takes it out again if the check fails);
 * the other worker, looking up the cache in that window, supplies the unverified bytes.
 */
export function makeBlobfs(
  opts: { publishBeforeVerify?: boolean; failWholeChunk?: boolean; supplyTwice?: boolean } = {},
): Blobfs {
  const runs = new WeakMap<ServiceContext, PerRun>();
  const state = (ctx: ServiceContext): PerRun => {
    let s = runs.get(ctx);
    if (s === undefined) runs.set(ctx, s = { nodes: new Map(), merkle: new Map() });
    return s;
  };

  function merkleOf(ctx: ServiceContext, sys: Sys, node: Node): number[] {
    const m = state(ctx).merkle;
    let leaves = m.get(node.blob);
    if (leaves === undefined) {
      leaves = [];
      const pages = Math.ceil(node.size / sys.pageSize);
      for (let p = 0; p < pages; p++) {
        leaves.push(hashPage(fileRange(node.blob, p * sys.pageSize, sys.pageSize, node.file)));
      }
      m.set(node.blob, leaves);
    }
    return leaves;
  }

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const key = BLOB_KEY_BASE + file.id;
    const [st, own] = yield* sys.pagerCreateVmo(ctx.pager, 0, ctx.port, key, file.size);
    if (st !== ZX_OK) return [st, 0];
    const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
    if (ds !== ZX_OK) {
      yield* sys.handleClose(own);
      return [ds, 0];
    }
    const nodes = state(ctx).nodes;
    const list = nodes.get(key) ?? [];
    list.push({
      name: file.name,
      key,
      handle: own,
      size: file.size,
      blob: file.id,
      ...(file.file === undefined ? {} : { file: file.file }),
      closed: false,
    });
    nodes.set(key, list);
    return [ZX_OK, client];
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const node = state(ctx).nodes.get(BLOB_KEY_BASE + file.id)?.find((n) => !n.closed);
    if (node === undefined) return ZX_ERR_NOT_FOUND;
    node.closed = true;
    const st = yield* sys.pagerDetachVmo(ctx.pager, node.handle); // detach on close
    yield* sys.handleClose(node.handle);
    return st;
  }

  function* serve(sys: Sys, ctx: ServiceContext): ThreadBody {
    const cacheLock = new Mutex(sys, "verified cache");
    const cache = new Map<string, Uint8Array>(); // "blob:page" -> verified page, under cacheLock

    /** One page of `node`, verified: from the cache, or read from disk and checked. */
    function* verifiedPage(s: Sys, node: Node, page: number): Syscall<Uint8Array | undefined> {
      const id = `${node.blob}:${page}`;
      yield* cacheLock.lock(s);
      const hit = cache.get(id);
      yield* cacheLock.unlock(s);
      if (hit !== undefined) return hit;
      // Block device read (one syscall stands for the I/O), sometimes corrupt.
      yield* s.vmoGetSize(node.handle);
      const bytes = fileRange(node.blob, page * s.pageSize, s.pageSize, node.file).slice();
      if (s.chance(CORRUPT_PERCENT)) bytes[0] ^= 0x5a; // a flipped bit-pattern in the page's first byte
      if (opts.publishBeforeVerify) {
        yield* cacheLock.lock(s);
        cache.set(id, bytes); // BUG: unverified bytes visible to the other worker
        yield* cacheLock.unlock(s);
      }
      // Read the merkle node (another I/O), then verify.
      yield* s.vmoGetSize(node.handle);
      const ok = hashPage(bytes) === merkleOf(ctx, s, node)[page];
      yield* cacheLock.lock(s);
      if (ok) cache.set(id, bytes);
      else cache.delete(id);
      yield* cacheLock.unlock(s);
      return ok ? bytes : undefined;
    }

    function* answerRead(s: Sys, node: Node, offset: number, length: number): Syscall<void> {
      const ps = s.pageSize;
      const first = offset / ps;
      const last = (offset + length) / ps; // exclusive
      const pages = Math.ceil(node.size / ps);
      const chunkEnd = Math.min(pages, Math.ceil(last / CHUNK_PAGES) * CHUNK_PAGES);
      const good: Uint8Array[] = [];
      for (let p = first; p < chunkEnd; p++) {
        const data = yield* verifiedPage(s, node, p);
        if (data === undefined) {
          if (p < last) {
            // A requested page failed verification: fail the requested range, supply nothing.
            if (opts.failWholeChunk) {
              // fail the whole verification chunk(s), as a merkle-block-granular pager might
              const cs = Math.floor(first / CHUNK_PAGES) * CHUNK_PAGES;
              yield* s.pagerOpRange(
                ctx.pager,
                ZX_PAGER_OP_FAIL,
                node.handle,
                cs * ps,
                (chunkEnd - cs) * ps,
                ZX_ERR_IO,
              );
            } else {
              yield* s.pagerOpRange(
                ctx.pager,
                ZX_PAGER_OP_FAIL,
                node.handle,
                offset,
                length,
                ZX_ERR_IO,
              );
            }
            return;
          }
          break; // a read-ahead page is corrupt: supply what was asked for only
        }
        good.push(data);
      }
      const out = new Uint8Array(good.length * ps);
      good.forEach((d, i) => out.set(d, i * ps));
      yield* supplyBytes(s, ctx, node, offset, out);
      if (opts.supplyTwice) yield* supplyBytes(s, ctx, node, offset, out); // same verified bytes again
    }

    const worker = (s: Sys): ThreadBody =>
      (function* () {
        for (;;) {
          const [st, packet] = yield* s.portWait(ctx.port, ZX_TIME_INFINITE);
          if (st !== ZX_OK) return;
          if (packet === null) continue;
          const list = state(ctx).nodes.get(packet.key);
          if (list === undefined) continue;
          if (isComplete(packet)) {
            const i = list.findIndex((n) => n.closed);
            if (i >= 0) list.splice(i, 1);
            continue;
          }
          const node = list.findLast((n) => !n.closed);
          if (node === undefined) continue; // the detach failed it
          if (isRead(packet)) {
            yield* answerRead(s, node, packet.offset, packet.length);
          } else if (isDirty(packet)) {
            yield* acknowledgeDirty(s, ctx, node, packet.offset, packet.length);
          }
        }
      })();
    sys.spawn("blob-worker-2", worker); // the pool's second thread, same port
    yield* worker(sys);
  }

  return { serve, open, close };
}
