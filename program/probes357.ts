/**
 * The campaign judge's probes written for three open keys of shard 7 of 8 on 237c931
 * (docs/mutation.md, "Blind spots of shard 7 of 8 on 237c931", helper triage357). Programs of
 * fixed calls, no draws, whose every outcome the program's checkers predict unmutated.
 *
 * @module
 */

import { ZX_BTI_PERM_READ, ZX_PAGER_OP_DIRTY, ZX_VMO_TRAP_DIRTY } from "../kernel/constants.ts";
import { probeThread, probeThreads } from "./generate.ts";
import type { Program } from "./program.ts";

/**
 * The campaign judge's `program:empty-dirty-end` probe, one thread: a fixed-size two-page
 * TRAP_DIRTY pager VMO given `ZX_PAGER_OP_DIRTY` of an empty range at its end (ZX_OK), in its
 * middle (ZX_OK) and a page past its end (OUT_OF_RANGE), then detached and given the empty range
 * at its end again (BAD_STATE). DirtyPages' range check is `offset > size`, so an empty range at
 * the end is in range, and with no page in it nothing can be NOT_FOUND: the contract's
 * `zx_pager_op_range` predicts each status (program/contract.ts). Random programs send an empty
 * OP_DIRTY at exactly a VMO's end seldom, and the contract predicted nothing for an empty range
 * on an attached VMO before.
 *
 * @example
 * ```ts
 * import { emptyDirtyEndProgram } from "./probes357.ts";
 * console.assert(emptyDirtyEndProgram().threads[0].calls.length === 8);
 * ```
 */
export function emptyDirtyEndProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const size = 2 * pageSize;
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, ZX_VMO_TRAP_DIRTY, { h: port }, 0, size]);
  const dirty = (offset: number) =>
    emit("zx_pager_op_range", [{ h: pager }, ZX_PAGER_OP_DIRTY, { h: vmo }, offset, 0, 0]);
  dirty(size);
  dirty(pageSize);
  dirty(size + pageSize);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: vmo }]);
  dirty(size);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:detach-then-close` probe, one thread: two pager VMOs on one port
 * (keys 1 and 2), the second detached and its COMPLETE taken from the port, then the first
 * detached and the pager closed before its COMPLETE is taken, and a port wait with a deadline:
 * the pager's close withdrew the queued COMPLETE ("If *pager* is closed, then no more packets
 * will be delivered to *port* (including no ZX_PAGER_VMO_COMPLETE message)", pager_create_vmo.md;
 * `PagerProxy::OnDispatcherClose` cancels it), so the wait times out. `CompleteModel`
 * (program/complete_model.ts) follows the detaches: a COMPLETE owed from each, the first taken,
 * the second withdrawn. Random programs detach a VMO and close its pager before reading the port
 * seldom, and the model judged no detached VMO before.
 *
 * @example
 * ```ts
 * import { detachThenCloseProgram } from "./probes357.ts";
 * console.assert(detachThenCloseProgram().threads[0].calls.length === 9);
 * ```
 */
export function detachThenCloseProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const first = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, pageSize]);
  const second = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, pageSize]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: second }]);
  emit("zx_port_wait", [{ h: port }, { after: 10 }]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: first }]);
  emit("zx_handle_close", [{ h: pager }]);
  emit("zx_port_wait", [{ h: port }, { after: 10 }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:bti-closed-while-pinning` probe, two threads: thread 0 makes a
 * one-page pager VMO and a BTI and pins the page, which parks on its READ; thread 1, five ticks
 * on, closes the BTI's one handle and then supplies the page. The pin pins the page only after
 * the close returned, so it finds its BTI at zero handles and is ZX_ERR_BAD_STATE
 * (`BusTransactionInitiatorDispatcher::Pin`): the contract's `BtiClosePin`
 * (program/bti_close_pin.ts) judges a ZX_OK. Random programs close a BTI while a pin through it
 * waits for a supply seldom, and no rule judged it before.
 *
 * @example
 * ```ts
 * import { btiClosedWhilePinningProgram } from "./probes357.ts";
 * console.assert(btiClosedWhilePinningProgram().threads.length === 2);
 * ```
 */
export function btiClosedWhilePinningProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const aux = e0("zx_vmo_create", [pageSize, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x6b }, 0]);
  const bti = e0("zx_bti_create", [0, 0]);
  e0("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 5 }]);
  e1("zx_handle_close", [{ h: bti }]);
  e1("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, pageSize, { h: aux }, 0]);
  return { pageSize, overtimeTicks: 0, threads };
}
