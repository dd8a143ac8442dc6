/**
 * The writeback service: a pager over a durable store. READ packets are
 * supplied from what was last persisted (the backing pattern until a page is
 * written back); DIRTY packets are acknowledged with `ZX_PAGER_OP_DIRTY`; and
 * every `writebackTicks` ticks, or when a user packet with
 * {@linkcode WRITEBACK_KEY} arrives, it writes back each VMO with the spec 5.3
 * protocol: query, WRITEBACK_BEGIN, read and persist, WRITEBACK_END.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_DIRTY,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_USER,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../kernel/constants.ts";
import type { PagePacket } from "../kernel/events.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import { fileRange } from "./backing.ts";
import {
  failOutOfMemory,
  isRead,
  type PagerService,
  type ServiceContext,
  type ServiceVmo,
  supplyWithinSize,
  vmoForKey,
} from "./service.ts";

/** The key of the user packet that asks the service to write back now. */
export const WRITEBACK_KEY = 0x5752_4954; // "WRIT"

/** Ticks between writeback passes when nothing asks for one. */
export const DEFAULT_WRITEBACK_TICKS = 200;

/** Options of {@linkcode makeWritebackService}. */
export interface WritebackOptions {
  /** Ticks between passes. Default {@linkcode DEFAULT_WRITEBACK_TICKS}. */
  readonly writebackTicks?: number;
  /**
   * A deliberate bug for campaign demos: END the writeback before the data is
   * persisted, with a scheduling point between (an eviction and a READ there
   * supply the stale persisted content: the write is lost).
   */
  readonly endBeforePersist?: boolean;
}

/**
 * The durable store: persisted pages by VMO key and page; the backing pattern elsewhere.
 *
 * @example
 * ```ts
 * import { DurableStore } from "./writeback.ts";
 * import { backingRange } from "./backing.ts";
 * const store = new DurableStore();
 * console.assert(store.read(3, 0, 64, 64).every((b, i) => b === backingRange(3, 0, 64)[i]));
 * store.persist(3, 64, new Uint8Array(64).fill(9), 64);
 * console.assert(store.read(3, 64, 64, 64).every((b) => b === 9));
 * ```
 */
export class DurableStore {
  readonly #pages = new Map<number, Map<number, Uint8Array>>();

  /**
   * Content of `[offset, offset + length)` (page aligned) of the VMO with
   * `key`: what was persisted, else the file as laid out by `file` (zeros past
   * its end and in its holes, `fileRange`).
   */
  read(
    key: number,
    offset: number,
    length: number,
    pageSize: number,
    file?: FileLayout,
  ): Uint8Array {
    const out = fileRange(key, offset, length, file);
    const m = this.#pages.get(key);
    if (m === undefined) return out;
    for (let p = offset / pageSize; p < (offset + length) / pageSize; p++) {
      const d = m.get(p);
      if (d !== undefined) out.set(d, p * pageSize - offset);
    }
    return out;
  }

  /** Persists `bytes` at page-aligned `offset` of the VMO with `key`. */
  persist(key: number, offset: number, bytes: Uint8Array, pageSize: number): void {
    let m = this.#pages.get(key);
    if (m === undefined) this.#pages.set(key, m = new Map());
    for (let i = 0; i < bytes.length; i += pageSize) {
      m.set((offset + i) / pageSize, bytes.slice(i, i + pageSize));
    }
  }
}

function* supplyDurable(
  sys: Sys,
  ctx: ServiceContext,
  state: Shared,
  vmo: ServiceVmo,
  packet: PagePacket,
): Syscall<void> {
  const [st, aux] = yield* sys.vmoCreate(packet.length, 0);
  if (st !== ZX_OK) {
    yield* failOutOfMemory(sys, ctx, vmo, packet.offset, packet.length, st);
    return;
  }
  // From reading the store to the supply, a persist would make this content stale (see writebackVmo).
  state.supplying++;
  let supplied: Status;
  try {
    const data = state.store.read(vmo.key, packet.offset, packet.length, sys.pageSize, vmo.file);
    const fill = () => sys.vmoWrite(aux, data, 0);
    supplied = yield* fill();
    if (supplied === ZX_OK) {
      supplied = yield* supplyWithinSize(sys, ctx, vmo, packet.offset, packet.length, aux, fill);
    }
  } finally {
    state.supplying--;
  }
  yield* sys.handleClose(aux);
  // Out of memory: fail the range (after the close, so no persist waits on this supply).
  yield* failOutOfMemory(sys, ctx, vmo, packet.offset, packet.length, supplied);
}

