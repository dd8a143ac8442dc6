/**
 * A chunked file pager with a planted shrink race (trial friction 1): a READ of any page
 * supplies the page's whole 4-page chunk, clipped to the size the service read just before;
 * a shrink between that read and the supply makes the supply ZX_ERR_OUT_OF_RANGE, which the
 * service takes as "nothing left to do", so a read of a page still in range is never answered.
 * It opens its own VMOs (an `opens` contract), as the trial's chunk store did: campaigns used
 * to miss this (no generated shrink ever raced a supply). `makeShrinkRaceService(true)` is the
 * same service with the bug fixed (it re-reads the size and supplies again).
 * `fuzz/shrink_race_test.ts` holds a short seeded campaign to finding it.
 *
 * @module
 */

import {
  failOutOfMemory,
  fileRange,
  isComplete,
  isRead,
  type OpenFile,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  type Status,
  type Sys,
  type ThreadBody,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../mod.ts";
import type { Syscall } from "../../kernel/kernel.ts";
import {
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_RESIZABLE,
} from "../../kernel/constants.ts";

/** Pages a READ supplies at once. */
export const CHUNK_PAGES = 4;

/** Files it opens itself; resizes in scope; no trap-dirty VMOs or clones (a small contract). */
export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  threads: { min: 1, max: 1 },
  dirty: false,
  clones: false,
  vmoOptions: { trapDirty: false, resizable: true },
};

/** The service, its open and close entries; `fixed` retries a supply the shrink cut. */
export function makeShrinkRaceService(fixed: boolean): {
  service: (sys: Sys, ctx: ServiceContext) => ThreadBody;
  open: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<[Status, number]>;
  close: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<Status>;
} {
  // Per pager: open files by key (a fresh key per open: a re-opened file's old COMPLETE may still
  // be queued), the key of each file's open VMO by name, and the next key.
  type Table = {
    byKey: Map<number, ServiceVmo & { id: number }>;
    byName: Map<string, number>;
    next: number;
  };
  const tables = new WeakMap<ServiceContext, Table>();
  const of = (ctx: ServiceContext): Table => {
    let t = tables.get(ctx);
    if (t === undefined) tables.set(ctx, t = { byKey: new Map(), byName: new Map(), next: 1 });
    return t;
  };

  function* supplyChunk(sys: Sys, ctx: ServiceContext, f: ServiceVmo & { id: number }, at: number) {
    const chunk = CHUNK_PAGES * sys.pageSize;
    const start = Math.floor(at / chunk) * chunk;
    for (;;) {
      const [gs, size] = yield* sys.vmoGetSize(f.handle);
      if (gs !== ZX_OK || start >= size) return;
      const length = Math.min(start + chunk, size) - start;
      const [cs, aux] = yield* sys.vmoCreate(length, 0);
      if (cs !== ZX_OK) return yield* failOutOfMemory(sys, ctx, f, start, length, cs);
      const ws = yield* sys.vmoWrite(aux, fileRange(f.id, start, length, f.file), 0);
      const s = ws !== ZX_OK
        ? ws
        : yield* sys.pagerSupplyPages(ctx.pager, f.handle, start, length, aux, 0);
      yield* sys.handleClose(aux);
      if (s === ZX_ERR_NO_MEMORY) return yield* failOutOfMemory(sys, ctx, f, start, length, s);
      // The bug: OUT_OF_RANGE (the VMO shrank since the size was read) is taken as done.
      if (s !== ZX_ERR_OUT_OF_RANGE || !fixed) return;
    }
  }

  function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (packet === null) continue;
      const f = of(ctx).byKey.get(packet.key);
      if (f === undefined) continue;
      if (isComplete(packet)) {
        of(ctx).byKey.delete(packet.key);
        yield* sys.handleClose(f.handle);
      } else if (isRead(packet)) {
        // Every chunk the request touches.
        const chunk = CHUNK_PAGES * sys.pageSize;
        const last = Math.floor((packet.offset + packet.length - 1) / chunk);
        for (let c = Math.floor(packet.offset / chunk); c <= last; c++) {
          yield* supplyChunk(sys, ctx, f, c * chunk);
        }
      }
    }
  }

  function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
    const t = of(ctx);
    const key = 0x77 * 2 ** 32 + t.next++;
    const opts = file.resizable ? ZX_VMO_RESIZABLE : 0;
    const [s, h] = yield* sys.pagerCreateVmo(ctx.pager, opts, ctx.port, key, file.size);
    if (s !== ZX_OK) return [s, 0];
    const [ds, client] = yield* sys.handleDuplicate(h, ZX_RIGHT_SAME_RIGHTS);
    if (ds !== ZX_OK) {
      yield* sys.pagerDetachVmo(ctx.pager, h);
      return [ds, 0];
    }
    t.byName.set(file.name, key);
    t.byKey.set(key, {
      name: file.name,
      key,
      handle: h,
      size: file.size,
      file: file.file,
      id: file.id,
    });
    return [ZX_OK, client];
  }

  function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
    const t = of(ctx);
    const key = t.byName.get(file.name);
    t.byName.delete(file.name);
    const f = key === undefined ? undefined : t.byKey.get(key);
    if (f !== undefined) yield* sys.pagerDetachVmo(ctx.pager, f.handle); // COMPLETE follows
    return ZX_OK;
  }

  return { service, open, close };
}

const buggy = makeShrinkRaceService(false);
export default buggy.service;
/** The open entry (`contract.opens.entry`). */
export const open = buggy.open;
/** The close entry (`contract.opens.close`). */
export const close = buggy.close;
