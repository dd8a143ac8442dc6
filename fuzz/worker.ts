/**
 * The campaign worker, for both kinds of input (a `node:worker_threads`
 * worker, so the pool can give it a heap limit): loads the user's service
 * and kernel modules, then takes run numbers from the shared counter until
 * the stop flag is set or the runs are done. Each failing run is signed from
 * its own verdict and checked against the shared signature table first; only
 * a run that wins a new signature is investigated (replayed, shrunk). It
 * keeps its slot of the control block current (which run, a heartbeat per
 * run started), so the watchdog can tell a run that never yields.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { wallMs } from "./clock.ts";
import {
  CONTROL,
  ProgramRunner,
  type Runner,
  RunRecord,
  ScenarioRunner,
  SignatureTable,
  type WorkerStart,
} from "./engine.ts";
import { loadKernelModule, loadServiceModule } from "./user_code.ts";
import { zooContext } from "../zoo/registry.ts";
import { MUTANTS } from "./programs/mutants.ts";
import type { InvestigatedFinding } from "./engine.ts";

/** What a worker reports. */
export type WorkerMessage =
  | {
    readonly type: "progress";
    readonly worker: number;
    /** Counts since the previous progress message (the main thread adds them up). */
    readonly runs: number;
    readonly steps: number;
    readonly failures: number;
    /** Failing runs per signature, known ones included. */
    readonly occurrences: Record<string, number>;
    readonly sometimes: Record<string, number>;
    /** Programs: state signatures this worker reached first since the last message. */
    readonly fresh: number[];
  }
  | {
    readonly type: "finding";
    readonly worker: number;
    readonly k: number;
    readonly signature: string;
    readonly found: InvestigatedFinding;
  }
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/** Runs one worker's share of a campaign, reporting through `post`. */
export function runWorker(
  start: WorkerStart,
  runner: Runner,
  post: (m: WorkerMessage) => void,
): void {
  const control = new Int32Array(start.control);
  const table = new SignatureTable(start.signatures);
  const record = new RunRecord(start.record);
  const slot = CONTROL.slot(start.worker);
  const stopped = () => Atomics.load(control, CONTROL.stop) !== 0;
  let runs = 0, steps = 0, failures = 0, lastPost = wallMs();
  let occurrences: Record<string, number> = {};
  const report = () => {
    const { sometimes, fresh } = runner.drain();
    post({
      type: "progress",
      worker: start.worker,
      runs,
      steps,
      failures,
      occurrences,
      sometimes,
      fresh,
    });
    runs = steps = failures = 0;
    occurrences = {};
  };
  for (;;) {
    if (stopped()) break;
    const j = Atomics.add(control, CONTROL.next, 1);
    if (start.runs !== null && j >= start.runs) break;
    const k = j * start.shard.count + start.shard.index;
    Atomics.store(control, slot, k + 1);
    Atomics.add(control, slot + 1, 1);
    const r = runner.run(k, record);
    runs++;
    steps += r.steps;
    if (r.signature !== null) {
      failures++;
      occurrences[r.signature] = (occurrences[r.signature] ?? 0) + 1;
      // Dedupe before shrinking: only the run that wins a new signature is investigated.
      if (table.claim(r.signature, k)) {
        Atomics.store(control, slot, -(k + 1));
        const found = runner.investigate(stopped);
        if (found === null) {
          post({
            type: "error",
            worker: start.worker,
            message: `run ${k} failed (${r.signature}) but did not fail the same way on replay: ` +
              `nondeterminism in the service or kernel under test`,
          });
        } else post({ type: "finding", worker: start.worker, k, signature: r.signature, found });
      }
    }
    Atomics.store(control, slot, 0);
    if (wallMs() - lastPost > 200) {
      report();
      lastPost = wallMs();
    }
  }
  report();
  post({ type: "done", worker: start.worker });
}

/** Builds the runner a start message asks for, loading the user's modules. */
async function runnerFor(start: WorkerStart): Promise<Runner> {
  const control = new Int32Array(start.control);
  const beatAt = CONTROL.slot(start.worker) + 1;
  const zoo = start.zoo ? zooContext(start.zoo) : null;
  const service = start.servicePath === null ? null : await loadServiceModule(start.servicePath);
  const makeKernel = start.kernelPath !== null
    ? await loadKernelModule(start.kernelPath)
    : start.mutant !== null
    ? MUTANTS[start.mutant]
    : zoo?.makeKernel;
  const setup = {
    service,
    makeKernel,
    zoo,
    beat: () => void Atomics.add(control, beatAt, 1),
  };
  return start.kind === "scenarios"
    ? new ScenarioRunner(start, setup)
    : new ProgramRunner(start, setup);
}

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const start = workerData as WorkerStart;
  const port = parentPort;
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const runner = await runnerFor(start);
    runWorker(start, runner, post);
  } catch (err) {
    post({ type: "error", worker: start.worker, message: String((err as Error)?.stack ?? err) });
    post({ type: "done", worker: start.worker });
  }
}
