/**
 * The monitors a campaign checks every run with. Kernel invariants come from
 * properties/ once they exist; until then the verdict kinds (hang, kernel
 * assertion, thread fault, step budget) are the oracle.
 *
 * @module
 */

import type { Monitor } from "../sim/world.ts";

/** Fresh monitors for one campaign run. */
export function campaignMonitors(): Monitor[] {
  return [];
}
