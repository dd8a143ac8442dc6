/**
 * An exploration worker (a Deno Worker): claims task indices from the shared
 * counter one at a time, explores each task's subtree and posts its result.
 *
 * @module
 */

import { runTask, type TaskMessage, type TaskStart } from "./parallel.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import type { PagerService } from "../services/service.ts";

declare const self: {
  onmessage: ((e: MessageEvent<TaskStart>) => void) | null;
  postMessage(m: unknown): void;
};

self.onmessage = async (e: MessageEvent<TaskStart>) => {
  const s = e.data;
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    const next = new Int32Array(s.next);
    for (;;) {
      const i = Atomics.add(next, 0, 1);
      if (i >= s.tasks.length) break;
      const result = runTask(s.scenario, s.bound, s.tasks[i], i, {
        stateHash: s.stateHash,
        reduction: s.reduction,
        privateSteps: s.privateSteps,
        services,
        makeKernel,
      });
      self.postMessage({ type: "task", worker: s.worker, result } satisfies TaskMessage);
    }
  } catch (err) {
    self.postMessage({ type: "error", worker: s.worker, message: (err as Error).message });
  }
  self.postMessage({ type: "done", worker: s.worker });
};
