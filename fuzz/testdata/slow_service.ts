/**
 * A slow but finite pager service for watchdog tests: before it serves, each service thread does
 * a fixed amount of pure computation (a count of iterations, never time: the run stays
 * deterministic), so a run takes well past a short run limit and still ends, and passes.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/** Iterations of the busy loop each service thread runs first. */
export const SPIN = 30_000_000;

/** Computes for a while (no syscall), then serves every READ from the backing pattern. */
export default function* slowService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let x = 1;
  for (let i = 0; i < SPIN; i++) x = (x * 1103515245 + 12345) | 0;
  if (x === 0) throw new Error("unreachable: keeps the loop from being optimized away");
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
