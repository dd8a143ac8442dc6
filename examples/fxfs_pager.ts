/**
 * A port of the request handling of fxfs's pager (Fuchsia's Rust filesystem)
 * to pagersim's service API: the showcase of a real service held to its
 * contract (README "Testing a real service").
 *
 * Written from the source, read (not copied) at these revisions:
 * - `src/storage/fxfs/platform/src/fuchsia/pager.rs`, gnoliyil/fuchsia
 *   13cc8d2e933196f8b5029265d4bda0073e7677fe: `receive_pager_packet` (only
 *   READ and DIRTY are handled, COMPLETE and the rest are dropped),
 *   `default_page_in` (zero tail past the file size, read-ahead window rounded
 *   to 128 KiB and clamped to the aligned file size, read in 128 KiB chunks,
 *   each supplied by `page_in_chunk`), `report_failure` (the status mapping
 *   onto the codes OP_FAIL accepts), `dirty_pages` (NOT_FOUND tolerated).
 * - `src/storage/fxfs/platform/src/fuchsia/paged_object_handle.rs`,
 *   gnoliyil/fuchsia 1c7215d4b2cd81ebddd3137bff47e9757fa10e48: `mark_dirty`
 *   (split at MAX_FILE_SIZE and fail the tail with FILE_BIG, reserve space for
 *   the new dirty pages or fail NO_SPACE), `reservation_needed`, `Inner::take`
 *   / `move_to` / `put_back`, `flush_impl` (take the dirty count, collect the
 *   ranges with `query_dirty_ranges` 16 at a time, split them into batches of
 *   FLUSH_BATCH_SIZE, WRITEBACK_BEGIN, persist, WRITEBACK_END), and the
 *   assertion that the reservation covers the pages to flush.
 * - The page-in barrier before WRITEBACK_END (`flush_data`: "We need to ensure
 *   that all page-ins complete before we finish marking the pages as clean"),
 *   from the later misttech/fuchsia 5e62b3cfc764dabbc85d34b1f3a76c53eaf83ebe
 *   of the same file (the older revision ends each batch without it).
 *   `makeFxfsPager({ pageInBarrier: false })` is the port without it
 *   (`examples/testdata/fxfs_no_barrier.ts`): campaigns find the page-in that
 *   supplies the data a flush has just made stale.
 *
 * Simplifications (each one a place the port differs from fxfs):
 * 1. Sizes are in pages, scaled to the small page sizes pagersim runs at:
 *    read-ahead and read chunks are {@linkcode READ_AHEAD_PAGES} pages (128 KiB
 *    of 4 KiB pages), a flush batch is {@linkcode FLUSH_BATCH_PAGES} pages
 *    (512 KiB), a transaction's metadata reservation is
 *    {@linkcode TRANSACTION_METADATA_PAGES} page, MAX_FILE_SIZE is
 *    {@linkcode MAX_FILE_PAGES} pages, and the volume has
 *    {@linkcode VOLUME_FREE_PAGES} pages of space to reserve.
 * 2. The file size (`byte_size`, the content size) is the VMO's size: files
 *    are not resized (the contract says `resizable: false`, although fxfs
 *    creates its VMOs RESIZABLE), so the zero-tail path only runs if a READ
 *    ever reaches past it, and no dirty range is skipped past the content size.
 * 3. `read_alignment` is the page size (no compressed chunks); `aligned_read`
 *    reads {@linkcode DurableStore}: the backing pattern overlaid with what
 *    flushes persisted. A read never fails; an aux VMO that cannot be created
 *    or filled (ZX_ERR_NO_MEMORY, pagersim's allocation-failure injection)
 *    fails the chunk through `report_failure`, which maps NO_MEMORY to
 *    BAD_STATE as fxfs's mapping does for any unlisted status.
 * 4. Each chunk of a page-in is supplied by the thread that took the READ, one
 *    after another, where fxfs spawns a task per chunk onto its executor.
 * 5. The epochs barrier is a set of in-flight page-ins and a CondVar: the
 *    barrier waits for the page-ins running when it starts (fxfs's epoch does
 *    the same), not for later ones.
 * 6. One flush lock per file stands for fxfs's truncate lock; the `Inner`
 *    mutex is a pagersim `Mutex` (a scheduling point) where fxfs holds a
 *    `std::sync::Mutex`. The allocator is one counter per pager (volume).
 * 7. No transactions, journal, timestamps, content-size updates, COW/overwrite
 *    modes or trims: a batch is persisted at once, and the space a flush
 *    consumed goes back to the volume when it ends (the old extents a
 *    copy-on-write frees, modelled as net zero). `report_pager_dirty` (which
 *    may start a flush) and `report_pager_clean` are not modelled.
 * 8. No shutdown scope (the BAD_STATE failure of a request while the
 *    filesystem shuts down), no `VMO_ZERO_CHILDREN` watch (`on_zero_children`
 *    only drops fxfs's strong reference), no `query_vmo_stats`.
 * 9. The flush is the contract's writeback entry point {@linkcode flush},
 *    called by pagersim for a `writeback` event, and flushes every file of the
 *    pager; a file whose handle is gone (`closeVmo`) or that no longer answers
 *    (detached) is skipped with its dirty count put back.
 *
 * fxfs creates every VMO TRAP_DIRTY, and the contract says so
 * (`vmoOptions.trapDirty: "always"`): campaigns never hand the port a VMO
 * whose writes send no DIRTY request, so fxfs's assertion that the
 * reservation covers the pages to flush holds for every file, as upstream.
 *
 * @module
 */

