/**
 * A thread's stack as its author reads it ({@linkcode threadStack}): `sim` and `repro` print it
 * under a thread fault's verdict, and a property's failure report does too
 * (`properties/failure_report.ts`; session 35: a property's thread fault showed no service frame,
 * where `sim` printed `at blockOf (throws.ts:12:25)`).
 *
 * @module
 */

import { isPagersimPath } from "../sim/variant_crash.ts";

/** Frames of the scheduler that steps a thread: every thread's stack ends in them. */
const SCHEDULER = new URL("../sim/world.ts", import.meta.url).href;

/** pagersim's own tree, as a `file:` URL prefix. */
const OWN = new URL("../", import.meta.url).href;

/**
 * Whether a stack line is a frame of pagersim's own library: in this tree and pagersim's by
 * `isPagersimPath` (a user's folder of a clone, `blobfs/`, examples/ and testdata/ are users'
 * code, as the determinism lint reads them).
 */
function ownFrame(line: string): boolean {
  const at = line.indexOf(OWN);
  if (at < 0) return false;
  return isPagersimPath(line.slice(at + OWN.length).replace(/:\d+:\d+\)?\s*$/, ""));
}

/**
 * A thread's stack as its author reads it: the frames of the thread's own code (the service's, a
 * workload's, the kernel's under a syscall), cut where the scheduler that stepped it begins
 * (`sim/world.ts` and the harness under it), with one line saying so. When some of the frames
 * are the user's code, pagersim's own below the last of them go too (the contract wrapper a
 * service runs in, `scenario/service_contract.ts`, with the engine's `.next (<anonymous>)`):
 * userS26s saw one printed above "(pagersim's scheduler frames omitted)".
 *
 * @example
 * ```ts
 * import { threadStack } from "./thread_stack.ts";
 * const world = new URL("../sim/world.ts", import.meta.url).href;
 * const stack = `Error: boom\n    at serve (file:///me/fs.ts:8:3)\n    at World.#advance (${world}:651:17)`;
 * console.assert(threadStack(stack) === "Error: boom\n    at serve (file:///me/fs.ts:8:3)\n    (pagersim's scheduler frames omitted)");
 * const wrap = new URL("../scenario/service_contract.ts", import.meta.url).href;
 * const wrapped = `Error: boom\n    at serve (file:///me/fs.ts:8:3)\n    at serve.next (<anonymous>)\n` +
 *   `    at serve (${wrap}:443:19)\n    at World.#advance (${world}:651:17)`;
 * console.assert(threadStack(wrapped) === "Error: boom\n    at serve (file:///me/fs.ts:8:3)\n    (pagersim's frames below your code omitted)");
 * // V8 keeps 10 frames: a deep stack can end before the scheduler's, still below the user's.
 * const deep = wrapped.split("\n").slice(0, 4).join("\n");
 * console.assert(threadStack(deep) === threadStack(wrapped));
 * ```
 */
export function threadStack(stack: string): string {
  const lines = stack.split("\n");
  const cut = lines.findIndex((l) => /^\s+at /.test(l) && l.includes(`${SCHEDULER}:`));
  // A deep stack ends before the scheduler (V8 keeps 10 frames): its frames below the user's
  // code are still pagersim's (userS27t saw `at blobPager (.../service_contract.ts:443:19)`).
  const kept = cut < 0 ? lines : lines.slice(0, cut);
  const frame = (l: string) => /^\s+at /.test(l);
  const user = (l: string) => frame(l) && /\bfile:\/\//.test(l) && !ownFrame(l);
  let last = -1;
  for (let i = 0; i < kept.length; i++) if (user(kept[i])) last = i;
  if (cut < 0 && last < 0) return stack;
  if (last >= 0 && kept.slice(last + 1).some((l) => frame(l) && ownFrame(l))) {
    return [...kept.slice(0, last + 1), "    (pagersim's frames below your code omitted)"].join(
      "\n",
    );
  }
  return [...kept, "    (pagersim's scheduler frames omitted)"].join("\n");
}
