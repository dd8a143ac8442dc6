/**
 * `wait-text` for the waits that are not a pager's: what the trace says a thread parked in
 * `zx_futex_wait` or `zx_object_wait_one` waits on. The `block` event is what a user reads to
 * learn where a thread is stuck (the trace, a hang report, the wait-for cycle), so:
 *
 * - a futex wait names its word (`futex 0x<value_ptr>`, then the word's label if it has one) and,
 *   exactly when the call named a live thread as the futex's new owner, that thread
 *   (`owned by t<tid>`): the wait makes `new_futex_owner` the futex's owner, and
 *   ZX_HANDLE_INVALID leaves it with none (futex_wait.md, docs/reference/syscalls @
 *   gnoliyil/fuchsia; `FutexContext::FutexWait`, zircon/kernel/object/futex_context.cc: the owner
 *   is assigned as the waiter joins the queue);
 * - a `zx_object_wait_one` names the signals it waits for and the object its handle names, by
 *   type and koid (`signals 0x<mask> of vmo <koid>`, `event <koid>`).
 *
 * Judged from the call's arguments and the handle table as the thread parks (the owner's thread
 * and liveness, the waited object's type and koid), not from any text the kernel keeps.
 *
 * @module
 */

import { ZX_OBJ_TYPE_EVENT, ZX_OBJ_TYPE_THREAD, ZX_OBJ_TYPE_VMO } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { KThread } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";

/** A futex wait's text: its word, an optional label, an optional owner. */
const FUTEX_FORM = /^futex 0x([0-9a-f]+)(?: \(.+\))?(?: owned by t(\d+))?$/;

/** The problem with the text of `e`, a `block` event of `call`, if it misdescribes the wait. */
export function syncWaitTextProblem(
  e: Extract<KernelEvent, { k: "block" }>,
  call: Call | undefined,
  world: World,
): string | null {
  if (call === undefined || call.tid !== e.tid) return null;
  if (call.name === "zx_futex_wait") return futexText(e, call, world);
  if (call.name === "zx_object_wait_one") return waitOneText(e, call, world);
  return null;
}

function futexText(
  e: Extract<KernelEvent, { k: "block" }>,
  call: Call,
  world: World,
): string | null {
  // (Plain reads, not a destructured array: an array iterator per futex wait.)
  const addr = call.args[0], owner = call.args[2];
  const m = FUTEX_FORM.exec(e.on);
  // The word in hex, made once (it was made twice at every futex wait); the messages on failure.
  const hex = (addr as number).toString(16);
  if (m === null || m[1] !== hex) {
    return `t${e.tid} parked in zx_futex_wait on futex 0x${hex}, but the trace says it waits on ${e.on}`;
  }
  const entry = owner === 0 ? undefined : world.kernel.handles.entry(owner);
  const o = entry?.object.objType === ZX_OBJ_TYPE_THREAD ? entry.object as KThread : undefined;
  const want = o !== undefined && o.alive ? o.tid : undefined;
  const said = m[2] === undefined ? undefined : Number(m[2]);
  if (said === want) return null;
  return want === undefined
    ? `t${e.tid} parked on futex 0x${hex} naming no live owner, but the trace says ${e.on}`
    : `t${e.tid} parked on futex 0x${hex} naming t${want} its owner, but the trace says ${e.on}`;
}

function waitOneText(
  e: Extract<KernelEvent, { k: "block" }>,
  call: Call,
  world: World,
): string | null {
  const handle = call.args[0], signals = call.args[1];
  const object = world.kernel.handles.entry(handle)?.object;
  if (object === undefined) return null;
  const type = object.objType === ZX_OBJ_TYPE_VMO
    ? "vmo"
    : object.objType === ZX_OBJ_TYPE_EVENT
    ? "event"
    : `object(type ${object.objType})`;
  const want = `signals 0x${((signals as number) >>> 0).toString(16)} of ${type} ${object.koid}`;
  return e.on === want
    ? null
    : `t${e.tid} parked in zx_object_wait_one for ${want}, but the trace says ${e.on}`;
}
