/**
 * A buggy pager service for the explore shrinking tests: each of its threads polls the port
 * with a zero deadline forever and answers nothing, so the reader waits while the service
 * threads keep running (two of them: every step before the fair phase is a choice), and the
 * run ends at the liveness budget, hundreds of steps and decisions long.
 *
 * @module
 */

import type { Sys, ThreadBody } from "../../sim/sys.ts";
import type { ServiceContext } from "../../services/service.ts";

/** Polls the port and never answers a packet. */
export default function* pollingService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) yield* sys.portWait(ctx.port, 0);
}
