/**
 * The watchdog of an exploration: user code can be hostile. An exploration's
 * workers run the user's service (and kernel variant) in every execution of
 * the search, and one execution that never yields or allocates without bound
 * would hang the search forever (`Worker.terminate()` of Deno 2.9.6 does not
 * stop a worker busy in user code, `tools/busy_worker_terminate.ts`). So each
 * worker keeps a few shared cells current — busy or not, a heartbeat per
 * execution, the step and thread whose code runs now — and records the
 * picks of the execution it is in ({@linkcode RunRecord}, as a campaign's
 * workers do). The main thread's watchdog reads them: an execution past the
 * run limit (`--run-timeout`, wall-clock time) whose worker's last heap
 * sample held half the heap limit is out of memory (one whose worker grew the
 * process by that much is a hang with a note); one that also goes past the confirmation
 * limit (`--confirm-timeout`: a busy machine can make an execution that
 * slow) is a hang. Either stops the whole search with a finding that names
 * the execution's decisions, step and thread: the command then exits, which
 * takes a spinning thread with it.
 *
 * Nothing here decides an execution's outcome: the cells only watch, and the
 * verdicts they give end the search instead of finishing it.
 *
 * @module
 */

import { DEFAULT_RUN_TIMEOUT, RunRecord } from "../fuzz/engine.ts";
import { CONFIRM_FACTOR } from "../fuzz/engine.ts";
import type { ExploreHooks } from "./explore.ts";
import { atHeapLimit, heapRunningOut, heapSampler, type StuckAt } from "../sim/stuck.ts";
import { wallMs } from "../fuzz/clock.ts";

/** Default heap limit of an exploration worker, MiB: its state cache lives there. */
export const EXPLORE_MEMORY_MB = 4096;

/**
 * Int32 cells per worker: busy (0/1), heartbeat (executions), step + 1, tid, entry (whose code),
 * the worker's used heap in MiB as last sampled (sim/stuck.ts `heapSampler`), and as first sampled
 * in the execution.
 */
const CELLS = 7;

/** The limits of one execution: seconds, worker heap MiB, and seconds to confirm a hang. */
export interface ExploreLimits {
  readonly runTimeout: number;
  readonly memoryMb: number;
  readonly confirmTimeout: number;
}

/** The limits a search has when its caller gives none (those of a campaign's runs, and the heap of an exploration worker). */
export const DEFAULT_EXPLORE_LIMITS: ExploreLimits = {
  runTimeout: DEFAULT_RUN_TIMEOUT,
  memoryMb: EXPLORE_MEMORY_MB,
  confirmTimeout: CONFIRM_FACTOR * DEFAULT_RUN_TIMEOUT,
};

/** Why a search was stopped before its end. */
export type StopCause = "service-hang" | "out-of-memory" | "nondeterministic";

/** What stopped a search: the execution, as far as its worker had recorded it. */
export interface StopFinding {
  readonly cause: StopCause;
  /** The worker that was running it. */
  readonly worker: number;
  /** The step and thread whose code was running (null: not known, or no thread had run). */
  readonly at: StuckAt | null;
  /** The execution's picks so far (its decision list up to where it stopped). */
  readonly decisions: readonly number[];
  /** False when the record could not hold every pick. */
  readonly complete: boolean;
  /** Wall-clock milliseconds since the execution's last heartbeat (0 for a replay mismatch). */
  readonly ms: number;
  /** What the worker said (a replay mismatch), or what the watchdog saw. */
  readonly detail: string;
  /**
   * A hang stopped at the run limit because the process had grown by half the heap limit: its
   * worker was at that limit, where it goes silent (a note; the signature is the hang's).
   */
  readonly grew?: boolean;
  /** The worker's used heap at its last sample, MiB (an out-of-memory stop by the clock). */
  readonly heapMiB?: number;
}

/** A search stopped by a hostile execution: {@linkcode StopFinding}. */
export class ExploreStopped extends Error {
  constructor(readonly finding: StopFinding) {
    super(`exploration stopped: ${finding.cause}: ${finding.detail}`);
    this.name = "ExploreStopped";
  }
}

/** The shared memory of a guarded search: the cells, and each worker's record. */
export interface GuardBuffers {
  readonly cells: SharedArrayBuffer;
  readonly records: readonly SharedArrayBuffer[];
}

