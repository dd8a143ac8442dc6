/**
 * The worker of a schedule-limited exploration (`exploreInWorker`): one search
 * in search order, so the main thread stays free to answer SIGINT/SIGTERM.
 * Posts its progress and its result.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { explore, NondeterministicReplay } from "./explore.ts";
import { workerGuard } from "./guard.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import type { PagerService } from "../services/service.ts";
import { type SearchMessage, type SearchStart, withReplay } from "./parallel.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as SearchStart;
  const port = parentPort;
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    const monitors = scenarioCheckers(s.checkers);
    const guard = s.guard !== undefined ? workerGuard(s.guard, 0) : null;
    guard?.busy(true);
    const result = explore(s.scenario, {
      ...s.options,
      services,
      makeKernel,
      monitors,
      ...(guard !== null ? { hooks: guard.hooks } : {}),
      onProgress: (progress) =>
        port.postMessage({ type: "progress", progress } satisfies SearchMessage),
    });
    const cx = result.counterexample;
    const found = cx === null ? result : {
      ...result,
      counterexample: withReplay(s.scenario, cx, s.checkers, services, makeKernel, guard?.hooks),
    };
    guard?.busy(false);
    port.postMessage({ type: "result", result: found } satisfies SearchMessage);
  } catch (err) {
    if (err instanceof NondeterministicReplay) {
      port.postMessage(
        { type: "nondeterministic", worker: 0, detail: err.detail } satisfies SearchMessage,
      );
    } else port.postMessage({ type: "error", worker: 0, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: 0 });
}
