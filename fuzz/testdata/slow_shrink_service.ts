/**
 * The lossy service (it drops every third READ: each campaign finds `answers-every-read` within
 * a few runs) whose new instances, the ones a campaign worker loads to replay and shrink a
 * failing run (`?instance=`), are slow: each service thread sleeps 150 ms before it serves, so
 * shrinking takes seconds after the unshrunk case is written, a window wide enough for a test
 * to kill the campaign inside it (fuzz/kill_while_shrinking_test.ts). The campaign's own runs
 * (no `?instance=`) are not slowed.
 *
 * @module
 */

import { serveReads, type ServiceContext, supplyFromBacking } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

const SLOW_MS = import.meta.url.includes("?instance=") ? 150 : 0;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Supplies two READs out of three; the third is silently dropped. */
export default function* slowShrinkService(sys: Sys, ctx: ServiceContext): ThreadBody {
  // The window: a replay of this instance takes this long per service thread (a worker may
  // block; no CPU is spent).
  if (SLOW_MS > 0) Atomics.wait(sleeper, 0, 0, SLOW_MS);
  let seen = 0;
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    if (++seen % 3 === 0) return; // the bug
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
