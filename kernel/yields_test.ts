/**
 * The drivers tests use to step a syscall (yields.ts): `runSync` refuses a call that parks,
 * `untilBlocked` tells parked from returned.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { ZX_EVENT_SIGNALED, ZX_OK, ZX_TIME_INFINITE } from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { runSync, untilBlocked } from "./yields.ts";

Deno.test("runSync throws, naming the block, for a call that parks instead of returning", () => {
  const k = new Kernel({ pageSize: 64 });
  const [t] = k.createThread("main", 1);
  const [st, ev] = runSync(k.zx_event_create(t, 0));
  assert.equal(st, ZX_OK);
  assert.throws(
    () => runSync(k.zx_object_wait_one(t, ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE)),
    /call blocked \(block\)/,
  );
  assert.equal(
    untilBlocked(k.zx_object_wait_one(t, ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE)),
    true,
  );
  assert.equal(untilBlocked(k.zx_object_wait_one(t, ev, ZX_EVENT_SIGNALED, 0)), false);
});
