/**
 * The watchdog of {@linkcode guardedPagerProperty} (`properties/guarded_property.ts`) over its
 * worker (`properties/_guarded_worker.ts`): it runs each case in the worker, reads the shared
 * cell that says which thread runs at which step, and stops a run past its limit. It runs in the
 * test's process (the in-process form) or in a child process's main thread
 * (`properties/_guarded_host.ts`), which the property kills once it has the hang's report: Deno
 * 2.9.6 cannot stop a worker thread busy in a loop (tools/busy_worker_terminate.ts), a process
 * it can.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { WORKER_ENV } from "../sim/worker_env.ts";
import { atHeapLimit, heapRunningOut, type StuckAt } from "../sim/stuck.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { GuardedWorkerData, WorkerReply } from "./_guarded_worker.ts";

/** Seconds the worker may take to load the modules before its first run (cli/_guard.ts). */
const LOAD_LIMIT_S = 60;

/** A case: the scenario, the drawn decision list, the seed. */
export type Drawn = [Scenario, number[], number];

/** How one run in the worker ended. */
export type Outcome =
  | {
    readonly kind: "done";
    readonly failure: { readonly message: string; readonly signature: string | null } | null;
  }
  | { readonly kind: "load-error"; readonly message: string }
  | { readonly kind: "service-hang"; readonly at: StuckAt | null; readonly grew?: boolean }
  | { readonly kind: "out-of-memory"; readonly at?: StuckAt | null; readonly heapMiB?: number };

/** The stuck run replayed up to its stuck step (`_guarded_worker.ts` `stop-before`). */
export type Stopped = Extract<WorkerReply, { type: "stopped" }>;

/** The limits a guarded property applies, defaults filled in. */
export interface Limits {
  readonly runTimeout: number;
  readonly confirmTimeout: number;
  readonly memoryMb: number;
}

/** What the property asks of its runner, in its process or in a child process. */
export interface GuardRunner {
  /** Runs the case, stopped past `limitS` seconds: how it ended. */
  exec(v: Drawn, limitS: number): Promise<Outcome>;
  /** Replays the stopped case up to the stuck thread's step; null if that was stopped too. */
  stopBefore(v: Drawn, at: StuckAt, limitS: number): Promise<Stopped | null>;
  /** Ends the runner (its worker, or its process). */
  close(): void;
}

/**
 * The property's worker and its watchdog: one worker for all of a property's cases, started at
 * the first, stopped when a run goes past its limit (a new one starts for the next) and, with
 * `idleClose`, when the property has run its last case (its runs went idle; in a child process
 * the property ends the process instead).
 *
 * @hostSide the watchdog reads the wall clock and owns the worker: no run's outcome reads it
 */
export class Runner implements GuardRunner {
  #worker: Worker | null = null;
  #cell: Int32Array<ArrayBufferLike> = new Int32Array(0);
  #loadError: string | null = null;
  #id = 0;
  #busy = false;

  constructor(
    readonly data: Omit<GuardedWorkerData, "progress">,
    readonly limits: Limits,
    readonly idleClose: boolean = true,
  ) {}

  /** The worker, started if none runs. */
  #ensure(): Worker {
    if (this.#worker !== null) return this.#worker;
    const progress = new SharedArrayBuffer(7 * 4);
    this.#cell = new Int32Array(progress);
    const worker = new Worker(new URL("./_guarded_worker.ts", import.meta.url), {
      workerData: { ...this.data, progress } satisfies GuardedWorkerData,
      // No environment copied in: a test allowed no env access would be asked (fuzz/_worker_pool.ts).
      env: WORKER_ENV,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    });
    worker.on("message", (m: WorkerReply) => {
      if (m.type === "load-error") this.#loadError = m.message;
    });
    // An idle worker does not keep the test's process alive.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Stops the worker (a spinning one goes on spinning: Deno cannot stop it). */
  close(): void {
    const w = this.#worker;
    this.#worker = null;
    if (w !== null) void w.terminate();
  }

  /** Runs the case in the worker, stopped past `limitS` seconds: how it ended. */
  exec(v: Drawn, limitS: number): Promise<Outcome> {
    return this.#post({ type: "run", value: v }, limitS) as Promise<Outcome>;
  }

  /** Replays the stopped case up to the stuck thread's step; null if that was stopped too. */
  async stopBefore(v: Drawn, at: StuckAt, limitS: number): Promise<Stopped | null> {
    const o = await this.#post(
      { type: "stop-before", value: v, at: { step: at.step, tid: at.tid } },
      limitS,
    );
    return "type" in o ? o : null;
  }

