// A writeback-capable pager service (a small fxfs-like port), written from pagersim's README.
// READ: supply from the backing store (persisted pages overlaid on the file's pattern).
// DIRTY: acknowledge (OP_DIRTY). flush (writeback entry): query dirty ranges, WRITEBACK_BEGIN,
// read the VMO, persist to the store, WRITEBACK_END. A per-pager "io" mutex orders page-ins
// against a flush's persist..END, so a page-in never supplies data a flush made stale.
import {
  acknowledgeDirty,
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
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../../../kernel/constants.ts";

/** Bug switches, for the planted-bug variants. */
export interface WbOptions {
  /** End writeback before persisting the data (planted bug). */
  endBeforePersist?: boolean;
  /** Read the range's bytes before WRITEBACK_BEGIN (planted bug: a write in between is lost). */
  readBeforeBegin?: boolean;
  /** Do not persist IS_ZERO dirty ranges, yet end their writeback (planted bug). */
  skipZeroPersist?: boolean;
  /** Begin and end writeback of the whole VMO, persisting only the first queried range (planted bug). */
  wholeVmoFirstRange?: boolean;
  /** Forget a file's persisted pages when its VMO's COMPLETE arrives (planted bug). */
  dropStoreOnComplete?: boolean;
}

interface State {
  /** key -> page index -> persisted bytes of that page */
  readonly store: Map<number, Map<number, Uint8Array>>;
  readonly io: Mutex;
  /** writes handed to the background writer (planted bug only) */
  readonly pending: { key: number; vmo: ServiceVmo; offset: number; data: Uint8Array }[];
}

export function makeWbPager(opts: WbOptions = {}) {
  const states = new WeakMap<ServiceContext, State>();
  const stateOf = (sys: Sys, ctx: ServiceContext): State => {
    let s = states.get(ctx);
    if (s === undefined) {
      s = { store: new Map(), io: new Mutex(sys, "io"), pending: [] };
      states.set(ctx, s);
    }
    return s;
  };

  function readStore(sys: Sys, s: State, vmo: ServiceVmo, offset: number, length: number) {
    const ps = sys.pageSize;
    const out = fileRange(vmo.key, offset, length, vmo.file);
    const pages = s.store.get(vmo.key);
    if (pages !== undefined) {
      for (let o = offset; o < offset + length; o += ps) {
        const p = pages.get(o / ps);
        if (p !== undefined) out.set(p, o - offset);
      }
    }
    return out;
  }

  function persist(sys: Sys, s: State, vmo: ServiceVmo, offset: number, data: Uint8Array) {
    const ps = sys.pageSize;
    let pages = s.store.get(vmo.key);
    if (pages === undefined) s.store.set(vmo.key, pages = new Map());
    for (let o = 0; o < data.length; o += ps) {
      pages.set((offset + o) / ps, data.slice(o, o + ps));
    }
  }

  function* pageIn(
    sys: Sys,
    ctx: ServiceContext,
    s: State,
    vmo: ServiceVmo,
    offset: number,
    length: number,
  ): Syscall<void> {
    yield* s.io.lock(sys);
    const data = readStore(sys, s, vmo, offset, length);
    yield* supplyBytes(sys, ctx, vmo, offset, data);
    yield* s.io.unlock(sys);
  }

  function* flushVmo(sys: Sys, ctx: ServiceContext, s: State, vmo: ServiceVmo): Syscall<void> {
    // The whole pass (query included) under `io`: a range queried before another flush cleaned
    // it (and an evict dropped it) must not be begun and read, or the read faults under the lock.
    yield* flushVmoLocked(sys, ctx, s, vmo);
    while (s.pending.length > 0) { // the background writer (only the planted bug queues here)
      yield* sys.vmoGetSize(vmo.handle); // the disk write takes a while
      const w = s.pending.shift();
      if (w !== undefined) persist(sys, s, w.vmo, w.offset, w.data);
    }
  }

  function* flushVmoLocked(
    sys: Sys,
    ctx: ServiceContext,
    s: State,
    vmo: ServiceVmo,
  ): Syscall<void> {
    const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
    if (gs !== ZX_OK) return;
    const ranges: { offset: number; length: number; zero: boolean }[] = [];
    let offset = 0;
    while (offset < size) {
      const [st, got, avail] = yield* sys.pagerQueryDirtyRanges(
        ctx.pager,
        vmo.handle,
        offset,
        size - offset,
        8 * ZX_VMO_DIRTY_RANGE_SIZE,
      );
      if (st !== ZX_OK) return;
      for (const r of got) {
        ranges.push({
          offset: r.offset,
          length: r.length,
          zero: (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0,
        });
      }
      if (got.length === 0 || got.length === avail) break;
      const last = got[got.length - 1];
      offset = last.offset + last.length;
    }
    if (opts.wholeVmoFirstRange) {
      if (ranges.length === 0) return;
      const bs = yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_WRITEBACK_BEGIN,
        vmo.handle,
        0,
        size,
        0,
      );
      if (bs !== ZX_OK) return;
      const r = ranges[0];
      const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
      if (rs !== ZX_OK) return;
      persist(sys, s, vmo, r.offset, bytes);
      yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_WRITEBACK_END, vmo.handle, 0, size, 0);
      return;
    }
    for (const r of ranges) {
      yield* s.io.lock(sys);
      yield* oneRange(r);
      yield* s.io.unlock(sys);
    }
    function* oneRange(r: { offset: number; length: number; zero: boolean }): Syscall<void> {
      let early: Uint8Array | undefined;
      if (opts.readBeforeBegin && !r.zero) {
        const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
        if (rs !== ZX_OK) return;
        early = bytes;
      }
      const bs = yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_WRITEBACK_BEGIN,
        vmo.handle,
        r.offset,
        r.length,
        r.zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
      );
      if (bs !== ZX_OK) return;
      let data: Uint8Array;
      if (r.zero) data = new Uint8Array(r.length);
      else if (early !== undefined) data = early;
      else {
        const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
        if (rs !== ZX_OK) return; // leave it dirty (begun, not ended: a later flush begins it again)
        data = bytes;
      }
      if (opts.skipZeroPersist && r.zero) {
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
        return;
      }
      if (opts.endBeforePersist) {
        // BUG: the range is marked clean now and its bytes handed to a background writer that
        // persists them after the pass (and after `io` is released).
        yield* sys.pagerOpRange(
          ctx.pager,
          ZX_PAGER_OP_WRITEBACK_END,
          vmo.handle,
          r.offset,
          r.length,
          0,
        );
        s.pending.push({ key: vmo.key, vmo, offset: r.offset, data });
        return;
      }
      persist(sys, s, vmo, r.offset, data);
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

  return {
    *pager(sys: Sys, ctx: ServiceContext): ThreadBody {
      const s = stateOf(sys, ctx);
      for (;;) {
        const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
        if (st !== ZX_OK) return;
        if (isComplete(packet)) {
          if (opts.dropStoreOnComplete && packet !== null) s.store.delete(packet.key);
          continue;
        }
        const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
        if (vmo === undefined) continue;
        if (isRead(packet)) yield* pageIn(sys, ctx, s, vmo, packet.offset, packet.length);
        else if (isDirty(packet)) {
          yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
        }
      }
    },
    *flush(sys: Sys, ctx: ServiceContext): ThreadBody {
      const s = stateOf(sys, ctx);
      for (const vmo of [...ctx.vmos]) yield* flushVmo(sys, ctx, s, vmo);
    },
  };
}

const wb = makeWbPager();
export default function* wbPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.pager(sys, ctx);
}
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.flush(sys, ctx);
}

export const contract: ServiceContractInput = {
  pageSize: { min: 64, max: 512 },
  vmoPages: { min: 1, max: 32 },
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};
