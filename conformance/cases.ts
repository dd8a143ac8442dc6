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