  #post(
    request: { type: "run"; value: Drawn } | {
      type: "stop-before";
      value: Drawn;
      at: { step: number; tid: number };
    },
    limitS: number,
  ): Promise<Outcome | Stopped> {
    if (this.#loadError !== null) {
      return Promise.resolve({ kind: "load-error", message: this.#loadError });
    }
    const worker = this.#ensure();
    const cell = this.#cell;
    const id = ++this.#id;
    this.#busy = true;
    return new Promise((resolve) => {
      const postedAt = performance.now();
      let runFrom: number | null = null;
      let settled = false;
      const settle = (o: Outcome | Stopped, stop: boolean) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        this.#busy = false;
        if (stop) this.close();
        else this.#idleLater(id);
        resolve(o);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.type === "load-error") settle({ kind: "load-error", message: m.message }, true);
        else if (m.type === "result" && m.id === id) {
          settle({ kind: "done", failure: m.failure }, false);
        } else if (m.type === "stopped" && m.id === id) settle(m, false);
      };
      const onError = (e: Error & { code?: string }) => {
        if (e.code === "ERR_WORKER_OUT_OF_MEMORY") settle({ kind: "out-of-memory" }, true);
        else settle({ kind: "load-error", message: `${e.name}: ${e.message}` }, true);
      };
      const onExit = (code: number) =>
        settle({ kind: "load-error", message: `its worker exited (code ${code})` }, true);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      // The run limit counts from the moment the worker took the run (cell 6), as `sim`'s guard
      // counts from its module's load: loading the modules, or waiting for a core on a busy
      // machine, is not the run (at load ~25 a worker that had loaded had not yet taken its first
      // case a second later, and the stop named no thread).
      const timer = setInterval(() => {
        const now = performance.now();
        if (runFrom === null && Atomics.load(cell, 6) === id) runFrom = now;
        const over = runFrom !== null
          ? now - runFrom > limitS * 1000
          : now - postedAt > Math.max(limitS, LOAD_LIMIT_S) * 1000;
        const ours = Atomics.load(cell, 6) === id;
        const heapMiB = ours ? Atomics.load(cell, 4) : 0;
        const firstMiB = ours ? Atomics.load(cell, 5) : 0;
        const filling = heapRunningOut(heapMiB, this.limits.memoryMb, firstMiB);
        if (!over && !filling) return;
        const step = ours ? Atomics.load(cell, 0) - 1 : -1;
        const at = step < 0
          ? null
          : { step, tid: Atomics.load(cell, 1), entry: Atomics.load(cell, 3) };
        if (atHeapLimit(heapMiB, this.limits.memoryMb, firstMiB)) {
          settle({ kind: "out-of-memory", at, heapMiB }, true);
        } else settle({ kind: "service-hang", at }, true);
      }, 50);
      worker.postMessage({ ...request, id });
    });
  }

  /**
   * Stops the worker once the property's runs went idle: fast-check starts the next run within
   * the same turn of the event loop that ended the last, so a worker still idle at the next
   * turn has run the property's last case (a wrong guess only costs a new worker).
   */
  #idleLater(id: number): void {
    if (!this.idleClose) return;
    setTimeout(() => {
      if (!this.#busy && this.#id === id) this.close();
    }, 0);
  }
}
