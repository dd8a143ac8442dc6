/**
 * The campaign judge's probes written from set C of the open keys of shards 5-8 on db8cb50
 * (docs/mutation.md, "Open keys analysed and closed, set C", helper gap32c). Each is a program of
 * fixed calls, no draws, whose every outcome the program contract or a kernel checker predicts
 * unmutated; each reaches a case random programs never line up.
 *
 * @module
 */

import {
  ZX_BTI_PERM_READ,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_PREFETCH,
} from "../kernel/constants.ts";
import { probeThread, probeThreads } from "./generate.ts";
import type { Arg, Program } from "./program.ts";

/**
 * The campaign judge's `program:gap32c-edges` probe, one thread, three parts:
 * - a sub-region of four pages (CAN_MAP_SPECIFIC, read and write) whose upper two pages are
 *   mapped first and its lower two second (SPECIFIC, two plain VMOs), then `zx_vmar_op_range`
 *   MAP_RANGE and COMMIT over all four pages from the lower mapping's address: the region keeps
 *   its mappings in the order they were made, so the walk must pick the lowest-addressed mapping
 *   left, not the first listed (`VmAddressRegion::RangeOp` walks in address order). Random
 *   programs map a region's pages in ascending order only (`CallBuilder.regionLayout`);
 * - a two-page pager VMO whose page 1 alone is supplied, an at-least-on-write clone of its page
 *   1 written (the clone owns its page 0), a clone of that clone PREFETCHed and then committed,
 *   and read: the pages come from the middle clone, so no READ may be asked of the root (whose
 *   page 1 is there; page-state K2). Random programs never clone a clone at an offset;
 * - a two-page pager VMO supplied whole, an at-least-on-write clone of it read, the pager VMO
 *   detached, the clone read again (failing instead of blocking): ZX_ERR_BAD_STATE, as the
 *   clone owns no page and the detach decommitted the clean pages it saw (`Pager.CloneDetachTest`;
 *   the contract's `CloneDetachRead`). Random programs never read a clone after its parent's
 *   detach.
 *
 * @example
 * ```ts
 * import { gap32cEdgesProgram } from "./probes32c.ts";
 * console.assert(gap32cEdgesProgram().threads[0].calls.length === 25);
 * ```
 */
export function gap32cEdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const region = emit("zx_vmar_allocate", [
    { vmar: 0 },
    ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
    0,
    4 * pageSize,
  ]);
  const upper = emit("zx_vmo_create", [2 * pageSize, 0]);
  const lower = emit("zx_vmo_create", [2 * pageSize, 0]);
  const perm = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC;
  emit("zx_vmar_map", [{ h: region }, perm, 2 * pageSize, { h: upper }, 0, 2 * pageSize]);
  const low = emit("zx_vmar_map", [{ h: region }, perm, 0, { h: lower }, 0, 2 * pageSize]);
  for (const op of [ZX_VMAR_OP_MAP_RANGE, ZX_VMAR_OP_COMMIT]) {
    emit("zx_vmar_op_range", [{ h: region }, op, { addr: low, plus: 0 }, 4 * pageSize]);
  }
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const root = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: 2 * pageSize, fill: 0x21 }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: root }, pageSize, pageSize, { h: aux }, 0]);
  const clone = (of: Arg, at: number) =>
    emit("zx_vmo_create_child", [of, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, at, pageSize]);
  const middle = clone({ h: root }, pageSize);
  emit("zx_vmo_write", [{ h: middle }, { bytes: 8, fill: 0x22 }, 0]);
  const lowest = clone({ h: middle }, 0);
  emit("zx_vmo_op_range", [{ h: lowest }, ZX_VMO_OP_PREFETCH, 0, pageSize]);
  emit("zx_vmo_op_range", [{ h: lowest }, ZX_VMO_OP_COMMIT, 0, pageSize]);
  emit("zx_vmo_read", [{ h: lowest }, 0, pageSize]);
  const detached = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 2 * pageSize]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: detached }, 0, 2 * pageSize, { h: aux }, 0]);
  const seer = emit("zx_vmo_create_child", [
    { h: detached },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_read", [{ h: seer }, 0, pageSize]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: detached }]);
  emit("zx_vmo_read", [{ h: seer }, 0, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:clone-pin-shrink` probe, two threads (upstream
 * `Pager.ResizeBlockedPin`, on a clone): thread 0 makes a two-page pager VMO and a resizable
 * at-least-on-write clone of it and waits 10 ticks on a port of its own; thread 1 pins the
 * clone's two pages, which parks on the READ of the parent's pages; thread 0 then shrinks the
 * clone to one page and supplies the parent, and the pin, which commits the clone first, finds
 * its range past the clone's end: ZX_ERR_OUT_OF_RANGE.
 *
 * @example
 * ```ts
 * import { clonePinShrinkProgram } from "./probes32c.ts";
 * console.assert(clonePinShrinkProgram().threads.length === 2);
 * ```
 */
export function clonePinShrinkProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const aux = e0("zx_vmo_create", [2 * pageSize, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: 2 * pageSize, fill: 0x5c }, 0]);
  const clone = e0("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
    0,
    2 * pageSize,
  ]);
  const bti = e0("zx_bti_create", [0, 0]);
  const own0 = e0("zx_port_create", [0]);
  e0("zx_port_wait", [{ h: own0 }, { after: 10 }]);
  e0("zx_vmo_set_size", [{ h: clone }, pageSize]);
  e0("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 2 * pageSize, { h: aux }, 0]);
  const own1 = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own1 }, { after: 5 }]);
  e1("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: clone }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads };
}
