/**
 * `wait-text`: what the trace says a thread parked on a page request waits on. A `block` event
 * is what a user reads to learn where a thread is stuck (the trace, a hang report), so a pager
 * wait must name its VMO (the root whose page source holds the request: `vmo <koid>: `) and,
 * when that VMO's pager port has no handle left as the thread parks, say so (`port closed`): no
 * packet can reach the pager then (zx_handle_close.md: an object is destroyed with its last
 * handle; a port destroyed drops its packets, spec 1.3), so the wait ends only by a detach, the
 * pager's close or the thread's death, and the text is the one clue a reader of a hang has.
 * Conversely a wait whose port is alive must not claim it closed. The rest of the text is the
 * request in one form (its type, id, page range, a reader's wake page) or `nothing`.
 *
 * Judged from the `block` event and the objects the thread waits on as they are when it parks
 * (the port's handle count), not from any text the kernel keeps.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import type { World } from "../sim/world.ts";

/** The words the trace uses for a pager wait whose port is closed. */
const PORT_CLOSED = "port closed";

/**
 * The form of a pager wait's text after its VMO: the request (type, id, page range, and a
 * reader's wake page) or nothing, then the closed port's note. Sticky, matched from `lastIndex`
 * (the end of the `vmo KOID: ` prefix) to the end: the text is tested where it lies, not sliced
 * off into a new string at every pager wait.
 */
const FORM_FROM =
  /(nothing|(READ|DIRTY) request #\d+ pages \[\d+,\d+\)( at page \d+)?)( \(port closed: no packet will be delivered\))?$/y;
/**
 * Where the text after `vmo KOID: ` starts in `on`, or -1 if `on` does not start so: read in
 * place, digit by digit, where a `vmo ${koid}: ` string was made at every pager wait to test it.
 */
export function afterVmoPrefix(on: string, koid: number): number {
  if (!Number.isSafeInteger(koid) || koid < 0) {
    const prefix = `vmo ${koid}: `;
    return on.startsWith(prefix) ? prefix.length : -1;
  }
  if (!on.startsWith("vmo ")) return -1;
  let digits = 1;
  for (let v = koid; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = koid;
  for (let i = 4 + digits - 1; i >= 4; i--) {
    if (on.charCodeAt(i) !== 48 + v % 10) return -1;
    v = Math.floor(v / 10);
  }
  const end = 4 + digits;
  return on.charCodeAt(end) === 58 && on.charCodeAt(end + 1) === 32 ? end + 2 : -1;
}

/** The problem with the text of `e`, a `block` event, if it misdescribes a pager wait. */
export function pagerWaitTextProblem(
  e: Extract<KernelEvent, { k: "block" }>,
  world: World,
): string | null {
  const vmo = world.threads[e.tid - 1]?.k.waiterVmo;
  const proxy = vmo?.proxy;
  if (vmo == null || proxy == null) return null;
  const from = afterVmoPrefix(e.on, vmo.koid);
  if (from < 0) {
    return `t${e.tid} parked on a page request of vmo ${vmo.koid}, but the trace says it waits on ${e.on}`;
  }
  FORM_FROM.lastIndex = from;
  if (!FORM_FROM.test(e.on)) {
    return `t${e.tid} parked on a page request of vmo ${vmo.koid}, described in no known form: ${e.on}`;
  }
  const closed = proxy.port.handleCount === 0;
  if (closed === e.on.includes(PORT_CLOSED)) return null;
  return closed
    ? `t${e.tid} parked on vmo ${vmo.koid}, whose pager port has no handle left, but the trace says only ${e.on}`
    : `t${e.tid} parked on vmo ${vmo.koid}, whose pager port is open, but the trace says ${e.on}`;
}
