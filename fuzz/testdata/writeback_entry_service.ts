/**
 * A service whose contract asks for writeback through an entry point
 * (`writeback: { entry: "flush" }`): the harness calls `flush` for a
 * `writeback` event and never puts a packet on its private port. The service
 * thread faults on any user packet, so a stray writeback packet is a failing
 * run (`scenario/service_contract_test.ts`).
 *
 * @module
 */

import {
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PKT_TYPE_USER,
  ZX_TIME_INFINITE,
  ZX_VMO_DIRTY_RANGE_SIZE,
} from "../../kernel/constants.ts";
import {
  acknowledgeDirty,
  isDirty,
  isRead,
  type ServiceContext,
  supplyFromBacking,
  vmoForKey,
} from "../../services/service.ts";
import type { ServiceContractInput } from "../../scenario/service_contract.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Serves READ and DIRTY; a user packet on its port is a fault. */
export default function* entryService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (p !== null && p.type === ZX_PKT_TYPE_USER) {
      throw new Error(`a user packet (key ${p.key}) arrived on the service's private port`);
    }
    const vmo = p === null ? undefined : vmoForKey(ctx, p.key);
    if (vmo === undefined) continue;
    if (isRead(p)) yield* supplyFromBacking(sys, ctx, vmo, p.offset, p.length);
    else if (isDirty(p)) yield* acknowledgeDirty(sys, ctx, vmo, p.offset, p.length);
  }
}

/** The writeback entry point: each VMO's dirty ranges through WRITEBACK_BEGIN and END. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (const vmo of ctx.vmos) {
    const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
    if (gs !== ZX_OK) continue;
    const [st, ranges] = yield* sys.pagerQueryDirtyRanges(
      ctx.pager,
      vmo.handle,
      0,
      size,
      16 * ZX_VMO_DIRTY_RANGE_SIZE,
    );
    if (st !== ZX_OK) continue;
    for (const r of ranges) {
      const op = (o: number) => sys.pagerOpRange(ctx.pager, o, vmo.handle, r.offset, r.length, 0);
      if ((yield* op(ZX_PAGER_OP_WRITEBACK_BEGIN)) === ZX_OK) yield* op(ZX_PAGER_OP_WRITEBACK_END);
    }
  }
}

/** Writeback through `flush`; everything else as the defaults (port and pager private). */
export const contract: ServiceContractInput = { writeback: { entry: "flush" } };
