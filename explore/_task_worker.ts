/**
 * An exploration worker (a `node:worker_threads` worker of the campaign
 * pool): claims task indices from the shared control block one at a time,
 * explores each task's subtree and posts its result.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { runTask, type TaskMessage, type TaskStart } from "./parallel.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import { CONTROL } from "../fuzz/engine.ts";
import type { PagerService } from "../services/service.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as TaskStart;
  const port = parentPort;
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    const control = new Int32Array(s.control);
    for (;;) {
      const i = Atomics.add(control, CONTROL.next, 1);
      if (i >= s.tasks.length) break;
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
      );
      port.postMessage({ type: "task", worker: s.worker, result } satisfies TaskMessage);
    }
  } catch (err) {
    port.postMessage({ type: "error", worker: s.worker, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: s.worker });
}
