/**
 * The campaign judge's probes written from the open keys of shard 3 of 8 on 237c931
 * (docs/mutation.md, "Open keys of shard 3 on 237c931", helper gap34a). Each is a program of
 * fixed calls, no draws, whose every outcome a checker predicts unmutated; each reaches a case
 * random programs never line up.
 *
 * @module
 */

import { ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, ZX_VMO_OP_ZERO } from "../kernel/constants.ts";
import { probeThread, suppliedRoot } from "./generate.ts";
import type { Program } from "./program.ts";

/**
 * The campaign judge's `program:clone-partial-zero` probe, one thread: a two-page pager VMO
 * supplied whole (bytes 0x11), an at-least-on-write clone of it that holds no page, a ZERO of
 * the clone from the middle of page 0 to the middle of page 1 (two partial pages, neither held
 * by the clone: each is forked from the root and zeroed in part through the write path, in the
 * ZERO's own step, since the root's pages are there), then the clone and the root read whole.
 * read-content's R4 knows each partial page as the clone's own from that step: the root's bytes
 * with the ZERO's range zeros; the root keeps its 0x11. Random programs ZERO clones of pager VMOs
 * rarely, and never half a page the clone does not hold, with the root's page present, and read it.
 *
 * @example
 * ```ts
 * import { clonePartialZeroProgram } from "./probes34.ts";
 * console.assert(clonePartialZeroProgram().threads[0].calls.length === 10);
 * ```
 */
export function clonePartialZeroProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root } = suppliedRoot(emit, pageSize, 0x11, 2);
  const size = 2 * pageSize;
  const clone = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    size,
  ]);
  emit("zx_vmo_op_range", [{ h: clone }, ZX_VMO_OP_ZERO, pageSize / 2, pageSize]);
  emit("zx_vmo_read", [{ h: clone }, 0, size]);
  emit("zx_vmo_read", [{ h: root }, 0, size]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}
