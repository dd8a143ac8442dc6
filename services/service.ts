/**
 * What a pager service is given, and the steps every service shares (find
 * the VMO of a packet, supply a range from the backing store).
 *
 * A service is a generator function `(sys, ctx) => ThreadBody`. It waits on
 * `ctx.port`, answers READ packets with `zx_pager_supply_pages` (or
 * `zx_pager_op_range(ZX_PAGER_OP_FAIL)`), and treats COMPLETE as the end of a
 * VMO. Write your own the same way and register it under a name (see README).
 *
 * @module
 */

import {
  type Status,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
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
  yield* sys.vmoWrite(aux, backingRange(vmo.key, offset, length, sys.pageSize), 0);
  const supplied = yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, offset, length, aux, 0);
  yield* sys.handleClose(aux);
  return supplied;
}
