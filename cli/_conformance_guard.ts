/**
 * `deno task conformance --kernel PATH` under a watchdog: the rows run in a worker, and a row
 * whose variant never returns (a loop inside a kernel call: userS28k's v5_spin.ts looped inside
 * OP_FAIL, and the command hung silently after the row before) is stopped at the run limit, run
 * again alone with the confirmation limit, and, stopped again, fails with the hang words the
 * other commands print (`kernel-hang` inside a syscall, else `service-hang`; the thread, step and
 * seed); the run goes on to the other rows in a fresh worker. Once a row's hang is confirmed, a
 * later row stopped at the run limit is not run again (as a campaign confirms no hang after its
 * first): it fails as a hang "not confirmed: the variant already hung confirmed in row X".
 *
 * The worker runs in a process of its own (`cli/_conformance_rows.ts`), ended when a row is
 * stopped: Deno 2.9.6's `Worker.terminate()` does not stop a worker busy in code that never
 * yields, so every stopped row left a thread spinning until the command ended (session 29: 14
 * rows of a looping variant, 75 s of CPU, each later row slower). Without `--allow-run=deno` the
 * worker runs in this process, as before, and a note says so.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { WORKER_ENV } from "../fuzz/_worker_pool.ts";
import { ALL_CASES } from "../conformance/cases.ts";
import type { ConformanceCase } from "../conformance/harness.ts";
import { type ConformanceOptions, type Outcome, Report } from "../conformance/run.ts";
import type { RowWorkerData } from "./_conformance_worker.ts";
import { hangSignature } from "../properties/signature.ts";
import { neverYielded } from "../sim/stuck.ts";
import { isPagersimCode } from "../sim/variant_crash.ts";
import { confirmLimit, confirms, type GuardLimits, limitWords } from "./_guard.ts";
import { parentConfigFlags } from "../case/config_flags.ts";
import { runnableDeno } from "../properties/_runnable_deno.ts";

/** Seconds a worker may take to load the variant before its first row starts. */
const LOAD_LIMIT_S = 60;

/**
 * How a worker's run of some rows ended: stopped in row `index` (negative: the worker died in row
 * `-index - 2`, failed already), or null: all done.
 */
export type Stop = {
  index: number;
  at: { step: number; tid: number; entry: number; seed: number } | null;
};

/**
 * Runs `rows` in one worker, calling `done` with each row's outcome; resolves with null when all
 * ran, or with where it was stopped: a row ran past `limitS` seconds.
 */
export function runRows(
  kernel: string,
  rows: readonly ConformanceCase[],
  limitS: number,
  memoryMb: number,
  done: (c: ConformanceCase, o: Outcome) => void,
): Promise<Stop | null> {
  return new Promise((resolve, reject) => {
    const progress = new SharedArrayBuffer(20);
    const cell = new Int32Array(progress);
    const data: RowWorkerData = { kernel, rows: rows.map((c) => ALL_CASES.indexOf(c)), progress };
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
      if (!loaded && e.code !== "ERR_WORKER_OUT_OF_MEMORY") {
        // Nothing of the rows ran: every row would fail the same way.
        settled = true;
        clearInterval(timer);
        void worker.terminate().then(() =>
          reject(new RowsLoadError(loadFailureLine(`error: ${e.name}: ${e.message}\n${e.stack}`)))
        );
        return;
      }
      // The worker died in a row: the row fails with the error.
      const what = e.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? `out-of-memory (the row reached the ${memoryMb} MiB heap limit)`
        : `${e.name}: ${e.message}`;
      if (index < rows.length) done(rows[index], { kind: "fail", message: what, trace: "" });
      settle(index + 1 < rows.length ? { index: -(index + 2), at: null } : null);
    });
  });
}

/** What the guard gives a row runner process (`cli/_conformance_rows.ts`: its one argument, JSON). */
export interface RowsJob {
  readonly kernel: string;
  /** The rows, by index in `ALL_CASES` (a Vmar and a Vmo row share an id). */
  readonly rows: readonly number[];
  readonly limitS: number;
  readonly memoryMb: number;
}

