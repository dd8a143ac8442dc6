/**
 * The campaign judge's probe written from the open keys of set B (docs/mutation.md, "Open keys
 * closed, set B", helper gap32b): one program whose parts each reach a rule a random program
 * almost never lines up for. In a file of its own, beside program/generate.ts's probes.
 *
 * @module
 */

import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_INFO_VMO,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import { probeThreads, supplyFromPacket } from "./generate.ts";
import type { Arg, CallName, CallRef, Program } from "./program.ts";

/**
 * The campaign judge's `program:gap32b-edges` probe. Two threads; every call ZX_OK unmutated.
 * Thread 0 makes two pagers, each with a port of its own, a three-page aux VMO written whole, a
 * one-page VMO never written (its page holds no memory) and a BTI, then:
 * - **an unpin ends a VMO closed while pinned**: a pager VMO on the first pager's port, supplied,
 *   pinned for reading, its only handle closed, its PMT unpinned, and that port waited on for
 *   ten ticks: its COMPLETE (the contract's `CompleteModel`; `kernel_objects.ts`' `unpinToken`
 *   calls `maybeDestroy`);
 * - **a write pin marks the VMO modified**: a pager VMO of the second pager supplied, pinned for
 *   writing, its stats queried, unpinned (dirty-state K25's must-set rule of a write pin);
 * - **a COMMIT over a zero-page marker**: a pager VMO supplied from the unwritten VMO (a marker,
 *   no memory), its info asked (the contract's `infoCounts`: populated and populated scaled
 *   bytes equal for a root never cloned), committed, its info asked again (the contract's
 *   `RootCommitFloor`: one page committed);
 * - **a COMMIT through two pager waits**: a three-page pager VMO whose page 1 is supplied,
 *   committed whole, its info asked (`RootCommitFloor`: three pages). Thread 1, after 100
 *   ticks on a port of its own (thread 0 has parked on the COMMIT by then), suspends thread 0
 *   and closes the token at once (the COMMIT's pager wait ends with the internal retry status,
 *   and the COMMIT waits again: the status never reaches the program), then answers the
 *   COMMIT's two READs from the second pager's port.
 *
 * @example
 * ```ts
 * import { gap32bEdgesProgram } from "./probes32b.ts";
 * console.assert(gap32bEdgesProgram().threads.length === 2);
 * ```
 */
export function gap32bEdgesProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const ps = pageSize;
  const port1 = e0("zx_port_create", [0]);
  const pager1 = e0("zx_pager_create", [0]);
  const port2 = e0("zx_port_create", [0]);
  const pager2 = e0("zx_pager_create", [0]);
  const aux = e0("zx_vmo_create", [3 * ps, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: 3 * ps, fill: 0x5a }, 0]);
  const unwritten = e0("zx_vmo_create", [ps, 0]);
  const bti = e0("zx_bti_create", [0, 0]);
  // An unpin ends a VMO whose only handle closed while it was pinned.
  const held = e0("zx_pager_create_vmo", [{ h: pager1 }, 0, { h: port1 }, 7, ps]);
  e0("zx_pager_supply_pages", [{ h: pager1 }, { h: held }, 0, ps, { h: aux }, 0]);
  const heldPin = e0("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: held }, 0, ps]);
  e0("zx_handle_close", [{ h: held }]);
  e0("zx_pmt_unpin", [{ h: heldPin }]);
  e0("zx_port_wait", [{ h: port1 }, { after: 10 }]);
  // A write pin marks its VMO modified.
  const pinned = e0("zx_pager_create_vmo", [{ h: pager2 }, 0, { h: port2 }, 1, ps]);
  e0("zx_pager_supply_pages", [{ h: pager2 }, { h: pinned }, 0, ps, { h: aux }, 0]);
  const writePin = e0("zx_bti_pin", [
    { h: bti },
    ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
    { h: pinned },
    0,
    ps,
  ]);
  e0("zx_pager_query_vmo_stats", [{ h: pager2 }, { h: pinned }, 0, 8]);
  e0("zx_pmt_unpin", [{ h: writePin }]);
  // A COMMIT over a zero-page marker.
  const marked = e0("zx_pager_create_vmo", [{ h: pager2 }, 0, { h: port2 }, 2, ps]);
  e0("zx_pager_supply_pages", [{ h: pager2 }, { h: marked }, 0, ps, { h: unwritten }, 0]);
  e0("zx_object_get_info", [{ h: marked }, ZX_INFO_VMO]);
  e0("zx_vmo_op_range", [{ h: marked }, ZX_VMO_OP_COMMIT, 0, ps]);
  e0("zx_object_get_info", [{ h: marked }, ZX_INFO_VMO]);
  // A COMMIT through two pager waits, answered by thread 1.
  const split = e0("zx_pager_create_vmo", [{ h: pager2 }, 0, { h: port2 }, 3, 3 * ps]);
  e0("zx_pager_supply_pages", [{ h: pager2 }, { h: split }, ps, ps, { h: aux }, ps]);
  e0("zx_vmo_op_range", [{ h: split }, ZX_VMO_OP_COMMIT, 0, 3 * ps]);
  e0("zx_object_get_info", [{ h: split }, ZX_INFO_VMO]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 100 }]);
  const token = e1("zx_task_suspend", [{ thread: 0 }]);
  e1("zx_handle_close", [{ h: token }]);
  for (let i = 0; i < 2; i++) {
    const packet = e1("zx_port_wait", [{ h: port2 }, { after: 100 }]);
    supplyFromPacket(e1, { pager: pager2, vmo: split, aux }, packet);
  }
  return { pageSize, overtimeTicks: 0, threads };
}

