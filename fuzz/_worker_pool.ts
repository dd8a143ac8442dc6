/**
 * The campaign's worker pool and watchdog: starts N `node:worker_threads`
 * workers, each with a heap limit, routes their messages, and replaces a
 * worker whose run went past the wall-clock run limit or hit the heap limit
 * (after telling `onStall`, so the run becomes a finding) while no more
 * stopped threads may still be spinning than there are slots
 * (`CONTROL.spinning`), until every slot
 * says "done" or is stopped.
 *
 * Measured on Deno 2.9.6 (see fuzz/watchdog_test.ts): a web `Worker` has no
 * heap limit of its own, and `--v8-flags=--max-old-space-size` ends the
 * whole process with a fatal OOM; a `node:worker_threads` worker with
 * `resourceLimits.maxOldGenerationSizeMb` is stopped at its limit and the
 * process lives on. Deno reports that (`ERR_WORKER_OUT_OF_MEMORY`) only for
 * an allocation during the worker module's first synchronous evaluation;
 * afterwards the worker just goes silent. So a slot whose heartbeat stops
 * for the run limit is stopped, and that stop is out-of-memory when the
 * worker's own last heap sample held half the limit or more
 * (`PoolOptions.atHeapLimit`, sim/stuck.ts `heapSampler`: trial32's hog
 * yields every step while it fills the heap, and read `never yielded`), a
 * hang otherwise, whatever the process's size did: how far the process grew
 * by then is timing (userS25: a heap hog signed out-of-memory by a campaign's
 * growth replayed as a hang). The growth (at least half the heap limit since
 * the run's last heartbeat, or given back by terminating the worker) only
 * says the worker was at its heap limit, which `terminate()` stops: not a
 * spinning thread.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { CONTROL, slotState } from "./engine.ts";
import { wallMs } from "./clock.ts";
import { WORKER_ENV } from "../sim/worker_env.ts";

/** The environment every Worker is given (sim/worker_env.ts says why), re-exported for the pools. */
export { WORKER_ENV };

/** What every campaign worker may send besides its own messages. */
export type PoolMessage =
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/** Why the watchdog stopped a worker. */
export type StallCause = "hang" | "out-of-memory";

/** Settings of a pool. */
export interface PoolOptions<Start, Message> {
  readonly url: URL;
  readonly count: number;
  /** The start message (worker data) of slot `worker`'s `generation`-th worker. */
  readonly start: (worker: number, generation: number) => Start;
  readonly onMessage: (m: Message) => void;
  /** Worker errors and crashes are pushed here. */
  readonly errors: string[];
  /** The control block ({@linkcode CONTROL}) the workers keep current. */
  readonly control: Int32Array;
  /** Wall-clock limit of one run (and of one replay while investigating), ms. */
  readonly runLimitMs: number;
  /** Heap limit of each worker, MiB. */
  readonly memoryMb: number;
  /**
   * Whether slot `w`'s run, stopped by the clock, was at its heap limit (its worker's last heap
   * sample held half of it, sim/stuck.ts `atHeapLimit`): then the stop is `out-of-memory`, not a
   * hang, and its worker is stopped by `terminate()` (no spinning thread).
   */
  readonly atHeapLimit?: (w: number) => boolean;
  /**
   * Whether slot `w`'s run has its heap running out (sim/stuck.ts `heapRunningOut`): the
   * watchdog stops it at once, `out-of-memory`, without waiting for the run limit.
   */
  readonly heapRunningOut?: (w: number) => boolean;
  /**
   * Whether slot `w`'s run grew its heap by a quarter of the limit or more (sim/stuck.ts
   * `heapGrowing`): a stop by the clock then stopped a run that was allocating, which ends at its
   * heap limit, not one spinning (not counted in `CONTROL.spinning`).
   */
  readonly heapGrowing?: (w: number) => boolean;
  /**
   * The step slot `w`'s run stands at (its run record): a run stopped by the clock whose step
   * still moved within the last second was stepping, slowly (a hog's garbage collection), not
   * spinning in code that never yields: it is not counted in `CONTROL.spinning`.
   */
  readonly stepOf?: (w: number) => number;
  /**
   * A slot's run was stopped by the watchdog: called before the slot's worker
   * is replaced (its run record is still intact). `ms`: the wall-clock time the
   * stopped run cost its slot, from the run's last heartbeat until its worker was
   * stopped (the run limit, or less for a heap stop).
   */
  readonly onStall: (
    worker: number,
    state: { kind: "run" | "investigate"; k: number },
    cause: StallCause,
    ms: number,
    /**
     * True when the run limit (wall-clock time, which a loaded machine stretches) stopped it;
     * false when the worker reported reaching its heap limit itself.
     */
    timed: boolean,
    /**
     * A stop by the clock: the process grew (or gave back) at least half the heap limit while
     * the run stood still, so its worker was likely at its heap limit. A note, never a signature.
     */
    grew: boolean,
    /** The stop was counted in `CONTROL.spinning` (a run the confirmation finds otherwise takes it back). */
    counted?: boolean,
  ) => Promise<void>;
}

