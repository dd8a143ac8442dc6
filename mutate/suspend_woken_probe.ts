/**
 * The campaign judge's `probe:suspended-usercopy-woken` (docs/mutation.md, helper gap30): a
 * thread suspended while held in a kernel usercopy's page-fault wait, whose page then arrives,
 * runs on and finishes its syscall (`SuspendInKernelTest`, pager.cc @ misttech/fuchsia b394d1c8:
 * the suspend takes effect "on its way back to userspace"). A worker copies a `zx_object_get_info`
 * record out into a mapped, unsupplied pager page and parks on its READ; the main thread
 * suspends it, supplies the page and then sleeps 1,000 ticks before closing the suspend token.
 * Conformance PX5 closes its token in the tick of the supply, so a kernel that leaves the woken
 * thread suspended shows nothing there; here the clock jumps while the woken worker has not run
 * (wake-discipline's K11 run-on rule). Judged by the kernel checkers only (`runChecked`: the body states
 * no expectation).
 *
 * @module
 */

import {
  ZX_INFO_VMO,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_OP_COMMIT,
} from "../kernel/constants.ts";
import { PAGE, type TestBody } from "../conformance/harness.ts";

/** Virtual ticks the main thread sleeps after the supply, before it resumes the worker. */
const SLEEP = 1000;

/** The probe's body (run by `runChecked` under the kernel checkers). */
export const suspendedUsercopyWoken: TestBody = function* (t) {
  const vmo = yield* t.vmo(1);
  const w = t.spawn("usercopy", function* (sys, w) {
    const [, anon] = yield* sys.vmoCreate(PAGE, 0);
    yield* sys.vmoOpRange(anon, ZX_VMO_OP_COMMIT, 0, PAGE);
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    const [, buf] = yield* sys.vmarMap(sys.rootVmar, perms, 0, vmo.handle, 0, PAGE);
    const [st] = yield* sys.objectGetInfo(anon, ZX_INFO_VMO, buf);
    w.status = st;
    yield* sys.vmarUnmap(sys.rootVmar, buf, PAGE);
  });
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.waitUntilBlocked(w);
  const [, token] = yield* t.sys.taskSuspend(w.thread.handle);
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.sleep(SLEEP);
  yield* t.sys.handleClose(token);
  yield* t.expectOk(w);
};
