/**
 * lfs_pager_bug.ts (BUGGY COPY: releases reservations after WRITEBACK_END): the pager service of a small log-structured filesystem that supports writes.
 *
 * - READ: page in from the log (what was last written back; the file's own bytes elsewhere).
 * - DIRTY: reserve log space for every page of the range, then acknowledge (OP_DIRTY). Out of
 *   space: fail the range with ZX_ERR_NO_SPACE.
 * - Writeback: a user packet (key WRITEBACK_KEY) sets `pending` and wakes the writer thread, a
 *   second thread spawned once per run. The writer queries each VMO's dirty ranges and, for each
 *   range, consumes the range's reservations, WRITEBACK_BEGIN, reads the bytes, waits for page-ins
 *   in flight (page-in barrier), appends them to the log, WRITEBACK_END.
 *
 * Reservation rule (the log's space accounting): a page is Dirty only while it holds a reservation.
 * The writer asserts it: a queried dirty page without a reservation would be written into space
 * nobody reserved (the log can overflow, and the write is lost at ENOSPC).
 *
 * A Dirty zero interval (OP_ZERO of absent pages) gets no DIRTY request and holds no reservation,
 * but a DIRTY request for one of its pages (a commit or write) may be in flight, already reserved:
 * a pass never releases reservations over an IS_ZERO range (found by pagersim, fuzz seed 1 run 1162).
 *
 * Why reservations are consumed BEFORE WRITEBACK_BEGIN: after BEGIN, a write to the page traps
 * again (the page is AwaitingClean, not Dirty) and its DIRTY request reserves anew, so the page
 * that END leaves Dirty keeps a reservation of its own.
 */
