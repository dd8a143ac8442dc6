/**
 * The campaign judge's probes written from the open keys of shard 4 of 8 on 237c931
 * (docs/mutation.md, "Open keys of shard 4 on 237c931", helper gap34b). Each is a program of
 * fixed calls, no draws, whose every outcome the program contract or a kernel checker predicts
 * unmutated; each reaches a case random programs never line up.
 *
 * @module
 */

import {
  ZX_BTI_PERM_READ,
  ZX_INFO_VMO,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import { probeThread, probeThreads, suppliedRoot } from "./generate.ts";
import type { Program } from "./program.ts";

/**
 * The campaign judge's `program:user-read-pages` probe: a two-page pager VMO supplied whole is
 * read whole into a user buffer, a two-page mapping of an anonymous VMO, so the copy out crosses
 * the buffer's page boundary (read-content R2: a `zx_vmo_read` that returns ZX_OK filled its
 * buffer whole, then R1 on the buffer's VMO read back). Random draws give a read a buffer that
 * spans pages of the VMO it reads seldom.
 *
 * @example
 * ```ts
 * import { userReadPagesProgram } from "./probes34.ts";
 * console.assert(userReadPagesProgram().threads[0].calls.length === 11);
 * ```
 */
export function userReadPagesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root } = suppliedRoot(emit, pageSize, 0x34, 2);
  const buffer = emit("zx_vmo_create", [2 * pageSize, 0]);
  const perm = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const map = emit("zx_vmar_map", [{ vmar: 0 }, perm, 0, { h: buffer }, 0, 2 * pageSize]);
  emit("zx_vmo_read", [{ h: root }, 0, 2 * pageSize, { addr: map, plus: 0 }]);
  emit("zx_vmo_read", [{ h: buffer }, 0, 2 * pageSize]);
  emit("zx_vmo_read", [{ h: root }, pageSize / 2, pageSize, { addr: map, plus: pageSize / 4 }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:loan-reclaim-pin` probe: a two-page contiguous VMO decommitted
 * (its two frames lent), a two-page pager VMO supplied (both pages borrow a frame) and closed
 * (it dies: both frames stale), a one-page pager VMO supplied (no free frame: both stale frames
 * reclaimed, the oldest borrowed), and that page pinned and unpinned (`checkPins` runs the loan
 * pool's kernel assertions: the frame left free holds no page). Random programs let two
 * borrowers die before the next borrow and then pin almost never.
 *
 * @example
 * ```ts
 * import { loanReclaimPinProgram } from "./probes34.ts";
 * console.assert(loanReclaimPinProgram().threads.length === 1);
 * ```
 */
export function loanReclaimPinProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { port, pager, aux } = suppliedRoot(emit, pageSize, 0x35, 2);
  const bti = emit("zx_bti_create", [0, 0]);
  const lender = emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: lender }, { bytes: 2 * pageSize, fill: 0x17 }, 0]);
  emit("zx_vmo_op_range", [{ h: lender }, ZX_VMO_OP_DECOMMIT, 0, 2 * pageSize]);
  const first = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 2 * pageSize]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: 2 * pageSize, fill: 0x38 }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: first }, 0, 2 * pageSize, { h: aux }, 0]);
  emit("zx_handle_close", [{ h: first }]);
  const second = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, pageSize]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x39 }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: second }, 0, pageSize, { h: aux }, 0]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: second }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_vmo_read", [{ h: second }, 0, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:clone-slice-pin` probe: a two-page pager VMO supplied whole, an
 * at-least-on-write clone of both pages, a one-page slice of the clone at page 1, that slice page
 * pinned and unpinned (the pin forks only the clone's page 1), then the root's page 0 written and
 * the clone's page 0 read: it shows the root's new bytes (read-content: a clone page no pin, write
 * or commit named shows its root's current content). Random draws pin a slice of a clone at an
 * offset and then write its root seldom.
 *
 * @example
 * ```ts
 * import { cloneSlicePinProgram } from "./probes34.ts";
 * console.assert(cloneSlicePinProgram().threads.length === 1);
 * ```
 */
export function cloneSlicePinProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root } = suppliedRoot(emit, pageSize, 0x36, 2);
  const clone = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  const slice = emit("zx_vmo_create_child", [{ h: clone }, ZX_VMO_CHILD_SLICE, pageSize, pageSize]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: slice }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_vmo_write", [{ h: root }, { bytes: 16, fill: 0x37 }, 0]);
  emit("zx_vmo_read", [{ h: clone }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:suspend-run-on` probe, two threads: thread 0 reads a two-page
 * pager VMO `a` (page 0 supplied, page 1 absent) into a user buffer mapped over a two-page pager
 * VMO `b` no page of which is supplied, so its copy out of page 0 parks on `b`'s READ (a
 * usercopy's fault wait, which holds a suspend off). Thread 1, after 30 ticks on a port of its
 * own, suspends thread 0, supplies `b` whole, waits 10 ticks (thread 0 runs on out of that wait,
 * meets `a`'s absent page 1 and begins a suspendable wait with the suspend pending: interrupted at
 * once, it stops), supplies `a`'s page 1, waits 10 ticks and resumes thread 0 (the token closed),
 * which reads on to the end. A wait begun with the suspend pending that is not interrupted is
 * woken by the supply with ZX_OK and cannot run (wake-discipline K11's run-on rule: a thread
 * woken with ZX_OK runs again within two ticks). Random programs suspend a thread just as it
 * leaves a usercopy's fault wait for a pager wait of its own never.
 *
 * @example
 * ```ts
 * import { suspendRunOnProgram } from "./probes34.ts";
 * console.assert(suspendRunOnProgram().threads.length === 2);
 * ```
 */
export function suspendRunOnProgram(pageSize = 4096): Program {
  const ps = pageSize;
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const a = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 2 * ps]);
  const b = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, 2 * ps]);
  const aux = e0("zx_vmo_create", [2 * ps, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: 2 * ps, fill: 0x3a }, 0]);
  e0("zx_pager_supply_pages", [{ h: pager }, { h: a }, 0, ps, { h: aux }, 0]);
  const perm = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const map = e0("zx_vmar_map", [{ vmar: 0 }, perm, 0, { h: b }, 0, 2 * ps]);
  e0("zx_vmo_read", [{ h: a }, 0, 2 * ps, { addr: map, plus: 0 }]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 30 }]);
  const token = e1("zx_task_suspend", [{ thread: 0 }]);
  e1("zx_vmo_write", [{ h: aux }, { bytes: 2 * ps, fill: 0x3b }, 0]);
  e1("zx_pager_supply_pages", [{ h: pager }, { h: b }, 0, 2 * ps, { h: aux }, 0]);
  e1("zx_port_wait", [{ h: own }, { after: 10 }]);
  e1("zx_vmo_write", [{ h: aux }, { bytes: 2 * ps, fill: 0x3c }, 0]);
  e1("zx_pager_supply_pages", [{ h: pager }, { h: a }, ps, ps, { h: aux }, ps]);
  e1("zx_port_wait", [{ h: own }, { after: 10 }]);
  e1("zx_handle_close", [{ h: token }]);
  return { pageSize, overtimeTicks: 0, threads };
}

/**
 * The campaign judge's `program:reference-resize` probe: a one-page resizable pager VMO, a
 * reference of it, the VMO grown to three pages, then the reference's size asked
 * (`zx_vmo_get_size`, `ZX_INFO_VMO`) and its new pages read (the pager supplies them first), then
 * the VMO shrunk to two pages and the reference's size asked again (the contract's
 * `ReferenceSize`: a reference follows its parent's resizes). Random draws resize a pager VMO
 * they made a reference of and then size the reference seldom.
 *
 * @example
 * ```ts
 * import { referenceResizeProgram } from "./probes34.ts";
 * console.assert(referenceResizeProgram().threads.length === 1);
 * ```
 */
export function referenceResizeProgram(pageSize = 4096): Program {
  const ps = pageSize;
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, ZX_VMO_RESIZABLE, { h: port }, 0, ps]);
  const ref = emit("zx_vmo_create_child", [{ h: vmo }, ZX_VMO_CHILD_REFERENCE, 0, 0]);
  emit("zx_vmo_set_size", [{ h: vmo }, 3 * ps]);
  emit("zx_vmo_get_size", [{ h: ref }]);
  emit("zx_object_get_info", [{ h: ref }, ZX_INFO_VMO]);
  const aux = emit("zx_vmo_create", [3 * ps, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: 3 * ps, fill: 0x3d }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 3 * ps, { h: aux }, 0]);
  emit("zx_vmo_read", [{ h: ref }, ps, 2 * ps]);
  emit("zx_vmo_set_size", [{ h: vmo }, 2 * ps - 8]);
  emit("zx_vmo_get_size", [{ h: ref }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:slice-unpin-detach` probe: a two-page pager VMO supplied whole, a
 * one-page slice of it at page 1, that slice page pinned read-only and unpinned, the VMO
 * detached, and its page 1 read. The unpin let the root's page 1 go, so the detach drops it with
 * page 0, both clean (page-state K13, which follows pins by their PMTs from the trace: a detach
 * decommits every clean page no pin in force covers), and the read needs the pager:
 * ZX_ERR_BAD_STATE. Random draws pin through a slice at an offset, unpin and detach seldom.
 *
 * @example
 * ```ts
 * import { sliceUnpinDetachProgram } from "./probes34.ts";
 * console.assert(sliceUnpinDetachProgram().threads.length === 1);
 * ```
 */
export function sliceUnpinDetachProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { pager, root } = suppliedRoot(emit, pageSize, 0x3e, 2);
  const slice = emit("zx_vmo_create_child", [{ h: root }, ZX_VMO_CHILD_SLICE, pageSize, pageSize]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: slice }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: root }]);
  emit("zx_vmo_read", [{ h: root }, pageSize, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}
