// A write-back chunk cache, fxfs-like: one reader thread (or two) answers READ/DIRTY from the
// port; a writer thread, woken by a writeback packet, writes dirty ranges back to an in-memory
// backing store with WRITEBACK_BEGIN / copy / WRITEBACK_END.
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
  supplyBytes,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../../../kernel/constants.ts";

export const WB_KEY = 0x7b7b0000;

export interface Options {
  copyBeforeBegin?: boolean; // bug 1b: snapshot the bytes, then BEGIN/END: a write in between is marked clean
  lostWakeup?: boolean; // bug 3: the writer waits without checking the flag first
  endBeforeCopy?: boolean; // bug 1: WRITEBACK_END before the bytes are stored
  staleSize?: boolean; // reader clamps to the size the VMO was created with
  keepTailOnZero?: boolean; // bug 2: a zero range (a shrunk-then-grown tail) is ended without clearing the stored old tail
}

interface State {
  lock: Mutex;
  cv: CondVar;
  pending: boolean;
  stop: boolean;
  store: Map<number, Map<number, Uint8Array>>; // key -> page -> bytes
  size: Map<number, number>; // key -> file size last written back (bytes)
  writer: boolean;
}

export function makeChunkCache(opts: Options = {}) {
  const states = new WeakMap<ServiceContext, State>();

  function stateOf(sys: Sys, ctx: ServiceContext): State {
    let s = states.get(ctx);
    if (s === undefined) {
      s = {
        lock: new Mutex(sys, "store"),
        cv: new CondVar(sys, "writeback requested"),
        pending: false,
        stop: false,
        store: new Map(),
        size: new Map(),
        writer: false,
      };
      states.set(ctx, s);
    }
    return s;
  }

  function pageBytes(
    sys: Sys,
    s: State,
    vmo: ServiceVmo,
    page: number,
    curSize: number,
  ): Uint8Array {
    const ps = sys.pageSize;
    const stored = s.store.get(vmo.key)?.get(page);
    const base = stored ?? fileRange(vmo.key, page * ps, ps, vmo.file);
    const out = new Uint8Array(base);
    void curSize;
    const saved = s.size.get(vmo.key);
    if (stored === undefined && saved !== undefined) {
      for (let i = 0; i < ps; i++) if (page * ps + i >= saved) out[i] = 0;
    }
    return out;
  }

  function* supply(
    sys: Sys,
    ctx: ServiceContext,
    s: State,
    vmo: ServiceVmo,
    offset: number,
    length: number,
  ): Syscall<void> {
    // supplyBytes retries a shrink only so often: loop until the supply lands or the VMO is gone
    for (let attempt = 0; attempt < 64; attempt++) {
      let end = offset + length;
      if (!opts.staleSize) {
        const [st, size] = yield* sys.vmoGetSize(vmo.handle);
        if (st !== ZX_OK) return; // gone
        end = Math.min(end, size);
      } else {
        end = Math.min(end, vmo.size); // BUG: the size the VMO was created with
      }
      if (end <= offset) return;
      const ps = sys.pageSize;
      const data = new Uint8Array(end - offset);
      for (let p = offset / ps; p * ps < end; p++) {
        data.set(pageBytes(sys, s, vmo, p, end), p * ps - offset);
      }
      const st = yield* supplyBytes(sys, ctx, vmo, offset, data);
      if (st !== ZX_ERR_OUT_OF_RANGE) return;
    }
  }

  function* writeBack(sys: Sys, ctx: ServiceContext, s: State, vmo: ServiceVmo): Syscall<void> {
    const [st, size] = yield* sys.vmoGetSize(vmo.handle);
    if (st !== ZX_OK) return;
    const ps = sys.pageSize;
    let from = 0;
    while (from < size) {
      const [qs, ranges, avail] = yield* sys.pagerQueryDirtyRanges(
        ctx.pager,
        vmo.handle,
        from,
        size - from,
        16 * ZX_VMO_DIRTY_RANGE_SIZE,
      );
      if (qs !== ZX_OK || ranges.length === 0) break;
      for (const r of ranges) {
        const zero = (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0;
        let snap: Uint8Array | undefined;
        if (opts.copyBeforeBegin && !zero) {
          const [rs, b] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
          if (rs !== ZX_OK) continue;
          snap = b;
        }
        const bs = yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_BEGIN,
          vmo.handle,
          r.offset,
          r.length,
          zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
        );
        if (bs !== ZX_OK) continue;
        if (opts.endBeforeCopy) {
          yield* sys.pagerOpRange(
            ctx.pager,
            ZX_PAGER_OP_WRITEBACK_END,
            vmo.handle,
            r.offset,
            r.length,
            0,
          );
        }
        let bytes: Uint8Array;
        if (zero && opts.keepTailOnZero) {
          yield* sys.pagerOpRange(
            ctx.pager,
            ZX_PAGER_OP_WRITEBACK_END,
            vmo.handle,
            r.offset,
            r.length,
            0,
          );
          continue; // BUG: "nothing to persist for a zero range" leaves the old tail in the store
        }
        if (zero) bytes = new Uint8Array(r.length);
        else if (snap !== undefined) bytes = snap;
        else {
          const [rs, b] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
          if (rs !== ZX_OK) continue;
          bytes = b;
        }
        let pages = s.store.get(vmo.key);
        if (pages === undefined) s.store.set(vmo.key, pages = new Map());
        for (let i = 0; i * ps < bytes.length; i++) {
          pages.set(r.offset / ps + i, bytes.slice(i * ps, (i + 1) * ps));
        }
        if (!opts.endBeforeCopy) {
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
      from = ranges[ranges.length - 1].offset + ranges[ranges.length - 1].length;
      if (avail <= ranges.length) break;
    }
    s.size.set(vmo.key, size);
  }

  function writer(ctx: ServiceContext, s: State) {
    return function* (sys: Sys): ThreadBody {
      for (;;) {
        yield* s.lock.lock(sys);
        if (opts.lostWakeup) {
          s.pending = false;
          yield* s.cv.wait(sys, s.lock);
        }
        while (!s.pending && !s.stop) yield* s.cv.wait(sys, s.lock);
        if (s.stop) {
          yield* s.lock.unlock(sys);
          return;
        }
        s.pending = false;
        for (const vmo of [...ctx.vmos]) yield* writeBack(sys, ctx, s, vmo);
        yield* s.lock.unlock(sys);
      }
    };
  }

  return function* chunkCache(sys: Sys, ctx: ServiceContext): ThreadBody {
    const s = stateOf(sys, ctx);
    if (!s.writer) {
      s.writer = true;
      sys.spawn("cc-writer", writer(ctx, s));
    }
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK || packet === null) {
        yield* s.lock.lock(sys);
        s.stop = true;
        yield* s.cv.broadcast(sys);
        yield* s.lock.unlock(sys);
        return;
      }
      if (isComplete(packet)) continue;
      if (!isRead(packet) && !isDirty(packet)) {
        if (packet.key === WB_KEY) {
          yield* s.lock.lock(sys);
          s.pending = true;
          yield* s.cv.signal(sys);
          yield* s.lock.unlock(sys);
        }
        continue;
      }
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo === undefined) continue;
      if (isRead(packet)) {
        yield* s.lock.lock(sys);
        yield* supply(sys, ctx, s, vmo, packet.offset, packet.length);
        yield* s.lock.unlock(sys);
      } else {
        yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
      }
    }
  };
}

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: true },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { packet: WB_KEY },
  reachable: { port: false, pager: false },
  lifecycle: true,
};

export default makeChunkCache();
