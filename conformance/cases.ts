/**
 * Every conformance case, in inventory order per area: the level-1 areas
 * first, then the rows that are skipped at kernel level 1.
 *
 * @module
 */

import type { ConformanceCase } from "./harness.ts";
import { AUDIT_CASES } from "./audit.ts";
import { BTI_CASES } from "./bti.ts";
import { CLOSE_PAGER_CASES } from "./close_pager.ts";
import { CLOSE_PORT_CASES } from "./close_port.ts";
import { COALESCING_CASES } from "./coalescing.ts";
import { DETACH_CASES } from "./detach.ts";
import { DIRTY_CASES } from "./dirty.ts";
import { QUERY_STATS_CASES } from "./query_stats.ts";
import { RESIZE_CASES } from "./resize.ts";
import { EVICT_CASES } from "./evict.ts";
import { CLONE_CASES } from "./clone.ts";
import { ERROR_ARGS_CASES } from "./error_args.ts";
import { FAIL_OP_CASES } from "./fail_op.ts";
import { LEVEL2_CASES } from "./level2.ts";
import { MULTI_VMO_CASES } from "./multi_vmo.ts";
import { READ_FAULT_CASES } from "./read_fault.ts";
import { SIGNAL_CASES } from "./signals.ts";
import { SUPPLY_CASES } from "./supply.ts";

/** All cases. The `info-flags` area has no rows in the inventory. */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...READ_FAULT_CASES,
  ...SUPPLY_CASES,
  ...COALESCING_CASES,
  ...DETACH_CASES,
  ...CLOSE_PAGER_CASES,
  ...CLOSE_PORT_CASES,
  ...FAIL_OP_CASES,
  ...ERROR_ARGS_CASES,
  ...MULTI_VMO_CASES,
  ...DIRTY_CASES,
  ...QUERY_STATS_CASES,
  ...RESIZE_CASES,
  ...CLONE_CASES,
  ...EVICT_CASES,
  ...BTI_CASES,
  ...LEVEL2_CASES,
  ...AUDIT_CASES,
  ...SIGNAL_CASES,
];

/**
 * The runnable cases (as `"ID Name"`) whose pager supplies bytes of its own (zero markers,
 * patterns, an overlapping supply of other bytes), not the backing store's: data-integrity, which
 * judges supplied content against the store the reference services serve, has nothing to judge
 * them by, so checker-only runs of them leave it out (`mutate/judges.ts`).
 * `properties/zircon_cases_test.ts` holds the list to exactly the cases data-integrity fails.
 *
 * @example
 * ```ts
 * import { OWN_CONTENT_CASES } from "./cases.ts";
 * console.assert(OWN_CONTENT_CASES.has("P61 UncommittedSupply"));
 * ```
 */
export const OWN_CONTENT_CASES: ReadonlySet<string> = new Set([
  "A3 OpZeroWithMarkersNoTrapDirty",
  "A3 OpZeroWithMarkersTrapDirty",
  "A6 CommitOverMarkersNoTrapDirty",
  "A6 CommitOverMarkersTrapDirty",
  "P12 OverlapSupplyTestVmar",
  "P12 OverlapSupplyTestVmo",
  "P57 InvalidPagerSupplyPages",
  "P58 MappedSupplyPages",
  "P61 UncommittedSupply",
  "PX1 PinnedSupplyPages",
  "PX8 PagerDetachPinned",
  "W12 DirtyRequestsForZeroPages",
  "W13 DirtyZeroAndNonZeroPages",
  "W15 DirtyRequestsForZeroRanges",
  "W23 CannotOverwriteZeroPageNoTrapDirty",
  "W23 CannotOverwriteZeroPageTrapDirty",
  "W30 ResizeWithOutstandingDirtyRequests",
]);
