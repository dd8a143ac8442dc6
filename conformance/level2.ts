/**
 * The rows upstream itself lists as skipped (hardware, timing or memory
 * pressure), with their reasons; the BTI-pinning ones now run in conformance/bti.ts. Every level-2 row now runs in its area file
 * (dirty.ts, query_stats.ts, resize.ts, clone.ts, evict.ts).
 *
 * @module
 */

import { PIN_ROWS_RUN } from "./bti.ts";
import { USERCOPY_SUSPEND_ROWS_RUN } from "./read_fault.ts";
import type { ConformanceCase } from "./harness.ts";

/** `[file, test, reason]` of the rows in the inventory's "Skipped" tables. */
const UPSTREAM_SKIPPED: readonly (readonly [string, string, string])[] = [
  ["P", "PinnedSupplyPages", "Needs IOMMU/BTI pinning via system resource."],
  ["P", "ResizeBlockedPin", "Needs IOMMU/BTI pin blocked on a page request."],
  [
    "P",
    "ZeroHandlesRace",
    "Race stress loop between pager handle close and create_vmo (time-bounded).",
  ],
  [
    "P",
    "RacyPortDequeue",
    "Race stress loop; outcome deliberately nondeterministic (OK or TIMED_OUT).",
  ],
  [
    "P",
    "SuspendInKernelTest",
    "Depends on kernel usercopy fault path and 1-second sleeps to infer suspend cannot take effect.",
  ],
  [
    "P",
    "SuspendInKernelCaptureFaultsTest",
    "Depends on the capture-faults usercopy path and 1-second sleeps, as SuspendInKernelTest.",
  ],
  ["P", "PinPagerVmoWithLoanedPages", "Needs contiguous VMOs, page loaning and BTI pinning."],
  ["P", "PagerDetachPinned", "Needs IOMMU/BTI pinning."],
  [
    "S",
    "ResizeSnapshotRace",
    "Race stress loop (root shrink racing with snapshot creation, time-bounded); relies on real concurrency to hit a window.",
  ],
  ["W", "OpZeroPinned", "Needs BTI/IOMMU pinning."],
  ["W", "NotModifiedOnFailedResize", "Needs BTI pin to make the shrink fail with BAD_STATE."],
  ["W", "PinForRead", "BTI pinning."],
  ["W", "PinForWrite", "BTI pinning."],
  ["W", "PinnedWriteback", "BTI pinning (pinned page cannot be cleaned)."],
  ["W", "ReadPinAwaitingClean", "BTI pinning."],
  ["W", "WritePinAwaitingClean", "BTI pinning."],
  ["W", "DelayedPinAwaitingClean", "BTI pinning."],
  ["W", "FailedPinAwaitingClean", "BTI pinning."],
  ["W", "DirtyAfterPin", "BTI pinning."],
  ["W", "PinAfterDirty", "BTI pinning."],
  ["W", "PinForWriteUnpopulated", "BTI pinning."],
  ["W", "NotModifiedFailedPinWrite", "BTI pinning."],
  ["W", "NotModifiedPartialFailedPinWrite", "BTI pinning."],
  ["W", "SlicePinWrite", "BTI pinning."],
  // ["W", "EvictAfterDirtyRequest"] runs as WX16 in conformance/evict.ts (the last W row: no id
  // below shifts), the scanner's reclaim made one kernel step.
];

/**
 * The skipped rows. Upstream-skipped rows have no row id; they are named
 * `<file>X<n>` (e.g. `PX1`), numbered in inventory order. The pinning rows that
 * run (conformance/bti.ts) keep those ids and leave this list.
 */
export const LEVEL2_CASES: readonly ConformanceCase[] = [
  ...UPSTREAM_SKIPPED.map(([file, name, reason], i, all) => {
    const n = all.slice(0, i + 1).filter(([f]) => f === file).length;
    return { id: `${file}X${n}`, name, area: "skipped-upstream", skip: reason };
  }).filter((c) => !PIN_ROWS_RUN.has(c.name) && !USERCOPY_SUSPEND_ROWS_RUN.has(c.name)),
];
