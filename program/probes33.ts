/**
 * The campaign judge's probes written from the open keys of shards 1-2 of 8 on 237c931
 * (docs/mutation.md, "Open keys of shards 1-2 on 237c931", helper gap33). Each is a program of
 * fixed calls, no draws, whose every outcome the program contract or a kernel checker predicts
 * unmutated; each reaches a case random programs never line up.
 *
 * @module
 */

import {
  ZX_BTI_PERM_READ,
  ZX_PAGER_OP_DIRTY,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import { probeThread, probeThreads, suppliedRoot } from "./generate.ts";
import type { Program } from "./program.ts";

/**
 * The campaign judge's `program:vmar-op-then-close` probe: a two-page pager VMO supplied whole
 * is mapped, committed through `zx_vmar_op_range` (its pages are there: no request), unmapped
 * and its only handle closed; then its port is waited on (deadline past). The op held the VMO
 * only while it ran and the unmap let the mapping's hold go, so the close ended the VMO and its
 * ZX_PAGER_VMO_COMPLETE is on the port (the contract's `CompleteModel`, which judges a mapped
 * VMO once the program's VMAR picture maps it nowhere). Random draws name a VMO they map and
 * close in other calls too, which leaves it unjudged.
 *
 * @example
 * ```ts
 * import { vmarOpThenCloseProgram } from "./probes33.ts";
 * console.assert(vmarOpThenCloseProgram().threads[0].calls.length === 11);
 * ```
 */
export function vmarOpThenCloseProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { port, root } = suppliedRoot(emit, pageSize, 0x33, 2);
  const perm = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const map = emit("zx_vmar_map", [{ vmar: 0 }, perm, 0, { h: root }, 0, 2 * pageSize]);
  emit("zx_vmar_op_range", [{ vmar: 0 }, ZX_VMAR_OP_COMMIT, { addr: map, plus: 0 }, 2 * pageSize]);
  emit("zx_vmar_unmap", [{ vmar: 0 }, { addr: map, plus: 0 }, 2 * pageSize]);
  emit("zx_handle_close", [{ h: root }]);
  emit("zx_port_wait", [{ h: port }, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:zero-pinned-shrink` probe, two threads: thread 0 makes a
 * three-page TRAP_DIRTY resizable pager VMO, supplies it and pins its page 0 (read-only), then
 * waits 10 ticks on a port of its own; thread 1, after 5 ticks, ZEROes all three pages, which
 * parks on page 0's DIRTY (a pinned page is zeroed in place through the write path,
 * OpZeroPinned); thread 0 shrinks the VMO to one page and answers the DIRTY. The ZERO, back
 * from its wait, finds its range past the end: ZX_ERR_OUT_OF_RANGE (the contract's `PinShrink`,
 * which judges a ZERO as a pin: `VmObjectPaged::ZeroRangeInternal` checks the range on every
 * pass). Random programs never shrink a VMO under a ZERO parked on a pinned page.
 *
 * @example
 * ```ts
 * import { zeroPinnedShrinkProgram } from "./probes33.ts";
 * console.assert(zeroPinnedShrinkProgram().threads.length === 2);
 * ```
 */
export function zeroPinnedShrinkProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const size = 3 * pageSize;
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE,
    { h: port },
    0,
    size,
  ]);
  const aux = e0("zx_vmo_create", [size, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: size, fill: 0x3e }, 0]);
  e0("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, size, { h: aux }, 0]);
  const bti = e0("zx_bti_create", [0, 0]);
  const pmt = e0("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  const own0 = e0("zx_port_create", [0]);
  e0("zx_port_wait", [{ h: own0 }, { after: 10 }]);
  e0("zx_vmo_set_size", [{ h: vmo }, pageSize]);
  e0("zx_pager_op_range", [{ h: pager }, ZX_PAGER_OP_DIRTY, { h: vmo }, 0, pageSize, 0]);
  const own1 = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own1 }, { after: 5 }]);
  e1("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, 0, size]);
  e1("zx_pmt_unpin", [{ h: pmt }]);
  return { pageSize, overtimeTicks: 0, threads };
}
