/**
 * The worker that shrinks an exploration's counterexample (`shrinkInWorker`, explore/shrink.ts):
 * the user's code runs here, under the watchdog, each candidate run one execution of it; the main
 * thread stays free for signals and prints the progress this worker posts.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { shrinkCounterexample } from "./shrink.ts";
import { workerGuard } from "./guard.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import type { RunContext } from "../case/kind.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import { wallMs } from "../fuzz/clock.ts";
import type { ShrinkMessage, ShrinkStart } from "./parallel.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const s = workerData as ShrinkStart;
  const port = parentPort;
  try {
    const guard = workerGuard(s.guard, 0);
    // New instances of the user's modules for each context (kfix27: module state outlives runs).
    const context = async (instance: string): Promise<RunContext> => {
      const services = s.servicePath !== null
        ? { user: await loadServiceModule(s.servicePath, instance) }
        : undefined;
      const makeKernel = s.kernelPath !== null
        ? await loadKernelModule(s.kernelPath, s.kernelPath, instance)
        : undefined;
      return {
        monitors: scenarioCheckers(s.checkers),
        ...(services !== undefined ? { services } : {}),
        ...(makeKernel !== undefined ? { makeKernel } : {}),
        watch: guard.hooks.watch,
      };
    };
    const fresh = s.servicePath !== null || s.kernelPath !== null;
    const ctx = await context("shrink");
    const started = wallMs();
    let runs = 0, shown = started;
    guard.busy(true);
    const result = await shrinkCounterexample(s.scenario, s.cx, {
      ctx,
      ...(fresh ? { fresh: () => context("shrunk") } : {}),
      maxAttempts: s.maxAttempts,
      abort: () => s.seconds > 0 && wallMs() - started > s.seconds * 1000,
      onRun: () => {
        guard.hooks.execution();
        runs++;
        const now = wallMs();
        if (now - shown >= 1000) {
          shown = now;
          port.postMessage({ type: "progress", runs } satisfies ShrinkMessage);
        }
      },
    });
    guard.busy(false);
    port.postMessage({ type: "result", result } satisfies ShrinkMessage);
  } catch (err) {
    port.postMessage({ type: "error", worker: 0, message: (err as Error).message });
  }
  port.postMessage({ type: "done", worker: 0 });
}
