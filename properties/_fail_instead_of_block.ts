/**
 * `fail-instead-of-block` (spec "Model decisions"): a thread made in the fail-instead-of-block
 * mode never parks on a page request inside a VMO syscall's own access to its VMO. The original
 * pager documentation said VMO syscalls fail rather than block on a pager unless the caller opted
 * in (the real kernel never shipped that, and pagersim offers it as a per-thread mode): such a
 * call sends its request and returns `ZX_ERR_SHOULD_WAIT` instead of waiting for the supply.
 *
 * Left to block, by the same decision: a load or store through a mapping (`mem_read` /
 * `mem_write`: a user page fault, not a syscall) and a syscall's copy to or from a user buffer
 * (a fault the kernel takes on the user's mapping, which holds a suspend off: its waiter is not
 * suspendable). Waits on anything else (ports, futexes, signals) are no pager waits.
 *
 * Judged from the `block` event of the thread and the call it is in; the thread's mode and
 * whether its wait is a pager wait (and which kind) are read from the thread, as the world made
 * it, not from any outcome the kernel computes.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import type { World } from "../sim/world.ts";
import type { Call } from "./_step_monitor.ts";

/** The user-mode accesses a fail-instead-of-block thread still blocks in. */
const USER_ACCESSES: ReadonlySet<string> = new Set(["mem_read", "mem_write"]);

/**
 * The problem with `e`, a `block` event, if it parks a fail-instead-of-block thread on a page
 * request inside a syscall's own access to a VMO; null otherwise.
 */
export function blockedInsteadOfFailing(
  e: Extract<KernelEvent, { k: "block" }>,
  call: Call | undefined,
  world: World,
): string | null {
  const k = world.threads[e.tid - 1]?.k;
  if (k === undefined || !k.failInsteadOfBlock) return null;
  const w = k.waiter;
  if (w === null || !w.suspendable) return null;
  if (call === undefined || USER_ACCESSES.has(call.name)) return null;
  return `t${e.tid} runs in the fail-instead-of-block mode but parked in ${call.name} on ${e.on}` +
    " (it should have returned ZX_ERR_SHOULD_WAIT: spec, model decisions)";
}
