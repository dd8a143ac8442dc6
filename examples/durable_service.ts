/**
 * A writeback service of a user's own over {@linkcode DurableStore}, the README's "A store to write
 * back to" as a whole module: READ packets are supplied from what was last persisted (the file's
 * own bytes where nothing was), DIRTY packets are acknowledged, and the contract's writeback entry
 * `flush` writes every dirty range back (query, BEGIN, read, persist, END). Load it with
 * `deno task fuzz --service examples/durable_service.ts`.
 *
 * Two rules keep it from losing a write (the checkers' `invariant:data-integrity`, `lost-write`):
 * - the content is read after BEGIN, never taken from the query's IS_ZERO alone (a write between
 *   the query and BEGIN would be lost);
 * - no range is persisted and ended while a page-in is between reading the store and its supply
 *   (that page-in would put the old bytes back after END): the pass leaves the range, begun and
 *   not ended, to the next pass.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseScenario, runScenario } from "../mod.ts";
 * import durableService from "./durable_service.ts";
 * const scenario = parseScenario({
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "durable" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 2, trapDirty: true }],
 *   threads: [{ name: "writer", ops: [{ op: "write", vmo: "file", page: 0, pages: 2 }] }],
 * });
 * const run = runScenario(scenario, { seed: 1, services: { durable: durableService } });
 * assert.equal(run.verdict.kind, "pass");
 * ```
 *
 * @module
 */

import {
  acknowledgeDirty,
  DurableStore,
  isComplete,
  isDirty,
  isRead,
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
} from "../mod.ts";
import {
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../kernel/constants.ts";

/** What the service's threads and its `flush` share in one run (one `ctx`). */
interface Volume {
  readonly store: DurableStore;
  /** Page-ins between reading the store and their supply: a persist now would go stale. */
  supplying: number;
  /** Whether a flush is writing back: two passes could persist a page out of order. */
  flushing: boolean;
}

function makeVolumes(): (ctx: ServiceContext) => Volume {
  const volumes = new WeakMap<ServiceContext, Volume>(); // one volume per run (its ctx)
  return (ctx: ServiceContext): Volume => {
    let volume = volumes.get(ctx);
    if (volume === undefined) {
      volumes.set(ctx, volume = { store: new DurableStore(), supplying: 0, flushing: false });
    }
    return volume;
  };
}
const volumeOf = makeVolumes();

/** Serves READ from the store and acknowledges DIRTY; stops when the port is gone. */
export default function* durableService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return; // the port is gone: stop serving
    if (isComplete(packet)) continue;
    const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isRead(packet)) {
      yield* pageIn(sys, ctx, vmo, packet.offset, packet.length);
    } else if (isDirty(packet)) {
      yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
    }
  }
}

/** A READ of `[offset, offset + length)` of `vmo`: what was persisted, the file's bytes elsewhere. */
function* pageIn(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  const volume = volumeOf(ctx);
  volume.supplying++; // from the store's read to the supply, no flush may persist and END
  try {
    const data = volume.store.read(vmo.key, offset, length, sys.pageSize, vmo.file);
    return yield* supplyBytes(sys, ctx, vmo, offset, data);
  } finally {
    volume.supplying--;
  }
}

/** The writeback entry (`writeback: { entry: "flush" }`): writes back every VMO, one pass at a time. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  const volume = volumeOf(ctx);
  if (volume.flushing) return; // the pass running now writes back what this one would
  volume.flushing = true;
  try {
    for (const vmo of ctx.vmos) yield* writeBack(sys, ctx, volume, vmo);
  } finally {
    volume.flushing = false;
  }
}

/** Each dirty range of `vmo`: BEGIN, read, persist, and only then END. */
function* writeBack(sys: Sys, ctx: ServiceContext, volume: Volume, vmo: ServiceVmo): Syscall<void> {
  const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
  if (gs !== ZX_OK) return;
  const most = 64 * ZX_VMO_DIRTY_RANGE_SIZE; // room for 64 ranges; the next flush takes the rest
  const [qs, ranges] = yield* sys.pagerQueryDirtyRanges(ctx.pager, vmo.handle, 0, size, most);
  if (qs !== ZX_OK) return;
  for (const r of ranges) {
    const op = (o: number) => sys.pagerOpRange(ctx.pager, o, vmo.handle, r.offset, r.length, 0);
    if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) !== ZX_OK) continue;
    // Read after BEGIN even where the query said IS_ZERO (r.options & ZX_VMO_DIRTY_RANGE_IS_ZERO):
    // a write can land between the query and BEGIN, and zeros persisted then lose it.
    const [rs, bytes] = yield* sys.vmoRead(vmo.handle, r.offset, r.length);
    if (rs !== ZX_OK) continue;
    if (volume.supplying > 0) return; // a page-in would put old bytes back after END: next pass
    volume.store.persist(vmo.key, r.offset, bytes, sys.pageSize);
    yield* op(ZX_PAGER_OP_WRITEBACK_END);
  }
}

/** What it can receive: trap-dirty VMOs that never resize, a writeback asked by calling `flush`. */
export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  vmoPages: { min: 1, max: 64 },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict", "writeback"],
};
