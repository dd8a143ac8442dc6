/**
 * A pager service that drops every READ (each run fails at once) and whose
 * module is slow to load as a new instance (`?instance=`: the one a campaign
 * worker loads to replay a failing run before it writes the case): it says
 * "investigating" on stderr and then waits 3 s, a window wide enough for an
 * interrupt's stop grace to end inside it (fuzz/interrupt_keeps_finding_test.ts).
 *
 * @module
 */

import { serveReads, type ServiceContext } from "../../services/service.ts";
import type { Sys, ThreadBody } from "../../sim/sys.ts";

if (import.meta.url.includes("?instance=")) {
  console.error("slow_replay_service: investigating");
  await new Promise((resolve) => setTimeout(resolve, 3000));
}

/** Takes every READ and answers none. */
export default function* droppingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* () {});
}