import {
  CondVar,
  DurableStore,
  isDirty,
  isRead,
  Mutex,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  type Status,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_IO_DATA_LOSS,
  ZX_ERR_IO_INVALID,
  ZX_ERR_IO_MISSED_DEADLINE,
  ZX_ERR_IO_NOT_PRESENT,
  ZX_ERR_IO_OVERRUN,
  ZX_ERR_IO_REFUSED,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_PEER_CLOSED,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";

/** Read-ahead window and read chunk, in pages (fxfs: READ_AHEAD_SIZE 128 KiB of 4 KiB pages). */
export const READ_AHEAD_PAGES = 32;
/** Dirty pages per flush batch (fxfs: FLUSH_BATCH_SIZE 512 KiB). */
export const FLUSH_BATCH_PAGES = 128;
/** Metadata reserved per transaction, in pages (fxfs: TRANSACTION_METADATA_MAX_AMOUNT). */
export const TRANSACTION_METADATA_PAGES = 1;
/** Extra reservation a dirtied file keeps for a later flush (fxfs: SPARE_SIZE). */
export const SPARE_PAGES = TRANSACTION_METADATA_PAGES;
/** Largest file, in pages (fxfs: MAX_FILE_SIZE); DIRTY past it fails with BUFFER_TOO_SMALL. */
export const MAX_FILE_PAGES = 224;
/** Space a volume (one pager) can reserve for dirty pages, in pages. */
export const VOLUME_FREE_PAGES = 192;

/** Space to reserve to flush `pages` dirty pages (fxfs `reservation_needed`), in pages. */
export function reservationNeeded(pages: number): number {
  return Math.ceil(pages / FLUSH_BATCH_PAGES) * TRANSACTION_METADATA_PAGES + pages;
}

/** One file's `Inner`: its dirty count and spare, under `inner`; its flush ("truncate") lock. */
interface File {
  readonly inner: Mutex;
  readonly flushLock: Mutex;
  dirtyPages: number;
  spare: number;
}

/** A volume: its store, allocator, files, and the page-in epochs. */
interface Volume {
  readonly store: DurableStore;
  free: number;
  readonly files: Map<number, File>;
  readonly inFlight: Set<number>;
  nextPageIn: number;
  barrierWaiters: number;
  readonly epochs: Mutex;
  readonly epochsDone: CondVar;
}

function volumeOf(
  volumes: WeakMap<ServiceContext, Volume>,
  sys: Sys,
  ctx: ServiceContext,
): Volume {
  let v = volumes.get(ctx);
  if (v === undefined) {
    v = {
      store: new DurableStore(),
      free: VOLUME_FREE_PAGES,
      files: new Map(),
      inFlight: new Set(),
      nextPageIn: 0,
      barrierWaiters: 0,
      epochs: new Mutex(sys, "epochs"),
      epochsDone: new CondVar(sys, "epochs"),
    };
    volumes.set(ctx, v);
  }
  return v;
}

function fileOf(sys: Sys, vol: Volume, vmo: ServiceVmo): File {
  let f = vol.files.get(vmo.key);
  if (f === undefined) {
    f = {
      inner: new Mutex(sys, `inner ${vmo.name}`),
      flushLock: new Mutex(sys, `truncate ${vmo.name}`),
      dirtyPages: 0,
      spare: 0,
    };
    vol.files.set(vmo.key, f);
  }
  return f;
}

const reservationOf = (f: File) => reservationNeeded(f.dirtyPages) + f.spare;

/** fxfs `Pager::report_failure`: the status mapped onto one OP_FAIL accepts. */
export function pagerFailureStatus(status: Status): Status {
  switch (status) {
    case ZX_ERR_IO_DATA_INTEGRITY:
    case ZX_ERR_NO_SPACE:
      return status;
    case ZX_ERR_BUFFER_TOO_SMALL: // fxfs maps FILE_BIG here; pagersim has no FILE_BIG
      return ZX_ERR_BUFFER_TOO_SMALL;
    case ZX_ERR_IO:
    case ZX_ERR_IO_DATA_LOSS:
    case ZX_ERR_IO_INVALID:
    case ZX_ERR_IO_MISSED_DEADLINE:
    case ZX_ERR_IO_NOT_PRESENT:
    case ZX_ERR_IO_OVERRUN:
    case ZX_ERR_IO_REFUSED:
    case ZX_ERR_PEER_CLOSED:
      return ZX_ERR_IO;
    default:
      return ZX_ERR_BAD_STATE;
  }
}

function reportFailure(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  status: Status,
): Syscall<Status> {
  // fxfs logs an op_range error and carries on.
  return sys.pagerOpRange(
    ctx.pager,
    ZX_PAGER_OP_FAIL,
    vmo.handle,
    offset,
    length,
    pagerFailureStatus(status),
  );
}

/** Supplies `data` at `offset` through an aux VMO (fxfs `Pager::supply_pages`). */
function* supply(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  data: Uint8Array,
): Syscall<void> {
  const [cs, aux] = yield* sys.vmoCreate(data.length, 0);
  if (cs !== ZX_OK) {
    yield* reportFailure(sys, ctx, vmo, offset, data.length, cs);
    return;
  }
  const ws = yield* sys.vmoWrite(aux, data, 0);
  const st = ws === ZX_OK
    ? yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, offset, data.length, aux, 0)
    : ws;
  yield* sys.handleClose(aux);
  // fxfs logs a failed supply; only a failed buffer (out of memory here) fails the range.
  if (ws !== ZX_OK) yield* reportFailure(sys, ctx, vmo, offset, data.length, ws);
  else if (st === ZX_ERR_NO_MEMORY) {
    yield* reportFailure(sys, ctx, vmo, offset, data.length, st);
  }
}

