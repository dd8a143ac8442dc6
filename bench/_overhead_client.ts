/**
 * The main-thread side of `_overhead_worker.ts`, shared by the A/B reads that drive one worker per
 * checkout (`overhead_ab.ts`, `checked_ab.ts`).
 *
 * @example
 * ```ts ignore
 * import { ask, start } from "./_overhead_client.ts";
 * const w = await start(new URL("../", import.meta.url));
 * console.log((await ask(w, true)).ms);
 * w.terminate();
 * ```
 *
 * @module
 */

import type { BatchTime } from "./_overhead_worker.ts";

/** Asks `w` for one batch (checked or plain) and waits for its time. */
export function ask(w: Worker, checked: boolean): Promise<BatchTime> {
  return new Promise((resolve) => {
    w.onmessage = (m: MessageEvent<BatchTime>) => resolve(m.data);
    w.postMessage(checked);
  });
}

/** A worker serving the checkout at `root`, once it is ready. */
export function start(root: URL): Promise<Worker> {
  const w = new Worker(new URL(`_overhead_worker.ts#${root.href}`, import.meta.url), {
    type: "module",
  });
  return new Promise((resolve) => {
    w.onmessage = () => resolve(w);
  });
}
