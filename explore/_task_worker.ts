/**
 * An exploration worker (a `node:worker_threads` worker of the campaign
 * pool): takes the main thread's commands in order — import another worker's
 * task's state cache visits, run a task, end — so it holds every cache a task
 * may see before it runs it, explores the task's subtree (to its budget) and
 * posts its result with its own visits.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import {
  runTask,
  type TaskMessage,
  type TaskStart,
  withReplay,
  type WorkerCommand,
} from "./parallel.ts";
import { NondeterministicReplay, splitTasks, StateCache } from "./explore.ts";
import { workerGuard } from "./guard.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import type { PagerService } from "../services/service.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as TaskStart;
  const port = parentPort;
  const store = new StateCache();
  const guard = workerGuard(s.guard, s.worker);
  const queue: WorkerCommand[] = [];
  let wake: (() => void) | null = null;
  port.on("message", (m: WorkerCommand) => {
    queue.push(m);
    wake?.();
    wake = null;
  });
  try {
    const services: Record<string, PagerService> = {};
    if (s.servicePath !== null) services.user = await loadServiceModule(s.servicePath);
    const makeKernel = s.kernelPath !== null ? await loadKernelModule(s.kernelPath) : undefined;
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => wake = resolve);
      const m = queue.shift() as WorkerCommand;
      if (m.type === "end") break;
      if (m.type === "cache") {
        store.import(m.delta);
        continue;
      }
      guard.busy(true);
      if (m.type === "split") {
        const prefixes = splitTasks(
          s.scenario,
          {
            services,
            makeKernel,
            privateSteps: s.privateSteps,
            hooks: guard.hooks,
          },
          s.bound,
          m.depth,
        );
        guard.busy(false);
        port.postMessage({ type: "split", worker: s.worker, prefixes } satisfies TaskMessage);
        continue;
      }
      const result = runTask(
        s.scenario,
        s.bound,
        m.task,
        m.index,
        {
          stateHash: s.stateHash,
          reduction: s.reduction,
          privateSteps: s.privateSteps,
          ...(s.budget !== Infinity ? { budget: s.budget } : {}),
          ...(s.checkers !== undefined ? { checkers: s.checkers } : {}),
          services,
          makeKernel,
          hooks: guard.hooks,
        },
        (progress) =>
          port.postMessage({ type: "progress", worker: s.worker, progress } satisfies TaskMessage),
        { store, lag: s.lag, share: true },
      );
      const cx = result.counterexample;
      const found = cx === null ? result : {
        ...result,
        counterexample: withReplay(s.scenario, cx, s.checkers, services, makeKernel, guard.hooks),
      };
      guard.busy(false);
      port.postMessage({ type: "task", worker: s.worker, result: found } satisfies TaskMessage);
    }
  } catch (err) {
    guard.busy(false);
    if (err instanceof NondeterministicReplay) {
      port.postMessage(
        { type: "nondeterministic", worker: s.worker, detail: err.detail } satisfies TaskMessage,
      );
    } else port.postMessage({ type: "error", worker: s.worker, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: s.worker });
}