/** One line a row runner process prints: a row's outcome, or the end (null: every row ran). */
export type RowsLine =
  | { readonly loaded: true }
  | { readonly loadFailed: string }
  | { readonly row: number; readonly outcome: Outcome }
  | { readonly stop: Stop | null };

/**
 * How to start a row runner process (`cli/_conformance_rows.ts`): the program and its `deno run`
 * flags (this process's read and INIT_CWD permissions and configuration), or null when this
 * process may not start deno (then the rows run in a worker of this process).
 */
async function rowsCommand(): Promise<{ program: string; flags: string[] } | null> {
  const program = runnableDeno();
  if (program === null) return null;
  const env = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" }).state === "granted";
  return {
    program,
    flags: ["--allow-read", ...(env ? ["--allow-env=INIT_CWD"] : []), ...await parentConfigFlags()],
  };
}

/** A row runner process could not be started (no `deno` where the permission names it). */
export class RowsSpawnError extends Error {
  override name = "RowsSpawnError";
}

/**
 * The row runner (its process, or its worker) failed before it loaded: pagersim's own code (a
 * file broken mid-edit) or the variant no longer loads. Every row would fail the same way
 * (trial32b: 171 rows each printed the same SyntaxError stack), so the run stops at once with
 * the one line of {@linkcode loadFailureLine}.
 */
export class RowsLoadError extends Error {
  override name = "RowsLoadError";
}

/** The project root, with its trailing slash (a failing file in its folders is pagersim's own). */
const ROOT = new URL("../", import.meta.url).pathname;
/** The same root as a `file:` URL, where {@linkcode isPagersimCode} judges a path under a root. */
const OWN_URL = new URL("../", import.meta.url).href;

/**
 * One line for a row runner that failed to load, from what Deno printed of the error (ANSI
 * colours and all): `pagersim failed to load: FILE:LINE:COL: message` when the file is
 * pagersim's own, `the row runner failed to load: ...` otherwise (FILE from the working
 * directory).
 *
 * @example
 * ```ts
 * import { loadFailureLine } from "./_conformance_guard.ts";
 * // A pagersim tree outside the working directory: its path is shown whole.
 * const err = "error: SyntaxError: Unexpected token\n  |\n    at file:///elsewhere/pagersim/program/run.ts:2:21\n";
 * console.assert(
 *   loadFailureLine(err, "/elsewhere/pagersim/") ===
 *     "pagersim failed to load: /elsewhere/pagersim/program/run.ts:2:21: SyntaxError: Unexpected token",
 * );
 * // A kernel variant in a user's folder of that tree is the user's.
 * const mine = err.replace("program/run.ts", "myk/variant.ts");
 * console.assert(loadFailureLine(mine, "/elsewhere/pagersim/").startsWith("the row runner failed to load: "));
 * ```
 */
export function loadFailureLine(text: string, root: string = ROOT): string {
  // deno-lint-ignore no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const first = plain.split("\n").find((l) => l.trim() !== "") ?? "";
  const message = first.trim().replace(/^error: /, "").replace(/^Uncaught (\(in promise\) )?/, "");
  const at = /file:\/\/(\/[^\s)]+?):(\d+):(\d+)/.exec(plain);
  const path = at?.[1] ?? null;
  const shown = path === null
    ? null
    : path.startsWith(`${Deno.cwd()}/`)
    ? path.slice(Deno.cwd().length + 1)
    : path;
  // pagersim's own by isPagersimCode's rule: under the root and in one of its folders, not a
  // user's folder in the tree (a kernel variant in `myk/`, as README places one) or testdata.
  const who = path === null ||
      (path.startsWith(root) && isPagersimCode(new URL(path.slice(root.length), OWN_URL).href))
    ? "pagersim failed to load"
    : "the row runner failed to load";
  return `${who}: ${shown !== null ? `${shown}:${at?.[2]}:${at?.[3]}: ` : ""}${
    message !== "" ? message : "(no error text)"
  }`;
}

