/**
 * Conformance cases tagged `read-fault`: a faulting access raises a READ
 * request and completes once the pager supplies (rows P1, P7, P18, P20, K1-K4,
 * and the upstream-skipped PX5 and PX6, which keep their conformance/level2.ts ids).
 *
 * @module
 */

import {
  type Status,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_OP_COMMIT,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys } from "../sim/sys.ts";
import {
  check,
  type ConformanceCase,
  expectStatus,
  isBlockedOnPager,
  PAGE,
  pagerCase,
  type PagerTest,
  pattern,
  type TestVmo,
  vmoVmarCases,
  type Worker,
} from "./harness.ts";

const AREA = "read-fault";

/** The `read-fault` cases. */
export const READ_FAULT_CASES: readonly ConformanceCase[] = [
  // One reader, one READ [0,1), one supply.
  ...vmoVmarCases("P1", "SinglePageTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(1);
    const r = t.reader(vmo, 0, 1, access);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(r, vmo, 0, 1);
    yield* t.expectNoPacket();
  }),

  // Two readers of different pages: two READs; one supply of both wakes both.
  ...vmoVmarCases("P7", "ConcurrentMultipageAccessTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(2);
    const r0 = t.reader(vmo, 0, 1, access);
    const r1 = t.reader(vmo, 1, 1, access);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 0, 2);
    yield* t.expectRead(r0, vmo, 0, 1);
    yield* t.expectRead(r1, vmo, 1, 1);
    yield* t.expectNoPacket();
  }),

  // MAP_RANGE neither blocks nor requests; reading both pages then requests page 1 only.
  pagerCase("P18", "VmarMapRangeTest", AREA, function* (t) {
    const vmo = yield* t.vmo(2);
    yield* t.supplyOk(vmo, 0, 1);
    let addr = 0;
    const mapper = t.spawn("map-range", function* (sys, w) {
      const [st, a] = yield* sys.vmarMap(
        sys.rootVmar,
        ZX_VM_PERM_READ | ZX_VM_MAP_RANGE,
        0,
        vmo.handle,
        0,
        2 * PAGE,
      );
      w.status = st;
      addr = a;
    });
    yield* t.expectOk(mapper);
    yield* t.expectNoRead(vmo);
    const reader = t.spawn("read-both", function* (sys, w) {
      w.data = yield* sys.memRead(addr, 2 * PAGE);
      w.status = ZX_OK;
    });
    yield* t.waitForPageRead(vmo, 1, 1);
    yield* t.supplyOk(vmo, 1, 1);
    yield* t.expectReadData(reader, pattern(vmo, 0, 2));
    yield* t.expectNoRead(vmo);
    expectStatus(yield* t.sys.vmarUnmap(t.sys.rootVmar, addr, 2 * PAGE), ZX_OK, "unmap");
  }),

  // Suspending a blocked reader cancels its request; on resume it re-requests the same page.
  ...vmoVmarCases("P20", "SuspendReadTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(1);
    const r = t.reader(vmo, 0, 1, access);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.waitUntilBlocked(r);
    const [st, token] = yield* t.sys.taskSuspend(r.thread.handle);
    expectStatus(st, ZX_OK, "zx_task_suspend");
    expectStatus(yield* t.sys.handleClose(token), ZX_OK, "closing the suspend token (resume)");
    yield* t.waitUntilBlocked(r);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(r, vmo, 0, 1);
    yield* t.expectNoPacket();
  }),

  // Killing a thread blocked in vmo_read ends it without any supply.
  pagerCase("K1", "KillBlockedUserVmoRead", AREA, function* (t) {
    const vmo = yield* t.vmo(1);
    const r = t.reader(vmo, 0, 1, "vmo");
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.waitUntilBlocked(r);
    expectStatus(yield* t.sys.taskKill(r.thread.handle), ZX_OK, "zx_task_kill");
    yield* t.waitForExit(r);
    check(
      r.thread.end.kind === "killed" && r.status === null,
      () => `killed reader ended ${r.thread.end.kind} with status ${r.status}`,
    );
    yield* t.expectNoPacket();
  }),

  // A syscall whose result is copied out to a mapped, unsupplied pager page parks in the kernel
  // (a usercopy fault) and a kill ends it (KillBlockedUsercopy, vsrinivas/fuchsia
  // zircon/system/utest/core/pager/pager_process.cc: zx_object_get_info into the mapping).
  pagerCase("K3", "KillBlockedUsercopy", AREA, function* (t) {
    yield* killBlockedUsercopy(
      t,
      (sys, vmo, target) => sys.objectGetInfo(target, ZX_INFO_VMO, vmo.addr),
    );
  }),
  // As K3 with the copy in the other direction: zx_vmo_write's source is the mapped page.
  pagerCase("K4", "KillBlockedUsercopyCaptureFaults", AREA, function* (t) {
    yield* killBlockedUsercopy(
      t,
      (sys, vmo, target) => sys.vmoWrite(target, new Uint8Array(PAGE), 0, vmo.addr),
    );
  }),

  // A suspend of a thread parked on a kernel usercopy's fault takes no effect while the page is
  // unsupplied (the wait is not interrupted, no second READ); once supplied, the syscall returns
  // ZX_OK and the thread suspends on its way out. SuspendInKernelTest,
  // zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia b394d1c8: zx_object_get_info
  // copies its record out into the mapped, unsupplied page ("the variant of usercopy that
  // resolves page faults inline").
  pagerCase("PX5", "SuspendInKernelTest", AREA, function* (t) {
    yield* suspendInKernel(t, function* (sys, buf, target) {
      const [st] = yield* sys.objectGetInfo(target, ZX_INFO_VMO, buf);
      return st;
    });
  }),
  // As PX5 with the copy in the other direction: zx_vmo_write reads its bytes from the mapped
  // page, "the capture faults variant of usercopy" resolved with an explicit soft fault
  // (SuspendInKernelCaptureFaultsTest, same file and revision).
  pagerCase("PX6", "SuspendInKernelCaptureFaultsTest", AREA, function* (t) {
    yield* suspendInKernel(
      t,
      (sys, buf, target) => sys.vmoWrite(target, new Uint8Array(PAGE), 0, buf),
    );
  }),
];

