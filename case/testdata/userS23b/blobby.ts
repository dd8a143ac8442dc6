// blobby: a blobfs-style pager service for pagersim.
//
// Content-addressed, read-only blobs. On open, the blob's pages are "compressed" (a toy RLE) into
// a backing store, and a per-page hash (FNV-1a of the uncompressed page) is kept as the blob's
// merkle leaves. The backing store has bad sectors (a deterministic function of blob id and page),
// which corrupt a page's compressed bytes. A READ decompresses each page, verifies it against its
// hash, supplies the good runs and fails the bad pages with ZX_ERR_IO_DATA_INTEGRITY.
// A pool of threads (the pager's `threads`) waits on the one port. close() detaches the VMO;
// the thread that takes its COMPLETE forgets the blob, and the service's VMO handle is closed
// once no thread is still serving a request of it.
import {
  fileRange,
  isComplete,
  isRead,
  type OpenFile,
  type ServiceContext,
  type ServiceContractInput,
  type Status,
  type Sys,
  type Syscall,
  type ThreadBody,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_SAME_RIGHTS,
} from "../../../kernel/constants.ts";

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: false, resizable: false }, // blobs are immutable
  vmoPages: { min: 1, max: 16 },
  threads: { min: 2, max: 3 }, // a pool on one port
  clones: true, // executables are mapped copy-on-write
  dirty: false,
  writeback: false,
  reachable: { port: false, pager: false },
  events: ["closeVmo", "suspend", "kill", "evict"],
  opens: { entry: "open", close: "close" },
  lifecycle: true,
};

interface Blob {
  id: number;
  key: number;
  vmo: number; // the service's own handle
  size: number;
  compressed: Uint8Array[]; // per page, RLE
  hashes: number[]; // per page, FNV-1a of the uncompressed page
  open: boolean;
  completed: boolean; // its COMPLETE was taken
  inflight: number; // READs being served
  handleClosed: boolean;
}

interface Volume {
  byKey: Map<number, Blob>;
  byId: Map<number, Blob>; // the open blob of each file id
  nextGen: number;
}

export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function rleCompress(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let n = 1;
    while (i + n < bytes.length && bytes[i + n] === bytes[i] && n < 255) n++;
    out.push(n, bytes[i]);
    i += n;
  }
  return Uint8Array.from(out);
}

export function rleDecompress(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i + 1 < data.length && o < length; i += 2) {
    out.fill(data[i + 1], o, Math.min(length, o + data[i]));
    o += data[i];
  }
  return out;
}

/** A bad sector: the store holds a corrupt copy of this page. */
export function badSector(id: number, page: number): boolean {
  return ((id * 7 + page * 13) % 11) === 5;
}

export interface BlobbyOptions {
  /** Verify each page against its hash before supplying it (default true). */
  verify?: boolean;
  /** Retry a supply that returned BAD_STATE (a bug: the VMO is gone). */
  retryOnBadState?: boolean;
}