/** Fresh buffers for `count` workers. */
export function guardBuffers(count: number): GuardBuffers {
  return {
    cells: new SharedArrayBuffer(4 * CELLS * count),
    records: Array.from({ length: count }, () => RunRecord.create().buffer),
  };
}

/**
 * Inside worker `worker`: the hooks the search is given, and `busy(on)`, which marks the span
 * the watchdog times (a task, a split; never a wait for the next command).
 */
export function workerGuard(
  buffers: GuardBuffers,
  worker: number,
): { readonly hooks: ExploreHooks; busy(on: boolean): void } {
  const cells = new Int32Array(buffers.cells);
  const record = new RunRecord(buffers.records[worker]);
  const at = CELLS * worker;
  const heap = heapSampler(cells, at + 5);
  return {
    hooks: {
      execution: () => {
        record.begin();
        heap.begin();
        Atomics.store(cells, at + 2, 0);
        Atomics.add(cells, at + 1, 1);
      },
      pick: record.pick,
      watch: (step, tid, entry) => {
        heap.sample();
        Atomics.store(cells, at + 4, entry ?? 0);
        Atomics.store(cells, at + 3, tid);
        Atomics.store(cells, at + 2, step + 1);
      },
    },
    busy(on) {
      Atomics.add(cells, at + 1, 1);
      Atomics.store(cells, at, on ? 1 : 0);
    },
  };
}

/** What {@linkcode startWatchdog} reports besides the stop. */
export interface WatchdogEvents {
  /** An execution went past the run limit and is being given the confirmation limit. */
  readonly onSuspect?: (line: string) => void;
  /** The verdict: called once. */
  readonly onStop: (finding: StopFinding) => void;
}

/** The finding of worker `worker` as its cells and record stand now. */
export function findingOf(
  buffers: GuardBuffers,
  worker: number,
  cause: StopCause,
  ms: number,
  detail: string,
): StopFinding {
  const cells = new Int32Array(buffers.cells);
  const step = Atomics.load(cells, CELLS * worker + 2) - 1;
  const { picks, complete } = new RunRecord(buffers.records[worker]).picks();
  return {
    cause,
    worker,
    at: step < 0 ? null : {
      step,
      tid: Atomics.load(cells, CELLS * worker + 3),
      entry: Atomics.load(cells, CELLS * worker + 4),
    },
    decisions: picks,
    complete,
    ms,
    detail,
  };
}

/**
 * The note printed once when an execution goes past the run limit: where it stands, and whether
 * its steps were still advancing at the watchdog's last look (a long execution, not a stuck one:
 * trial32's `(t1 at step 2216 had not yielded)` was an execution thousands of steps long, each
 * step yielding) or stood still (a thread that has not yielded).
 *
 * @example
 * ```ts
 * import { suspectNote } from "./guard.ts";
 * console.assert(suspectNote({ step: 2216, tid: 1 }, true, 5, 50).includes("2216 steps so far"));
 * console.assert(suspectNote({ step: 3, tid: 1 }, false, 5, 50).includes("had not yielded"));
 * ```
 */
export function suspectNote(
  at: StuckAt | null,
  advancing: boolean,
  runTimeout: number,
  confirmTimeout: number,
): string {
  const head = advancing && at !== null
    ? `note: an execution has run past the --run-timeout ${runTimeout}s run limit and is still ` +
      `making progress (${at.step} steps so far, still advancing: a long execution, not a stuck ` +
      `one; a service that does much work per request, or a long scenario, makes every ` +
      `execution this long, and the search this slow)`
    : `note: an execution went past the --run-timeout ${runTimeout}s run limit${
      at === null ? "" : ` (t${at.tid} at step ${at.step} had not yielded)`
    }`;
  return `${head}; it is stopped as a hang only if it is still running at the --confirm-timeout ` +
    `${confirmTimeout}s limit (a busy machine can make an execution that slow). Ctrl-C stops ` +
    `the search; --confirm-timeout ${runTimeout} skips the wait.`;
}

/**
 * Watches `count` workers' cells every 100 ms; returns the function that stops watching. An
 * execution is timed from its heartbeat; a worker that is not busy is not timed.
 */
