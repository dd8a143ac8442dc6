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
 * import { clonePartialZeroProgram } from "./probes34a.ts";
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

/**
 * The campaign judge's `program:clone-taken-child` probe, one thread: a two-page pager VMO
 * supplied whole (0x11), an at-least-on-write clone of it, page 0 of the clone written (0x22: the
 * clone's own fork), page 1 of the clone taken as the aux page of a supply to a second pager VMO
 * (the model leaves the clone's slot there set to nothing, its parent showing through), then an
 * at-least-on-write child of the clone made and its page 0 read. A child shows what its parent
 * shows when it is made (zx_vmo_create_child.md), so page 0 reads the clone's 0x22: it hangs from
 * the clone, which holds a page in its window (pager.cc CloneSeesCorrectParentPages @ misttech
 * 6774606f). read-content's model of a child of a clone says so; the clone's taken page and the
 * second VMO's page are left unjudged (aux pages taken from a VMO that is no anonymous root).
 * Random programs never supply from a clone's page and then make a child of that clone.
 *
 * @example
 * ```ts
 * import { cloneTakenChildProgram } from "./probes34a.ts";
 * console.assert(cloneTakenChildProgram().threads[0].calls.length === 12);
 * ```
 */
export function cloneTakenChildProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { port, pager, root } = suppliedRoot(emit, pageSize, 0x11, 2);
  const size = 2 * pageSize;
  const atLeastOnWrite = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const clone = emit("zx_vmo_create_child", [{ h: root }, atLeastOnWrite, 0, size]);
  emit("zx_vmo_write", [{ h: clone }, { bytes: pageSize, fill: 0x22 }, 0]);
  const other = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, pageSize]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: other }, 0, pageSize, { h: clone }, pageSize]);
  const child = emit("zx_vmo_create_child", [{ h: clone }, atLeastOnWrite, 0, size]);
  emit("zx_vmo_read", [{ h: child }, 0, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}