/**
 * The campaign judge's `program:early-wake-end` probe: a reader of a clone joins its root's READ,
 * is woken early, and runs on over a page of the clone's own to the root page just past that
 * READ, which is still open. Three threads on a three-page pager VMO and an at-least-on-write
 * clone of it whose page 1 thread 0 zeroes (the clone's own page, asked of no pager); none
 * answered until thread 2 does: thread 0 reads the root's pages [0, 2) (READ [0, 2)); thread 1,
 * after 10 ticks on a port of its own, reads the clone's [0, 3) (it joins that READ at page 0:
 * its run of root pages ends at the clone's own page 1); thread 2, after 20 ticks, supplies page
 * 0 alone (both readers wake early, page 1 of the root still missing), waits 10 ticks, and
 * supplies pages 1 and 2. Thread 1 copies page 0 and its own page 1 and meets root page 2
 * absent: past its request's end, so it leaves that request and asks for page 2
 * (`VmoPages.read`'s re-wait test; a re-wait there would trip `PageSource.rewait`'s assertion
 * that the page lies inside the request).
 *
 * @example
 * ```ts
 * import { earlyWakeEndProgram } from "./probes32b.ts";
 * console.assert(earlyWakeEndProgram().threads.length === 3);
 * ```
 */
export function earlyWakeEndProgram(pageSize = 4096): Program {
  const ps = pageSize;
  const { e0, e1, threads } = probeThreads();
  const third = probeThreads();
  const e2 = (call: CallName, args: Arg[]): CallRef => [2, third.e0(call, args)[1]];
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 3 * ps]);
  const aux = e0("zx_vmo_create", [3 * ps, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: 3 * ps, fill: 0x3c }, 0]);
  const clone = e0("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    3 * ps,
  ]);
  e0("zx_vmo_op_range", [{ h: clone }, ZX_VMO_OP_ZERO, ps, ps]);
  e0("zx_vmo_read", [{ h: vmo }, 0, 2 * ps]);
  const own1 = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own1 }, { after: 10 }]);
  e1("zx_vmo_read", [{ h: clone }, 0, 3 * ps]);
  const own2 = e2("zx_port_create", [0]);
  e2("zx_port_wait", [{ h: own2 }, { after: 20 }]);
  e2("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, ps, { h: aux }, 0]);
  e2("zx_port_wait", [{ h: own2 }, { after: 10 }]);
  e2("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, ps, 2 * ps, { h: aux }, ps]);
  return { pageSize, overtimeTicks: 0, threads: [...threads, third.threads[0]] };
}