import {
  acknowledgeDirty,
  CondVar,
  DurableStore,
  isComplete,
  isDirty,
  isRead,
  Mutex,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  WRITEBACK_KEY,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import {
  ZX_ERR_NO_SPACE,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PKT_TYPE_USER,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../../../kernel/constants.ts";

/** Log capacity in pages (reservations outstanding at once). */
export const LOG_PAGES = 1 << 16;

export interface Volume {
  readonly store: DurableStore; // the log, by key and page
  readonly lock: Mutex; // guards everything below
  readonly wbWanted: CondVar; // pending became true
  readonly noPageIns: CondVar; // supplying became 0
  readonly reserved: Map<number, Set<number>>; // key -> pages holding a reservation
  free: number; // log pages not reserved
  supplying: number; // page-ins between reading the log and their supply
  pending: boolean; // a writeback was asked and no pass has started since
  writerStarted: boolean;
}

export function makeLfsPager(): (sys: Sys, ctx: ServiceContext) => ThreadBody {
  const volumes = new WeakMap<ServiceContext, Volume>();
  const volumeOf = (sys: Sys, ctx: ServiceContext): Volume => {
    let v = volumes.get(ctx);
    if (v === undefined) {
      v = {
        store: new DurableStore(),
        lock: new Mutex(sys, "volume"),
        wbWanted: new CondVar(sys, "writeback wanted"),
        noPageIns: new CondVar(sys, "no page-ins"),
        reserved: new Map(),
        free: LOG_PAGES,
        supplying: 0,
        pending: false,
        writerStarted: false,
      };
      volumes.set(ctx, v);
    }
    return v;
  };

  function* pageIn(
    sys: Sys,
    ctx: ServiceContext,
    v: Volume,
    vmo: ServiceVmo,
    off: number,
    len: number,
  ): Syscall<void> {
    yield* v.lock.lock(sys);
    v.supplying++;
    const data = v.store.read(vmo.key, off, len, sys.pageSize, vmo.file);
    yield* v.lock.unlock(sys);
    yield* supplyBytes(sys, ctx, vmo, off, data);
    yield* v.lock.lock(sys);
    v.supplying--;
    if (v.supplying === 0) yield* v.noPageIns.broadcast(sys);
    yield* v.lock.unlock(sys);
  }

  function* dirty(
    sys: Sys,
    ctx: ServiceContext,
    v: Volume,
    vmo: ServiceVmo,
    off: number,
    len: number,
  ): Syscall<void> {
    yield* v.lock.lock(sys);
    let pages = v.reserved.get(vmo.key);
    if (pages === undefined) v.reserved.set(vmo.key, pages = new Set());
    const first = off / sys.pageSize, end = (off + len) / sys.pageSize;
    let need = 0;
    for (let p = first; p < end; p++) if (!pages.has(p)) need++;
    const ok = need <= v.free;
    if (ok) {
      for (let p = first; p < end; p++) pages.add(p);
      v.free -= need;
    }
    yield* v.lock.unlock(sys);
    if (ok) yield* acknowledgeDirty(sys, ctx, vmo, off, len);
    else {yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_FAIL,
        vmo.handle,
        off,
        len,
        ZX_ERR_NO_SPACE,
      );}
  }

  /** Releases the reservations of pages [first, end) of `key`; the caller holds the lock. */
  function release(v: Volume, key: number, first: number, end: number): void {
    const pages = v.reserved.get(key);
    if (pages === undefined) return;
    for (let p = first; p < end; p++) if (pages.delete(p)) v.free++;
  }

  function* writeBackVmo(sys: Sys, ctx: ServiceContext, v: Volume, vmo: ServiceVmo): Syscall<void> {
    const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
    if (gs !== ZX_OK) return;
    const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(
      ctx.pager,
      vmo.handle,
      0,
      size,
      64 * ZX_VMO_DIRTY_RANGE_SIZE,
    );
    if (qs !== ZX_OK) return;
    for (const r of ranges) {
      const first = r.offset / sys.pageSize, end = (r.offset + r.length) / sys.pageSize;
      // The log's assertion: every dirty page holds a reservation. A Dirty zero interval (OP_ZERO
      // of absent pages: no DIRTY request is sent for it) is written back as a trim: no data block.
      const pages = v.reserved.get(vmo.key);
      for (let p = first; p < end && (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) === 0; p++) {
        if (pages === undefined || !pages.has(p)) {
          throw new Error(
            `lfs: vmo key ${vmo.key} page ${p} is dirty but holds no log reservation`,
          );
        }
      }
      const op = (o: number) => sys.pagerOpRange(ctx.pager, o, vmo.handle, r.offset, r.length, 0);
      if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) !== ZX_OK) continue;
      const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
      if (rs !== ZX_OK) continue;
      yield* v.lock.lock(sys);
      while (v.supplying > 0) yield* v.noPageIns.wait(sys, v.lock); // page-in barrier
      v.store.persist(vmo.key, r.offset, bytes, sys.pageSize);
      yield* v.lock.unlock(sys);
      yield* op(ZX_PAGER_OP_WRITEBACK_END);
      yield* v.lock.lock(sys);
      if ((r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) === 0) release(v, vmo.key, first, end); // the blocks are written: give their space back
      yield* v.lock.unlock(sys);
    }
  }

  function writer(ctx: ServiceContext, v: Volume): (sys: Sys) => ThreadBody {
    return function* (sys: Sys): ThreadBody {
      for (;;) {
        yield* v.lock.lock(sys);
        while (!v.pending) yield* v.wbWanted.wait(sys, v.lock);
        v.pending = false; // a request from now on asks for another pass
        yield* v.lock.unlock(sys);
        for (const vmo of [...ctx.vmos]) yield* writeBackVmo(sys, ctx, v, vmo);
      }
    };
  }

  return function* lfsPager(sys: Sys, ctx: ServiceContext): ThreadBody {
    const v = volumeOf(sys, ctx);
    if (!v.writerStarted) {
      v.writerStarted = true;
      sys.spawn("lfs-writer", writer(ctx, v));
    }
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK || packet === null) return; // the port is gone
      if (isComplete(packet)) continue;
      if (packet.type === ZX_PKT_TYPE_USER && packet.key === WRITEBACK_KEY) {
        yield* v.lock.lock(sys);
        v.pending = true;
        yield* v.wbWanted.signal(sys);
        yield* v.lock.unlock(sys);
        continue;
      }
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      if (isRead(packet)) yield* pageIn(sys, ctx, v, vmo, packet.offset, packet.length);
      else if (isDirty(packet)) yield* dirty(sys, ctx, v, vmo, packet.offset, packet.length);
    }
  };
}

export const contract: ServiceContractInput = {
  pageSize: { min: 64, max: 256 },
  vmoPages: { min: 1, max: 16 },
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 2 },
  clones: false,
  dirty: true,
  writeback: { packet: WRITEBACK_KEY },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};

export default makeLfsPager();