/**
 * {@linkcode runRows} in a row runner process of its own, ended (and the worker's thread with it,
 * spinning or not) as soon as it reports where it stopped; `started` is told its pid.
 */
export async function runRowsIsolated(
  command: { program: string; flags: readonly string[] },
  kernel: string,
  rows: readonly ConformanceCase[],
  limitS: number,
  memoryMb: number,
  done: (c: ConformanceCase, o: Outcome) => void,
  started: (pid: number) => void = () => {},
): Promise<Stop | null> {
  const job: RowsJob = { kernel, rows: rows.map((c) => ALL_CASES.indexOf(c)), limitS, memoryMb };
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command.program, {
      args: [
        "run",
        ...command.flags,
        new URL("./_conformance_rows.ts", import.meta.url).pathname,
        JSON.stringify(job),
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    throw new RowsSpawnError(`${command.program}: ${(e as Error).message}`);
  }
  started(child.pid);
  // Its stderr is held until it has loaded (then passed on as it comes): a process that fails to
  // load says why once, in one line (RowsLoadError), not once per row.
  let loaded = false;
  let held = "";
  const errDecoder = new TextDecoder();
  const pump = (async () => {
    for await (const chunk of child.stderr) {
      if (loaded) await Deno.stderr.write(chunk);
      else held += errDecoder.decode(chunk, { stream: true });
    }
  })();
  const release = async () => {
    if (loaded) return;
    loaded = true;
    if (held !== "") await Deno.stderr.write(new TextEncoder().encode(held));
    held = "";
  };
  let ran = 0;
  let stop: Stop | null | undefined;
  let text = "";
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  try {
    while (stop === undefined) {
      const { value, done: end } = await reader.read();
      if (end) break;
      text += decoder.decode(value, { stream: true });
      let nl: number;
      while (stop === undefined && (nl = text.indexOf("\n")) >= 0) {
        const line = JSON.parse(text.slice(0, nl)) as RowsLine;
        text = text.slice(nl + 1);
        if ("loaded" in line) await release();
        else if ("loadFailed" in line) throw new RowsLoadError(line.loadFailed);
        else if ("stop" in line) stop = line.stop;
        else {
          done(rows[line.row], line.outcome);
          ran = line.row + 1;
        }
      }
    }
  } finally {
    // Stopped in a row: its worker may be spinning, which only the process's end stops.
    try {
      child.kill("SIGKILL");
    } catch {
      // it has exited already
    }
    await reader.cancel().catch(() => {});
    await child.status;
    await pump.catch(() => {});
  }
  if (!loaded) throw new RowsLoadError(loadFailureLine(held));
  if (stop !== undefined) return stop;
  // The process ended without saying how (it crashed): the row it was in fails, the run goes on.
  if (ran >= rows.length) return null;
  done(rows[ran], {
    kind: "fail",
    message: `the row runner process ended in this row without an outcome (${
      (await child.status).code
    })`,
    trace: "",
  });
  return ran + 1 < rows.length ? { index: -(ran + 2), at: null } : null;
}

/**
 * Runs the rows `parsed` selects against the variant at `kernel` (a `--kernel` path) in a watched
 * worker and prints the report as {@linkcode runConformance} does; the exit code.
 */
export async function runConformanceGuarded(
  parsed: ConformanceOptions,
  kernel: string,
  limits: GuardLimits,
  /** Told the pid of each row runner process started (tests). */
  started: (pid: number) => void = () => {},
): Promise<number> {
  let command = await rowsCommand();
  let warned = false;
  /** Without a process of its own, a stopped row's worker may spin on: said at the first stop. */
  const warn = () => {
    if (command !== null || warned) return;
    warned = true;
    console.error(
      "note: conformance --kernel runs the rows in a process of its own, which needs " +
        "--allow-run=deno (deno task conformance grants it); without, a row stopped at the run " +
        "limit leaves its worker's thread spinning until the command ends",
    );
  };
  const run = async (rows: readonly ConformanceCase[], limitS: number, done: Report["row"]) => {
    if (command !== null) {
      try {
        return await runRowsIsolated(command, kernel, rows, limitS, limits.memoryMb, done, started);
      } catch (e) {
        // No process to start (npx's deno, not on PATH): the rows run here, as without the
        // permission, and the first stop says so.
        if (!(e instanceof RowsSpawnError)) throw e;
        command = null;
      }
    }
    return await runRows(kernel, rows, limitS, limits.memoryMb, done);
  };
  const report = new Report(parsed);
  try {
    return await runAreas(report);
  } catch (e) {
    if (!(e instanceof RowsLoadError)) throw e;
    // No row ran: no row results, one line, and a status that is no row's failure.
    console.error(`error: ${e.message}`);
    console.log("\nconformance: not run (the row runner failed to load; see the error above)");
    return 2;
  }
  async function runAreas(report: Report): Promise<number> {
    const done = report.row.bind(report);
    /** The row whose hang was confirmed first: later stops are not run again. */
    let hungIn: string | null = null;
    for (const [area, inArea] of report.areas()) {
      let rest: readonly ConformanceCase[] = inArea;
      while (rest.length > 0) {
        const stop = await run(rest, limits.runTimeout, done);
        if (stop === null) break;
        if (stop.index < 0) {
          // A worker error failed a row: go on after it.
          rest = rest.slice(-stop.index - 1);
          continue;
        }
        const c = rest[stop.index];
        warn();
        // The row stopped again with the confirmation limit (wall-clock time, which a loaded
        // machine stretches) is the hang; a confirmation limit equal to the run limit skips the
        // second run, as sim and repro do (userS28c: equal limits still ran every row again), and
        // so does a hang confirmed already in an earlier row, as a campaign's (session 29: each
        // row of a looping variant cost 55 s, all rows hours).
        let hang: Stop | null = { index: 0, at: stop.at };
        if (hungIn !== null) {
          console.error(
            `note: ${c.id} ${c.name} went past the --run-timeout ${limits.runTimeout}s run limit; ` +
              `not running it again: the variant already hung confirmed in row ${hungIn}`,
          );
        } else if (confirms(limits)) {
          console.error(
            `note: ${c.id} ${c.name} went past the --run-timeout ${limits.runTimeout}s run limit; ` +
              `running it again with the --confirm-timeout ${confirmLimit(limits)}s limit: a ` +
              `hang only if it is stopped again`,
          );
          hang = await run([c], confirmLimit(limits), done);
          if (hang !== null && hang.index === 0) {
            report.row(c, { kind: "fail", message: hangWords(hang, kernel, limits), trace: "" });
            hungIn = `${c.id} ${c.name}`;
            hang = null;
          }
        }
        if (hang !== null && hang.index === 0) {
          report.row(c, {
            kind: "fail",
            message: hangWords(hang, kernel, limits, hungIn),
            trace: "",
          });
        }
        rest = rest.slice(stop.index + 1);
      }
      report.endArea(area);
    }
    return report.end();
  }
}

/**
 * A stopped row's failure, in the words `sim` and `repro` print a hang in; `hungIn`: the row
 * whose confirmed hang made this one's stop a hang without a second run.
 */
function hangWords(
  stop: Stop & object,
  kernel: string,
  limits: GuardLimits,
  hungIn: string | null = null,
): string {
  const where = stop.at === null
    ? "before any thread ran"
    : `seed ${stop.at.seed}: ${neverYielded(stop.at, undefined, kernel)}`;
  const how = hungIn !== null
    ? `; not confirmed: the variant already hung confirmed in row ${hungIn}`
    : limitWords(limits).within;
  // Conformance guards only a --kernel variant: its code is under test.
  return `${hangSignature(stop.at, true)} (${where}: the row did not finish within --run-timeout ` +
    `${limits.runTimeout}s${how})`;
}