/**
 * Virtual ticks standing in for upstream's one-second sleeps ("allow some time for the suspend
 * to go through"): main sleeps, every other thread may run, and the check is exact afterwards.
 */
const SUSPEND_SLEEP = 1000;

/** Suspends `w`'s thread; the suspend token. */
function* suspend(t: PagerTest, w: Worker): Syscall<number> {
  const [st, token] = yield* t.sys.taskSuspend(w.thread.handle);
  expectStatus(st, ZX_OK, "zx_task_suspend");
  return token;
}

/** After a sleep, `w` is still parked on its page fault and its suspend has not taken effect. */
function* expectHeld(t: PagerTest, w: Worker, when: string): Syscall<void> {
  yield* t.sleep(SUSPEND_SLEEP);
  const th = w.thread;
  check(isBlockedOnPager(th), () => `${when}: t${th.tid} is not blocked on the pager`);
  check(!th.k.suspended, () => `${when}: t${th.tid} suspended inside its syscall`);
  check(w.status === null, () => `${when}: t${th.tid}'s syscall returned ${w.status}`);
  // The wait went on: its request was neither cancelled nor sent again.
  yield* t.expectNoPacket();
}

/**
 * PX5/PX6 (`SuspendInKernelTest`, `SuspendInKernelCaptureFaultsTest`): a worker commits an
 * anonymous VMO, maps a 1-page pager VMO and makes a syscall whose user buffer is that mapping;
 * it parks on the page's READ. Suspend, resume and suspend again leave it parked; after the
 * supply the syscall returns ZX_OK before the thread suspends (at its next syscall, upstream's
 * deferred unmap); resumed, it ends; no READ or DIRTY request follows.
 */
function* suspendInKernel(
  t: PagerTest,
  call: (sys: Sys, buf: number, target: number) => Syscall<Status>,
): Syscall<void> {
  const vmo = yield* t.vmo(1);
  const w = t.spawn("usercopy", function* (sys, w) {
    const [cs, anon] = yield* sys.vmoCreate(PAGE, 0);
    expectStatus(cs, ZX_OK, "zx_vmo_create of the anonymous VMO");
    expectStatus(yield* sys.vmoOpRange(anon, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK, "commit it");
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    const [ms, buf] = yield* sys.vmarMap(sys.rootVmar, perms, 0, vmo.handle, 0, PAGE);
    expectStatus(ms, ZX_OK, "zx_vmar_map of the pager VMO");
    w.status = yield* call(sys, buf, anon);
    expectStatus(yield* sys.vmarUnmap(sys.rootVmar, buf, PAGE), ZX_OK, "zx_vmar_unmap");
  });
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.waitUntilBlocked(w);
  const first = yield* suspend(t, w);
  yield* expectHeld(t, w, "after the suspend");
  expectStatus(yield* t.sys.handleClose(first), ZX_OK, "closing the suspend token (resume)");
  yield* expectHeld(t, w, "after the resume");
  const second = yield* suspend(t, w);
  yield* expectHeld(t, w, "after the second suspend");
  // Not trap-dirty: the copy-out's write after the supply needs no DIRTY request.
  yield* t.supplyOk(vmo, 0, 1);
  yield* t.waitUntilSuspended(w);
  expectStatus(w.status, ZX_OK, "the syscall, returned before the thread suspended");
  expectStatus(yield* t.sys.handleClose(second), ZX_OK, "closing the second token (resume)");
  yield* t.expectOk(w);
  yield* t.expectNoPacket();
}

/** The upstream-skipped rows above that conformance/level2.ts no longer lists as skipped. */
export const USERCOPY_SUSPEND_ROWS_RUN: ReadonlySet<string> = new Set([
  "SuspendInKernelTest",
  "SuspendInKernelCaptureFaultsTest",
]);

/** K3/K4: a worker's syscall copies to or from page 0 of a mapped pager VMO; kill it there. */
function* killBlockedUsercopy(
  t: PagerTest,
  call: (sys: Sys, vmo: TestVmo, target: number) => Syscall<unknown>,
): Syscall<void> {
  const vmo = yield* t.vmo(1);
  const [st, target] = yield* t.sys.vmoCreate(PAGE, 0);
  expectStatus(st, ZX_OK, "zx_vmo_create of the target");
  const w = t.spawn("usercopy", function* (sys, w) {
    yield* call(sys, vmo, target);
    w.status = ZX_OK;
  });
  yield* t.waitForPageRead(vmo, 0, 1);
  yield* t.waitUntilBlocked(w);
  expectStatus(yield* t.sys.taskKill(w.thread.handle), ZX_OK, "zx_task_kill");
  yield* t.waitForExit(w);
  check(
    w.thread.end.kind === "killed" && w.status === null,
    () => `killed worker ended ${w.thread.end.kind} with status ${w.status}`,
  );
}