function* writebackVmo(
  sys: Sys,
  ctx: ServiceContext,
  state: Shared,
  vmo: ServiceVmo,
  endBeforePersist: boolean,
): Syscall<void> {
  const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
  if (gs !== ZX_OK) return;
  const [st, ranges] = yield* sys.pagerQueryDirtyRanges(
    ctx.pager,
    vmo.handle,
    0,
    size,
    64 * ZX_VMO_DIRTY_RANGE_SIZE,
  );
  if (st !== ZX_OK) return;
  for (const r of ranges) {
    const zero = (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0;
    const op = (o: number, data: number) =>
      sys.pagerOpRange(ctx.pager, o, vmo.handle, r.offset, r.length, data);
    if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN, zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0)) !== ZX_OK) {
      continue;
    }
    // Content read after BEGIN: writes racing with the writeback leave the pages Dirty (P6).
    let data: Uint8Array = new Uint8Array(r.length);
    if (!zero) {
      const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
      if (rs !== ZX_OK) continue;
      data = bytes;
    }
    if (endBeforePersist) {
      yield* op(ZX_PAGER_OP_WRITEBACK_END, 0);
      yield* sys.vmoGetSize(vmo.handle); // a scheduling point between END and persist
      state.store.persist(vmo.key, r.offset, data, sys.pageSize);
    } else {
      // A supply that read the store before this persist would, after END made a page absent
      // (a written-back zero interval, an evicted page), insert the old content: leave the
      // range AwaitingClean for the next pass instead.
      if (state.supplying > 0) return;
      state.store.persist(vmo.key, r.offset, data, sys.pageSize);
      yield* op(ZX_PAGER_OP_WRITEBACK_END, 0);
    }
  }
}

/** What the threads of one service share: the store, and whether a writeback pass is running. */
interface Shared {
  readonly store: DurableStore;
  passing: boolean;
  /** Supplies between reading the store and their supply syscall. */
  supplying: number;
}

/**
 * A writeback service with `options`. Its threads share one store and run one
 * writeback pass at a time: two concurrent passes could persist the same page
 * out of order (an older read persisted after a newer one), losing a write.
 *
 * @example
 * ```ts
 * import { makeWritebackService } from "./writeback.ts";
 * const service = makeWritebackService({ writebackTicks: 50 });
 * console.assert(typeof service === "function");
 * ```
 */
export function makeWritebackService(options: WritebackOptions = {}): PagerService {
  const endBeforePersist = options.endBeforePersist ?? false;
  const shared = new WeakMap<ServiceContext, Shared>();
  return function* writebackService(sys: Sys, ctx: ServiceContext): ThreadBody {
    let state = shared.get(ctx);
    if (state === undefined) {
      shared.set(ctx, state = { store: new DurableStore(), passing: false, supplying: 0 });
    }
    const every = options.writebackTicks ?? ctx.params.writebackTicks ?? DEFAULT_WRITEBACK_TICKS;
    let due = sys.now + every;
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, due);
      let pass = st === ZX_ERR_TIMED_OUT;
      if (st !== ZX_OK && !pass) return;
      if (packet !== null && packet.type === ZX_PKT_TYPE_USER && packet.key === WRITEBACK_KEY) {
        pass = true;
      } else if (packet !== null && packet.type === ZX_PKT_TYPE_PAGE_REQUEST) {
        const p = packet as PagePacket;
        const vmo = vmoForKey(ctx, p.key);
        if (vmo !== undefined && isRead(p)) yield* supplyDurable(sys, ctx, state, vmo, p);
        if (vmo !== undefined && p.command === ZX_PAGER_VMO_DIRTY) {
          yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_DIRTY, vmo.handle, p.offset, p.length, 0);
        }
      }
      if (pass && !state.passing) {
        state.passing = true;
        for (const vmo of ctx.vmos) yield* writebackVmo(sys, ctx, state, vmo, endBeforePersist);
        state.passing = false;
      }
      if (pass) due = sys.now + every;
    }
  };
}

/** The reference writeback service (scenario `service.kind: "writeback"`). */
export const writebackService: PagerService = makeWritebackService();