/** fxfs `default_page_in` with `page_in_chunk` for each chunk. */
function* pageIn(
  sys: Sys,
  ctx: ServiceContext,
  vol: Volume,
  vmo: ServiceVmo,
  start: number,
  end: number,
): Syscall<void> {
  const ps = sys.pageSize;
  const id = vol.nextPageIn++;
  vol.inFlight.add(id); // pager.epochs.add_ref()
  try {
    const alignedSize = Math.ceil(vmo.size / ps) * ps; // byte_size rounded to read_alignment
    // Zero-pad the tail past the file's size.
    for (let o = Math.max(start, alignedSize); o < end; o += READ_AHEAD_PAGES * ps) {
      const n = Math.min(end, o + READ_AHEAD_PAGES * ps) - o;
      yield* supply(sys, ctx, vmo, o, new Uint8Array(n));
    }
    const window = READ_AHEAD_PAGES * ps;
    let ra = Math.floor(start / window) * window;
    const raEnd = Math.min(Math.ceil(end / window) * window, alignedSize);
    while (ra < raEnd) {
      const chunkEnd = Math.min(raEnd, ra + window);
      const data = vol.store.read(vmo.key, ra, chunkEnd - ra, ps, vmo.file); // aligned_read
      yield* supply(sys, ctx, vmo, ra, data);
      ra = chunkEnd;
    }
  } finally {
    vol.inFlight.delete(id); // the RefGuard dropped
  }
  if (vol.barrierWaiters > 0) {
    yield* vol.epochs.lock(sys);
    yield* vol.epochsDone.broadcast(sys);
    yield* vol.epochs.unlock(sys);
  }
}

