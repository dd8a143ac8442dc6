/**
 * The campaign judge's probes written from the open keys of shards 1-2 of 8 on 237c931
 * (docs/mutation.md, "Open keys of shards 1-2 on 237c931", helper gap33). Each is a program of
 * fixed calls, no draws, whose every outcome the program contract or a kernel checker predicts
 * unmutated; each reaches a case random programs never line up.
 *
 * @module
 */

import { ZX_VM_PERM_READ, ZX_VM_PERM_WRITE, ZX_VMAR_OP_COMMIT } from "../kernel/constants.ts";
import { probeThread, suppliedRoot } from "./generate.ts";
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
