/**
 * An example of a user's own pager service, loaded with
 * `deno task sim --service examples/my_service.ts` or
 * `deno task fuzz --service examples/my_service.ts`. It answers every packet
 * the pager protocol sends: READ by supplying the requested range plus one
 * page of read-ahead, DIRTY (VMOs created with `trapDirty`) by letting the
 * write go ahead, and COMPLETE by forgetting the VMO.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseScenario, runScenario } from "../mod.ts";
 * import myService from "./my_service.ts";
 * const scenario = parseScenario({
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 2, trapDirty: true }],
 *   threads: [{ name: "writer", ops: [{ op: "write", vmo: "file", page: 0, pages: 2 }] }],
 * });
 * assert.equal(runScenario(scenario, { seed: 1, services: { mine: myService } }).verdict.kind, "pass");
 * ```
 *
 * @module
 */

import {
  acknowledgeDirty,
  isComplete,
  isDirty,
  isRead,
  type ServiceContext,
  type ServiceVmo,
  type Status,
  supplyFromBacking,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";

/** Supplies each READ and one page past it, acknowledges each DIRTY, stops when the port is gone. */
export default function* myService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    // Nothing is kept between packets: tell `deno task explore` it may forget them.
    sys.checkpoint("my service: waiting for a packet");
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return; // the port is gone: stop serving
    if (isComplete(packet)) continue; // the VMO is detached or gone: no more packets for it
    const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue; // not one of our VMOs
    if (isRead(packet)) {
      yield* supplyWithReadAhead(sys, ctx, vmo, packet.offset, packet.length);
    } else if (isDirty(packet)) {
      // A write to a trap-dirty VMO waits until the pager agrees the page may become dirty.
      yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
    }
  }
}

/**
 * A helper that makes calls is a generator typed `Syscall<T>` (T: what it returns), called with
 * `yield*`; typed `Generator<...>` it fails type-checking.
 */
function* supplyWithReadAhead(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  // One page of read-ahead when it is inside the VMO's size at creation (`vmo.size`).
  const ahead = offset + length + sys.pageSize <= vmo.size ? sys.pageSize : 0;
  return yield* supplyFromBacking(sys, ctx, vmo, offset, length + ahead);
}
