import { strict as assert } from "node:assert";
import { ZX_DEFAULT_EVENT_RIGHTS, ZX_EVENT_SIGNALED, ZX_OK } from "../kernel/constants.ts";
import { Kernel } from "../kernel/kernel.ts";
import { methodName, SYSCALL_NAMES } from "../kernel/syscalls.ts";
import type { Syscall } from "../kernel/kernel.ts";
import { Sys } from "./sys.ts";

function run<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
  }
}

Deno.test("every call of the syscall table is a Sys method bound to the calling thread", () => {
  const kernel = new Kernel({ pageSize: 64 });
  const [thread] = kernel.createThread("main", 1);
  const sys = new Sys(kernel, thread, () => 0);
  const methods = sys as unknown as Record<string, unknown>;
  for (const name of SYSCALL_NAMES) {
    assert.equal(typeof methods[methodName(name)], "function", `Sys.${methodName(name)}`);
  }
  // A call added to the table is there without a line in sim/sys.ts.
  const [st, event] = run(sys.eventCreate(0));
  assert.equal(st, ZX_OK);
  assert.equal(kernel.handles.entry(event)?.rights, ZX_DEFAULT_EVENT_RIGHTS);
  assert.equal(run(sys.objectSignal(event, 0, ZX_EVENT_SIGNALED)), ZX_OK);
});

Deno.test("sys.chance refuses a percent outside 0..100, or not a number, naming it (userS25), before any draw", () => {
  const kernel = new Kernel({ pageSize: 64 });
  const [thread] = kernel.createThread("main", 1);
  let draws = 0;
  const sys = new Sys(kernel, thread, () => {
    draws++;
    return 0;
  });
  for (const bad of [150, -5, NaN, 100.5]) {
    assert.throws(
      () => sys.chance(bad),
      new RangeError(`sys.chance(${bad}): percent must be a number from 0 to 100`),
    );
  }
  assert.equal(draws, 0);
  assert.equal(sys.chance(0), false);
  assert.equal(sys.chance(12.5), true);
  assert.equal(sys.chance(100), true);
});