/** fxfs `Pager::page_in_barrier`: waits for the page-ins running now to finish. */
function* pageInBarrier(sys: Sys, vol: Volume): Syscall<void> {
  const running = [...vol.inFlight];
  yield* vol.epochs.lock(sys);
  vol.barrierWaiters++;
  while (running.some((id) => vol.inFlight.has(id))) {
    yield* vol.epochsDone.wait(sys, vol.epochs);
  }
  vol.barrierWaiters--;
  yield* vol.epochs.unlock(sys);
}

/** fxfs `PagedObjectHandle::mark_dirty`. */
function* markDirty(
  sys: Sys,
  ctx: ServiceContext,
  vol: Volume,
  vmo: ServiceVmo,
  start: number,
  end: number,
): Syscall<void> {
  const ps = sys.pageSize;
  const max = MAX_FILE_PAGES * ps;
  if (end > max) {
    const from = Math.max(start, max);
    yield* reportFailure(sys, ctx, vmo, from, end - from, ZX_ERR_BUFFER_TOO_SMALL);
    if (start >= max) return;
    end = max;
  }
  const file = fileOf(sys, vol, vmo);
  yield* file.inner.lock(sys);
  const before = reservationOf(file);
  const dirtyPages = file.dirtyPages + (end - start) / ps;
  const delta = reservationNeeded(dirtyPages) + SPARE_PAGES - before; // never negative
  if (delta > 0) {
    if (vol.free < delta) {
      yield* reportFailure(sys, ctx, vmo, start, end - start, ZX_ERR_NO_SPACE);
      yield* file.inner.unlock(sys);
      return;
    }
    vol.free -= delta;
  }
  file.dirtyPages = dirtyPages;
  file.spare = SPARE_PAGES;
  // fxfs `dirty_pages`: an error (NOT_FOUND spuriously, or the VMO gone) is only logged.
  yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_DIRTY, vmo.handle, start, end - start, 0);
  yield* file.inner.unlock(sys);
}

/** One range of a flush batch. */
interface FlushRange {
  readonly offset: number;
  readonly length: number;
  readonly zero: boolean;
}

