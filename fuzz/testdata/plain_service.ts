/**
 * A service module with the wrong shape (a plain function, not a generator
 * function): loading it must be one clear error.
 *
 * @module
 */

import type { ServiceContext } from "../../services/service.ts";
import type { Sys } from "../../sim/sys.ts";

/** Not a pager service: it returns instead of yielding sys calls. */
export default function plainService(_sys: Sys, _ctx: ServiceContext): number {
  return 0;
}
