/**
 * userS31a (trial31): a pager service that answers a large READ slowly, one page at a time, as
 * the trial's first blob pager supplied a 57-page READ chunk by chunk (campaign 2 run 741: 55
 * pages supplied in steps 327-601 when the overtime ended the reader's wait, and P1 called it an
 * unanswered READ). And its broken twins, which P1 must still catch at the overtime:
 * `droppingPager` takes every READ and never answers it; `partialPager` supplies the first page
 * of a READ and goes back to its port, dropping the rest (the trial's own bug: a partial answer
 * after NO_MEMORY); `stallingPager` supplies the first page and parks on a condition variable
 * nobody signals.
 *
 * @module
 */
import {
  CondVar,
  isRead,
  Mutex,
  type PagerService,
  supplyFromBacking,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";

/** Supplies each READ page by page, under a mutex and a broadcast per page (as the trial's did). */
export const slowPager: PagerService = function* (sys, ctx) {
  const lock = new Mutex(sys, "blob cache");
  const done = new CondVar(sys, "chunk verified");
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    for (let at = packet.offset; at < packet.offset + packet.length; at += sys.pageSize) {
      yield* supplyFromBacking(sys, ctx, vmo, at, sys.pageSize);
      yield* lock.lock(sys);
      yield* done.broadcast(sys);
      yield* lock.unlock(sys);
    }
  }
};

/** Takes every READ and never answers it. */
export const droppingPager: PagerService = function* (sys, ctx) {
  for (;;) {
    const [st] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
  }
};

/** The pager's lock and condition variable, shared by its service threads. */
const shared = new WeakMap<object, { lock: Mutex; done: CondVar }>();

/**
 * Supplies a READ's first page, broadcasts under the pager's shared lock (its unlock wakes the
 * other thread's wait, when contended), and drops the rest: back to its port.
 */
export const partialPager: PagerService = function* (sys, ctx) {
  let s = shared.get(ctx);
  if (s === undefined) {
    s = { lock: new Mutex(sys, "blob cache"), done: new CondVar(sys, "chunk verified") };
    shared.set(ctx, s);
  }
  const { lock, done } = s;
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, sys.pageSize);
    yield* lock.lock(sys);
    yield* done.broadcast(sys);
    yield* lock.unlock(sys);
  }
};

/** Supplies a READ's first page, then waits on a condition variable nobody signals. */
export const stallingPager: PagerService = function* (sys, ctx) {
  const lock = new Mutex(sys, "blob cache");
  const loaded = new CondVar(sys, "chunk loaded");
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, sys.pageSize);
    yield* lock.lock(sys);
    yield* loaded.wait(sys, lock);
    yield* lock.unlock(sys);
  }
};
