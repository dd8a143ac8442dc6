/**
 * A service module with the wrong shape (an async function, not a
 * generator function): loading it must be one clear error.
 *
 * @module
 */

import type { ServiceContext } from "../../services/service.ts";
import type { Sys } from "../../sim/sys.ts";

/** Not a pager service: it cannot yield sys calls. */
export default async function asyncService(_sys: Sys, _ctx: ServiceContext): Promise<void> {
  await Promise.resolve();
}
