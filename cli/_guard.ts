/**
 * The watchdog of `sim` and `repro`: the command's work runs in a
 * `node:worker_threads` worker with a heap limit, and a run that does not
 * finish within the run limit (user code that never yields, or a worker
 * gone silent at its heap limit) ends the command with a `service-hang`
 * verdict line (`out-of-memory` when the worker reports its heap limit
 * itself, or its last heap sample held half the limit or more) instead of
 * hanging it or taking the machine's memory — the same
 * limits and signatures a campaign's runs have (`fuzz/_worker_pool.ts` says
 * why a worker, and why the process's growth decides no signature). The run limit is
 * wall-clock time, which a loaded machine stretches: a run it stops is run
 * again with the confirmation limit (`--confirm-timeout`,
 * {@linkcode runConfirmed}) and is a hang only if that one is stopped too.
 *
 * @module
 */

import { isMainThread, Worker, workerData } from "node:worker_threads";
import { WORKER_ENV } from "../fuzz/_worker_pool.ts";
import { CONFIRM_FACTOR, DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "../fuzz/engine.ts";
import { hangSignature, kernelUnderTest, OUT_OF_MEMORY } from "../fuzz/signature.ts";
import { stdoutLine } from "./_output.ts";
import {
  atHeapLimit,
  entryWords,
  grewNote,
  heapFullWords,
  heapRunningOut,
  heapSampler,
  neverYielded,
  type StuckAt,
} from "../sim/stuck.ts";
import { IN_SYSCALL } from "../sim/world.ts";

/** Seconds a guarded command may take to load before its run starts (at least the run limit). */
export const LOAD_LIMIT_S = 60;

export { entryWords, type StuckAt } from "../sim/stuck.ts";

/** How a guarded command ended. */
export type GuardOutcome =
  | { readonly kind: "done"; readonly code: number }
  | {
    /**
     * The worker reported reaching its heap limit itself (`ERR_WORKER_OUT_OF_MEMORY`), or the
     * run limit stopped a run whose last heap sample held half the limit or more
     * ({@linkcode atHeapLimit}): then `at` is where it stood and `heapMiB` that sample.
     */
    readonly kind: "out-of-memory";
    readonly at?: StuckAt | null;
    readonly heapMiB?: number;
  }
  | {
    /**
     * The run limit stopped it: a hang, whatever the process's size did (a worker at its heap
     * limit goes silent, and how far it grew by the stop is timing: no signature of it).
     */
    readonly kind: "service-hang";
    /** The thread whose code never yielded, and at which step; null: no thread had run yet. */
    readonly at: StuckAt | null;
    /** The process grew by half the heap limit or more meanwhile (a note: {@linkcode grewNote}). */
    readonly grew?: boolean;
  };

/** What the guard tells its worker: the command, the progress cell, and a step to stop before. */
interface GuardData {
  readonly url: string;
  /**
   * Int32 [step + 1 (0: nothing ran yet), tid, loaded, entry, heap MiB, first heap MiB]: step,
   * tid and entry written each time a thread's code is to run (entry again when the harness calls
   * a service entry point on it); `loaded` set once the command's module is imported; the
   * worker's used heap sampled every few of those, and its first sample ({@linkcode heapSampler}).
   */
  readonly progress?: SharedArrayBuffer;
  /** The second, guarded replay of a hang: stop before this step (`guardStopAt`). */
  readonly stopAt?: StuckAt;
  /**
   * The replay up to `stopAt` is of a run that filled the heap, not of a hang: what its last
   * sample held of the limit (the replay itself runs with twice the heap, since it stops a step
   * early: session 33, userS33a's `sim` of a hog printed no trace, only the verdict).
   */
  readonly stopHeap?: { readonly heapMiB: number; readonly memoryMb: number };
  /** The limits the guard applies (`guardLimits`). */
  readonly limits?: GuardLimits;
  /**
   * The command's console output is posted to the guard as `{ line, err }` messages instead of
   * printed (`_guard_worker.ts`): a run the run limit stops and the confirmation runs again is
   * printed once (session 33, userS33a: `repro --current-code` printed the whole replay twice).
   */
  readonly hold?: boolean;
}

/** One line of a held run's console output: on stderr if `err`. */
export interface HeldLine {
  readonly line: string;
  readonly err: boolean;
}

/**
 * Prints held lines as the command would have, on the stream the worker's console chose: under
 * `--trace json` the command moved this process's `console.log` to stderr too, and the held
 * stdout lines (the JSON trace) belong on stdout ({@linkcode stdoutLine}).
 */
function printHeld(lines: readonly HeldLine[]): void {
  for (const l of lines) {
    if (l.err) console.error(l.line);
    else stdoutLine(l.line);
  }
}

/**
 * The guard's limits: the run limit and heap limit, and the confirmation limit a run stopped at
 * the run limit is run again with (absent: {@linkcode CONFIRM_FACTOR} times the run limit).
 */
export interface GuardLimits {
  readonly runTimeout: number;
  readonly memoryMb: number;
  readonly confirmTimeout?: number;
}

/** The confirmation limit of `limits`, seconds (never below the run limit). */
export function confirmLimit(limits: GuardLimits): number {
  return Math.max(limits.runTimeout, limits.confirmTimeout ?? CONFIRM_FACTOR * limits.runTimeout);
}

/**
 * Whether `sim` and `repro` run a stopped run again ({@linkcode runConfirmed}): only with a
 * confirmation limit above the run limit (equal to it skips the wait).
 */
export function confirms(limits: GuardLimits): boolean {
  return confirmLimit(limits) > limits.runTimeout;
}

/**
 * How a hang's lines say which limits stopped it: run again past the confirmation limit, or (a
 * confirmation limit equal to the run limit) not run again.
 *
 * @example
 * ```ts
 * import { limitWords } from "./_guard.ts";
 * console.assert(limitWords({ runTimeout: 2, memoryMb: 64, confirmTimeout: 2 }).within.includes("not run again"));
 * ```
 */
export function limitWords(limits: GuardLimits): { ran: string; within: string } {
  const confirm = confirmLimit(limits);
  return confirms(limits)
    ? {
      ran: `, and run again past the --confirm-timeout ${confirm}s limit,`,
      within: `, nor when run again within --confirm-timeout ${confirm}s`,
    }
    : {
      ran: ` (not run again: --confirm-timeout ${confirm} is not above it)`,
      within: ` (not run again: --confirm-timeout ${confirm} is not above it)`,
    };
}

function guardData(): GuardData | null {
  if (isMainThread || workerData === null || typeof workerData !== "object") return null;
  return "url" in workerData ? workerData as GuardData : null;
}

/**
 * Inside a guarded command: the watch to give the run (`RunContext.watch`), which tells the guard
 * which thread's code is running at which step, so a run stopped at the run limit names the
 * thread that never yielded. Undefined outside the guard. It only writes a shared cell.
 */
export function guardWatch(): ((step: number, tid: number, entry: number) => void) | undefined {
  const buffer = guardData()?.progress;
  if (buffer === undefined) return undefined;
  const cell = new Int32Array(buffer);
  const heap = heapSampler(cell, 4);
  return (step, tid, entry) => {
    heap.sample();
    Atomics.store(cell, 1, tid);
    Atomics.store(cell, 3, entry);
    Atomics.store(cell, 0, step + 1);
  };
}

/** Inside a guarded command: the limits the guard applies to it; null outside the guard. */
export function guardLimits():
  | { runTimeout: number; memoryMb: number; confirmTimeout: number }
  | null {
  const l = guardData()?.limits;
  return l === undefined
    ? null
    : { runTimeout: l.runTimeout, memoryMb: l.memoryMb, confirmTimeout: confirmLimit(l) };
}

/**
 * Inside a guarded command: the step of a hang the guard is replaying a second time, to show the
 * trace up to it (the command runs the same input with the step budget ending just before it and
 * prints {@linkcode stuckLines}); null for an ordinary run.
 */
export function guardStopAt(): StuckAt | null {
  return guardData()?.stopAt ?? null;
}

/**
 * What the second replay of a hang prints after its trace: the thread that never yielded, by id
 * and name, and at which step. `name` is the thread's name if the trace up to the step has it.
 */
export function stuckLines(
  at: StuckAt,
  name: string | undefined,
  limits: { runTimeout: number; confirmTimeout?: number },
  reached: boolean,
  detail: { role?: string; module?: string; kernel?: string | null } = {},
): string[] {
  const who = `t${at.tid}${name !== undefined ? ` "${name}"` : ""}${
    detail.role !== undefined ? ` (${detail.role})` : ""
  }`;
  const what = entryWords(at.entry, detail.module, detail.kernel);
  const heap = guardData()?.stopHeap;
  if (heap !== undefined) {
    return [
      `heap full: ${who} was running at step ${at.step}${
        what !== null ? `, in ${what}` : ""
      }, when the worker's heap held ${heap.heapMiB} MiB of the --memory ${heap.memoryMb} MiB ` +
      `limit: its code allocates without bound; the trace above is the run up to step ${
        Math.max(0, at.step - 1)
      }, just before it (replayed with twice the heap, to reach it)`,
      ...(reached ? [] : [
        `note: the guarded replay of the run did not stop just before step ${at.step}: the ` +
        `trace above may not be the stopped run's`,
      ]),
    ];
  }
  const when = at.step === 0
    ? "at step 0, while starting (a thread runs to its first syscall when it is created, before the first step)"
    : `at step ${at.step}`;
  const upTo = at.step === 0
    ? "the setup before it"
    : `the run up to step ${at.step - 1}, just before it`;
  return [
    `stuck: ${who} never yielded ${when}${what !== null ? `, running ${what}` : ""}: its code ` +
    `ran past the --run-timeout ${limits.runTimeout}s run limit${
      limitWords({ memoryMb: 0, ...limits }).ran
    } without ${
      at.entry !== undefined && at.entry >= IN_SYSCALL
        ? "returning from the syscall"
        : "making a syscall"
    }; the trace above is ${upTo}`,
    ...(reached ? [] : [
      `note: the guarded replay of the run did not stop just before t${at.tid} ${
        at.step === 0 ? "started" : `ran at step ${at.step}`
      }: the trace above may not be the stopped run's`,
    ]),
  ];
}

/**
 * Reads `--run-timeout S`, `--memory MIB` and `--confirm-timeout S` from raw arguments (the
 * command validates them too).
 */
export function limitsOf(
  args: readonly string[],
): { runTimeout: number; memoryMb: number; confirmTimeout: number } {
  const get = (name: string, fallback: number) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return fallback;
    const text = args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
    const n = Number(text);
    return Number.isSafeInteger(n) && n > 0 ? n : fallback;
  };
  const runTimeout = get("run-timeout", DEFAULT_RUN_TIMEOUT);
  return {
    runTimeout,
    memoryMb: get("memory", DEFAULT_MEMORY_MB),
    confirmTimeout: get("confirm-timeout", CONFIRM_FACTOR * runTimeout),
  };
}