/** fxfs `FlushBatches::add_range`: batches of at most FLUSH_BATCH_PAGES non-zero pages. */
function flushBatches(ranges: readonly FlushRange[], ps: number): FlushRange[][] {
  const batches: FlushRange[][] = [];
  let batch: FlushRange[] = [];
  let pages = 0;
  for (const r of ranges) {
    if (r.zero) {
      batch.push(r);
      continue;
    }
    let { offset, length } = r;
    while (length > 0) {
      if (pages === FLUSH_BATCH_PAGES) {
        batches.push(batch);
        batch = [];
        pages = 0;
      }
      const n = Math.min(length, (FLUSH_BATCH_PAGES - pages) * ps);
      batch.push({ offset, length: n, zero: false });
      pages += n / ps;
      offset += n;
      length -= n;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

const dirtyPagesOf = (batch: readonly FlushRange[], ps: number) =>
  batch.reduce((n, r) => n + (r.zero ? 0 : r.length / ps), 0);

/** fxfs `collect_modified_ranges`: query_dirty_ranges, 16 ranges at a time. */
function* collectModifiedRanges(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
): Syscall<FlushRange[] | null> {
  const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
  if (gs !== ZX_OK) return null;
  const out: FlushRange[] = [];
  let offset = 0;
  for (;;) {
    const [st, ranges, avail] = yield* sys.pagerQueryDirtyRanges(
      ctx.pager,
      vmo.handle,
      offset,
      size - offset,
      16 * ZX_VMO_DIRTY_RANGE_SIZE,
    );
    if (st !== ZX_OK) return null;
    for (const r of ranges) {
      out.push({
        offset: r.offset,
        length: r.length,
        zero: (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0,
      });
    }
    if (ranges.length === 0 || avail - ranges.length === 0) return out;
    const last = ranges[ranges.length - 1];
    offset = last.offset + last.length;
  }
}

/** fxfs `PagedObjectHandle::flush` (`flush_impl` and `flush_data`) of one file. */
function* flushFile(
  sys: Sys,
  ctx: ServiceContext,
  vol: Volume,
  vmo: ServiceVmo,
  barrier: boolean,
): Syscall<void> {
  const ps = sys.pageSize;
  const file = fileOf(sys, vol, vmo);
  yield* file.flushLock.lock(sys);
  // Inner::take: the dirty count and its reservation move to the flush.
  yield* file.inner.lock(sys);
  let taken = file.dirtyPages;
  let reserved = reservationOf(file);
  file.dirtyPages = 0;
  file.spare = 0;
  yield* file.inner.unlock(sys);

  const ranges = yield* collectModifiedRanges(sys, ctx, vmo);
  let done: FlushRange[][] = [];
  let flushedPages = 0;
  if (ranges !== null) {
    const batches = flushBatches(ranges, ps);
    const toFlush = batches.reduce((n, b) => n + dirtyPagesOf(b, ps), 0);
    if (toFlush > taken) {
      // Inner::move_to: pages dirtied since the take join this flush.
      yield* file.inner.lock(sys);
      taken += file.dirtyPages;
      reserved += reservationOf(file);
      file.dirtyPages = 0;
      file.spare = 0;
      yield* file.inner.unlock(sys);
      // fxfs asserts this (flush_impl: "reservation: {}, needed: {}, ...").
      if (reserved < reservationNeeded(toFlush)) {
        throw new Error(
          `fxfs flush of ${vmo.name}: reservation ${reserved} < needed ${
            reservationNeeded(toFlush)
          } (dirty pages ${taken}, pages to flush ${toFlush})`,
        );
      }
    }
    for (const batch of batches) {
      // writeback_begin for each range, then the data read and persisted (the transaction).
      let ok = true;
      for (const r of batch) {
        const st = yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_BEGIN,
          vmo.handle,
          r.offset,
          r.length,
          r.zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
        );
        if (st !== ZX_OK) ok = false; // fxfs logs it and goes on; the commit fails below
      }
      const data: Uint8Array[] = [];
      for (const r of batch) {
        if (!ok) break;
        if (r.zero) {
          data.push(new Uint8Array(r.length));
          continue;
        }
        const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
        if (rs !== ZX_OK) ok = false;
        else data.push(bytes);
      }
      if (!ok) break; // the transaction failed: this batch and the rest stay dirty
      batch.forEach((r, i) => vol.store.persist(vmo.key, r.offset, data[i], ps));
      flushedPages += dirtyPagesOf(batch, ps);
      done = [...done, batch];
    }
  }
  // The page-in barrier: a page-in that read the store before the persist supplies before END.
  if (done.length > 0) {
    if (barrier) yield* pageInBarrier(sys, vol);
    for (const batch of done) {
      for (const r of batch) {
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
      }
    }
  }
  // Inner::put_back of what was not flushed; the rest of the reservation goes back to the volume.
  const unflushed = Math.max(0, taken - flushedPages);
  yield* file.inner.lock(sys);
  if (unflushed > 0) {
    const before = reservationOf(file);
    file.dirtyPages += unflushed;
    const needed = reservationNeeded(file.dirtyPages);
    file.spare = Math.min(reserved + before - needed, SPARE_PAGES);
    reserved -= needed + file.spare - before;
  }
  vol.free += Math.max(0, reserved);
  yield* file.inner.unlock(sys);
  yield* file.flushLock.unlock(sys);
}

/** A pager's threads and its flush, sharing one volume per service context. */
export interface FxfsPager {
  /** A pager thread: fxfs `PagerPacketReceiver::receive_pager_packet` for each packet. */
  readonly pager: (sys: Sys, ctx: ServiceContext) => ThreadBody;
  /** The writeback entry point: flushes every file of the volume, as fxfs's `FxFile::sync` does for one. */
  readonly flush: (sys: Sys, ctx: ServiceContext) => ThreadBody;
}

/** Options of {@linkcode makeFxfsPager}. */
export interface FxfsPagerOptions {
  /**
   * Wait for the page-ins running when a flush ends before its WRITEBACK_END
   * (fxfs `flush_data`'s `page_in_barrier`). Default true. `false` is the
   * older revision's flush: a page-in that read the store before the flush
   * persisted can supply that stale data after the flushed page was cleaned
   * and evicted (`examples/testdata/fxfs_no_barrier.ts`).
   */
  readonly pageInBarrier?: boolean;
}

/**
 * A fxfs pager: its threads and flush share each context's volume through a
 * `WeakMap` the factory owns (a context is one run's pager), so no state
 * outlives a run at module level.
 *
 * @example
 * ```ts
 * import { makeFxfsPager } from "./fxfs_pager.ts";
 * const fxfs = makeFxfsPager({ pageInBarrier: true });
 * console.assert(typeof fxfs.pager === "function" && typeof fxfs.flush === "function");
 * ```
 */
export function makeFxfsPager(options: FxfsPagerOptions = {}): FxfsPager {
  const barrier = options.pageInBarrier ?? true;
  const volumes = new WeakMap<ServiceContext, Volume>();
  return {
    *pager(sys: Sys, ctx: ServiceContext): ThreadBody {
      const vol = volumeOf(volumes, sys, ctx);
      for (;;) {
        const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
        if (st !== ZX_OK) return;
        // Commands other than READ and DIRTY (COMPLETE) are ignored, as are unknown files.
        const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
        if (vmo === undefined) continue;
        if (isRead(packet)) {
          yield* pageIn(sys, ctx, vol, vmo, packet.offset, packet.offset + packet.length);
        } else if (isDirty(packet)) {
          yield* markDirty(sys, ctx, vol, vmo, packet.offset, packet.offset + packet.length);
        }
      }
    },
    *flush(sys: Sys, ctx: ServiceContext): ThreadBody {
      const vol = volumeOf(volumes, sys, ctx);
      for (const vmo of ctx.vmos) yield* flushFile(sys, ctx, vol, vmo, barrier);
    },
  };
}

const fxfs = makeFxfsPager();

/** A pager thread of the module's fxfs pager. */
export default function* fxfsPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fxfs.pager(sys, ctx);
}

/** The writeback entry point (`contract.writeback.entry`) of the module's fxfs pager. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fxfs.flush(sys, ctx);
}

/** What fxfs's pager can receive (see the simplifications above). */
export const contract: ServiceContractInput = {
  pageSize: { min: 64, max: 512 },
  vmoPages: { min: 1, max: 256 },
  vmoOptions: { trapDirty: "always", resizable: false }, // fxfs: TRAP_DIRTY (RESIZABLE not ported)
  threads: { min: 1, max: 4 }, // an executor's threads on one port
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};
