/**
 * The eager supplier: answers every READ packet by supplying exactly its range.
 *
 * @module
 */

import type { Sys, ThreadBody } from "../sim/sys.ts";
import { serveReads, type ServiceContext, supplyFromBacking } from "./service.ts";

/** Supplies each requested range as it arrives; stops when the port wait fails. */
export function eagerService(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(
    sys,
    ctx,
    (packet, vmo) => supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length),
    "eager: waiting for a packet",
  );
}
