/**
 * What a pager service is given, and the steps every service shares (find
 * the VMO of a packet, supply a range from the backing store).
 *
 * A service is a generator function `(sys, ctx) => ThreadBody`. It waits on
 * `ctx.port`, answers READ packets with `zx_pager_supply_pages` (or
 * `zx_pager_op_range(ZX_PAGER_OP_FAIL)`), and treats COMPLETE as the end of a
 * VMO. Write your own the same way and register it under a name (see README);
 * if it keeps nothing from one packet to the next, call `sys.checkpoint` at
 * the top of its loop so exhaustive exploration can forget earlier packets.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { Packet, PagePacket } from "../kernel/events.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { backingRange } from "./backing.ts";

/** A VMO a service serves. */
export interface ServiceVmo {
  /** VMO name from the scenario. */
  readonly name: string;
  /** Port packet key the VMO was created with; page requests carry it. */
  readonly key: number;
  /** Handle to the VMO (shared with the faulting threads of the process). */
  readonly handle: number;
  /** Size in bytes. */
  readonly size: number;
}

/** Everything a service needs. */
export interface ServiceContext {
  /** Handle to the pager. */
  readonly pager: number;
  /** Handle to the port the pager's VMOs deliver to. */
  readonly port: number;
  /** The pager's VMOs this service supplies. */
  readonly vmos: readonly ServiceVmo[];
  /** The service's parameters from the scenario. */
  readonly params: {
    readonly batch: number;
    readonly readAhead: number;
    readonly failPercent: number;
    readonly detachAfter: number;
    readonly closePager: boolean;
    /** writeback: ticks between writeback passes. */
    readonly writebackTicks?: number;
  };
}

/** A pager service. */
export type PagerService = (sys: Sys, ctx: ServiceContext) => ThreadBody;

/** The VMO a packet is for, by key. */
export function vmoForKey(ctx: ServiceContext, key: number): ServiceVmo | undefined {
  return ctx.vmos.find((v) => v.key === key);
}

/** True for a READ page request. */
export function isRead(p: Packet | null): p is PagePacket {
  return p !== null && p.type === ZX_PKT_TYPE_PAGE_REQUEST &&
    (p as PagePacket).command === ZX_PAGER_VMO_READ;
}

/** True for a COMPLETE packet. */
export function isComplete(p: Packet | null): p is PagePacket {
  return p !== null && p.type === ZX_PKT_TYPE_PAGE_REQUEST &&
    (p as PagePacket).command === ZX_PAGER_VMO_COMPLETE;
}

/**
 * The loop most services are: wait for a packet; stop when the wait fails
 * (the port is gone); skip COMPLETE and anything that is not a READ for a
 * known VMO; let `answer` handle the rest.
 *
 * Pass `checkpoint` only when `answer` keeps no state from one packet to the
 * next: the loop then calls {@linkcode Sys.checkpoint} with it before each
 * wait, which lets exhaustive exploration forget which packets came before.
 */
export function* serveReads(
  sys: Sys,
  ctx: ServiceContext,
  answer: (packet: PagePacket, vmo: ServiceVmo) => Syscall<unknown>,
  checkpoint?: string,
): ThreadBody {
  for (;;) {
    if (checkpoint !== undefined) sys.checkpoint(checkpoint);
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo !== undefined) yield* answer(packet, vmo);
  }
}

/**
 * Supplies `[offset, offset + length)` of `vmo` from the backing store the way
 * a filesystem does: fill an anonymous aux VMO, then move its pages in.
 */
export function* supplyFromBacking(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  const [st, aux] = yield* sys.vmoCreate(length, 0);
  if (st !== ZX_OK) return st;
  const fill = () => sys.vmoWrite(aux, backingRange(vmo.key, offset, length, sys.pageSize), 0);
  yield* fill();
  const supplied = yield* supplyWithinSize(sys, ctx, vmo, offset, length, aux, fill);
  yield* sys.handleClose(aux);
  return supplied;
}

/**
 * Runs `op` (a supply or OP_FAIL) over `[offset, offset + length)`, clipped to
 * the VMO's current size when a shrink raced with the request (spec 2.8.3:
 * the cut part was resolved, the rest is still awaited, and a range past the
 * end fails whole with OUT_OF_RANGE). Each retry is shorter, so it ends.
 */
export function* withinSize(
  sys: Sys,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  op: (length: number) => Syscall<Status>,
): Syscall<Status> {
  let st = yield* op(length);
  while (st === ZX_ERR_OUT_OF_RANGE) {
    const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
    const clipped = Math.min(length, size - offset);
    if (gs !== ZX_OK || clipped <= 0 || clipped >= length) return st;
    length = clipped;
    st = yield* op(length);
  }
  return st;
}

/**
 * `zx_pager_supply_pages` of `[offset, offset + length)` from `aux`,
 * {@linkcode withinSize}. A supply that fails with OUT_OF_RANGE has already
 * taken the pages out of `aux` (spec 2.4 note), so `refill` writes them again
 * before each retry; without it a retry would supply zero markers.
 */
export function supplyWithinSize(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  aux: number,
  refill: () => Syscall<unknown>,
): Syscall<Status> {
  let tries = 0;
  return withinSize(sys, vmo, offset, length, function* (n) {
    if (tries++ > 0) yield* refill();
    return yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, offset, n, aux, 0);
  });
}
