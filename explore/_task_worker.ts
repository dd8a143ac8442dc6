/**
 * An exploration worker (a `node:worker_threads` worker of the campaign
 * pool): claims task indices from the shared control block one at a time,
 * waits until it holds the state caches of the tasks the claimed one sees
 * (its own, and the other workers' as the main thread passes them on),
 * explores the task's subtree and posts its result with its own visits.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { type CacheMessage, runTask, type TaskMessage, type TaskStart } from "./parallel.ts";
import { StateCache } from "./explore.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import { CONTROL } from "../fuzz/engine.ts";
import type { PagerService } from "../services/service.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as TaskStart;
  const port = parentPort;
  const store = new StateCache();
  // Tasks whose visits this worker's cache holds.
  const held = new Set<number>();
  let wake: (() => void) | null = null;
  port.on("message", (m: CacheMessage) => {
    if (m.type !== "cache") return;
    store.import(m.delta);
    held.add(m.delta.task);
    wake?.();
  });
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    const control = new Int32Array(s.control);
    for (;;) {
      const i = Atomics.add(control, CONTROL.next, 1);
      if (i >= s.tasks.length) break;
      // Every task this one sees is claimed before it, so it finishes without waiting on this one.
      for (let j = 0; j <= i - s.lag; j++) {
        while (!held.has(j)) await new Promise<void>((resolve) => wake = resolve);
      }
      const result = runTask(
        s.scenario,
        s.bound,
        s.tasks[i],
        i,
        {
          stateHash: s.stateHash,
          reduction: s.reduction,
          privateSteps: s.privateSteps,
          ...(s.checkers !== undefined ? { checkers: s.checkers } : {}),
          services,
          makeKernel,
        },
        (progress) =>
          port.postMessage({ type: "progress", worker: s.worker, progress } satisfies TaskMessage),
        { store, lag: s.lag, share: true },
      );
      held.add(i);
      port.postMessage({ type: "task", worker: s.worker, result } satisfies TaskMessage);
    }
  } catch (err) {
    port.postMessage({ type: "error", worker: s.worker, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: s.worker });
}
