/**
 * The worker of `cli/_conformance_guard.ts`: loads the `--kernel` variant, runs the rows it is
 * given one after another and posts each row's outcome; every case run writes where it stands
 * (seed, step, thread, entry) to the shared cell the watchdog reads.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { ALL_CASES } from "../conformance/cases.ts";
import { useKernel, useWatch } from "../conformance/harness.ts";
import { runCase } from "../conformance/run.ts";
import { loadKernelFlag } from "./_module_flags.ts";

/** What the watchdog gives its worker. */
export interface RowWorkerData {
  /** The `--kernel` path, as given. */
  readonly kernel: string;
  /**
   * The rows to run, by index in `ALL_CASES`, in order (not by id: a Vmar and a Vmo row share
   * theirs, and a Vmo row asked for by id ran its Vmar twin).
   */
  readonly rows: readonly number[];
  /** Int32 [rows done, step + 1 (0: none yet), tid, entry, seed]. */
  readonly progress: SharedArrayBuffer;
}

if (parentPort !== null && workerData !== null && typeof workerData === "object") {
  const port = parentPort;
  const data = workerData as RowWorkerData;
  const cell = new Int32Array(data.progress);
  useKernel(await loadKernelFlag(data.kernel));
  useWatch((step, tid, entry, seed) => {
    Atomics.store(cell, 2, tid);
    Atomics.store(cell, 3, entry);
    Atomics.store(cell, 4, seed);
    Atomics.store(cell, 1, step + 1);
  });
  port.postMessage({ loaded: true });
  for (const index of data.rows) {
    const c = ALL_CASES[index];
    if (c === undefined) throw new Error(`conformance: no row ${index}`);
    Atomics.store(cell, 1, 0);
    const outcome = runCase(c);
    port.postMessage({ id: c.id, outcome });
  }
}