/** A running pool. */
export interface Pool {
  /** Resolves when every slot is done. */
  readonly finished: Promise<void>;
  /**
   * Slots ended because as many stopped threads may still be spinning as there are slots
   * ({@linkcode CONTROL}`.spinning`), not given a new worker.
   */
  readonly cappedSlots: number;
  /** Sends a message to slot `worker`'s current worker (dropped if the slot has none). */
  send(worker: number, message: unknown): void;
  /**
   * Terminates every worker still running (their slots end); resolves when all are gone. A slot
   * `spare` says true of is left to end on its own (a worker writing a finding's case).
   */
  terminateAll(spare?: (w: number) => boolean): Promise<void>;
}

/** Starts a pool. */
export function startPool<Start, Message extends { readonly type: string }>(
  options: PoolOptions<Start, Message>,
): Pool {
  const { control, count } = options;
  const live = new Map<number, Worker>();
  const generation = new Array<number>(count).fill(0);
  const beat = new Array<{ value: number; at: number; rss: number }>(count);
  /** Per slot, the step its run last stood at and when the watchdog saw it move. */
  const moved = new Array<{ step: number; at: number }>(count);
  /** Whether slot `w`'s step moved within the last second (or half the run limit). */
  const stepping = (w: number) =>
    options.stepOf !== undefined && moved[w] !== undefined &&
    wallMs() - moved[w].at < Math.min(1000, options.runLimitMs / 2);
  const rssNow = () => Deno.memoryUsage().rss;
  const busy = new Set<number>(); // slots being stopped and replaced
  const slotEnded = new Array<boolean>(count).fill(false);
  let slotsDone = 0, cappedSlots = 0;
  let terminating = false;
  let resolveAll = () => {};
  const finished = new Promise<void>((r) => (resolveAll = r));
  const stopped = () => Atomics.load(control, CONTROL.stop) !== 0;

  const endSlot = (w: number) => {
    live.delete(w);
    if (slotEnded[w]) return;
    slotEnded[w] = true;
    if (++slotsDone === count) {
      clearInterval(watchdog);
      resolveAll();
    }
  };

  const spawn = (w: number) => {
    Atomics.store(control, CONTROL.slot(w), 0);
    beat[w] = { value: Atomics.load(control, CONTROL.slot(w) + 1), at: wallMs(), rss: rssNow() };
    const worker = new Worker(options.url, {
      workerData: options.start(w, generation[w]),
      env: WORKER_ENV,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    live.set(w, worker);
    let ended = false;
    worker.on("message", (m: Message | PoolMessage) => {
      if (m.type === "error") {
        options.errors.push(`worker ${w}: ${(m as { message: string }).message}`);
      } else if (m.type === "done") {
        ended = true;
        void worker.terminate();
        endSlot(w);
      } else options.onMessage(m as Message);
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (ended) return;
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY") {
        ended = true;
        void stall(w, worker, "out-of-memory");
        return;
      }
      ended = true;
      options.errors.push(`worker ${w} crashed: ${e.message}`);
      void worker.terminate();
      endSlot(w);
    });
    worker.on("exit", () => {
      if (ended || busy.has(w) || terminating || live.get(w) !== worker) return;
      ended = true;
      options.errors.push(`worker ${w} exited before it was done`);
      endSlot(w);
    });
  };

  /** Stops slot `w`'s worker, classifies and reports the stall, and replaces the worker. */
  const stall = async (w: number, worker: Worker, known?: StallCause) => {
    const v = Atomics.load(control, CONTROL.slot(w));
    // A run is the watchdog's to report only if its worker has not finished it meanwhile (the
    // worker takes it back from the slot the same way, `worker.ts`): never both.
    if (v > 0 && Atomics.compareExchange(control, CONTROL.slot(w), v, 0) !== v) return;
    const wasStepping = stepping(w);
    busy.add(w);
    const state = slotState(v);
    const rssBefore = rssNow();
    await worker.terminate();
    const ms = wallMs() - beat[w].at;
    await new Promise((r) => setTimeout(r, 100)); // the isolate's heap is released after it ends
    // What the stalled run took: process memory grown since its last heartbeat, or given back.
    const grownMiB = (rssBefore - beat[w].rss) / 2 ** 20;
    const freedMiB = (rssBefore - rssNow()) / 2 ** 20;
    const cause: StallCause = known ??
      (options.atHeapLimit?.(w) === true ? "out-of-memory" : "hang");
    const grew = known === undefined && Math.max(grownMiB, freedMiB) >= options.memoryMb / 2;
    // A hang may be spinning in user code, which terminate() does not stop (CONTROL.spinning);
    // a worker at its heap limit is stopped by it. (A slow run that ends after all takes it back.)
    const counted = cause === "hang" && !grew && options.heapGrowing?.(w) !== true &&
      !wasStepping;
    if (counted) Atomics.add(control, CONTROL.spinning, 1);
    if (state.kind !== "idle") {
      try {
        await options.onStall(w, state, cause, ms, known === undefined, grew, counted);
      } catch (e) {
        options.errors.push(`worker ${w}: reporting its stopped run: ${(e as Error).message}`);
      }
    } else {
      options.errors.push(`worker ${w} stopped answering between runs (${cause})`);
    }
    busy.delete(w);
    if (stopped() || terminating) {
      endSlot(w);
      return;
    }
    // At most as many spinning threads as slots beside the slots' own: past that, a slot whose
    // worker stops is not given another (the campaign ends when the last one does, and says
    // why), or each further hang would take a core for the rest of the campaign.
    if (Atomics.load(control, CONTROL.spinning) > count) {
      cappedSlots++;
      endSlot(w);
      return;
    }
    generation[w]++;
    live.delete(w);
    spawn(w);
  };

  const watchdog = setInterval(() => {
    const now = wallMs();
    for (const [w, worker] of live) {
      if (busy.has(w)) continue;
      if (options.stepOf !== undefined) {
        const step = options.stepOf(w);
        if (moved[w] === undefined || moved[w].step !== step) moved[w] = { step, at: now };
      }
      const v = Atomics.load(control, CONTROL.slot(w) + 1);
      if (v !== beat[w].value) {
        beat[w] = { value: v, at: now, rss: rssNow() };
        continue;
      }
      const state = slotState(Atomics.load(control, CONTROL.slot(w)));
      if (state.kind === "idle") continue;
      if (now - beat[w].at > options.runLimitMs || options.heapRunningOut?.(w) === true) {
        void stall(w, worker);
      }
    }
  }, Math.max(10, Math.min(100, options.runLimitMs / 10)));

  for (let w = 0; w < count; w++) spawn(w);

  return {
    finished,
    get cappedSlots() {
      return cappedSlots;
    },
    send(w, message) {
      live.get(w)?.postMessage(message);
    },
    async terminateAll(spare = () => false) {
      terminating = true;
      const all = [...live.entries()].filter(([w]) => !busy.has(w) && !spare(w));
      await Promise.all(all.map(async ([w, worker]) => {
        await worker.terminate();
        endSlot(w);
      }));
      while (busy.size > 0) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
