/**
 * The worker of a schedule-limited exploration (`exploreInWorker`): one search
 * in search order, so the main thread stays free to answer SIGINT/SIGTERM.
 * Posts its progress and its result.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { explore } from "./explore.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import type { PagerService } from "../services/service.ts";
import type { SearchMessage, SearchStart } from "./parallel.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as SearchStart;
  const port = parentPort;
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    const monitors = scenarioCheckers(s.checkers);
    const result = explore(s.scenario, {
      ...s.options,
      services,
      makeKernel,
      monitors,
      onProgress: (progress) =>
        port.postMessage({ type: "progress", progress } satisfies SearchMessage),
    });
    port.postMessage({ type: "result", result } satisfies SearchMessage);
  } catch (err) {
    port.postMessage({ type: "error", worker: 0, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: 0 });
}
