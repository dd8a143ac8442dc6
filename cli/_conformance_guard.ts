/**
 * `deno task conformance --kernel PATH` under a watchdog: the rows run in a worker, and a row
 * whose variant never returns (a loop inside a kernel call: userS28k's v5_spin.ts looped inside
 * OP_FAIL, and the command hung silently after the row before) is stopped at the run limit, run
 * again alone with the confirmation limit, and, stopped again, fails with the hang words the
 * other commands print (`kernel-hang` inside a syscall, else `service-hang`; the thread, step and seed); the run goes on to the
 * other rows in a fresh worker.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { WORKER_ENV } from "../fuzz/_worker_pool.ts";
import type { ConformanceCase } from "../conformance/harness.ts";
import { type ConformanceOptions, type Outcome, Report } from "../conformance/run.ts";
import type { RowWorkerData } from "./_conformance_worker.ts";
import { hangSignature } from "../properties/signature.ts";
import { neverYielded } from "../sim/stuck.ts";
import { confirmLimit, confirms, type GuardLimits, limitWords } from "./_guard.ts";

/** Seconds a worker may take to load the variant before its first row starts. */
const LOAD_LIMIT_S = 60;

/** How a worker's run of some rows ended: all done, or stopped in row `index`. */
type Stop = {
  index: number;
  at: { step: number; tid: number; entry: number; seed: number } | null;
};

/**
 * Runs `rows` in one worker, calling `done` with each row's outcome; resolves with null when all
 * ran, or with where it was stopped: a row ran past `limitS` seconds.
 */
function runRows(
  kernel: string,
  rows: readonly ConformanceCase[],
  limitS: number,
  memoryMb: number,
  done: (c: ConformanceCase, o: Outcome) => void,
): Promise<Stop | null> {
  return new Promise((resolve) => {
    const progress = new SharedArrayBuffer(20);
    const cell = new Int32Array(progress);
    const data: RowWorkerData = { kernel, ids: rows.map((c) => c.id), progress };
    const worker = new Worker(new URL("./_conformance_worker.ts", import.meta.url), {
      workerData: data,
      env: WORKER_ENV,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    let index = 0;
    let loaded = false;
    let since = performance.now();
    let settled = false;
    const settle = (s: Stop | null) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate().then(() => resolve(s));
    };
    const timer = setInterval(() => {
      const limit = (loaded ? limitS : Math.max(limitS, LOAD_LIMIT_S)) * 1000;
      if (performance.now() - since <= limit) return;
      const step = Atomics.load(cell, 1) - 1;
      settle({
        index,
        at: step < 0 ? null : {
          step,
          tid: Atomics.load(cell, 2),
          entry: Atomics.load(cell, 3),
          seed: Atomics.load(cell, 4),
        },
      });
    }, 50);
    worker.on("message", (m: { loaded?: true; id?: string; outcome?: Outcome }) => {
      if (settled) return;
      since = performance.now();
      if (m.loaded === true) loaded = true;
      else if (m.outcome !== undefined) {
        done(rows[index], m.outcome);
        index++;
        if (index === rows.length) settle(null);
      }
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (settled) return;
      // The variant failed to load, or the worker died in a row: the row fails with the error.
      const what = e.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? `out-of-memory (the row reached the ${memoryMb} MiB heap limit)`
        : `${e.name}: ${e.message}`;
      if (index < rows.length) done(rows[index], { kind: "fail", message: what, trace: "" });
      settle(index + 1 < rows.length ? { index: -(index + 2), at: null } : null);
    });
  });
}

/**
 * Runs the rows `parsed` selects against the variant at `kernel` (a `--kernel` path) in a watched
 * worker and prints the report as {@linkcode runConformance} does; the exit code.
 */
export async function runConformanceGuarded(
  parsed: ConformanceOptions,
  kernel: string,
  limits: GuardLimits,
): Promise<number> {
  const report = new Report(parsed);
  for (const [area, inArea] of report.areas()) {
    let rest: readonly ConformanceCase[] = inArea;
    while (rest.length > 0) {
      const stop = await runRows(
        kernel,
        rest,
        limits.runTimeout,
        limits.memoryMb,
        report.row.bind(report),
      );
      if (stop === null) break;
      if (stop.index < 0) {
        // A worker error failed a row: go on after it.
        rest = rest.slice(-stop.index - 1);
        continue;
      }
      const c = rest[stop.index];
      // The row stopped again with the confirmation limit (wall-clock time, which a loaded
      // machine stretches) is the hang; a confirmation limit equal to the run limit skips the
      // second run, as sim and repro do (userS28c: equal limits still ran every row again).
      let hang: Stop | null = { index: 0, at: stop.at };
      if (confirms(limits)) {
        console.error(
          `note: ${c.id} ${c.name} went past the --run-timeout ${limits.runTimeout}s run limit; ` +
            `running it again with the --confirm-timeout ${confirmLimit(limits)}s limit: a ` +
            `hang only if it is stopped again`,
        );
        hang = await runRows(
          kernel,
          [c],
          confirmLimit(limits),
          limits.memoryMb,
          report.row.bind(report),
        );
      }
      if (hang !== null && hang.index === 0) {
        report.row(c, { kind: "fail", message: hangWords(hang, kernel, limits), trace: "" });
      }
      rest = rest.slice(stop.index + 1);
    }
    report.endArea(area);
  }
  return report.end();
}

/** A stopped row's failure, in the words `sim` and `repro` print a hang in. */
function hangWords(stop: Stop, kernel: string, limits: GuardLimits): string {
  const where = stop.at === null
    ? "before any thread ran"
    : `seed ${stop.at.seed}: ${neverYielded(stop.at, undefined, kernel)}`;
  return `${hangSignature(stop.at)} (${where}: the row did not finish within --run-timeout ` +
    `${limits.runTimeout}s${limitWords(limits).within})`;
}
