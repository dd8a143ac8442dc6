/**
 * Deliberately wrong pager services, each breaking one obligation, so the
 * checkers can be shown to catch them and the corpus can keep them as
 * regression cases. Register them as custom services: `BUGGY_SERVICES`.
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { backingRange } from "../services/backing.ts";
import { makeWritebackService } from "../services/writeback.ts";
import {
  isRead,
  type PagerService,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "../services/service.ts";

/** Answers every other READ packet and silently drops the rest (breaks P1: threads hang). */
export function* dropsEveryOtherRequest(sys: Sys, ctx: ServiceContext): ThreadBody {
  let n = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (n++ % 2 === 1) return;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}

/** Supplies the right range with the backing data of another key (breaks data integrity). */
export function suppliesWrongKey(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(sys, ctx, function* (packet, vmo) {
    const [, aux] = yield* sys.vmoCreate(packet.length, 0);
    yield* sys.vmoWrite(
      aux,
      backingRange(vmo.key + 1, packet.offset, packet.length, sys.pageSize),
      0,
    );
    yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, packet.offset, packet.length, aux, 0);
    yield* sys.handleClose(aux);
  });
}

/** Closes its port on the first READ packet, stranding the faulting threads (breaks P10). */
export function* closesPortWhileBlocked(sys: Sys, ctx: ServiceContext): ThreadBody {
  const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
  if (st === ZX_OK && isRead(packet)) yield* sys.handleClose(ctx.port);
}

/** Closes the pager handle on the first READ packet (breaks P11). */
export function* closesPagerWhileServing(sys: Sys, ctx: ServiceContext): ThreadBody {
  const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
  if (st === ZX_OK && isRead(packet)) yield* sys.handleClose(ctx.pager);
}

/** Stops after the first packet although its port stays open (breaks P3). */
export function* stopsAfterOnePacket(sys: Sys, ctx: ServiceContext): ThreadBody {
  const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
  if (st !== ZX_OK || !isRead(packet)) return;
  const vmo = vmoForKey(ctx, packet.key);
  if (vmo !== undefined) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
}

/** Supplies half a page too little, unaligned, before answering properly (breaks P12). */
export function suppliesUnaligned(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(sys, ctx, function* (packet, vmo) {
    const [, aux] = yield* sys.vmoCreate(packet.length, 0);
    yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, packet.offset, sys.pageSize / 2, aux, 0);
    yield* sys.handleClose(aux);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}

/** Fails every request with ZX_ERR_INVALID_ARGS, a code OP_FAIL refuses (breaks P13). */
export function* failsWithBadCode(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* sys.pagerOpRange(
      ctx.pager,
      ZX_PAGER_OP_FAIL,
      vmo.handle,
      packet.offset,
      packet.length,
      ZX_ERR_INVALID_ARGS,
    );
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}

/** Detaches the VMO, then retries its supply while it gets BAD_STATE (breaks P14). */
export function* retriesAfterBadState(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* sys.pagerDetachVmo(ctx.pager, vmo.handle);
    for (let tries = 0; tries < 3; tries++) {
      const s = yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
      if (s !== ZX_ERR_BAD_STATE) break;
    }
  });
}

/**
 * Makes pager calls with bad arguments before serving properly: an unaligned
 * supply through a closed pager handle, and a supply into an aux VMO. A
 * correct kernel refuses both, so this is harmless unless the kernel is wrong
 * (K22, K27).
 */
export function* callsWithBadArguments(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    const [, aux] = yield* sys.vmoCreate(packet.length, 0);
    const [, other] = yield* sys.vmoCreate(packet.length, 0);
    yield* sys.pagerSupplyPages(0x7fff0, vmo.handle, 1, sys.pageSize, aux, 0);
    yield* sys.pagerSupplyPages(ctx.pager, other, 0, sys.pageSize, aux, 0);
    yield* sys.handleClose(aux);
    yield* sys.handleClose(other);
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}

/** The buggy services by the name a scenario's `custom` service uses. */
export const BUGGY_SERVICES: Readonly<Record<string, PagerService>> = {
  "drops-every-other-request": dropsEveryOtherRequest,
  "supplies-wrong-key": suppliesWrongKey,
  "closes-port-while-blocked": closesPortWhileBlocked,
  "closes-pager-while-serving": closesPagerWhileServing,
  "stops-after-one-packet": stopsAfterOnePacket,
  "supplies-unaligned": suppliesUnaligned,
  "fails-with-bad-code": failsWithBadCode,
  "writeback-end-before-persist": makeWritebackService({ endBeforePersist: true }),
  "retries-after-bad-state": retriesAfterBadState,
  "calls-with-bad-arguments": callsWithBadArguments,
};
