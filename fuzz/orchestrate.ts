/**
 * Runs a campaign (generated scenarios or syscall programs) on N workers: the
 * host half of the engine (`engine.ts` is the pure half). Starts the pool,
 * shows progress, stops at the budget, on SIGINT or SIGTERM (within a
 * second, with the summary), writes every case a worker's investigation
 * hands it (unshrunk first, then shrunk) through `persist` at once, reports
 * the winning run per signature by the dedupe rule stated in `engine.ts`,
 * and turns a run the watchdog stopped (no yield within the run limit, or
 * the worker's heap limit) into a case of its own kind. The run limit is
 * wall-clock time, which a loaded machine stretches: a run stopped by it is
 * only suspected, and is run again in a fresh worker of its own with the much
 * larger confirmation limit; it is a finding only if that run is stopped too
 * (the case is written at once), else a slow run the summary lists.
 *
 * @module
 */

import { planRun } from "./campaign.ts";
import { Stopwatch, wallMs } from "./clock.ts";
import { Worker } from "node:worker_threads";
import { contractExcludes, SOMETIMES } from "./sometimes.ts";
import { PROGRAM_SOMETIMES } from "./programs/sometimes.ts";
import { type PoolMessage, type StallCause, startPool, WORKER_ENV } from "./_worker_pool.ts";
import type { PersistReply, WorkerMessage } from "./worker.ts";
import {
  campaignScenario,
  campaignServiceName,
  CONFIRM_FACTOR,
  CONTROL,
  DEFAULT_MEMORY_MB,
  DEFAULT_RUN_TIMEOUT,
  type InputKind,
  type RecordedProgram,
  RunRecord,
  shrinkState,
  SignatureTable,
  slotState,
  wins,
  type WorkerStart,
} from "./engine.ts";
import { PROGRAM_MAX_STEPS } from "../program/run.ts";
import type { Scenario } from "../scenario/schema.ts";
import { loadServiceModule, markUnshrunk } from "../case/store.ts";
import { contractOf, type ServiceContract } from "../scenario/service_contract.ts";
import { type ContractCounter, contractCounter } from "../scenario/contract.ts";
import { hangKind, hangSignature, kernelUnderTest, OUT_OF_MEMORY } from "./signature.ts";
import {
  atHeapLimit,
  grewNote,
  heapFullWords,
  heapGrowing,
  heapRunningOut,
  insideKernel,
  neverYielded,
  type StuckAt,
} from "../sim/stuck.ts";
import {
  campaignReplayCommand,
  CASE_FORMAT,
  type CaseEnvelope,
  caseSize,
  type ModuleRef,
  replayCommand,
} from "../case/envelope.ts";

export { DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "./engine.ts";
/** Seconds at which a program campaign's summary reports its state-signature count. */
export const CHECKPOINTS: readonly number[] = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** A campaign's settings. */
export interface CampaignOptions {
  /** What the runs are: generated scenarios (default) or syscall programs. */
  readonly kind?: InputKind;
  /** Campaign seed: scenario run `k` of seed `S` is the same run on every machine. */
  readonly seed: number;
  /** This shard of the campaign: it runs the indices `k` with `k mod count === index`. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Workers running this shard's runs in parallel. */
  readonly workers: number;
  /** Wall-clock budget; null: none. */
  readonly seconds: number | null;
  /** Runs of this shard in all (every worker together); null: none. */
  readonly runs: number | null;
  /** Module of a user pager service to serve every pager (scenarios); null: none. */
  readonly servicePath: string | null;
  /** Module exporting `makeKernel(options)`: a kernel variant to run instead of the model. */
  readonly kernelPath?: string | null;
  /** Signatures already in the corpus: counted, never investigated or persisted again. */
  readonly known: readonly string[];
  /** Most candidate runs the shrinker tries per finding. */
  readonly maxShrink: number;
  /**
   * Which checkers judge each run: scenarios `kernel` (default) or
   * `kernel+service`; programs `kernel` (default) or `contract`.
   */
  readonly checkers?: string;
  /** A seeded bug to run against (zoo/registry.ts `bug(id)`: zoo bugs, program mutants). */
  readonly bug?: string | null;
  /** The cases' references to the service and kernel modules (`case/store.ts` `moduleRef`). */
  readonly modules?: { readonly service?: ModuleRef; readonly kernel?: ModuleRef };
  /** Programs: novelty-guided (default true). */
  readonly guided?: boolean;
  /** Wall-clock limit of one run, seconds. Default {@linkcode DEFAULT_RUN_TIMEOUT}. */
  readonly runTimeout?: number;
  /**
   * Wall-clock limit, seconds, of the confirmation run of a run stopped at the run limit (run
   * again in a fresh worker of its own: a hang only if stopped again). Default
   * {@linkcode CONFIRM_FACTOR} times the run limit.
   */
  readonly confirmTimeout?: number;
  /** Heap limit of each worker, MiB. Default {@linkcode DEFAULT_MEMORY_MB}. */
  readonly memoryMb?: number;
  /** Stop once this many distinct failures were found; absent: run to the budget. */
  readonly stopAfterFindings?: number;
  /** Write one finding to the corpus; returns where it went. */
  readonly persist: (finding: CampaignFinding) => Promise<string>;
  /** Progress sink: a line to show (TTY: overwritten in place). */
  readonly progress: (line: string, final: boolean) => void;
  /** Progress interval in seconds. */
  readonly progressEvery: number;
  /**
   * Called once the campaign handles SIGINT and SIGTERM itself: a caller's own set-up handling
   * (cli/args.ts `earlyInterrupt`) ends here, leaving no moment a signal kills the process unsaid.
   */
  readonly listening?: () => void;
}

/**
 * A case for the corpus: written as soon as it exists. A finding's run is
 * first written `unshrunk`, then replaced by its `shrunk` form; a run the
 * watchdog stopped is written once (`stopped`).
 */
export interface CampaignFinding {
  /** Its dedupe key. */
  readonly signature: string;
  /** The run that found it. */
  readonly k: number;
  /** Which form of the finding the case is. */
  readonly stage: "unshrunk" | "shrunk" | "stopped";
  /** The case (`pagersim/case@2`). */
  readonly case: CaseEnvelope;
}

/** One finding in a summary. */
export interface SummaryFinding {
  /** Its dedupe key. */
  readonly signature: string;
  /** Index of the run that found it (the dedupe winner). */
  readonly k: number;
  /** Where it was written ("(not written)" if writing failed). */
  readonly file: string;
  /**
   * The command that replays it: its case file, or, not written, its campaign
   * run (scenarios; a program run has no replay without its case).
   */
  readonly replay: string | null;
  /** Case size (threads, operations or calls, events, decisions) before and after shrinking. */
  readonly size: { readonly from: number; readonly to: number };
  /** False while the case written is the unshrunk run (shrinking did not finish). */
  readonly shrunk: boolean;
  /** Why the case was not shrunk, when it never will be (a run the watchdog stopped). */
  readonly notShrunk?: string;
  /**
   * True when the campaign's end (its budget or Ctrl-C) cut shrinking short: the case is
   * written marked so, and a later campaign that meets its signature shrinks it further.
   */
  readonly shrinkCut: boolean;
  /**
   * True for a hang the campaign's budget cut short while its confirmation run was still going
   * (past the run limit twice, but not to the confirmation limit): the case is written marked
   * `found.unconfirmed`, and a later campaign that meets it confirms it again.
   */
  readonly unconfirmed: boolean;
  /** Decision count after shrinking. */
  readonly decisions: number;
  /** Decision count before shrinking. */
  readonly shrunkFrom: number;
  /** Failing runs with this signature. */
  readonly occurrences: number;
  /**
   * Who found it and what run `k` itself failed with (the unshrunk case's description, the
   * run's own VMOs, pages and bytes: what `repro --campaign S --run K` prints).
   */
  readonly description: string;
  /**
   * The shrunk case's own failure (`signature (detail)`), when it was shrunk: its VMOs, pages
   * and bytes are the shrunk run's, which the case file's replay line prints.
   */
  readonly shrunkFailure?: string;
  /**
   * The line that replays run `k` itself (scenario campaigns), which prints {@linkcode
   * description} whole: once shrunk, the case file holds the shrunk run's failure, not run k's.
   */
  readonly runReplay?: string;
}

/**
 * A run the watchdog stopped at the wall-clock run limit that was not confirmed as a hang: its
 * confirmation run (in a fresh worker of its own, with the confirmation limit) finished, or it was
 * not run again.
 */
export interface SlowRun {
  /** The run's index. */
  readonly k: number;
  /** Seconds it had run when the watchdog stopped it (the run limit, on a busy machine more). */
  readonly stoppedAfter: number;
  /**
   * How its confirmation run ended: `pass`, or the signature it failed with (counted and, if new,
   * investigated as any failing run); `unconfirmed`: not run again to its end (see `note`).
   */
  readonly outcome: string;
  /** Seconds the confirmation run took; null: unconfirmed. */
  readonly seconds: number | null;
  /** Why it is unconfirmed. */
  readonly note?: string;
  /** A command that runs it again with the confirmation limit (scenarios; programs: null). */
  readonly replay: string | null;
}

/** One point of a program campaign's state-signature timeline. */
export interface TimelinePoint {
  /** Seconds into the campaign. */
  readonly seconds: number;
  /** Distinct abstract kernel states reached by then. */
  readonly signatures: number;
  /** Runs by then. */
  readonly runs: number;
}

/** What a campaign did. */
export interface CampaignSummary {
  /** What the runs were. */
  readonly kind: InputKind;
  /** Campaign seed. */
  readonly seed: number;
  /** The shard as `index/count`. */
  readonly shard: string;
  /** Worker slots used. */
  readonly workers: number;
  /** Runs completed (stopped runs included). */
  readonly runs: number;
  /** Scheduler steps over all runs. */
  readonly steps: number;
  /** Wall-clock duration. */
  readonly seconds: number;
  /** Throughput: runs per wall-clock second, worker start-up included. */
  readonly runsPerSecond: number;
  /** Throughput once every worker was running (start-up excluded). */
  readonly steadyRunsPerSecond: number;
  /** Failing runs, repeats of known signatures included. */
  readonly failingRuns: number;
  /** Failing runs per signature (known signatures included), most frequent first. */
  readonly occurrences: readonly {
    readonly signature: string;
    readonly runs: number;
    /** The first failing run with it (by index), or null if unknown. */
    readonly run: number | null;
    /** A command replaying that run (known signatures included), or null (program mode). */
    readonly replay: string | null;
    /**
     * Why `replay` may not reproduce the run: a run of this signature failed but ran differently
     * when replayed (nondeterminism in the code under test). Absent: no such run was seen.
     */
    readonly notReplayable?: string;
  }[];
  /** New findings by run index. */
  readonly findings: readonly SummaryFinding[];
  /** Runs the watchdog stopped. */
  readonly stopped: number;
  /** Wall-clock seconds the stopped runs cost their workers (until each was stopped). */
  readonly stoppedSeconds: number;
  /** The confirmation limit (seconds) a run stopped at the run limit was run again with. */
  readonly confirmTimeout: number;
  /**
   * Runs stopped at the run limit that were not hangs (their confirmation run finished), or that
   * were not confirmed, by run index: not findings.
   */
  readonly slowRuns: readonly SlowRun[];
  /**
   * Runs stopped at the run limit after a hang of the campaign was found (confirmed, or written
   * unconfirmed at the budget's end), by run index: not run again, so neither findings nor slow
   * runs; most are the same hang again.
   */
  readonly afterHang: readonly number[];
  /**
   * Threads the watchdog stopped that may still be running user code that never yields, at the
   * end (terminate() does not stop them on Deno 2.9.6; they end with the process).
   */
  readonly spinning: number;
  /**
   * The campaign ended before its budget because more stopped threads may still be spinning than
   * it has workers: it starts no worker past that (they would share the cores with the spinning
   * threads and crawl), and says so.
   */
  readonly spinningCap: boolean;
  /**
   * Runs that reached each "sometimes" interleaving (scenarios, `fuzz/sometimes.ts`) or program
   * event (programs: user-buffer copies and their page requests, `fuzz/programs/sometimes.ts`),
   * by name.
   */
  readonly sometimes: Readonly<Record<string, number>>;
  /**
   * The "sometimes" counters no run reached (scenarios: but for those the contract rules out).
   */
  readonly neverReached: readonly string[];
  /**
   * Scenarios: "sometimes" interleavings no run reached that the service's
   * contract rules out, each with its clause (`dirty-request (dirty false)`).
   */
  readonly excludedByContract: readonly string[];
  /**
   * Scenarios (programs have no services: empty): what the harness delivered to the services
   * over the campaign,
   * by kind (`scenario/contract.ts` `DELIVERY_KINDS`: trap-dirty and resizable
   * VMOs, resizes, clones, each environment event kind).
   */
  readonly delivered: Readonly<Record<string, number>>;
  /**
   * A `--kernel` variant's own methods (those its classes override or add), by `Class.method`,
   * with the calls the campaign's runs made (fuzz/variant_calls.ts); null: no variant.
   */
  readonly variantCalls: Readonly<Record<string, number>> | null;
  /**
   * Workers the watchdog stopped (a run past the run limit, a confirmation run past its own, a
   * heap limit): each took the variant's call counts it had not yet reported with it, so with a
   * `--kernel` variant {@linkcode CampaignSummary.variantCalls} is incomplete when this is not 0.
   */
  readonly workersStopped: number;
  /**
   * Scenarios with a service held to a contract: the contract the campaign
   * ran under and the deliveries it excludes (each 0 when the generators kept
   * to it); null: no contract (the whole universe).
   */
  readonly contract: ContractCounter | null;
  /**
   * The `--service` module the campaign ran (null: none; the reference services, or a seeded
   * bug's): only a service has a contract, or says it declares none.
   */
  readonly service: string | null;
  /** Programs: distinct abstract kernel states reached (union over workers). */
  readonly signatures: number;
  /**
   * Failing runs investigated (replayed, shrunk, written) and the wall-clock seconds that took:
   * with `--workers 1` no run goes on meanwhile.
   */
  readonly shrinking: { readonly cases: number; readonly seconds: number };
  /** Programs: distinct states at each checkpoint reached, then at the end. */
  readonly timeline: readonly TimelinePoint[];
  /** True when SIGINT or SIGTERM stopped the campaign before its budget. */
  readonly interrupted: boolean;
  /** Worker crashes, unreproducible failures and corpus write errors. */
  readonly errors: readonly string[];
  /**
   * What the campaign gave up on a failure it found, not a harness error (printed `note:`; the
   * exit status is the failing runs'): a shrink a replay's limit stopped (session 33).
   */
  readonly notes: readonly string[];
  /** Process resident memory (MiB) sampled over the campaign: first, largest, last. */
  readonly rssMiB: {
    readonly first: number;
    readonly max: number;
    readonly last: number;
    readonly samples: number;
  };
}

/** A run the watchdog stopped at the run limit, as recorded when it was stopped. */
interface Suspect {
  readonly k: number;
  /** The worker slot that ran it. */
  readonly w: number;
  /** How the pool classified the stop. */
  readonly cause: StallCause;
  /** Wall-clock ms the run cost its slot until it was stopped. */
  readonly ms: number;
  /** Its schedule picks up to the stop, and whether all fit the record. */
  readonly picks: number[];
  readonly complete: boolean;
  /** Its input (a scenario, a program) and seed, as a case records them. */
  readonly input: unknown;
  readonly seed: number;
  /** What a confirmation worker runs it again from (programs; scenarios: null). */
  readonly recorded: unknown;
  /**
   * Where it stood when stopped: the step and the thread whose code ran, with its entry point
   * (scenarios; null: no thread's code ran yet, or a program run).
   */
  readonly at: StuckAt | null;
  /**
   * The `--kernel` variant's own method the thread was inside when stopped (`Class.method`, from
   * the record, fuzz/variant_calls.ts), or null: none, not a generator's body, or no variant.
   */
  readonly method: string | null;
  /** Stopped by the clock after the process grew by half the heap limit (`_worker_pool.ts`). */
  readonly grew: boolean;
  /** The worker's used heap at its last sample, MiB (`RunRecord.heapMiB`; 0: none). */
  readonly heapMiB: number;
  /**
   * Its stop was counted as a thread that may spin on (`CONTROL.spinning`; not when its heap
   * grew by a quarter of the limit, or its step still moved: the pool's `heapGrowing`, `stepOf`).
   */
  readonly counted?: boolean;
}

/** How long after SIGINT/SIGTERM workers still in a run are terminated, ms. */
const STOP_GRACE_MS = 600;

/** What a campaign's progress line shows. */
export interface ProgressState {
  readonly runs: number;
  /** The run budget, if any. */
  readonly ofRuns: number | null;
  readonly elapsed: number;
  /** The time budget in seconds, if any. */
  readonly budgetSeconds: number | null;
  /** Distinct program states reached (program campaigns), else null. */
  readonly states: number | null;
  readonly failures: number;
  /**
   * Runs stopped by a limit (the watchdog's run limit or heap limit), counted among `failures`,
   * and the wall-clock seconds they cost their workers. Absent: none (older callers).
   */
  readonly stopped?: { readonly runs: number; readonly seconds: number };
  /**
   * Runs stopped at the run limit: confirmed slow runs (not hangs), and how many are being (or
   * wait to be) run again with the confirmation limit. Absent: none.
   */
  readonly slow?: { readonly runs: number; readonly confirming: number };
  /**
   * Threads the watchdog stopped that may still be running user code that never yields
   * (`CONTROL.spinning` in fuzz/engine.ts). Absent or 0: none.
   */
  readonly spinning?: number;
  readonly distinct: number;
  /** Findings being shrunk now (written unshrunk; the shrunk case replaces them). */
  readonly shrinking: number;
  /**
   * The shrinks in progress, one per worker slot investigating a run: run `k`, candidate runs
   * tried of at most `max`, kept, and the size of the smallest case met (from `fromSize`, the
   * run's) with its decisions. Absent: none.
   */
  readonly shrinkingNow?: readonly ShrinkNow[];
  readonly rssMiB: number;
}

/** A shrink in progress, as the progress line shows it. */
export interface ShrinkNow {
  readonly k: number;
  readonly attempts: number;
  readonly max: number;
  readonly kept: number;
  /** The decisions of the smallest case met so far. */
  readonly decisions: number;
  /** That case's size (`caseSize`: input size plus decisions): never above `fromSize`. */
  readonly size: number;
  /** The size of the run the shrink started from. */
  readonly fromSize: number;
}

/**
 * One progress line of a campaign. While findings are being shrunk it says how many, so a
 * campaign whose runs have stopped (the budget is spent, a worker is shrinking) shows why it
 * has not ended.
 *
 * @example
 * ```ts
 * import { progressLine } from "./orchestrate.ts";
 * const line = progressLine({
 *   runs: 500, ofRuns: null, elapsed: 10, budgetSeconds: 30, states: null,
 *   failures: 3, distinct: 1, shrinking: 1, rssMiB: 120,
 * });
 * console.assert(line.includes("shrinking 1"), line);
 * const stopped = progressLine({
 *   runs: 9, ofRuns: null, elapsed: 10, budgetSeconds: 30, states: null,
 *   failures: 4, stopped: { runs: 3, seconds: 6.2 }, distinct: 1, shrinking: 0, rssMiB: 120,
 * });
 * console.assert(stopped.includes("failing runs 4 (3 stopped by a limit, 6.2s)"), stopped);
 * const slow = progressLine({
 *   runs: 9, ofRuns: null, elapsed: 10, budgetSeconds: 30, states: null,
 *   failures: 0, slow: { runs: 2, confirming: 1 }, distinct: 0, shrinking: 0, rssMiB: 120,
 * });
 * console.assert(slow.includes("slow runs 2 (confirming 1)"), slow);
 * const shrinking = progressLine({
 *   runs: 686, ofRuns: 1000, elapsed: 40, budgetSeconds: null, states: null, failures: 1,
 *   distinct: 1, shrinking: 1, rssMiB: 120,
 *   shrinkingNow: [
 *     { k: 685, attempts: 17, max: 2000, kept: 5, decisions: 412, size: 430, fromSize: 9100 },
 *   ],
 * });
 * console.assert(
 *   shrinking.includes("shrinking run 685: 17 of at most 2000 replays, 5 kept, size 9100 -> 430"),
 *   shrinking,
 * );
 * ```
 */
export function progressLine(p: ProgressState): string {
  const left = p.budgetSeconds !== null
    ? ` left ${Math.max(0, p.budgetSeconds - p.elapsed).toFixed(0)}s`
    : "";
  const runsLeft = p.ofRuns !== null ? ` of ${p.ofRuns}` : "";
  return `runs ${p.runs}${runsLeft}  ${(p.runs / Math.max(p.elapsed, 1e-3)).toFixed(0)} runs/s  ` +
    (p.states !== null ? `states ${p.states}  ` : "") +
    `failing runs ${p.failures}` +
    (p.stopped !== undefined && p.stopped.runs > 0
      ? ` (${p.stopped.runs} stopped by a limit, ${p.stopped.seconds.toFixed(1)}s)`
      : "") +
    (p.slow !== undefined && p.slow.runs + p.slow.confirming > 0
      ? `  slow runs ${p.slow.runs}` +
        (p.slow.confirming > 0 ? ` (confirming ${p.slow.confirming})` : "")
      : "") +
    (p.spinning !== undefined && p.spinning > 0 ? `  spinning threads ${p.spinning}` : "") +
    `  distinct ${p.distinct}` +
    (p.shrinking > 0 ? ` (shrinking ${p.shrinking})` : "") +
    `  elapsed ${p.elapsed.toFixed(0)}s${left}  rss ${p.rssMiB.toFixed(0)} MiB` +
    (p.shrinkingNow ?? []).map((s) =>
      `  shrinking run ${s.k}: ${s.attempts} of at most ${s.max} replays, ${s.kept} kept, ` +
      `size ${s.fromSize} -> ${s.size} (${s.decisions} decisions)`
    ).join("");
}

/** The shrinks the worker slots are doing now (their shrink cells), by slot. */
function shrinksNow(control: Int32Array, workers: number): ShrinkNow[] {
  const out: ShrinkNow[] = [];
  for (let w = 0; w < workers; w++) {
    const state = slotState(Atomics.load(control, CONTROL.slot(w)));
    const s = shrinkState(control, w);
    if (state.kind === "investigate" && s !== null) out.push({ k: state.k, ...s });
  }
  return out;
}

/**
 * What stopped a replay while a failing run's case was shrunk, in words: `out-of-memory` at the
 * heap limit; at the run limit the hang's signature ({@linkcode hangSignature}: inside a syscall
 * `kernel-hang` only where the kernel's code is under test, a `--kernel` variant's or, with no
 * service, a program's; userS33a's hog service, allocating without bound, read "kernel-hang: no
 * yield"), and, when the process grew by half the heap limit or more meanwhile, that its code may
 * be allocating without bound.
 *
 * @example
 * ```ts
 * import { investigateStopWords } from "./orchestrate.ts";
 * import { IN_SYSCALL } from "../sim/world.ts";
 * const inSyscall = { step: 9, tid: 3, entry: 4 * IN_SYSCALL + 1 };
 * console.assert(investigateStopWords("hang", inSyscall, false, 128, false) === "service-hang: no yield");
 * console.assert(investigateStopWords("hang", inSyscall, false, 128, true) === "kernel-hang: no yield");
 * console.assert(investigateStopWords("out-of-memory", inSyscall, false, 128, false) === "out-of-memory");
 * console.assert(investigateStopWords("hang", null, true, 128, false).includes("allocating without bound"));
 * ```
 */
export function investigateStopWords(
  cause: StallCause,
  at: StuckAt | null,
  grew: boolean,
  memoryMb: number,
  kernelTested: boolean,
): string {
  if (cause === "out-of-memory") return OUT_OF_MEMORY;
  const signature = hangSignature(at, kernelTested);
  return grew ? `${signature}; ${grewNote(memoryMb)}` : signature;
}

/** What the summary keeps of a signature's winning run. */
interface Best {
  readonly k: number;
  unshrunk: CaseEnvelope | null;
  case: CaseEnvelope;
  shrunk: boolean;
  /** Why it is not shrunk and never will be; absent: shrunk, or shrinking. */
  notShrunk?: string;
  file: string | null;
}

/** Why a run whose shrunk case did not replay alone is written unshrunk (the error below says how). */
export const NONDETERMINISTIC_NOT_SHRUNK =
  "its shrunk case did not replay alone: nondeterminism in the code under test (the error below)";

/** Why a run the watchdog stopped is written as it ran, unshrunk. */
export const STOPPED_NOT_SHRUNK =
  "the watchdog stopped the run, and every replay that shrinking tries would run into the same " +
  "limit (a whole run limit and a replaced worker each), so the case is the run as it was stopped";

/**
 * Runs a campaign to its budget (or until interrupted) and summarizes it.
 *
 * @example
 * ```ts
 * import { runCampaign } from "./orchestrate.ts";
 * const summary = await runCampaign({
 *   seed: 1,
 *   shard: { index: 0, count: 1 },
 *   workers: 1,
 *   seconds: null,
 *   runs: 3,
 *   servicePath: null,
 *   known: [],
 *   maxShrink: 10,
 *   checkers: "kernel",
 *   persist: () => Promise.resolve("(not written)"),
 *   progress: () => {},
 *   progressEvery: 60,
 * });
 * console.assert(summary.runs === 3);
 * ```
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const kind = options.kind ?? "scenarios";
  /** Whether a stop inside a syscall is the kernel's hang (properties/signature.ts). */
  const kernelTested = kernelUnderTest(options.kernelPath ?? null, kind === "programs") === true;
  const shard = options.shard ?? { index: 0, count: 1 };
  const runLimitMs = (options.runTimeout ?? DEFAULT_RUN_TIMEOUT) * 1000;
  const confirmMs = (options.confirmTimeout ?? CONFIRM_FACTOR * runLimitMs / 1000) * 1000;
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const clock = new Stopwatch();
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size(options.workers)));
  const table = SignatureTable.create(options.known);
  const records = Array.from({ length: options.workers }, () => RunRecord.create());
  const best = new Map<string, Best>();
  const occurrences = new Map<string, number>();
  const firstRuns = new Map<string, number>();
  const noteFirst = (s: string, k: number) => firstRuns.set(s, Math.min(firstRuns.get(s) ?? k, k));
  const reached = new Set<number>();
  const sometimes: Record<string, number> = {};
  const delivered: Record<string, number> = {};
  const variantCalls: Record<string, number> = {};
  let workersStopped = 0;
  const timeline: TimelinePoint[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  /** Failing runs whose replays ran differently, by signature: run index and how. */
  const unreplayable = new Map<string, { k: number; how: string }>();
  const writes: Promise<void>[] = [];
  let runs = 0, steps = 0, failures = 0, stoppedRuns = 0, stoppedMs = 0;
  /** Investigations (replays and shrinks) ended, and the wall-clock seconds they took. */
  let investigations = 0, investigateSeconds = 0;
  /** Runs stopped at the run limit: waiting to be confirmed, confirmed slow, not confirmed. */
  const suspects: Suspect[] = [];
  const slowRuns: SlowRun[] = [];
  let confirmingNow = 0, unconfirmedRuns = 0, hangConfirmed = false, budgetOver = false;
  /** Runs stopped at the run limit once a hang was found: not run again. */
  const afterHang: number[] = [];
  let confirmChain: Promise<void> = Promise.resolve();
  const confirmWorkers = new Set<Worker>();
  /** Each confirmation run in flight: what cuts it when the budget ends. */
  const budgetCuts = new Set<() => void>();
  /** Runs done: finished by a worker (a confirmation run too), stopped, or never confirmed. */
  const countRuns = () => Atomics.load(control, CONTROL.done) + stoppedRuns + unconfirmedRuns;
  let interrupted = false;
  /** When every worker had reported once: start-up is over from here. */
  let warm: { seconds: number; runs: number } | null = null;
  const stop = () => Atomics.store(control, CONTROL.stop, 1);

  const line = (final: boolean) =>
    progressLine({
      runs,
      ofRuns: options.runs,
      elapsed: clock.seconds,
      budgetSeconds: options.seconds,
      states: kind === "programs" ? reached.size : null,
      failures,
      stopped: { runs: stoppedRuns, seconds: stoppedMs / 1000 },
      slow: {
        runs: slowRuns.filter((r) => r.seconds !== null).length,
        confirming: (hangConfirmed ? 0 : suspects.length) + confirmingNow,
      },
      spinning: Atomics.load(control, CONTROL.spinning),
      distinct: best.size,
      // Findings written unshrunk whose shrunk case has not come yet (not on the last line:
      // a shrink that gave up leaves its case unshrunk, and the summary says so).
      shrinking: final ? 0 : [...best.values()].filter((b) => !b.shrunk && !b.notShrunk).length,
      shrinkingNow: final ? [] : shrinksNow(control, options.workers),
      rssMiB: Deno.memoryUsage().rss / 2 ** 20,
    });

  /** Writes a case now; the summary keeps the lowest run index per signature (the dedupe rule). */
  const write = async (f: CampaignFinding): Promise<string> => {
    const prev = best.get(f.signature);
    const entry: Best = prev !== undefined && prev.k === f.k ? prev : {
      k: f.k,
      unshrunk: null,
      case: f.case,
      shrunk: false,
      file: null,
    };
    const winner = prev === undefined || prev.k === f.k || wins(f.k, prev.k);
    if (winner) {
      if (f.stage === "unshrunk") entry.unshrunk = f.case;
      entry.case = f.case;
      entry.shrunk = f.stage === "shrunk";
      if (f.stage === "stopped") entry.notShrunk = STOPPED_NOT_SHRUNK;
      best.set(f.signature, entry);
      if (best.size >= (options.stopAfterFindings ?? Infinity)) stop();
    }
    try {
      const file = await options.persist(f);
      if (winner) entry.file = file;
      return file;
    } catch (err) {
      errors.push(
        `writing ${f.signature} (run ${f.k}, ${f.stage}): ${(err as Error).message}`,
      );
      throw err;
    }
  };

  /** Writes a worker's case and answers it (`reply`) with where it went, or why not. */
  const persistFor = (
    m: Extract<WorkerMessage, { type: "persist" }>,
    reply: (r: PersistReply) => void,
  ): Promise<void> => {
    const stage = m.case.found?.unshrunk === true ? "unshrunk" : "shrunk";
    return write({ signature: m.signature, k: m.k, stage, case: m.case }).then(
      (file): PersistReply => ({ type: "persisted", id: m.id, file }),
      (err): PersistReply => ({ type: "persisted", id: m.id, error: (err as Error).message }),
    ).then(reply);
  };

  const seenWorkers = new Set<number>();
  const onMessage = (m: Exclude<WorkerMessage, PoolMessage>) => {
    switch (m.type) {
      case "progress": {
        runs = countRuns();
        steps += m.steps;
        failures = Atomics.load(control, CONTROL.failed) + stoppedRuns;
        for (const [s, n] of Object.entries(m.occurrences)) {
          occurrences.set(s, (occurrences.get(s) ?? 0) + n);
        }
        for (const [s, k] of Object.entries(m.firstRuns)) noteFirst(s, k);
        for (const [h, n] of Object.entries(m.sometimes)) sometimes[h] = (sometimes[h] ?? 0) + n;
        for (const [d, n] of Object.entries(m.delivered)) delivered[d] = (delivered[d] ?? 0) + n;
        for (const [c, n] of Object.entries(m.variantCalls)) {
          variantCalls[c] = (variantCalls[c] ?? 0) + n;
        }
        for (const x of m.fresh) reached.add(x);
        seenWorkers.add(m.worker);
        if (warm === null && seenWorkers.size === options.workers) {
          warm = { seconds: clock.seconds, runs };
        }
        return;
      }
      case "persist": {
        writes.push(persistFor(m, (reply) => pool.send(m.worker, reply)));
        return;
      }
      case "nondeterministic": {
        investigations++;
        investigateSeconds += m.seconds;
        errors.push(`worker ${m.worker}: ${m.message}`);
        // How its replay differed, from the investigation's words.
        const d = /is not a case: (.*?) \(nondeterminism/.exec(m.message)?.[1];
        const prev = unreplayable.get(m.signature);
        if (prev === undefined || m.k < prev.k) {
          unreplayable.set(m.signature, { k: m.k, how: d ?? "its replay differed" });
        }
        return;
      }
      case "finding": {
        investigations++;
        investigateSeconds += m.seconds;
        // A shrunk run that did not replay alone: the case is the unshrunk run, and the
        // nondeterminism it showed is an error of the campaign (no pass), as a replay's is.
        if (m.notShrunk !== undefined) errors.push(`worker ${m.worker}: ${m.notShrunk}`);
        const entry = best.get(m.signature);
        if (entry !== undefined && entry.k === m.k) {
          entry.unshrunk ??= m.unshrunk;
          entry.case = m.case;
          entry.shrunk = m.notShrunk === undefined;
          if (m.notShrunk !== undefined) entry.notShrunk = NONDETERMINISTIC_NOT_SHRUNK;
        } else if (entry === undefined) {
          // Not written (no persist answer): still reported, with its replay line.
          best.set(m.signature, {
            k: m.k,
            unshrunk: m.unshrunk,
            case: m.case,
            shrunk: m.notShrunk === undefined,
            ...(m.notShrunk !== undefined ? { notShrunk: NONDETERMINISTIC_NOT_SHRUNK } : {}),
            file: null,
          });
        }
        return;
      }
    }
  };

  const serviceName = campaignServiceName(options.servicePath, options.bug ?? null);
  const checkers = options.checkers ?? "kernel";
  const campaignReplay = (run: number) =>
    campaignReplayCommand({
      seed: options.seed,
      run,
      service: options.servicePath,
      kernel: options.kernelPath,
      bug: options.bug,
      checkers,
    });
  // The contract the service module holds itself to: the workers load the same module.
  const contract: ServiceContract | undefined = kind === "scenarios" && options.servicePath !== null
    ? contractOf(await loadServiceModule(options.servicePath))?.contract
    : undefined;
  const meta = {
    checkers,
    ...(options.bug ? { bug: options.bug } : {}),
    ...(options.modules?.kernel ? { kernel: options.modules.kernel } : {}),
    ...(options.modules?.service ? { service: options.modules.service } : {}),
    ...(contract !== undefined ? { contract } : {}),
    // The confirmation limit too: `deno task repro FILE` confirms a hang as the campaign did.
    limits: {
      runTimeout: runLimitMs / 1000,
      memoryMb,
      confirmTimeout: Math.max(runLimitMs, confirmMs) / 1000,
    },
  };
  /**
   * The kernel's code a stopped run's thread ran, for {@linkcode neverYielded}: the variant module,
   * and its own method the record names (a spinning worker cannot be asked for its stack, so the
   * method is all that is known: no line); null with no variant.
   */
  const variantWords = (x: Suspect): string | null => {
    const path = options.kernelPath ?? null;
    if (path === null) return null;
    return x.method === null || !insideKernel(x.at) ? path : `${path}, in its ${x.method}`;
  };
  /** The case of a run the watchdog stopped (and, for the run limit, its confirmation too). */
  const stoppedCase = (
    x: Suspect,
    cause: StallCause,
    how: string,
    unconfirmed: boolean,
  ): CaseEnvelope => {
    // Inside a syscall of a kernel under test (a variant's, or a program's): kernel-hang.
    const signature = cause === "hang" ? hangSignature(x.at, kernelTested) : OUT_OF_MEMORY;
    // The thread that never yielded, as sim's and repro's verdict names it.
    const who =
      (cause === "hang" && x.at !== null
        ? `${neverYielded(x.at, undefined, variantWords(x), kind === "programs")}; `
        : "") +
      // Out of memory by the heap's last sample: where the run stood, and that it kept yielding.
      (cause === "out-of-memory" && x.heapMiB > 0
        ? `${
          heapFullWords(x.at, x.heapMiB, memoryMb, undefined, variantWords(x), kind === "programs")
        }; `
        : "") +
      (x.grew && cause === "hang" ? `${grewNote(memoryMb)}; ` : "");
    return {
      format: CASE_FORMAT,
      kind: kind === "scenarios" ? "scenario" : "program",
      description: `found by fuzz campaign ${options.seed}, run ${x.k}: ${signature} ` +
        `(${who}stopped at ${how}${x.complete ? "" : "; schedule record truncated"}; not shrunk: ` +
        `every shrinking replay would run into the same limit)`,
      input: x.input,
      decisions: x.picks,
      seed: x.seed,
      ...meta,
      limits: {
        maxSteps: kind === "scenarios" ? (x.input as Scenario).maxSteps : PROGRAM_MAX_STEPS,
        ...meta.limits,
      },
      expected: cause === "hang" ? hangKind(x.at, kernelTested) : "out-of-memory",
      traceHash: "0000000000000000", // the run never finished: no trace hash
      signature,
      found: {
        by: "fuzz",
        campaignSeed: options.seed,
        run: x.k,
        ...(unconfirmed ? { unconfirmed: true } : {}),
      },
    };
  };

  /** A stop that is a finding: the case is written first (if the run wins it), then counted. */
  const recordStopped = async (
    x: Suspect,
    cause: StallCause,
    how: string,
    unconfirmed = false,
  ): Promise<void> => {
    const signature = cause === "hang" ? hangSignature(x.at, kernelTested) : OUT_OF_MEMORY;
    if (cause === "hang") hangConfirmed = true;
    if (table.claim(signature, x.k)) {
      const c = stoppedCase(x, cause, how, unconfirmed);
      await write({ signature, k: x.k, stage: "stopped", case: c }).catch(() => {});
    }
    stoppedRuns++;
    stoppedMs += x.ms;
    runs = countRuns();
    failures = Atomics.load(control, CONTROL.failed) + stoppedRuns;
    occurrences.set(signature, (occurrences.get(signature) ?? 0) + 1);
    noteFirst(signature, x.k);
  };

  const runLimitText = `${runLimitMs / 1000}s run limit`;
  const confirmText = `${confirmMs / 1000}s confirmation limit`;
  /**
   * A command that runs run `k` again with the confirmation limit (scenarios), once: an equal
   * `--confirm-timeout` skips repro's own second run, which by default waits ten times longer
   * (userS28c: a printed line with only `--run-timeout 50` waited up to 550 s).
   */
  const confirmReplay = (k: number): string | null => {
    if (kind !== "scenarios") return null;
    const s = Math.ceil(confirmMs / 1000);
    return `${campaignReplay(k)} --run-timeout ${s} --confirm-timeout ${s}`;
  };
  const unconfirmed = (x: Suspect, note: string) => {
    unconfirmedRuns++;
    runs = countRuns();
    slowRuns.push({
      k: x.k,
      stoppedAfter: x.ms / 1000,
      outcome: "unconfirmed",
      seconds: null,
      note,
      replay: confirmReplay(x.k),
    });
  };

  /**
   * Runs suspect `x` again in a fresh worker of its own, with the confirmation limit: stopped again,
   * it is a finding (written at once); finished, a slow run, its outcome counted as any run's
   * (a failure it shows with a new signature is investigated by that worker).
   */
  const confirm = (x: Suspect): Promise<void> =>
    new Promise<void>((resolve) => {
      confirmingNow++;
      const t0 = wallMs();
      // Its own record (the slot's is its replacement worker's): where the confirmation run stood
      // when stopped names the thread that never yielded.
      const record = RunRecord.create();
      const stoppedAt = (): Suspect => ({
        ...x,
        at: record.at() ?? x.at,
        method: record.method() ?? x.method,
        heapMiB: record.heapMiB(),
      });
      const worker = new Worker(new URL("./worker.ts", import.meta.url), {
        workerData: {
          ...start(x.w, 0),
          record: record.buffer,
          confirm: { k: x.k, input: x.recorded },
        },
        env: WORKER_ENV,
        resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      });
      confirmWorkers.add(worker);
      let confirmed = false, closing = false, over = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const end = () => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        clearInterval(heapWatch);
        confirmWorkers.delete(worker);
        budgetCuts.delete(onBudget);
        confirmingNow--;
        resolve();
      };
      const onTimeout = async () => {
        if (closing) return;
        closing = true;
        // Its heap full by its last sample: out of memory (sim/stuck.ts `atHeapLimit`).
        const full = atHeapLimit(record.heapMiB(), memoryMb, record.firstHeapMiB());
        // Stopped in its run: it may be spinning in user code (CONTROL.spinning), unless its heap
        // filled (terminate() stops that worker; session 33: a hog's every confirmation run was
        // counted spinning, and the campaign ended after 2 of its runs).
        const growing = heapGrowing(record.heapMiB(), memoryMb, record.firstHeapMiB());
        if (!confirmed && !full && !growing && x.cause === "hang" && !x.grew) {
          Atomics.add(control, CONTROL.spinning, 1);
        }
        // The first stop was counted spinning (its heap was below the rule then): the same run
        // filled the heap here, so that worker ends at its heap limit too. Take it back.
        if (!confirmed && full && x.counted === true) {
          Atomics.sub(control, CONTROL.spinning, 1);
        }
        workersStopped++;
        await worker.terminate();
        if (!confirmed) {
          await recordStopped(
            stoppedAt(),
            full ? "out-of-memory" : x.cause,
            full
              ? `the ${memoryMb} MiB heap limit in its confirmation run`
              : `the ${runLimitText} and again at the ${confirmText}`,
          );
        } else {
          errors.push(
            `run ${x.k}: investigating the failure its confirmation run showed went past the ` +
              `${confirmText}; its case stays as last written`,
          );
        }
        end();
      };
      timer = setTimeout(onTimeout, confirmMs);
      // A heap that fills ends the confirmation run at once, out of memory (sim/stuck.ts
      // `heapRunningOut`), and so does a heap at half its limit, grown, once the run has gone
      // past the run limit again (what a stop by the clock would read as out of memory): no
      // waiting out the confirmation limit for the verdict the heap already gave (session 33: a
      // hog's confirmation ran its whole 50 s, the heap at 300 of 512 MiB, still stepping slowly).
      const heapWatch = setInterval(() => {
        if (closing || confirmed) return;
        const heap = record.heapMiB(), first = record.firstHeapMiB();
        const past = wallMs() - t0 > runLimitMs && atHeapLimit(heap, memoryMb, first);
        if (past || heapRunningOut(heap, memoryMb, first)) {
          clearTimeout(timer);
          void onTimeout();
        }
      }, 100);
      // The budget bounds the campaign: a confirmation run still going when it ends is cut once
      // it has run the run limit again (stopped twice, so written as a hang, marked unconfirmed).
      const cut = async () => {
        if (closing || confirmed) return;
        closing = true;
        const growing = heapGrowing(record.heapMiB(), memoryMb, record.firstHeapMiB());
        if (x.cause === "hang" && !x.grew && !growing) Atomics.add(control, CONTROL.spinning, 1); // as above
        workersStopped++;
        await worker.terminate();
        const ran = (wallMs() - t0) / 1000;
        await recordStopped(
          stoppedAt(),
          x.cause,
          `the ${runLimitText}, then again for ${ran.toFixed(1)}s of the ${confirmText} when ` +
            `the campaign's budget ended (not confirmed)`,
          true,
        );
        end();
      };
      const onBudget = () => {
        if (closing || confirmed) return;
        clearTimeout(timer);
        timer = setTimeout(cut, Math.max(0, runLimitMs - (wallMs() - t0)));
      };
      budgetCuts.add(onBudget);
      if (budgetOver) onBudget();
      worker.on("message", (m: WorkerMessage) => {
        switch (m.type) {
          case "confirmed":
            // Cut already (the budget's end, or the limit): it is the hang it was written as.
            if (closing) return;
            confirmed = true;
            clearTimeout(timer);
            timer = setTimeout(onTimeout, confirmMs); // the investigation's own bound
            slowRuns.push({
              k: x.k,
              stoppedAfter: x.ms / 1000,
              outcome: m.signature ?? "pass",
              seconds: (wallMs() - t0) / 1000,
              replay: confirmReplay(x.k),
            });
            return;
          case "persist":
            writes.push(persistFor(m, (reply) => worker.postMessage(reply)));
            return;
          case "error":
            errors.push(`confirming run ${x.k}: ${m.message}`);
            return;
          case "done":
            closing = true;
            void worker.terminate();
            end();
            return;
          default:
            onMessage(m);
        }
      });
      worker.on("error", (e: Error & { code?: string }) => {
        if (closing) return;
        closing = true;
        workersStopped++;
        void worker.terminate();
        if (e.code === "ERR_WORKER_OUT_OF_MEMORY" && !confirmed) {
          void recordStopped(
            x,
            "out-of-memory",
            `its confirmation run's ${memoryMb} MiB heap limit`,
          )
            .then(end);
          return;
        }
        errors.push(`confirming run ${x.k}: its worker crashed: ${e.message}`);
        if (!confirmed) unconfirmed(x, "its confirmation worker crashed");
        end();
      });
      worker.on("exit", () => {
        if (closing) return;
        closing = true;
        if (!confirmed) {
          unconfirmed(
            x,
            interrupted
              ? "the campaign was interrupted before its confirmation run ended"
              : "its confirmation worker exited",
          );
        }
        end();
      });
    });

  /** Confirms the next suspect, one at a time, unless a hang is confirmed already. */
  const confirmNext = async (): Promise<void> => {
    const x = suspects.shift();
    if (x === undefined) return;
    if (hangConfirmed) {
      unconfirmedRuns++;
      afterHang.push(x.k);
      runs = countRuns();
    } else if (confirmMs <= runLimitMs) {
      // A confirmation limit no longer than the run limit skips the second run, as in sim, repro
      // and conformance (session 29: a campaign with equal limits still ran each stopped run
      // again): the stop is the hang.
      await recordStopped(
        x,
        x.cause,
        `the ${runLimitText} (not run again: --confirm-timeout ${confirmMs / 1000} is not ` +
          `above it)`,
      );
    } else if (interrupted) {
      unconfirmed(x, "the campaign was interrupted before it was run again");
    } else await confirm(x); // after the budget too: cut at the run limit, so no hang is lost
  };

  const onStall = async (
    w: number,
    state: { kind: "run" | "investigate"; k: number },
    cause: StallCause,
    ms: number,
    timed: boolean,
    grew: boolean,
    counted = false,
  ): Promise<void> => {
    workersStopped++; // its unreported counts (a variant's calls) went with it
    const limit = cause === "hang" ? runLimitText : `${memoryMb} MiB heap limit`;
    if (state.kind === "investigate") {
      // Session 33 (userS33a): a hog service's shrinking replay read "kernel-hang: no yield"
      // with no --kernel variant, as an `error:` line (a harness error's): it is the code under
      // test's, on a failure already found and written, so a note.
      const words = investigateStopWords(
        cause,
        records[w].at(),
        grew,
        memoryMb,
        kernelTested,
      );
      notes.push(
        `run ${state.k}: a replay while shrinking its case went past the ${limit} (${words}); ` +
          `the case stays unshrunk, as it ran`,
      );
      for (const b of best.values()) {
        if (b.k === state.k && !b.shrunk) {
          b.notShrunk = `a replay while shrinking it went past the ${limit} (${words})`;
          // The file says why it is unshrunk (`corpus list`), not "killed while shrinking".
          if (b.file !== null) {
            const file = b.file;
            writes.push(
              markUnshrunk(
                file,
                { campaignSeed: options.seed, run: state.k },
                cause === "hang" ? "run-limit" : "heap-limit",
              ).then(() => {}, () => {}),
            );
          }
        }
      }
      return;
    }
    // What the slot recorded of the run, now: the slot's next worker starts a record of its own.
    const { picks, complete } = records[w].picks();
    const at = records[w].at();
    let input: unknown, seed: number, recorded: unknown = null;
    if (kind === "scenarios") {
      const plan = planRun(options.seed, state.k);
      input = campaignScenario(plan, serviceName, contract);
      seed = plan.runSeed;
    } else {
      const r = records[w].input() as RecordedProgram | null;
      if (r === null) {
        errors.push(`run ${state.k} (${limit}): its program was too large to record`);
        return;
      }
      input = r.program;
      seed = r.seed;
      recorded = r;
    }
    const x: Suspect = {
      k: state.k,
      w,
      cause,
      ms,
      picks,
      complete,
      input,
      seed,
      recorded,
      at,
      method: records[w].method(),
      grew,
      heapMiB: records[w].heapMiB(),
      counted,
    };
    if (!timed || cause === "out-of-memory") {
      // The worker's own heap limit stopped it (not the clock): a finding as it stands.
      await recordStopped(x, cause, `the ${limit}`);
      return;
    }
    // Stopped by the clock: only a suspect until its run with the confirmation limit says so.
    suspects.push(x);
    confirmChain = confirmChain.then(confirmNext);
  };

  const start = (worker: number, generation: number): WorkerStart => ({
    kind,
    seed: options.seed,
    shard,
    worker,
    generation,
    runs: options.runs,
    control: control.buffer as SharedArrayBuffer,
    signatures: table.buffer,
    record: records[worker].buffer,
    maxShrink: options.maxShrink,
    servicePath: options.servicePath,
    kernelPath: options.kernelPath ?? null,
    bug: options.bug ?? null,
    checkers,
    guided: options.guided ?? true,
    meta,
  });

  const pool = startPool<WorkerStart, Exclude<WorkerMessage, PoolMessage>>({
    url: new URL("./worker.ts", import.meta.url),
    count: options.workers,
    start,
    onMessage,
    errors,
    control,
    runLimitMs,
    memoryMb,
    atHeapLimit: (w) => atHeapLimit(records[w].heapMiB(), memoryMb, records[w].firstHeapMiB()),
    heapGrowing: (w) => heapGrowing(records[w].heapMiB(), memoryMb, records[w].firstHeapMiB()),
    stepOf: (w) => records[w].at()?.step ?? -1,
    heapRunningOut: (w) =>
      heapRunningOut(records[w].heapMiB(), memoryMb, records[w].firstHeapMiB()),
    onStall,
  });

  let grace: ReturnType<typeof setTimeout> | undefined;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    stop();
    // Runs end at their next step; one that does not (user code that never yields) is cut off,
    // and so is a confirmation run (its run is reported unconfirmed, with its replay line).
    // A worker investigating a failing run is spared until it wrote the case (no finding is
    // lost: the run was counted as failing): with the stop flag set it writes the case unshrunk,
    // cuts its shrinking short, writes that and ends. Two replays of a run that ended within the
    // run limit bound the wait; past that it is cut off too.
    const investigating = (w: number) =>
      slotState(Atomics.load(control, CONTROL.slot(w))).kind === "investigate";
    grace = setTimeout(() => {
      void pool.terminateAll(investigating);
      for (const w of confirmWorkers) void w.terminate();
      grace = setTimeout(() => void pool.terminateAll(), 2 * runLimitMs + STOP_GRACE_MS);
    }, STOP_GRACE_MS);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  options.listening?.();

  let next = 0;
  const budget = setInterval(() => {
    const s = clock.seconds;
    if (options.seconds !== null && s >= options.seconds && !budgetOver) {
      budgetOver = true;
      stop();
      for (const cut of budgetCuts) cut();
    }
    while (next < CHECKPOINTS.length && s >= CHECKPOINTS[next]) {
      timeline.push({ seconds: CHECKPOINTS[next++], signatures: reached.size, runs });
    }
  }, 50);
  const rss: number[] = [];
  const sampleRss = () => rss.push(Deno.memoryUsage().rss / 2 ** 20);
  sampleRss();
  const ticker = setInterval(() => {
    sampleRss();
    options.progress(line(false), false);
  }, options.progressEvery * 1000);
  try {
    await pool.finished;
    // Suspected hangs still being confirmed (each within the confirmation limit).
    for (let last = null as Promise<void> | null; last !== confirmChain;) {
      last = confirmChain;
      await last;
    }
  } finally {
    clearInterval(budget);
    clearInterval(ticker);
    clearTimeout(grace);
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  await Promise.all(writes);

  runs = countRuns();
  failures = Atomics.load(control, CONTROL.failed) + stoppedRuns;
  // Steps of finished runs no message carried: a worker stopped (a hang, an interrupt) before it
  // sent them leaves them in its slot's cell.
  for (let w = 0; w < options.workers; w++) steps += Atomics.exchange(control, CONTROL.steps(w), 0);
  sampleRss();
  options.progress(line(true), true);
  const seconds = clock.seconds;
  const warmed = warm as { seconds: number; runs: number } | null; // set in a worker callback
  const excluded = contract !== undefined ? contractExcludes(contract) : new Map<string, string>();
  if (kind === "programs") {
    timeline.push({ seconds: Math.round(seconds * 10) / 10, signatures: reached.size, runs });
  }
  return {
    kind,
    seed: options.seed,
    shard: `${shard.index}/${shard.count}`,
    workers: options.workers,
    runs,
    steps,
    seconds,
    runsPerSecond: runs / Math.max(seconds, 1e-3),
    steadyRunsPerSecond: warmed !== null && seconds - warmed.seconds > 0.5
      ? (runs - warmed.runs) / (seconds - warmed.seconds)
      : runs / Math.max(seconds, 1e-3),
    failingRuns: failures,
    occurrences: [...occurrences.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([signature, runs]) => {
        const run = firstRuns.get(signature) ?? null;
        const odd = unreplayable.get(signature);
        return {
          signature,
          runs,
          run,
          replay: run !== null && kind === "scenarios" ? campaignReplay(run) : null,
          ...(odd !== undefined
            ? {
              notReplayable: `run ${odd.k} of it ran differently when replayed (${odd.how}): ` +
                "nondeterminism in the code under test",
            }
            : {}),
        };
      }),
    findings: [...best.entries()].sort((a, b) => a[1].k - b[1].k).map(([signature, b]) => {
      const first = b.unshrunk ?? b.case;
      return {
        signature,
        k: b.k,
        file: b.file ?? "(not written)",
        replay: b.file !== null
          ? replayCommand(b.file)
          : kind === "scenarios"
          ? campaignReplay(b.k)
          : null,
        size: {
          from: caseSize(first),
          to: caseSize(b.case),
        },
        shrunk: b.shrunk,
        ...(b.notShrunk !== undefined ? { notShrunk: b.notShrunk } : {}),
        shrinkCut: b.case.found?.shrinkCut === true,
        unconfirmed: b.case.found?.unconfirmed === true,
        decisions: b.case.decisions.length,
        shrunkFrom: first.decisions.length,
        occurrences: occurrences.get(signature) ?? 1,
        description: first.description,
        ...(first !== b.case && b.shrunk
          ? { shrunkFailure: b.case.description.replace(/^found by [^:]*: /, "") }
          : {}),
        ...(kind === "scenarios" ? { runReplay: campaignReplay(b.k) } : {}),
      };
    }),
    stopped: stoppedRuns,
    stoppedSeconds: stoppedMs / 1000,
    confirmTimeout: confirmMs / 1000,
    slowRuns: [...slowRuns].sort((a, b) => a.k - b.k),
    afterHang: [...afterHang].sort((a, b) => a - b),
    spinning: Atomics.load(control, CONTROL.spinning),
    spinningCap: pool.cappedSlots > 0,
    sometimes,
    neverReached: kind === "scenarios"
      ? Object.keys(SOMETIMES).filter((k) => !(sometimes[k] > 0) && !excluded.has(k))
      : Object.keys(PROGRAM_SOMETIMES).filter((k) => !(sometimes[k] > 0)),
    excludedByContract: kind === "scenarios"
      ? Object.keys(SOMETIMES).filter((k) => !(sometimes[k] > 0) && excluded.has(k))
        .map((k) => `${k} (${excluded.get(k)})`)
      : [],
    delivered,
    variantCalls: options.kernelPath !== null && options.kernelPath !== undefined
      ? variantCalls
      : null,
    workersStopped,
    contract: contract !== undefined ? contractCounter(contract, delivered) : null,
    service: options.servicePath,
    signatures: reached.size,
    shrinking: { cases: investigations, seconds: investigateSeconds },
    timeline,
    interrupted,
    errors,
    notes,
    rssMiB: {
      first: rss[0],
      max: Math.max(...rss),
      last: rss[rss.length - 1],
      samples: rss.length,
    },
  };
}