/**
 * Runs the `main` export of the command module at `url` in a guarded worker
 * (it reads `Deno.args` as usual); resolves with its exit status, or with
 * the limit it went past: `timeoutS` seconds of run (default the run limit; a
 * confirmation run has its confirmation limit). `rssBefore`: the process's resident size
 * before an earlier run of the same command, if lower than now (a confirmation run): a
 * terminated worker's heap stays with the process's allocator, and the next run reuses it, so
 * growth from now alone would miss a second run's growth (a note on the hang's verdict).
 */
export function runGuarded(
  url: string,
  limits: GuardLimits,
  stopAt?: StuckAt,
  timeoutS: number = limits.runTimeout,
  rssBefore?: number,
  held?: HeldLine[],
  stopHeap?: GuardData["stopHeap"],
): Promise<GuardOutcome> {
  return new Promise((resolve) => {
    const rssAtStart = Math.min(Deno.memoryUsage().rss, rssBefore ?? Infinity);
    const progress = new SharedArrayBuffer(24);
    const cell = new Int32Array(progress);
    const data: GuardData = {
      url,
      progress,
      limits: {
        runTimeout: limits.runTimeout,
        memoryMb: limits.memoryMb,
        confirmTimeout: confirmLimit(limits),
      },
      ...(stopAt !== undefined ? { stopAt } : {}),
      ...(held !== undefined ? { hold: true } : {}),
      ...(stopHeap !== undefined ? { stopHeap } : {}),
    };
    const worker = new Worker(new URL("./_guard_worker.ts", import.meta.url), {
      workerData: data,
      env: WORKER_ENV,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    let settled = false;
    const settle = (o: GuardOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate().then(() => resolve(o));
    };
    // The run limit counts from the moment the command's module has loaded (the worker sets
    // cell 2), as a campaign's counts per run: compiling the command and its imports on a busy
    // machine is not the run. Before that, a limit of its own bounds a module that never loads.
    const startedAt = performance.now();
    let runFrom: number | null = null;
    const timer = setInterval(() => {
      const now = performance.now();
      if (runFrom === null && Atomics.load(cell, 2) > 0) runFrom = now;
      const over = runFrom !== null
        ? now - runFrom > timeoutS * 1000
        : now - startedAt > Math.max(timeoutS, LOAD_LIMIT_S) * 1000;
      // A heap running out stops the run at once (sim/stuck.ts `heapRunningOut`): no waiting
      // for the run limit, nor a confirmation run, for the verdict the heap gives.
      const filling = heapRunningOut(Atomics.load(cell, 4), limits.memoryMb, Atomics.load(cell, 5));
      if (!over && !filling) return;
      const grownMiB = (Deno.memoryUsage().rss - rssAtStart) / 2 ** 20;
      const step = Atomics.load(cell, 0) - 1;
      const at = step < 0
        ? null
        : { step, tid: Atomics.load(cell, 1), entry: Atomics.load(cell, 3) };
      // A worker at its heap limit goes silent: its last heap sample says so (trial32: a thread
      // that yields every step while it fills the heap read `never yielded`, at a step that
      // varied with timing). Out of memory at once: the confirmation run would fill it again.
      const heapMiB = Atomics.load(cell, 4);
      if (atHeapLimit(heapMiB, limits.memoryMb, Atomics.load(cell, 5))) {
        settle({ kind: "out-of-memory", at, heapMiB });
        return;
      }
      settle({
        kind: "service-hang",
        at,
        ...(grownMiB >= limits.memoryMb / 2 ? { grew: true } : {}),
      });
    }, 50);
    worker.on("message", (m: { code: number } | HeldLine) => {
      if ("line" in m) {
        if (!settled) held?.push(m);
        return;
      }
      settle({ kind: "done", code: m.code });
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY") settle({ kind: "out-of-memory" });
      else {
        console.error(`error: ${e.message}`);
        settle({ kind: "done", code: 1 });
      }
    });
  });
}

/**
 * Runs the command as {@linkcode runGuarded} does; a run stopped at the run limit (wall-clock
 * time: a busy machine makes a passing run that slow) is run again, the same run, with the
 * confirmation limit, and only if that one is stopped too is the outcome a hang. Notes on stderr
 * say so (stdout stays the command's own).
 */
export async function runConfirmed(url: string, limits: GuardLimits): Promise<GuardOutcome> {
  const rssBefore = Deno.memoryUsage().rss;
  // The first run's output is held until it ends (session 33, userS33a: a run the limit stopped
  // after it had printed its whole replay, and the confirmation run printed it all again): a
  // run that ends, or is not run again, prints it then; one run again prints the second's alone.
  const held: HeldLine[] = [];
  const first = await runGuarded(url, limits, undefined, limits.runTimeout, undefined, held);
  if (first.kind !== "service-hang" || !confirms(limits)) printHeld(held);
  if (first.kind !== "service-hang") return first;
  const confirm = confirmLimit(limits);
  console.error(confirmNote(limits, first));
  // A confirmation limit no longer than the run limit skips the wait, as the note says (userS28s:
  // `--confirm-timeout 2 --run-timeout 2` was told that value skips it, and the run went again).
  if (!confirms(limits)) return first;
  // A run that grew: growth counts from before it, since its worker's heap is reused by the next
  // one, not given back.
  // Held too, so the lines of a stopped first worker still running (terminate() does not stop a
  // busy one) cannot mix with them: printed as it ends, stopped or not.
  const second: HeldLine[] = [];
  const again = await runGuarded(
    url,
    limits,
    undefined,
    confirm,
    first.grew === true ? rssBefore : undefined,
    second,
  );
  printHeld(second);
  if (again.kind === "done") {
    console.error(
      `note: run again, it finished within the --confirm-timeout ${confirm}s limit: the stop ` +
        `at the run limit was a slow run (a busy machine, or a long run), not a hang; the ` +
        `verdict printed is the run's own`,
    );
  }
  return again;
}

/**
 * The note printed the moment a run is stopped at the run limit, before the confirmation run: what
 * is happening, where the run was, how long the wait may be, and how to cut it short (a user's
 * `sim` of a looping service printed nothing helpful for 55 s).
 */
export function confirmNote(
  limits: GuardLimits,
  first: Exclude<GuardOutcome, { kind: "done" }>,
): string {
  const confirm = confirmLimit(limits);
  const where = first.kind === "service-hang" && first.at !== null
    ? ` (t${first.at.tid} at step ${first.at.step} had not yielded)`
    : "";
  if (!confirms(limits)) {
    return `note: the run went past the --run-timeout ${limits.runTimeout}s run limit${where}; ` +
      `not running it again: --confirm-timeout ${confirm} is not above --run-timeout, so the ` +
      `stop is the hang (a busy machine can make a passing run that slow: a larger ` +
      `--confirm-timeout runs it again to tell)`;
  }
  return `note: the run went past the --run-timeout ${limits.runTimeout}s run limit${where}; ` +
    `running it again with the --confirm-timeout ${confirm}s limit: a hang only if it is stopped ` +
    `again (a busy machine can make a passing run that slow). This may take up to ${confirm}s; ` +
    `Ctrl-C stops it, and --confirm-timeout ${limits.runTimeout} (equal to --run-timeout) skips ` +
    `the wait. The output below is that run's alone.`;
}

/** The verdict line of a run the guard stopped: for a hang, the thread and the step. */
export function stoppedLine(
  o: Exclude<GuardOutcome, { kind: "done" }>,
  limits: GuardLimits,
  kernel?: string | null,
  program = false,
): string {
  if (o.kind === "out-of-memory") {
    return o.heapMiB === undefined
      ? `verdict: ${OUT_OF_MEMORY} (the run reached the --memory ${limits.memoryMb} MiB heap limit)`
      : `verdict: ${OUT_OF_MEMORY} (${
        heapFullWords(o.at ?? null, o.heapMiB, limits.memoryMb, undefined, kernel, program)
      }; stopped at the --run-timeout ${limits.runTimeout}s run limit, not run again: the ` +
        `heap would fill again)`;
  }
  const where = o.at === null
    ? "before any thread ran"
    : neverYielded(o.at, undefined, kernel, program);
  return `verdict: ${
    hangSignature(o.at, kernelUnderTest(kernel, program))
  } (${where}: the run did not finish within --run-timeout ` +
    `${limits.runTimeout}s${limitWords(limits).within}` +
    `${o.grew === true ? `; ${grewNote(limits.memoryMb)}` : ""})`;
}

/** The value of `--kernel` in a command's arguments (`--kernel X` or `--kernel=X`), if given. */
function kernelFlag(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--kernel") return args[i + 1];
    if (args[i].startsWith("--kernel=")) return args[i].slice("--kernel=".length);
  }
  return undefined;
}

/** A command line as a shell reads it back: words with other characters single-quoted. */
export function commandLine(task: string, args: readonly string[]): string {
  const word = (a: string) => /^[\w.,/=:@%+-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`;
  return [task, ...args.map(word)].join(" ");
}

/**
 * After the guard stopped a command's run: for a hang whose thread and step are known, a second
 * guarded run of the same command that stops just before that step and prints the trace up to it
 * and the stuck thread's name ({@linkcode stuckLines}); then the verdict line naming the thread
 * and step, and the replay line: the same command, verbatim, which stops the same way.
 * `replaysStart`: the command replays a hang at step 0 or 1 too (it stops its run just before
 * the thread, `WorldOptions.stopBefore`, even while the thread starts: a step budget cannot end
 * a run before step 1).
 */
export async function reportStopped(
  url: string,
  limits: GuardLimits,
  o: Exclude<GuardOutcome, { kind: "done" }>,
  task: string,
  args: readonly string[],
  replaysStart = false,
  /**
   * What the command knows of the stopped run: the kernel variant's module (a case file names
   * its own), and whether it ran a program (`--mode programs`: no service, and no replay that
   * stops before a step, so no second run).
   */
  detail: { kernel?: string | null; program?: boolean } = {},
): Promise<void> {
  const program = detail.program === true;
  // A run that filled the heap: its trace up to the step of the last sample, as a hang's (session
  // 33, userS33a: sim of a hog printed only the verdict), with twice the heap to get there.
  if (
    o.kind === "out-of-memory" && o.at != null && o.heapMiB !== undefined && o.at.step >= 2 &&
    !program
  ) {
    const lines: HeldLine[] = [];
    const second = await runGuarded(
      url,
      { ...limits, memoryMb: 2 * limits.memoryMb },
      o.at,
      confirmLimit(limits),
      undefined,
      lines,
      { heapMiB: o.heapMiB, memoryMb: limits.memoryMb },
    );
    printHeld(lines);
    if (second.kind !== "done") {
      console.log(
        `note: the guarded replay up to step ${o.at.step - 1} was stopped too (${second.kind}): ` +
          `no trace`,
      );
    }
  }
  if (
    o.kind === "service-hang" && o.at !== null && (o.at.step >= 2 || replaysStart) && !program
  ) {
    // The steps before the stuck one: a slow run's, so the confirmation limit.
    const second = await runGuarded(url, limits, o.at, confirmLimit(limits));
    if (second.kind !== "done") {
      console.log(
        `note: the guarded replay up to step ${
          Math.max(0, o.at.step - 1)
        } was stopped too (${second.kind})`,
      );
    }
  }
  // sim names its variant only by --kernel; repro's case file may name one the args do not.
  // A case file that names none runs the kernel model (detail.kernel null, kept: not `??`).
  const kernel = kernelFlag(args) ??
    (detail.kernel !== undefined ? detail.kernel : task.includes("sim") ? null : undefined);
  console.log(stoppedLine(o, limits, kernel, program));
  console.log(
    `signature: ${
      o.kind === "out-of-memory"
        ? OUT_OF_MEMORY
        : hangSignature(o.at, kernelUnderTest(kernel, program))
    }`,
  );
  console.log(`replay: ${commandLine(task, args)}`);
}
