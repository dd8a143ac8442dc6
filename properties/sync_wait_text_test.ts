// `wait-text` for futex and wait_one waits (properties/_sync_wait_text.ts): the block event names
// the futex word and exactly the live owner the call named, or the waited object's type and
// koid. The rule's own cases on a stub world; the kernel mutants it kills on the judge's
// owner_signal scenario are in mutate/owner_signal_test.ts.
import { strict as assert } from "node:assert";
import { ZX_OBJ_TYPE_EVENT, ZX_OBJ_TYPE_THREAD, ZX_OBJ_TYPE_VMO } from "../kernel/constants.ts";
import { syncWaitTextProblem } from "./_sync_wait_text.ts";
import type { Call } from "./_step_monitor.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** A world whose handle table maps each handle to the given object. */
function world(objects: Record<number, unknown>): Any {
  return { kernel: { handles: { entry: (h: number) => objects[h] && { object: objects[h] } } } };
}
const block = (on: string) => ({ k: "block", tid: 2, on }) as const;
const call = (name: string, args: unknown[]): Call => ({ tid: 2, name, args, step: 5 });
const thread = (tid: number, alive: boolean) => ({ objType: ZX_OBJ_TYPE_THREAD, tid, alive });

Deno.test("wait-text: a futex wait names its word, any label, and exactly the live owner it named", () => {
  const w = world({ 7: thread(1, true), 8: thread(3, false) });
  const wait = (owner: number) => call("zx_futex_wait", [0x40000004, 0, owner, 100]);
  assert.equal(syncWaitTextProblem(block("futex 0x40000004 owned by t1"), wait(7), w), null);
  assert.equal(
    syncWaitTextProblem(block("futex 0x40000004 (mutex m) owned by t1"), wait(7), w),
    null,
  );
  assert.equal(syncWaitTextProblem(block("futex 0x40000004 (condvar c)"), wait(0), w), null);
  // A dead owner is none.
  assert.equal(syncWaitTextProblem(block("futex 0x40000004"), wait(8), w), null);
  assert.match(
    syncWaitTextProblem(block("futex 0x40000004"), wait(7), w) ?? "",
    /naming t1 its owner/,
  );
  assert.match(
    syncWaitTextProblem(block("futex 0x40000004 owned by t3"), wait(8), w) ?? "",
    /naming no live owner/,
  );
  assert.match(
    syncWaitTextProblem(block("futex 0x40000008 owned by t1"), wait(7), w) ?? "",
    /parked in zx_futex_wait on futex 0x40000004, but the trace says/,
  );
  // Another thread's call, or a call that is no futex or signal wait: not judged.
  assert.equal(syncWaitTextProblem(block("x"), { ...wait(7), tid: 3 }, w), null);
  assert.equal(syncWaitTextProblem(block("x"), call("zx_port_wait", [1]), w), null);
});

Deno.test("wait-text: a wait_one names its signals and its object's type and koid", () => {
  const w = world({
    4: { objType: ZX_OBJ_TYPE_VMO, koid: 1004 },
    5: { objType: ZX_OBJ_TYPE_EVENT, koid: 1009 },
  });
  const one = (h: number, signals: number) => call("zx_object_wait_one", [h, signals, 100]);
  assert.equal(
    syncWaitTextProblem(block("signals 0x1000000 of vmo 1004"), one(4, 1 << 24), w),
    null,
  );
  assert.equal(syncWaitTextProblem(block("signals 0x8 of event 1009"), one(5, 8), w), null);
  assert.equal(
    syncWaitTextProblem(block("signals 0x80000000 of vmo 1004"), one(4, 1 << 31), w),
    null,
  );
  assert.match(
    syncWaitTextProblem(block("signals 0x1000000 of  1004"), one(4, 1 << 24), w) ?? "",
    /for signals 0x1000000 of vmo 1004, but the trace says signals 0x1000000 of {2}1004/,
  );
  assert.match(
    syncWaitTextProblem(block("signals 0x8 of vmo 1009"), one(5, 8), w) ?? "",
    /of event 1009/,
  );
});
