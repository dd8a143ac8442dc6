/**
 * A hostile pager service for the hang signature's test (session 34): on its second READ it hands
 * `zx_vmo_write` a buffer whose `subarray` never returns (the kernel cuts it into a chunk per page once the write is under way), so its thread stops inside a syscall of
 * pagersim's own kernel model. The kernel model is not the code under test there: the stop is
 * this service's hang (`service-hang: no yield`), not `kernel-hang`.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

/**
 * A byte buffer the kernel can never cut: its `subarray` never returns. It blocks in
 * `Atomics.wait` on a cell nothing notifies, a stop the watchdog reads as a busy loop's, without
 * burning a core for the run limit (session 37: CI time).
 */
class SpinningBuffer extends Uint8Array {
  override subarray(_begin?: number, _end?: number): Uint8Array<ArrayBuffer> {
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}

/** Serves one READ, then writes a spinning buffer into an aux VMO on the next. */
export default function* spinningBufferService(sys: Sys, ctx: ServiceContext): ThreadBody {
  let seen = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (++seen === 2) {
      const [, aux] = yield* sys.vmoCreate(4096, 0);
      yield* sys.vmoWrite(aux, new SpinningBuffer(16), 0);
    }
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
