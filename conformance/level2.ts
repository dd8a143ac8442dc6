/**
 * Rows of the conformance inventory that do not run at kernel level 1: every
 * row whose Tag is a level-2 area (clones, resize, dirty tracking and
 * writeback, eviction hints, stats queries), and the rows upstream itself
 * lists as skipped (hardware, timing or memory pressure), with their reasons.
 *
 * @module
 */

import { type ConformanceCase, skipped, TRAP_NOTRAP, VMAR_VMO } from "./harness.ts";

const ONE: readonly string[] = [];
const LEVEL2 = "kernel level 2 (issue 8)";

/** `[id, test, tag, variants]` of every row tagged with a level-2 area. */
const LEVEL2_ROWS: readonly (readonly [string, string, string, readonly string[]])[] = [
  ["P19", "ReadResizeTest", "resize", VMAR_VMO],
  ["P33", "CloneReadFromCloneTest", "clone", VMAR_VMO],
  ["P37", "CloneWriteToCloneTest", "clone", VMAR_VMO],
  ["P38", "CloneDetachTest", "clone", ONE],
  ["P39", "CloneCommitTest", "clone", ONE],
  ["P52", "ResizeCommitTest", "resize", ONE],
  ["P75", "DeepHierarchy", "clone", ONE],
  ["P78", "CloneCommitSingleBatch", "clone", ONE],
  ["P80", "CloneCommitMultipleBatches", "clone", ONE],
  ["P82", "EvictionHintAlwaysNeed", "decommit/evict", ONE],
  ["P83", "EvictionHintsOpRange", "decommit/evict", ONE],
  ["P85", "EvictionHintsWithResize", "decommit/evict", ONE],
  ["P86", "EvictionHintsVmar", "decommit/evict", ONE],
  ["P87", "EvictionHintsNestedVmar", "decommit/evict", ONE],
  ["P88", "EvictionHintsCloneVmar", "decommit/evict", ONE],
  ["P90", "OpCommitCloneVmar", "clone", ONE],
  ["P96", "EarlyWakeWithResize", "resize", ONE],
  ["P97", "EarlyWakeCloneRace", "clone", ONE],
  ["S2", "AtLeastOnWriteAfterSnapshotModified", "clone", ONE],
  ["S3", "SnapshotModifiedAfterAtLeastOnWrite", "clone", ONE],
  ["S6", "ResizeShrinkSnapshotWithEmptyParent", "resize", ONE],
  ["S7", "SnapshotReadOnlyVmo", "clone", ONE],
  ["S8", "ReleaseCowParentPagesRight", "clone", ONE],
  ["S10", "ReleaseCowParentPagesLeftAndRight", "clone", ONE],
  ["S11", "ReleaseCowParentPagesRightInHiddenNode", "clone", ONE],
  ["S12", "ZeroRangeFromEndOfParent", "clone", ONE],
  ["S13", "ZeroRangeLeftInSnapshotNoPagesInParent", "clone", ONE],
  ["S14", "ZeroRangeLeftInSnapshotPageInParent", "clone", ONE],
  ["S16", "ZeroRangeLeftInSnapshotPagesInParentChain", "clone", ONE],
  ["S20", "AlowSlice", "clone", ONE],
  ["S22", "SnapshotSliceAtLeastOnWrite", "clone", ONE],
  ["S25", "CommitRangeInSnapshot", "clone", ONE],
  ["S26", "Read", "clone", ONE],
  ["S27", "SnapshotModifiedClone", "clone", ONE],
  ["S31", "RootVmoWrite", "clone", ONE],
  ["S36", "CloseRoot", "clone", ONE],
  ["W1", "SimpleTrapDirty", "dirty/writeback", VMAR_VMO],
  ["W4", "DirtyRequestsViaMapping", "dirty/writeback", ONE],
  ["W6", "DirtyRequestsRepeatedWrites", "dirty/writeback", ONE],
  ["W7", "DirtyRequestsOnWriteAfterRead", "dirty/writeback", ONE],
  ["W8", "NoDirtyRequestsForClones", "dirty/writeback", ONE],
  ["W12", "DirtyRequestsForZeroPages", "dirty/writeback", ONE],
  ["W13", "DirtyZeroAndNonZeroPages", "dirty/writeback", ONE],
  ["W15", "DirtyRequestsForZeroRanges", "dirty/writeback", ONE],
  ["W16", "NoDirtyRequestsOnCommit", "dirty/writeback", ONE],
  ["W17", "NoDirtyRequestsOnMapRange", "dirty/writeback", ONE],
  ["W19", "NoQueryOnClone", "query-stats", TRAP_NOTRAP],
  ["W24", "SimpleDirtyNoTrap", "dirty/writeback", ONE],
  ["W26", "DirtyAfterMapProtect", "dirty/writeback", TRAP_NOTRAP],
  ["W28", "ResizeDirtyRequest", "resize", ONE],
  ["W30", "ResizeWithOutstandingDirtyRequests", "resize", ONE],
  ["W31", "ResizeWritebackWithOutstandingDirtyRequests", "resize", ONE],
  ["W33", "ResizeWritebackNewDirtyRequests", "dirty/writeback", ONE],
  ["W34", "ResizeWritebackIntersectingWrite", "dirty/writeback", TRAP_NOTRAP],
  ["W36", "ResizeWritebackIntersectingRandomWrites", "dirty/writeback", TRAP_NOTRAP],
  ["W37", "ResizePartialWritebackIntersectingRandomWrites", "dirty/writeback", TRAP_NOTRAP],
  ["W38", "ResizeWritebackIntersectingResize", "resize", TRAP_NOTRAP],
  ["W39", "ResizeWritebackNonIntersectingResize", "resize", TRAP_NOTRAP],
  ["W40", "ResizeWritebackAfterGap", "dirty/writeback", TRAP_NOTRAP],
  ["W44", "ResizeWritebackRepeated", "dirty/writeback", TRAP_NOTRAP],
  ["W50", "WritebackOutOfOrderCombinedEnd", "dirty/writeback", TRAP_NOTRAP],
  ["W53", "OpZeroTrapDirty", "dirty/writeback", ONE],
  ["W54", "OpZeroTail", "dirty/writeback", TRAP_NOTRAP],
  ["W56", "OpZeroClone", "clone", TRAP_NOTRAP],
  ["W59", "OpZeroExpandsTail", "dirty/writeback", TRAP_NOTRAP],
  ["W69", "ModifiedOnVmoWrite", "query-stats", TRAP_NOTRAP],
  ["W70", "ModifiedOnMappingWrite", "query-stats", TRAP_NOTRAP],
  ["W74", "NotModifiedOnMappingRead", "query-stats", TRAP_NOTRAP],
  ["W77", "ModifiedOnPartialVmoWrite", "query-stats", TRAP_NOTRAP],
  ["W78", "NotModifiedCloneWrite", "query-stats", TRAP_NOTRAP],
  ["W79", "ModifiedNoReset", "query-stats", TRAP_NOTRAP],
  ["W81", "SliceOpZero", "dirty/writeback", TRAP_NOTRAP],
  ["W82", "CommitResizeRace", "resize", TRAP_NOTRAP],
  ["W85", "CommitExtendedTail", "dirty/writeback", TRAP_NOTRAP],
  ["W86", "DelayedDirtyNotFound", "dirty/writeback", ONE],
  ["W88", "DelayedDirtyZeroRange", "dirty/writeback", ONE],
  ["W92", "QueryEarlyTermination", "query-stats", ONE],
];

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
  [
    "W",
    "EvictAfterDirtyRequest",
    "Needs the debug resource and an asynchronous page-scanner reclaim (memory-pressure eviction).",
  ],
];

/**
 * The skipped rows. Upstream-skipped rows have no row id; they are named
 * `<file>X<n>` (e.g. `PX1`), numbered in inventory order.
 */
export const LEVEL2_CASES: readonly ConformanceCase[] = [
  ...LEVEL2_ROWS.flatMap(([id, name, tag, variants]) => skipped(id, name, tag, variants, LEVEL2)),
  ...UPSTREAM_SKIPPED.map(([file, name, reason], i, all) => {
    const n = all.slice(0, i + 1).filter(([f]) => f === file).length;
    return { id: `${file}X${n}`, name, area: "skipped-upstream", skip: reason };
  }),
];
