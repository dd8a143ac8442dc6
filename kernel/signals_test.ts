/**
 * User signals on VMOs, as `SoloDispatcher::user_signal_self` gives them to
 * every waitable solo object (zircon/kernel/object/include/object/dispatcher.h
 * @ vsrinivas/fuchsia 005edc33: "Generic objects can set all USER_SIGNALs.
 * Particular object types (events and eventpairs) may be able to set more"),
 * and `VmObjectDispatcher` is one with no extra signals; vmo-signal.cc
 * SignalSanity (zircon/system/utest/core/vmo/vmo-signal.cc @ vsrinivas/fuchsia
 * 10ed73c7). The error rows are in kernel_errors_test.ts.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "./constants.ts";
import type { SignalPacket } from "./events.ts";
import { Kernel } from "./kernel.ts";
import { Vmo } from "./objects.ts";
import { runSync } from "./yields.ts";
import { Names, stateFingerprint, ThreadHistories } from "../explore/state_hash.ts";
import { fairStrategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { describeVerdict, World } from "../sim/world.ts";

const USER_1 = ZX_USER_SIGNAL_0 << 1;

function world(): World {
  return new World({ pageSize: 64, strategy: fairStrategy() });
}

Deno.test("VMO user signals: a parked wait_one wakes when another thread sets one; clear_mask clears before set_mask sets", () => {
  const w = world();
  let vmo = 0;
  const got: number[] = [];
  w.spawn("waiter", "workload", function* (sys: Sys): ThreadBody {
    [, vmo] = yield* sys.vmoCreate(64, 0);
    const [st, observed] = yield* sys.objectWaitOne(vmo, USER_1, ZX_TIME_INFINITE);
    got.push(st, observed);
  });
  w.spawn("signaller", "workload", function* (sys: Sys): ThreadBody {
    yield* sys.portCreate(0);
    assert.equal(yield* sys.objectSignal(vmo, 0, ZX_USER_SIGNAL_0), ZX_OK);
    // Clear USER_0 and set USER_1 in one call ("signals_ &= ~clear_mask; signals_ |= set_mask").
    assert.equal(yield* sys.objectSignal(vmo, ZX_USER_SIGNAL_0, USER_1), ZX_OK);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [ZX_OK, (USER_1 | ZX_VMO_ZERO_CHILDREN) >>> 0]);
});

Deno.test("VMO user signals: an async wait fires with them, and ZERO_CHILDREN keeps following the children", () => {
  const w = world();
  let packet: SignalPacket | null = null;
  const observed: number[] = [];
  w.spawn("t", "workload", function* (sys: Sys): ThreadBody {
    const [, port] = yield* sys.portCreate(0);
    // A pager VMO: the model makes no children of anonymous VMOs.
    const [, pager] = yield* sys.pagerCreate(0);
    const [, vmo] = yield* sys.pagerCreateVmo(pager, 0, port, 1, 128);
    assert.equal(yield* sys.objectWaitAsync(vmo, port, 9, ZX_USER_SIGNAL_0, 0), ZX_OK);
    assert.equal(yield* sys.objectSignal(vmo, 0, ZX_USER_SIGNAL_0), ZX_OK);
    const [st, p] = yield* sys.portWait(port, 0);
    assert.equal(st, ZX_OK);
    packet = p as SignalPacket;
    const [cs, child] = yield* sys.vmoCreateChild(
      vmo,
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      0,
      64,
    );
    assert.equal(cs, ZX_OK);
    observed.push((yield* sys.objectWaitOne(vmo, ZX_USER_SIGNAL_0, 0))[1]);
    yield* sys.handleClose(child);
    observed.push((yield* sys.objectWaitOne(vmo, ZX_USER_SIGNAL_0, 0))[1]);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  const pk = packet as SignalPacket | null;
  assert.ok(pk !== null);
  assert.equal(pk.type, ZX_PKT_TYPE_SIGNAL_ONE);
  assert.equal(pk.key, 9);
  assert.equal(pk.signal.observed, (ZX_USER_SIGNAL_0 | ZX_VMO_ZERO_CHILDREN) >>> 0);
  assert.deepEqual(observed, [ZX_USER_SIGNAL_0, (ZX_USER_SIGNAL_0 | ZX_VMO_ZERO_CHILDREN) >>> 0]);
});

Deno.test("state hash: a VMO's user signals are kernel state", () => {
  const w = world();
  let vmo = 0;
  w.spawn("t", "workload", function* (sys: Sys): ThreadBody {
    [, vmo] = yield* sys.vmoCreate(64, 0);
  });
  w.run();
  const print = () => stateFingerprint(w, new ThreadHistories(), new Names());
  const before = print();
  const v = w.kernel.handles.entry(vmo)?.object;
  assert.ok(v instanceof Vmo);
  v.userSignals = ZX_USER_SIGNAL_0;
  assert.notEqual(print(), before);
});

Deno.test("closing the handle an async wait was made through cancels it: no packet later", () => {
  // PortObserver::OnCancel (zircon/kernel/object/port_dispatcher.cc): the observer of the
  // closed handle is reaped without queueing a packet; waits made through other handles stay.
  const k = new Kernel({ pageSize: 64 });
  const [t] = k.createThread("main", 1);
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, ev] = runSync(k.zx_event_create(t, 0));
  const [, dup] = runSync(k.zx_handle_duplicate(t, ev, ZX_RIGHT_SAME_RIGHTS));
  assert.equal(runSync(k.zx_object_wait_async(t, dup, port, 1, ZX_USER_SIGNAL_0, 0)), ZX_OK);
  assert.equal(runSync(k.zx_object_wait_async(t, ev, port, 2, ZX_USER_SIGNAL_0, 0)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, dup)), ZX_OK);
  assert.equal(runSync(k.zx_object_signal(t, ev, 0, ZX_USER_SIGNAL_0)), ZX_OK);
  const keys: number[] = [];
  for (let [st, p] = runSync(k.zx_port_wait(t, port, 0)); st === ZX_OK;) {
    keys.push((p as SignalPacket).key);
    [st, p] = runSync(k.zx_port_wait(t, port, 0));
  }
  assert.deepEqual(keys, [2]);
});
