/**
 * A service over a flaky backing store: each request (or, for some
 * multi-page requests, each page of it) fails with `ZX_ERR_IO` (through
 * `ZX_PAGER_OP_FAIL`) with probability `failPercent`%, drawn from the run's
 * recorded decision source.
 *
 * @module
 */

import { ZX_ERR_IO, ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import {
  type ReadPacket,
  serveReads,
  type ServiceContext,
  type ServiceVmo,
  supplyFromBacking,
  withinSize,
} from "./service.ts";
import type { Syscall } from "../kernel/yields.ts";

/**
 * Supplies, or fails the request with ZX_ERR_IO.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 60 } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1 });
 * console.assert(run.steps > 0); // reads either get their pages or a documented error
 * ```
 */
export function flakyService(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(
    sys,
    ctx,
    (packet, vmo) => answerFlakily(sys, ctx, packet, vmo),
    "flaky: waiting for a packet",
  );
}

/**
 * One request of {@linkcode flakyService}. A generator function of the module, not one made
 * per service thread: V8 keeps a generator function that was called (and all it closes over,
 * here the run) until the next full collection, so every scavenge copied the last runs whole.
 */
function* answerFlakily(
  sys: Sys,
  ctx: ServiceContext,
  packet: ReadPacket,
  vmo: ServiceVmo,
): Syscall<void> {
  // Like a disk with bad sectors, a multi-page request is sometimes answered page by page.
  const perPage = packet.length > sys.pageSize && sys.random(2) === 1;
  const step = perPage ? sys.pageSize : packet.length;
  for (let offset = packet.offset; offset < packet.offset + packet.length; offset += step) {
    if (sys.chance(ctx.params.failPercent)) {
      yield* withinSize(
        sys,
        vmo,
        offset,
        step,
        (n) => sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, vmo.handle, offset, n, ZX_ERR_IO),
      );
    } else {
      yield* supplyFromBacking(sys, ctx, vmo, offset, step);
    }
  }
}