export function startWatchdog(
  buffers: GuardBuffers,
  count: number,
  limits: ExploreLimits,
  events: WatchdogEvents,
): () => void {
  const cells = new Int32Array(buffers.cells);
  const rss = () => Deno.memoryUsage().rss;
  // `step`: the execution's step + 1 at the last look, so a note can tell a long execution (its
  // steps still advance) from a stuck one.
  const last: ({ beat: number; at: number; rss: number; noted: boolean; step: number } | null)[] =
    Array(count)
      .fill(null);
  const confirmMs = Math.max(limits.runTimeout, limits.confirmTimeout) * 1000;
  let stopped = false;
  // The process's RSS before the workers grew: a worker stopped at its heap limit has grown the
  // process by about the limit since it started (its state cache counts against the same limit),
  // while the one execution that hit it may have grown it by much less: at a 128 MiB limit, ~50
  // MiB, so an execution's own growth alone signed it a hang (cli/explore_hostile_test.ts).
  const startRss = rss();
  const timer = setInterval(() => {
    if (stopped) return;
    const now = wallMs();
    for (let w = 0; w < count; w++) {
      const beat = Atomics.load(cells, CELLS * w + 1);
      if (Atomics.load(cells, CELLS * w) === 0) {
        last[w] = null;
        continue;
      }
      const l = last[w];
      if (l === null || l.beat !== beat) {
        last[w] = {
          beat,
          at: now,
          rss: rss(),
          noted: false,
          step: Atomics.load(cells, CELLS * w + 2),
        };
        continue;
      }
      const stepNow = Atomics.load(cells, CELLS * w + 2);
      const advancing = stepNow !== l.step;
      l.step = stepNow;
      const ms = now - l.at;
      // A heap running out stops the execution at once (sim/stuck.ts `heapRunningOut`).
      const filling = heapRunningOut(
        Atomics.load(cells, CELLS * w + 5),
        limits.memoryMb,
        Atomics.load(cells, CELLS * w + 6),
      );
      if (ms <= limits.runTimeout * 1000 && !filling) continue;
      const grownMiB = (rss() - Math.min(l.rss, startRss)) / 2 ** 20;
      const stop = (cause: StopCause, detail: string, grew = false) => {
        stopped = true;
        clearInterval(timer);
        events.onStop({ ...findingOf(buffers, w, cause, ms, detail), ...(grew ? { grew } : {}) });
      };
      // A worker at its heap limit goes silent and never resumes: no use waiting for the
      // confirmation limit. Its own last heap sample says so: out of memory, as fuzz, sim and
      // repro sign it (trial32: a hog whose threads yield every step read `never yielded`).
      const heapMiB = Atomics.load(cells, CELLS * w + 5);
      if (atHeapLimit(heapMiB, limits.memoryMb, Atomics.load(cells, CELLS * w + 6))) {
        stopped = true;
        clearInterval(timer);
        events.onStop({
          ...findingOf(
            buffers,
            w,
            "out-of-memory",
            ms,
            `worker ${w}'s heap held ${heapMiB} MiB of the --memory ${limits.memoryMb} MiB ` +
              `limit when its execution stopped making progress`,
          ),
          heapMiB,
        });
        return;
      }
      // No heap sample near the limit (code that allocates without a step between), but the
      // process grew: still a hang by its signature, with the growth as a note.
      if (grownMiB >= limits.memoryMb / 2) {
        return stop(
          "service-hang",
          `worker ${w} has grown the process by ${
            grownMiB.toFixed(0)
          } MiB and its execution stopped ` +
            `making progress: it is likely at the --memory ${limits.memoryMb} MiB heap limit`,
          true,
        );
      }
      if (ms > confirmMs) {
        return stop(
          "service-hang",
          `worker ${w}'s execution ran past the --run-timeout ${limits.runTimeout}s run limit ` +
            `and the --confirm-timeout ${confirmMs / 1000}s limit without finishing`,
        );
      }
      if (!l.noted) {
        l.noted = true;
        const f = findingOf(buffers, w, "service-hang", ms, "");
        events.onSuspect?.(suspectNote(f.at, advancing, limits.runTimeout, confirmMs / 1000));
      }
    }
  }, 100);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