export function makeBlobby(options: BlobbyOptions = {}) {
  const verify = options.verify ?? true;
  const retryOnBadState = options.retryOnBadState ?? false;
  const volumes = new WeakMap<ServiceContext, Volume>();
  const volumeOf = (ctx: ServiceContext): Volume => {
    let v = volumes.get(ctx);
    if (v === undefined) {
      v = { byKey: new Map(), byId: new Map(), nextGen: 1 };
      volumes.set(ctx, v);
    }
    return v;
  };

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const vol = volumeOf(ctx);
    const ps = sys.pageSize;
    const pages = Math.ceil(file.size / ps);
    const compressed: Uint8Array[] = [];
    const hashes: number[] = [];
    for (let p = 0; p < pages; p++) {
      const page = fileRange(file.id, p * ps, ps, file.file);
      hashes.push(fnv1a(page));
      const c = rleCompress(page);
      if (badSector(file.id, p) && c.length >= 2) c[1] ^= 0x40; // media corruption
      compressed.push(c);
    }
    const key = 0x2b * 2 ** 32 + vol.nextGen++;
    const [st, vmo] = yield* sys.pagerCreateVmo(ctx.pager, 0, ctx.port, key, file.size);
    if (st !== ZX_OK) return [st, 0];
    const [dst, client] = yield* sys.handleDuplicate(vmo, ZX_RIGHT_SAME_RIGHTS);
    if (dst !== ZX_OK) {
      yield* sys.pagerDetachVmo(ctx.pager, vmo);
      yield* sys.handleClose(vmo);
      return [dst, 0];
    }
    const blob: Blob = {
      id: file.id,
      key,
      vmo,
      size: file.size,
      compressed,
      hashes,
      open: true,
      completed: false,
      inflight: 0,
      handleClosed: false,
    };
    vol.byKey.set(key, blob);
    vol.byId.set(file.id, blob);
    return [ZX_OK, client];
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const vol = volumeOf(ctx);
    const blob = vol.byId.get(file.id);
    if (blob === undefined || !blob.open) return ZX_ERR_NOT_FOUND;
    blob.open = false;
    vol.byId.delete(file.id);
    yield* sys.pagerDetachVmo(ctx.pager, blob.vmo); // COMPLETE follows
    return ZX_OK;
  }

  function* releaseIfDone(sys: Sys, vol: Volume, blob: Blob): Syscall<void> {
    if (blob.completed && blob.inflight === 0 && !blob.handleClosed) {
      blob.handleClosed = true;
      vol.byKey.delete(blob.key);
      yield* sys.handleClose(blob.vmo);
    }
  }

  /** Supply [offset, offset+length) from `data` through an aux VMO. */
  function* supplyRun(
    sys: Sys,
    ctx: ServiceContext,
    blob: Blob,
    offset: number,
    data: Uint8Array,
  ): Syscall<Status> {
    const [cst, aux] = yield* sys.vmoCreate(data.length, 0);
    if (cst !== ZX_OK) return cst;
    let st = yield* sys.vmoWrite(aux, data, 0);
    if (st === ZX_OK) {
      st = yield* sys.pagerSupplyPages(ctx.pager, blob.vmo, offset, data.length, aux, 0);
      if (st === ZX_ERR_BAD_STATE && retryOnBadState) {
        // "transient": try once more
        st = yield* sys.pagerSupplyPages(ctx.pager, blob.vmo, offset, data.length, aux, 0);
      }
    }
    yield* sys.handleClose(aux);
    return st;
  }

  function* failRange(
    sys: Sys,
    ctx: ServiceContext,
    blob: Blob,
    offset: number,
    length: number,
    code: Status,
  ): Syscall<Status> {
    return yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, blob.vmo, offset, length, code);
  }

  function* serveRead(
    sys: Sys,
    ctx: ServiceContext,
    blob: Blob,
    offset: number,
    length: number,
  ): Syscall<void> {
    const ps = sys.pageSize;
    const end = (offset + length) / ps;
    let p = offset / ps;
    while (p < end) {
      // the longest run of pages from p that decompress and verify
      const run: Uint8Array[] = [];
      let q = p;
      for (; q < end; q++) {
        const page = rleDecompress(blob.compressed[q], ps);
        if (verify && fnv1a(page) !== blob.hashes[q]) break;
        run.push(page);
      }
      if (run.length > 0) {
        const data = new Uint8Array(run.length * ps);
        run.forEach((page, i) => data.set(page, i * ps));
        const st = yield* supplyRun(sys, ctx, blob, p * ps, data);
        if (st === ZX_ERR_NO_MEMORY) {
          yield* failRange(sys, ctx, blob, p * ps, (end - p) * ps, ZX_ERR_BAD_STATE);
          return;
        }
        if (st !== ZX_OK) return; // BAD_STATE: the VMO is gone
      }
      if (q < end) {
        // page q is corrupt in the store: fail it
        const st = yield* failRange(sys, ctx, blob, q * ps, ps, ZX_ERR_IO_DATA_INTEGRITY);
        if (st !== ZX_OK) return;
        q++;
      }
      p = q;
    }
  }

  function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
    const vol = volumeOf(ctx);
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (packet === null) continue;
      const blob = vol.byKey.get(packet.key);
      if (blob === undefined) continue;
      if (isComplete(packet)) {
        blob.completed = true;
        yield* releaseIfDone(sys, vol, blob);
        continue;
      }
      if (!isRead(packet)) continue; // read-only blobs: no DIRTY
      blob.inflight++;
      yield* serveRead(sys, ctx, blob, packet.offset, packet.length);
      blob.inflight--;
      yield* releaseIfDone(sys, vol, blob);
    }
  }

  return { service, open, close };
}

const blobby = makeBlobby();
export default blobby.service;
export const open = blobby.open;
export const close = blobby.close;
