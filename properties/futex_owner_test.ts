// The `futex-owner` rule's model (properties/_futex_owner.ts) on its own: the owners it predicts
// from a sequence of futex calls, as upstream's FutexContext and OwnedWaitQueue assign them
// (futex_context.cc @ gnoliyil/fuchsia 08c0dd7c, owned_wait_queue.cc @ vsrinivas/fuchsia
// 045447661c3e).
import { strict as assert } from "node:assert";
import { ZX_KOID_INVALID, ZX_OBJ_TYPE_THREAD } from "../kernel/constants.ts";
import type { HandleEntry } from "../kernel/handles.ts";
import { FutexOwnerModel } from "./_futex_owner.ts";

const [A, B] = [0x4000_0000, 0x4000_0004];
/** Thread tid `n` has koid `1000 + n` and handle `100 + n`. */
const resolve = (h: unknown) =>
  typeof h === "number" && h > 100
    ? {
      object: { objType: ZX_OBJ_TYPE_THREAD, tid: h - 100, koid: 1000 + h - 100 },
    } as unknown as HandleEntry
    : undefined;

Deno.test("futex-owner model: a parked wait names the owner, the next waiter's names it again, the last to leave clears it", () => {
  const m = new FutexOwnerModel();
  m.parked(1, A, m.ownerArg(109, resolve));
  assert.equal(m.ownerKoid(A), 1009);
  m.parked(2, A, m.ownerArg(0, resolve));
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID, "ZX_HANDLE_INVALID: no owner");
  m.timedOutUnparked(A, m.ownerArg(108, resolve));
  assert.equal(m.ownerKoid(A), 1008, "a wait past its deadline on a waited futex");
  m.timedOutUnparked(B, m.ownerArg(108, resolve));
  assert.equal(m.ownerKoid(B), ZX_KOID_INVALID, "not on a futex nobody waits on");
  m.left(1);
  assert.equal(m.ownerKoid(A), 1008, "one waiter left");
  m.left(2);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID, "the last waiter left");
  assert.deepEqual(m.takeTouched().sort(), [A]);
  assert.equal(m.anyTouched, false);
});

Deno.test("futex-owner model: a wake (of none too) clears the owner and takes the oldest waiters", () => {
  const m = new FutexOwnerModel();
  for (const t of [1, 2, 3]) m.parked(t, A, m.ownerArg(109, resolve));
  m.woke(A, 0);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
  m.timedOutUnparked(A, m.ownerArg(109, resolve));
  m.woke(A, 2);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
  m.timedOutUnparked(A, m.ownerArg(109, resolve));
  assert.equal(m.ownerKoid(A), 1009, "t3 still waits");
  m.left(1); // woken already: no change
  assert.equal(m.ownerKoid(A), 1009);
  m.left(3);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
});

Deno.test("futex-owner model: a requeue clears the wake futex and hands the requeue futex its owner while anyone waits there", () => {
  const m = new FutexOwnerModel();
  for (const t of [1, 2]) m.parked(t, A, m.ownerArg(109, resolve));
  m.requeued(A, 0, B, 1, m.ownerArg(108, resolve));
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
  assert.equal(m.ownerKoid(B), 1008);
  m.left(1); // t1 moved to B: B is empty now
  assert.equal(m.ownerKoid(B), ZX_KOID_INVALID);
  m.requeued(B, 0, A, 0, m.ownerArg(108, resolve));
  assert.equal(m.ownerKoid(A), 1008, "t2 waits on A: a requeue of none names its owner");
  m.requeued(A, 5, B, 5, m.ownerArg(108, resolve));
  assert.equal(m.ownerKoid(B), ZX_KOID_INVALID, "nobody moved: no owner on B");
});

Deno.test("futex-owner model: a dead owner owns nothing, a dead waiter leaves, a dead thread named is no owner", () => {
  const m = new FutexOwnerModel();
  m.parked(1, A, m.ownerArg(109, resolve));
  m.parked(2, A, m.ownerArg(109, resolve));
  m.died(9);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
  assert.equal(m.ownerArg(109, resolve), null);
  m.timedOutUnparked(A, m.ownerArg(108, resolve));
  m.died(1);
  assert.equal(m.ownerKoid(A), 1008, "t2 still waits");
  m.died(2);
  assert.equal(m.ownerKoid(A), ZX_KOID_INVALID);
});
