/**
 * `deno task explore`: bounded exhaustive exploration of a small scenario —
 * every schedule with at most K preemptions, bounds 0..K in turn. Ends with
 * the pass sentence, the explicit schedule-limit sentence, or the first
 * counterexample (fewest preemptions), written to the corpus so that
 * `deno task repro FILE` replays it.
 *
 * @module
 */

import { ownCorpusHint } from "./_corpus_hint.ts";
import {
  COVERAGE_FLAG,
  LINT_FLAG,
  lintMode,
  lintModules,
  rerunWithCoverage,
} from "./_quality_hooks.ts";
import { basename } from "node:path";
import { CASE_FORMAT, type CaseEnvelope, caseFileName, replayCommand } from "../case/envelope.ts";
import { toEnvelope } from "../case/investigate.ts";
import { SCENARIO_CHECKERS, SCENARIO_KIND, scenarioCheckers } from "../case/kinds.ts";
import {
  CaseFileError,
  corpusWriteProblem,
  insideProject,
  loadKernelModule,
  loadServiceModule,
  moduleRef,
  writeCaseOutcome,
} from "../case/store.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import { withService } from "../scenario/bind.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { boundLabel, type Counterexample, type ExploreProgress } from "../explore/explore.ts";
import {
  DEFAULT_TASK_BUDGET,
  exploreInWorker,
  exploreSplit,
  shrinkInWorker,
} from "../explore/parallel.ts";
import {
  EXPLORE_MEMORY_MB,
  type ExploreLimits,
  ExploreStopped,
  type StopFinding,
} from "../explore/guard.ts";
import { decisionListLine } from "./_output.ts";
import { redrawText } from "./_redraw.ts";
import { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
import { hangKind, hangSignature, kernelUnderTest, OUT_OF_MEMORY } from "../fuzz/signature.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { LIVENESS_AFTER } from "../scenario/generate.ts";
import { shellQuote } from "../properties/failure_report.ts";
import { entryWords, grewNote, heapFullWords, insideKernel } from "../sim/stuck.ts";
import { describeVerdict } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import { assertInContract } from "../scenario/contract.ts";
import { contractOf } from "../scenario/service_contract.ts";
import {
  choiceError,
  type FlagSpec,
  InputError,
  intFlag,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";
import { loadScenarioFile } from "./sim.ts";
import { fittedDefault, moduleFlags, variantCorpusRefusal } from "./_module_flags.ts";
import { Stopwatch } from "../fuzz/clock.ts";
import {
  type BoundEstimate,
  cutHintLine,
  duration,
  type FinishedBound,
  nextBoundEstimate,
  nextBoundLine,
  runningEstimate,
} from "./_explore_estimate.ts";

/** Seconds between progress lines on stderr when it is not a terminal (redrawn twice a second on one). */
const PLAIN_PROGRESS_SECONDS = 5;

/**
 * Off a terminal, whether the periodic progress line is printed: only when it says something the
 * last one printed did not. The timer fires every `--progress-every` seconds while reports of the
 * search come every few hundred executions, so a log repeated one line 5-7 times in a row
 * (userS31a); a terminal redraws the line in place, and keeps every tick.
 *
 * @example
 * ```ts
 * import { changedLineGate } from "./explore.ts";
 * const show = changedLineGate();
 * console.assert(show("bound 1: 551 executions") && !show("bound 1: 551 executions"));
 * console.assert(show("bound 1: 1052 executions"));
 * ```
 */
export function changedLineGate(): (line: string) => boolean {
  let last: string | null = null;
  return (line) => {
    if (line === last) return false;
    last = line;
    return true;
  };
}

/** `--progress-every S` in seconds (at least 0.1), or the default for where stderr goes. */
function progressEvery(values: Record<string, string | boolean | undefined>, tty: boolean): number {
  const v = values["progress-every"];
  if (v === undefined) return tty ? 0.5 : PLAIN_PROGRESS_SECONDS;
  const n = Number(v);
  if (typeof v !== "string" || !/^\d+(\.\d+)?$/.test(v) || !(n >= 0.1)) {
    throw new UsageError(`--progress-every must be a number of seconds, at least 0.1, got "${v}"`);
  }
  return n;
}

/** What a running bound's progress line says besides the counts. */
export interface ProgressPace {
  /** Seconds since the bound began. */
  readonly boundSeconds: number;
  /** Executions of earlier bounds (the execution limit counts over all bounds). */
  readonly before: number;
  /** `--max-executions`, if given. */
  readonly limit: number | undefined;
  /**
   * The running bound's size as the bounds before it estimate it (null for bound 0; undefined:
   * no estimate is said, as before session 29).
   */
  readonly estimate?: BoundEstimate | null;
}

/**
 * A running bound's progress line (stderr): executions and their rate in this bound, schedules,
 * the split search's tasks done, and the estimates that can be made honestly: the bound's size
 * from the bounds before it (none for bound 0, whose size is known only once it is searched),
 * with the time left to it at the current rate, and the time to the `--max-executions` limit
 * (how to cut a long bound is a line of its own, `cutHintLine`).
 *
 * @example
 * ```ts
 * import { runningLine } from "./explore.ts";
 * const p = { bound: 1, executions: 3000, schedules: 2500, states: null, boundDone: false };
 * const line = runningLine(p, { boundSeconds: 10, before: 1000, limit: 10000 });
 * console.assert(line.includes("300 executions/s"), line);
 * console.assert(line.includes("the --max-executions 10000 limit in about 20 s"), line);
 * ```
 */
export function runningLine(
  p: ExploreProgress & { tasks?: number; tasksDone?: number },
  pace: ProgressPace,
): string {
  const rate = p.executions / Math.max(pace.boundSeconds, 1e-3);
  const tasks = p.tasks !== undefined && p.tasks > 1
    ? `, split tasks ${p.tasksDone ?? 0} of ${p.tasks} done (sizes differ: no estimate from them)`
    : "";
  const left = pace.limit !== undefined ? pace.limit - pace.before - p.executions : null;
  const limit = left === null
    ? null
    : rate > 0
    ? `the --max-executions ${pace.limit} limit in about ${duration(left / rate)} ` +
      `at this rate, unless the bound ends first`
    : `the --max-executions ${pace.limit} limit: no rate yet`;
  const e = pace.estimate;
  const size = e === undefined
    ? (limit === null ? "no estimate: a bound's size is known only once it is searched" : null)
    : runningEstimate(e, p.executions, rate);
  return `bound ${boundLabel(p.bound)}: ${p.executions} executions (${rate.toFixed(0)} ` +
    `executions/s), ${p.schedules} schedules, ${pace.boundSeconds.toFixed(0)} s into bound ` +
    `${boundLabel(p.bound)}${tasks}; ${[size, limit].filter((x) => x !== null).join("; ")}`;
}

/**
 * The line of a bound that ended: its own time and the time since the search began, each
 * labelled (a user read `bound 1: ... 181 s`, the time since the search began, beside a running
 * line's `145 s into the bound`).
 */
export function boundDoneLine(
  p: ExploreProgress,
  boundSeconds: number,
  searchSeconds: number,
): string {
  return `bound ${boundLabel(p.bound)}: ${p.schedules} schedules, ${
    p.states === null ? "distinct states counted at the bound's end" : `${p.states} distinct states`
  }, ${p.executions} executions, in ${boundSeconds.toFixed(0)} s (${
    searchSeconds.toFixed(0)
  } s since the search began)${boundEnd(p)}`;
}

/** How the summary marks a bound whose search a counterexample or the schedule limit stopped. */
const NOT_FINISHED = " (not finished)";

/**
 * The end of a progress line: nothing while the bound runs; at its last report, "(bound done)"
 * when every schedule of it was searched, else the summary's "(not finished)": a bound stopped at
 * a counterexample is not done, and the two lines must not disagree.
 */
/**
 * A note when a bound's random draws offered more alternatives than its executions explored
 * otherwise, from draws wider than a yes/no: each value of a draw is a branch of the search.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { drawNote } from "./explore.ts";
 * assert.equal(drawNote({ bound: 0, executions: 2000, drawAlternatives: 40, widestDraw: 100 }), null);
 * assert.match(drawNote({ bound: 0, executions: 2000, drawAlternatives: 1980, widestDraw: 100 }) ?? "", /sys\.chance/);
 * ```
 */
export function drawNote(
  b: { bound: number; executions: number; drawAlternatives: number; widestDraw: number },
): string | null {
  if (b.widestDraw <= 2 || 2 * b.drawAlternatives < b.executions) return null;
  return `  note: bound ${boundLabel(b.bound)}'s random draws added ${b.drawAlternatives} ` +
    `alternatives to its ${b.executions} executions (draws of up to ${b.widestDraw} values, ` +
    `each value a branch): draw a yes/no with sys.chance(percent), not sys.random(100) < ` +
    `percent, and keep other draws small (README, "Random draws are branches")`;
}

/**
 * A note, once per search, when some schedules' workload finished before an environment event of
 * the scenario was done: explore branches the workload's schedule only, so an event not fired by
 * then never fires, and one under way finishes in the quiescent tail, unbranched (or, with no
 * quiescent-end checker, not at all). userS32a: explore passed all 5477 schedules of a scenario
 * whose `evict` (notBefore 10) rarely fired before its three-op workload ended; sim found the bug.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pendingEventsNote } from "./explore.ts";
 * const b = { bound: 0, schedules: 10, pendingAtEnd: 0, pendingEvents: [] };
 * assert.equal(pendingEventsNote([b], true), null);
 * const cut = { bound: 1, schedules: 20, pendingAtEnd: 7, pendingEvents: ["env1.evict(file)"] };
 * assert.match(pendingEventsNote([b, cut], true) ?? "", /in 7 of 20 schedules \(bound 1\)/);
 * ```
 */
export function pendingEventsNote(
  bounds: readonly {
    bound: number;
    schedules: number;
    pendingAtEnd: number;
    pendingEvents: readonly string[];
  }[],
  tail: boolean,
): string | null {
  // The last bound's schedules hold the bounds' before it (each bound searches from the start).
  const last = bounds.findLast((b) => b.pendingAtEnd > 0);
  if (last === undefined) return null;
  const events = [...new Set(bounds.flatMap((b) => b.pendingEvents))].sort();
  return `note: in ${last.pendingAtEnd} of ${last.schedules} schedules${
    bounds.length > 1 ? ` (bound ${boundLabel(last.bound)})` : ""
  } the workload finished before ` +
    `environment event${events.length === 1 ? "" : "s"} ${events.join(", ")} had run: the ` +
    "search branches the workload's schedule only, and ends it when the workload ends, so an " +
    "event not fired by then never fires there" +
    (tail
      ? ", and one under way finishes in the quiescent tail, unbranched"
      : ", and one under way is cut off") +
    ". What those events would do between the workload's steps was not explored. To explore " +
    "it, keep the workload going past them: more ops after the ones they act on (another read " +
    'of the page, say), or a lower notBefore (README, "Exhaustive exploration")';
}

function boundEnd(p: ExploreProgress): string {
  if (!p.boundDone) return "";
  return p.complete === false ? NOT_FINISHED : " (bound done)";
}

/** Shrink attempts for a counterexample by default (fuzz's `--max-shrink` default). */
const DEFAULT_SHRINK = 2000;

/** Seconds of shrinking by default: a 25,000-step counterexample's candidate runs are slow. */
const DEFAULT_SHRINK_SECONDS = 0;

const FLAGS: Record<string, FlagSpec> = {
  scenario: {
    type: "string",
    value: "FILE",
    path: true,
    help: "the scenario to explore (default: the built-in one)",
  },
  preemptions: {
    type: "string",
    value: "K",
    help: "preemption bound (required; 0-8, or all: every schedule, small scenarios only)",
  },
  "max-executions": {
    type: "string",
    value: "N",
    help: "stop after N executions over all bounds (reported as not exhaustive, exit 3); an " +
      "execution cut by the state hash or a sleep set counts too, so fewer schedules end",
  },
  "max-schedules": {
    type: "string",
    value: "N",
    help: "the old name of --max-executions: it always counted executions, not schedules",
  },
  "no-state-hash": { type: "boolean", help: "do not prune states reached before" },
  reduction: {
    type: "string",
    value: "KIND",
    help: "dpor (default: dynamic partial-order reduction with sleep sets) | sleep-sets",
  },
  "no-reduction": {
    type: "boolean",
    help: "do not prune commuting steps (neither DPOR nor sleep sets)",
  },
  workers: {
    type: "string",
    value: "N",
    help: "workers that explore the split tasks (default: one per core); never changes the result",
  },
  "split-depth": {
    type: "string",
    value: "D",
    help: "split each bound into the subtrees after D choices (default 4; 0: one search)",
  },
  "task-budget": {
    type: "string",
    value: "N",
    help: "a split task hands its unexplored subtrees back to the workers after N executions " +
      `(default ${DEFAULT_TASK_BUDGET}; all: never); never depends on time`,
  },
  "progress-every": {
    type: "string",
    value: "S",
    help: "print the running bound's progress on stderr every S seconds (default 0.5 on a " +
      `terminal, else ${PLAIN_PROGRESS_SECONDS}; at least 0.1)`,
  },
  "no-private-steps": {
    type: "boolean",
    help: "also preempt just before private steps (on a VMO only the thread can name)",
  },
  ...moduleFlags({
    service: "serve every pager with this service module",
    kernel: "explore a kernel variant: a module exporting makeKernel(options) (needs --corpus)",
  }),
  checkers: {
    type: "string",
    value: "SET",
    help: "kernel | kernel+service (default: kernel+service with --service, as fuzz; else kernel)",
  },
  ...RUN_LIMIT_FLAGS,
  memory: {
    type: "string",
    value: "MIB",
    help: `JavaScript heap limit of a worker (its state cache lives there too); an execution ` +
      `there goes silent and is stopped at --run-timeout (out-of-memory) ` +
      `(default ${EXPLORE_MEMORY_MB})`,
  },
  "max-shrink": {
    type: "string",
    value: "N",
    help: `shrink attempts for the counterexample, as deno task fuzz shrinks a case (default ` +
      `${DEFAULT_SHRINK}; 0: write it as found)`,
  },
  "shrink-seconds": {
    type: "string",
    value: "S",
    help: `stop shrinking after S seconds and keep the case shrunk so far (default ` +
      `${DEFAULT_SHRINK_SECONDS}: no limit; a limit makes the case written depend on the ` +
      `machine's speed, --max-shrink does not)`,
  },
  ...LINT_FLAG,
  ...COVERAGE_FLAG,
  corpus: {
    type: "string",
    value: "DIR",
    path: true,
    help: "where a counterexample is written (default corpus)",
  },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage("deno task explore", "[--scenario FILE] --preemptions K [options]", FLAGS) + `

Checks every schedule with at most K preemptions (bounds 0, 1, ..., K in turn,
so a counterexample has the fewest preemptions) against the kernel invariants, and
with --service also the service obligations (as deno task fuzz; see --checkers).
While a bound runs, stderr shows its progress every 5 s (redrawn on a terminal;
off one, a line only when its counts changed since the last):
executions, their rate, the bound's size as the bounds before estimate it and the
time left to it at this rate (none for bound 0: its size is known only once it is
searched), and with --max-executions the time to that limit. When a bound ends,
a next: line estimates the next bound before it starts, with how to cut it.
Replay a counterexample with: deno task repro FILE.
A counterexample is written as found, then shrunk as deno task fuzz shrinks a
case (the scenario's cuts, then the decision list's; stderr shows the candidate
runs tried), keeping its signature and at most its preemptions: the shrunk case
replaces it only if it replays alone as repro replays it (--max-shrink,
--shrink-seconds). A long decision list is printed as its first entries; the
case file holds it whole.
User code may be hostile: an execution that runs past --run-timeout (and, to
confirm, --confirm-timeout) ends the search with a service-hang verdict naming
the thread and step (kernel-hang when the thread is inside a syscall of a
--kernel variant, whose code is then under test) (one at the --memory heap
limit goes silent: stopped at --run-timeout, out-of-memory, naming the thread
running and its step);
it is written to the corpus like a counterexample (deno task repro FILE).
A service that throws is a thread fault (a counterexample). A service whose
replay differs from its first run (time, randomness, state kept across runs)
ends the search with an error and no verdict: exploration replays every schedule
from the start.
Exit status: 0 all schedules pass, 1 a counterexample, a hang or out-of-memory,
2 bad input (a nondeterministic service too), 3 stopped at
the --max-executions limit (not exhaustive), 130/143 stopped by SIGINT/SIGTERM (what was
searched is printed first).`;

/** `--reduction dpor|sleep-sets` (default dpor), as this command and `tools/explore_tasks.ts` read it. */
export function reductionFlag(
  values: Record<string, string | boolean | undefined>,
): "dpor" | "sleep-sets" {
  const kind = (values.reduction as string | undefined) ?? "dpor";
  if (kind !== "dpor" && kind !== "sleep-sets") {
    throw new UsageError(`--reduction: expected dpor or sleep-sets, got "${kind}"`);
  }
  return kind;
}

/** `--task-budget N` (`all`: Infinity), as this command and `tools/explore_tasks.ts` read it. */
export function taskBudgetFlag(values: Record<string, string | boolean | undefined>): number {
  return values["task-budget"] === "all"
    ? Infinity
    : intFlag(values, "task-budget", DEFAULT_TASK_BUDGET, 1);
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  const progressSeconds = progressEvery(values, Deno.stderr.isTerminal());
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const covered = rerunWithCoverage(values, import.meta.url);
  if (covered !== null) return await covered;
  if (values.preemptions === undefined) throw new UsageError("--preemptions K is required");
  if (values.preemptions !== "all" && !/^\d+$/.test(String(values.preemptions))) {
    throw new UsageError(`--preemptions: expected 0-8 or all, got "${values.preemptions}"`);
  }
  const k = values.preemptions === "all" ? Infinity : intFlag(values, "preemptions", 0, 0, 8);
  const maxShrink = intFlag(values, "max-shrink", DEFAULT_SHRINK, 0, 1_000_000);
  const shrinkSeconds = intFlag(values, "shrink-seconds", DEFAULT_SHRINK_SECONDS, 0, 86_400);
  // --max-schedules is --max-executions' old name: it always counted executions.
  if (values["max-executions"] !== undefined && values["max-schedules"] !== undefined) {
    throw new UsageError(
      "--max-schedules is the old name of --max-executions: give one of them",
    );
  }
  const limitFlag = values["max-schedules"] !== undefined ? "max-schedules" : "max-executions";
  const maxSchedules = values[limitFlag] !== undefined
    ? intFlag(values, limitFlag, 0, 1)
    : undefined;
  const kernelPath = (values.kernel as string | undefined) ?? null;
  // A counterexample against a kernel variant is not a regression of this kernel.
  if (kernelPath !== null && values.corpus === undefined) {
    throw new UsageError(variantCorpusRefusal("kernel"));
  }
  const corpus = (values.corpus as string | undefined) ?? "corpus";
  const servicePath = (values.service as string | undefined) ?? null;
  // The checker set fuzz and repro use: a service's obligations are checked whenever one runs.
  const checkers =
    (values.checkers ?? (servicePath !== null ? "kernel+service" : "kernel")) as string;
  if (!(SCENARIO_CHECKERS as readonly string[]).includes(checkers)) {
    throw choiceError("checkers", checkers, SCENARIO_CHECKERS);
  }
  // A counterexample's case names these modules: one a case may not name (outside the project
  // tree) is refused now, before it is read, linted or run, and not after a search that found
  // something it then could not keep.
  try {
    if (servicePath !== null) await insideProject(servicePath, "--service");
    if (kernelPath !== null) await insideProject(kernelPath, "--kernel");
  } catch (e) {
    if (e instanceof CaseFileError) throw new InputError(e.message);
    throw e;
  }
  // Before either is loaded: a kernel variant's module state outlives an execution as a
  // service's does, and exploration replays every schedule from the start.
  await lintModules(values, lintMode(values));
  let makeKernel: ((o: KernelOptions) => Kernel) | undefined;
  if (kernelPath !== null) {
    try {
      makeKernel = await loadKernelModule(kernelPath);
    } catch (e) {
      if (e instanceof CaseFileError) throw new InputError(e.message);
      throw e;
    }
  }
  const loaded: Scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  const original = searchableLiveness(loaded);
  if (original !== loaded) console.log(livenessNote(loaded, original));
  const services: Record<string, PagerService> = {};
  let scenario = original;
  if (servicePath !== null) {
    services.user = await loadServiceModule(servicePath);
    scenario = withService(original, "user");
    if (values.scenario === undefined) scenario = fittedDefault(scenario, services);
    // Before any worker starts: one line naming the clause the scenario leaves.
    assertInContract(scenario, services, values.scenario as string | undefined);
  }
  // The corpus, before the search it would cost and after the input is known good (a refusal
  // is one line, with no warning before it; a missing corpus is created): a path that is a
  // file is refused; a folder this process may not write in is said now, and a counterexample
  // is then printed with a replay line that needs no file.
  const problem = await corpusWriteProblem(corpus);
  if (problem?.notAFolder) throw new InputError(`--corpus ${corpus}: ${problem.message}`);
  if (problem !== null) {
    console.error(
      `warning: --corpus ${corpus}: ${problem.message}: a counterexample cannot be written; ` +
        "it is printed with a deno task repro line that needs no file",
    );
  }
  const stateHash = !values["no-state-hash"];
  const kind = reductionFlag(values);
  const reduction = values["no-reduction"] ? false : kind;
  const privateSteps = !values["no-private-steps"];
  const workers = values.workers !== undefined
    ? intFlag(values, "workers", 1, 1, 64)
    : Math.max(1, navigator.hardwareConcurrency ?? 1);
  // A schedule limit counts executions in search order: one search, in this thread.
  const splitDepth = maxSchedules !== undefined ? 0 : intFlag(values, "split-depth", 4, 0, 6);
  const taskBudget = taskBudgetFlag(values);
  // The watchdog's limits of one execution: fuzz's flags, with the heap an exploration worker
  // needs for its state cache by default.
  const runLimits = campaignLimits(values);
  const limits: ExploreLimits = {
    runTimeout: runLimits.runTimeout,
    confirmTimeout: runLimits.confirmTimeout,
    memoryMb: values.memory !== undefined ? runLimits.memoryMb : EXPLORE_MEMORY_MB,
  };
  console.log(
    `explore: ${values.scenario ?? "the default scenario"}, ` +
      `${k === Infinity ? "any number of" : `up to ${k}`} preemptions` +
      `${maxSchedules !== undefined ? `, at most ${maxSchedules} executions` : ""}` +
      `, state hashing ${stateHash ? "on" : "off"}, reduction ${reduction || "off"}` +
      `, private steps ${privateSteps ? "on" : "off"}` +
      `, checkers ${checkers}${servicePath ? `, service ${servicePath}` : ""}${
        kernelPath ? `, kernel ${kernelPath}` : ""
      }` +
      `${
        maxSchedules === undefined
          ? `, split at depth ${splitDepth}, task budget ${
            taskBudget === Infinity ? "none" : taskBudget
          }, ${workers} workers`
          : ""
      }`,
  );
  const tty = Deno.stdout.isTerminal();
  const ttyErr = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const clock = new Stopwatch();
  // The running bound's latest counts, shown on stderr at a steady pace (a timer: the search runs
  // in workers, and a report of it may be far apart); each bound's end goes to stdout.
  let latest: (ExploreProgress & { tasks?: number; tasksDone?: number }) | null = null;
  let boundStart = 0, latestAt = 0, before = 0, redrawn = false;
  // The bounds finished so far and the running bound's estimated size (counts only: the search
  // never reads them).
  const finished: FinishedBound[] = [];
  let estimate: BoundEstimate | null = null;
  let hinted = -1; // the last bound whose hint line was printed
  const changed = changedLineGate(); // off a terminal, a line only when its counts changed
  const clearRedraw = () => {
    if (redrawn) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    redrawn = false;
  };
  const ticker = setInterval(() => {
    if (latest === null) return;
    // The rate as of the latest report (reports come every few hundred executions).
    const boundSeconds = latestAt - boundStart;
    const line = runningLine(latest, {
      boundSeconds,
      before,
      limit: maxSchedules,
      estimate,
    });
    // A long bound says once how to cut it, on a line of its own (the redrawn line stays short);
    // under --max-executions the limit line says what is left.
    const hint = maxSchedules === undefined && hinted !== latest.bound
      ? cutHintLine(
        latest.bound,
        clock.seconds - boundStart,
        estimate,
        latest.executions,
        latest.executions / Math.max(boundSeconds, 1e-3),
      )
      : null;
    if (hint !== null) {
      hinted = latest.bound;
      clearRedraw();
      console.error(hint);
    }
    if (ttyErr) {
      Deno.stderr.writeSync(encoder.encode(redrawText(line)));
      redrawn = true;
    } else if (changed(line)) console.error(line);
  }, progressSeconds * 1000);
  Deno.unrefTimer(ticker); // never what keeps the command alive
  const progress = (p: ExploreProgress) => {
    const secs = clock.seconds;
    latest = p.boundDone ? null : p;
    latestAt = secs;
    if (!p.boundDone) return;
    before += p.executions;
    const line = boundDoneLine(p, secs - boundStart, secs);
    // Before the next bound starts: what it is estimated to cost, at this bound's rate.
    finished.push({ bound: p.bound, executions: p.executions });
    estimate = nextBoundEstimate(finished);
    const next = p.complete !== false && p.bound < k && estimate !== null
      ? nextBoundLine(
        estimate,
        p.executions / Math.max(secs - boundStart, 1e-3),
        maxSchedules !== undefined ? Math.max(0, maxSchedules - before) : undefined,
      )
      : null;
    boundStart = secs; // the next bound begins
    clearRedraw();
    for (const l of next === null ? [line] : [line, next]) {
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${l}\n`));
      else console.log(l);
    }
  };
  // The case a counterexample is written as: the settled replay of it, with the scenario as
  // run (its pagers bound to the service) and the service module it names: it replays with no
  // flag.
  const ctx = { monitors: scenarioCheckers(checkers), services, makeKernel };
  type Kept = (WrittenCase | { error: string }) & { signature?: string; name?: string };
  const keep = async (cx: Counterexample): Promise<Kept> => {
    // The workers replay a counterexample themselves, under the watchdog: this thread never
    // runs the user's code.
    const traced = cx.replay ??
      SCENARIO_KIND.run(scenario, { seed: 0, decisions: cx.decisions }, ctx);
    const signature = signatureOf(traced.verdict, traced.raw) ?? `explore:${cx.verdict.kind}`;
    let service, kernel;
    try {
      await Deno.mkdir(corpus, { recursive: true });
      service = servicePath !== null ? await moduleRef(servicePath, corpus) : undefined;
      kernel = kernelPath !== null ? await moduleRef(kernelPath, corpus) : undefined;
    } catch (e) {
      throw new InputError(`--corpus ${corpus}: ${(e as Error).message}`);
    }
    const contract = contractOf(services.user)?.contract;
    const doc = toEnvelope(SCENARIO_KIND, scenario, 0, traced, {
      checkers,
      ...(service !== undefined ? { service } : {}),
      ...(contract !== undefined ? { contract } : {}),
      ...(kernel !== undefined ? { kernel } : {}),
      found: { by: "explore" },
      // The limit is not the bound it was found in (userS26s read "(bound 2)" so): say which.
      description: `found by deno task explore: a schedule with ${cx.preemptions} preemption${
        cx.preemptions === 1 ? "" : "s"
      } (the search's limit: --preemptions ${boundLabel(k)}): ${signature}`,
    }, signature);
    try {
      // Exactly this counterexample: a file holding another case of the same finding (a
      // campaign's smaller one) is not its replay, so the counterexample takes a free name.
      const { path: file, written, sameFindingAt } = await writeCaseOutcome(
        corpus,
        doc,
        undefined,
        { keep: "exact" },
      );
      return { file, written, sameFindingAt, signature, name: caseFileName(doc) };
    } catch (e) {
      return { error: (e as Error).message, signature };
    }
  };
  // The best counterexample the finished tasks have reported (fewest preemptions, then lowest
  // task: the bound's own choice once every earlier task is done) is written at once, one write
  // at a time, replacing this run's earlier one, so a stop by a signal cannot lose it and the
  // corpus ends with just the chosen one whatever order the tasks finished in.
  let best: { cx: Counterexample; task: number } | null = null;
  let current: { cx: Counterexample; task: number; kept: Kept } | null = null;
  let writes: Promise<void> = Promise.resolve();
  let ended = false;
  const keepNow = (cx: Counterexample, task: number) => {
    if (
      best !== null &&
      (best.cx.preemptions < cx.preemptions ||
        (best.cx.preemptions === cx.preemptions && best.task < task))
    ) return;
    best = { cx, task };
    writes = writes.then(async () => {
      if (best?.cx !== cx) return; // a better one came meanwhile: its write is queued
      // The new one is written before this run's earlier one goes, so a kill between the two
      // leaves one of them, never neither; it then takes the earlier one's name if it had to
      // pass over it, so the name never depends on the order the tasks finished in (a signal
      // meanwhile waits for this write).
      const old = current?.kept;
      let kept = await keep(cx).catch((e: Error): Kept => ({ error: e.message }));
      if (old !== undefined && !("error" in old) && old.written && !("error" in kept)) {
        kept = {
          ...(await replaceEarlier(old.file, kept, kept.name ?? "")),
          signature: kept.signature,
          name: kept.name,
        };
      }
      current = { cx, task, kept };
      if (stopping || ended) return;
      const where = "error" in kept ? `not written: ${kept.error}` : `written: ${kept.file}`;
      const line = `counterexample found by task ${task} (${cx.preemptions} preemptions), ` +
        `${where} (an earlier task's, if one fails too, replaces it)`;
      console.log(tty ? `\r\x1b[2K${line}` : line);
    });
  };
  // SIGINT/SIGTERM while the search runs (workers search; this thread awaits them, so a
  // listener runs): a counterexample already found is written, and what was searched is
  // printed, before the exit; never only the last progress line.
  const done: string[] = [];
  let last: ExploreProgress | null = null;
  const heard = (p: ExploreProgress) => {
    last = p;
    if (p.boundDone) done.push(boundLabel(p.bound));
  };
  let stopping = false;
  const onSignal = (signal: Deno.Signal) => async () => {
    if (stopping) return;
    stopping = true;
    const searched = done.length === 0
      ? "no bound finished"
      : `bound${done.length > 1 ? "s" : ""} ${done.join(", ")} searched with no counterexample`;
    const partial = last !== null && !last.boundDone
      ? `; bound ${boundLabel(last.bound)} stopped after ${last.schedules} schedules and ` +
        `${last.executions} executions`
      : "";
    await writes;
    const c = current as { cx: Counterexample; kept: Kept } | null;
    if (c !== null) {
      console.log(
        `counterexample found before the stop: ${c.cx.preemptions} preemptions (the bound's ` +
          `earlier tasks not all searched), ` +
          ("error" in c.kept ? `not written: ${c.kept.error}` : `written: ${c.kept.file}`),
      );
    }
    console.log(
      `stopped by ${signal} after ${clock.seconds.toFixed(0)} s, not exhaustive: ` +
        `${searched}${partial}`,
    );
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  };
  const stops = (["SIGINT", "SIGTERM"] as const).map((sig) => [sig, onSignal(sig)] as const);
  for (const [sig, f] of stops) Deno.addSignalListener(sig, f);
  const onProgress = (p: ExploreProgress) => {
    heard(p);
    progress(p);
  };
  const onSuspect = (line: string) => {
    clearRedraw();
    console.error(line);
  };
  // A schedule limit counts executions in search order: one search, in one worker (this
  // thread stays free for the signal listeners).
  const search = maxSchedules !== undefined
    ? exploreInWorker(
      {
        scenario,
        servicePath,
        kernelPath,
        checkers,
        options: {
          preemptions: k,
          maxSchedules,
          stateHash,
          reduction,
          privateSteps,
          progressEvery: tty ? 200 : 1000,
        },
      },
      onProgress,
      limits,
      onSuspect,
    )
    : exploreSplit(scenario, {
      preemptions: k,
      splitDepth,
      taskBudget,
      workers,
      // Even one worker: this thread stays free for the signal listeners.
      inThread: false,
      stateHash,
      reduction,
      privateSteps,
      servicePath,
      kernelPath,
      checkers,
      services,
      makeKernel,
      onProgress,
      onCounterexample: keepNow,
      limits,
      onSuspect,
    });
  let result;
  try {
    result = await search;
  } catch (e) {
    if (!(e instanceof ExploreStopped)) throw e;
    if (stopping) await new Promise(() => {}); // a signal's listener is writing and exits
    for (const [sig, f] of stops) Deno.removeSignalListener(sig, f);
    clearInterval(ticker);
    latest = null;
    clearRedraw();
    const c = current as { cx: Counterexample } | null;
    if (c !== null) {
      await writes;
      console.log(
        `note: a counterexample was found before (written above); the search stopped on this`,
      );
    }
    const code = await reportStop(e.finding, {
      scenario,
      scenarioArg: values.scenario as string | undefined,
      servicePath,
      kernelPath,
      checkers,
      corpus,
      limits,
      contract: contractOf(services.user)?.contract,
      bound: last === null ? null : (last as ExploreProgress).bound,
    });
    // A worker stopped in user code spins on after terminate() (Deno 2.9.6): only the end of
    // the process stops it.
    Deno.exit(code);
  }
  // A signal that came as the search ended: its listener is writing and exits.
  if (stopping) await new Promise(() => {});
  for (const [sig, f] of stops) Deno.removeSignalListener(sig, f);
  clearInterval(ticker);
  latest = null;
  clearRedraw();
  // With the quiescent-end checker, each passing schedule went on through a fair tail.
  const tails = scenarioCheckers(checkers)().some((m) => m.name === "quiescent-end");
  for (const b of result.bounds) {
    // The same words as the progress line's last report of the bound (boundEnd).
    console.log(
      `  bound ${boundLabel(b.bound)}: ${b.executions} executions, ${b.schedules} complete, ` +
        `${b.prunedByState} cut by state hash, ${b.sleptAlternatives} alternatives asleep, ` +
        `${b.prunedBySleep} cut by sleep sets, ` +
        `${b.privateSkips} preemptions before private steps skipped, ` +
        `${b.dpor.races + b.dpor.summaryRaces + b.dpor.blockStarts} alternatives added by DPOR ` +
        `(${b.dpor.races} races, ${b.dpor.summaryRaces} with revisited states, ` +
        `${b.dpor.blockStarts} at block starts), ` +
        (b.drawAlternatives > 0
          ? `${b.drawAlternatives} alternatives from random draws, widest ${b.widestDraw} values, `
          : "") +
        (tails ? `${b.notQuiescent} quiescent tails cut before rest, ` : "") +
        `${b.states} distinct states${b.complete ? "" : NOT_FINISHED}`,
    );
    const note = drawNote(b);
    if (note !== null) console.log(note);
  }
  const pendingNote = pendingEventsNote(result.bounds, tails);
  if (pendingNote !== null) console.log(pendingNote);
  /**
   * Shrinks the counterexample written as `found` (explore/shrink.ts, in a worker under the
   * watchdog, its candidate runs shown on stderr) and writes the shrunk case in its place; null
   * when it is kept as found, with a note saying why.
   */
  const shrinkCx = async (
    found: Counterexample,
    kept: WrittenCase & { signature?: string },
  ): Promise<{ kept: Kept; cx: Counterexample; note: string }> => {
    const replay = found.replay as NonNullable<Counterexample["replay"]>;
    const was = `${found.steps} steps, ${replay.decisions.length} decisions`;
    const started = clock.seconds;
    let lastShown = -Infinity;
    const show = (runs: number) => {
      const now = clock.seconds;
      if (now - lastShown < progressSeconds) return;
      lastShown = now;
      const line = shrinkProgressLine(was, runs, now - started);
      if (ttyErr) {
        Deno.stderr.writeSync(encoder.encode(redrawText(line)));
        redrawn = true;
      } else console.error(line);
    };
    show(0);
    const asFound = (why: string) => ({
      kept: kept as Kept,
      cx: found,
      note: `not shrunk: ${why}; the case is the counterexample as found (${was})`,
    });
    let s;
    try {
      s = await shrinkInWorker(
        {
          scenario,
          servicePath,
          kernelPath,
          checkers,
          cx: {
            decisions: replay.decisions,
            preemptions: found.preemptions,
            traceHash: replay.traceHash,
          },
          maxAttempts: maxShrink,
          seconds: shrinkSeconds,
        },
        show,
        limits,
        onSuspect,
      );
    } catch (e) {
      clearRedraw();
      if (!(e instanceof ExploreStopped)) {
        return asFound(`shrinking failed (${(e as Error).message})`);
      }
      // Fuzz's rule: a shrinking replay that runs into a limit leaves the case unshrunk.
      return asFound(`a shrinking run was stopped (${e.finding.cause}: ${e.finding.detail})`);
    }
    clearRedraw();
    if (s.status === "kept") return asFound(s.reason);
    let service, kernel;
    try {
      service = servicePath !== null ? await moduleRef(servicePath, corpus) : undefined;
      kernel = kernelPath !== null ? await moduleRef(kernelPath, corpus) : undefined;
    } catch (e) {
      return asFound(`its modules could not be read (${(e as Error).message})`);
    }
    const contract = contractOf(services.user)?.contract;
    const doc = toEnvelope(SCENARIO_KIND, s.input, 0, s, {
      checkers,
      ...(service !== undefined ? { service } : {}),
      ...(contract !== undefined ? { contract } : {}),
      ...(kernel !== undefined ? { kernel } : {}),
      found: {
        by: "explore",
        shrunkFrom: replay.decisions.length,
        ...(s.cut ? { shrinkCut: true } : {}),
      },
      description:
        `found by deno task explore: a schedule with ${found.preemptions} preemption${
          found.preemptions === 1 ? "" : "s"
        } (the search's limit: --preemptions ${boundLabel(k)}): ${s.signature} (shrunk from ` +
        `${was} to ${s.steps} steps with ${shrunkPreemptions(s.preemptions, s.input, s.steps)})`,
    }, s.signature);
    let next: Kept;
    try {
      const out = await writeCaseOutcome(corpus, doc, undefined, { keep: "exact" });
      const written = {
        file: out.path,
        written: out.written,
        sameFindingAt: out.sameFindingAt,
      };
      next = {
        ...(await replaceEarlier(kept.file, written, caseFileName(doc))),
        signature: s.signature,
        name: caseFileName(doc),
      };
    } catch (e) {
      return asFound(`the shrunk case could not be written (${(e as Error).message})`);
    }
    const cutWords = scenarioCutWords(scenario, s.input);
    const shrunk: Counterexample = {
      ...found,
      decisions: s.decisions,
      verdict: s.verdict,
      steps: s.steps,
      traceHash: s.traceHash,
    };
    return {
      kept: next,
      cx: shrunk,
      note: `${
        shrinkHeadline(
          { steps: found.steps, decisions: replay.decisions.length },
          { steps: s.steps, decisions: s.decisions.length },
          cutWords !== null,
        )
      }: ${was} -> ${s.steps} steps, ${s.decisions.length} decisions, ` +
        `${shrunkPreemptions(s.preemptions, s.input, s.steps)} (${s.attempts} candidate ` +
        `runs${
          s.cut ? `; cut at --shrink-seconds ${shrinkSeconds} or --max-shrink ${maxShrink}` : ""
        }), ` +
        `the same signature; replayed alone as repro replays it: the case holds the shrunk run\n` +
        (cutWords === null
          ? ""
          : `scenario cut too (the case holds the cut scenario): ${cutWords}\n`) +
        `failing verdict (shrunk): ${describeVerdict(s.verdict)}`,
    };
  };
  const cx = result.counterexample;
  if (cx === null) {
    console.log(result.summary);
    return result.outcome === "pass" ? 0 : 3;
  }
  console.log(counterexampleLine(cx));
  console.log(`failing verdict: ${describeVerdict(cx.verdict)}`);
  ended = true;
  await writes;
  const wrote = current as { cx: Counterexample; kept: Kept } | null;
  // The last one written is the bound's choice (the schedule-limited search writes it now).
  let r = wrote !== null && wrote.cx.decisions.join(",") === cx.decisions.join(",")
    ? wrote.kept
    : await keep(cx);
  if ("error" in r) {
    // No case file: the replay line below must carry the whole list (one shell word of it, far
    // under the kernel's 128 KiB limit for one argument at 25,000 steps); a file of it could
    // fail to be written as the case did, and the list is printed once, there.
    console.log(
      decisionListLine(cx.decisions, undefined, "the whole list is in the replay line below"),
    );
    if (r.signature !== undefined) console.log(`signature: ${r.signature}`);
    // A scenario whose liveness phase explore moved replays as searched, not as its file says.
    const scenarioArg = original !== loaded
      ? ` --scenario-json ${shellQuote(JSON.stringify(original))}`
      : values.scenario
      ? ` --scenario ${values.scenario}`
      : "";
    const serviceArg = (servicePath ? ` --service ${servicePath}` : "") +
      (kernelPath ? ` --kernel ${kernelPath}` : "") + ` --checkers ${checkers}`;
    console.log(`error: cannot write the counterexample to ${corpus}: ${r.error}`);
    console.log(
      `replay: deno task repro${scenarioArg}${serviceArg} --seed 0 --decisions ${
        cx.decisions.join(",") || '""'
      }`,
    );
    // No case file records the hash for repro to check: printed here, as repro's last line prints
    // it, so the replay can be compared (trial32 finding 12).
    console.log(`trace-hash: ${cx.traceHash} (the replay line above ends with the same one)`);
    return 1;
  }
  // Shrunk as fuzz shrinks a case, in a worker under the watchdog; the case written as found
  // stays unless the shrunk one replays alone with its signature (explore/shrink.ts).
  let shrunkNote: string | null = null;
  let shown = cx;
  if (maxShrink > 0 && cx.replay !== undefined && r.written) {
    const s = await shrinkCx(cx, r);
    r = s.kept;
    shown = s.cx;
    shrunkNote = s.note;
  }
  if (shrunkNote !== null) console.log(shrunkNote);
  console.log(
    decisionListLine(shown.decisions, undefined, "the whole list is in the case file"),
  );
  // What the case file is named by, and what a campaign calls the same failure (sim and repro
  // print it too): a lost wake-up behind an unanswered read is named as the wake-up.
  if (r.signature !== undefined) console.log(`signature: ${r.signature}`);
  if ("error" in r) {
    console.log(`error: cannot write the shrunk counterexample to ${corpus}: ${r.error}`);
    return 1;
  }
  const { file, written, sameFindingAt } = r;
  console.log(written ? `written: ${file}` : `already in the corpus (the same replay): ${file}`);
  if (sameFindingAt !== undefined) {
    console.log(
      sameFindingLine(sameFindingAt, file, "counterexample, with the fewest preemptions"),
    );
  }
  console.log(`replay: ${replayCommand(file)}`);
  // A user's service's case in pagersim's own corpus/ (trial37): where to keep such cases.
  const hint = written ? ownCorpusHint(corpus, servicePath) : null;
  if (hint !== null) console.log(hint);
  return 1;
}

/**
 * The first word of explore's shrink note: `shrunk` when the case got smaller (fewer decisions,
 * or a scenario cut), `shrunk to fewer decisions (more steps)` when the run got longer on the
 * way (the shrinker keeps the case of fewest inputs and decisions, not steps), and `not
 * shrunk` when nothing changed (trial35: `shrunk: 21 steps, 14 decisions -> 21 steps, 14
 * decisions` and `shrunk: 20 steps, 18 decisions -> 22 steps, 0 decisions`).
 *
 * @example
 * ```ts
 * import { shrinkHeadline } from "./explore.ts";
 * const was = { steps: 21, decisions: 14 };
 * console.assert(shrinkHeadline(was, was, false) === "not shrunk (no smaller case failed alike)");
 * console.assert(shrinkHeadline(was, { steps: 18, decisions: 3 }, false) === "shrunk");
 * console.assert(shrinkHeadline({ steps: 20, decisions: 18 }, { steps: 22, decisions: 0 }, false)
 *   .startsWith("shrunk to fewer decisions"));
 * ```
 */
export function shrinkHeadline(
  was: { readonly steps: number; readonly decisions: number },
  now: { readonly steps: number; readonly decisions: number },
  scenarioCut: boolean,
): string {
  if (!scenarioCut && now.steps === was.steps && now.decisions === was.decisions) {
    return "not shrunk (no smaller case failed alike)";
  }
  if (now.steps > was.steps) {
    return "shrunk to fewer decisions (more steps: shrinking keeps the case of fewest inputs " +
      "and decisions)";
  }
  return "shrunk";
}

/**
 * The progress line of explore's shrink on stderr: at the start (no candidate run yet) what is
 * being shrunk, no count (session 29: "0 candidate runs, 0 s" read as a shrink that had nothing
 * to do, followed by a "shrunk: ... (23 candidate runs)" line); then the runs so far.
 *
 * @example
 * ```ts
 * import { shrinkProgressLine } from "./explore.ts";
 * console.assert(shrinkProgressLine("13 steps, 10 decisions", 0, 0) ===
 *   "shrinking the counterexample (13 steps, 10 decisions)");
 * console.assert(shrinkProgressLine("13 steps, 10 decisions", 7, 2.4).endsWith(": 7 candidate runs, 2 s"));
 * ```
 */
export function shrinkProgressLine(was: string, runs: number, seconds: number): string {
  const head = `shrinking the counterexample (${was})`;
  return runs === 0
    ? head
    : `${head}: ${runs} candidate run${runs === 1 ? "" : "s"}, ${seconds.toFixed(0)} s`;
}

/**
 * What shrinking cut from the scenario itself, in a few words (VMOs and their pages, threads and
 * their ops, events, pagers), or null when it kept the scenario whole: explore's `shrunk:` line
 * said only steps and decisions, and a user read the shrunk verdict (`READ for vmo1005 page 0`,
 * of a 1-page VMO) against the scenario they gave, where that reader read page 1 (userS29c).
 *
 * @example
 * ```ts
 * import { scenarioCutWords } from "./explore.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const before = parseScenario({
 *   pagers: [{ name: "p" }],
 *   vmos: [{ name: "a", pager: "p", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 1 }] }],
 * }, "before");
 * const after = { ...before, vmos: [{ ...before.vmos[0], pages: 1 }] };
 * console.assert(scenarioCutWords(before, after) === 'VMO "a" 2 -> 1 pages');
 * console.assert(scenarioCutWords(before, before) === null);
 * ```
 */
export function scenarioCutWords(before: Scenario, after: Scenario): string | null {
  const words: string[] = [];
  const count = (what: string, a: number, b: number) => {
    if (a !== b) words.push(`${what} ${a} -> ${b}`);
  };
  count("pagers", before.pagers.length, after.pagers.length);
  for (const v of before.vmos) {
    const w = after.vmos.find((x) => x.name === v.name);
    if (w === undefined) words.push(`VMO "${v.name}" dropped`);
    else if (w.pages !== v.pages) words.push(`VMO "${v.name}" ${v.pages} -> ${w.pages} pages`);
    else if (JSON.stringify(w) !== JSON.stringify(v)) words.push(`VMO "${v.name}" changed`);
  }
  for (const t of before.threads) {
    const u = after.threads.find((x) => x.name === t.name);
    if (u === undefined) words.push(`thread "${t.name}" dropped`);
    else if (u.ops.length !== t.ops.length) {
      words.push(`thread "${t.name}" ${t.ops.length} -> ${u.ops.length} ops`);
    } else if (JSON.stringify(u.ops) !== JSON.stringify(t.ops)) {
      words.push(`thread "${t.name}" ops changed (same count)`);
    }
  }
  count("events", before.events.length, after.events.length);
  return words.length === 0 ? null : words.join("; ");
}

/**
 * The scenario explore searches: one whose fair liveness phase starts before
 * {@linkcode LIVENESS_AFTER} (a campaign's shrunk case: shrinking brings the phase forward, to
 * step 1 or 0) gets it at `LIVENESS_AFTER`, the step every campaign scenario starts it at. From
 * the phase on the round-robin scheduler picks every thread, so explore has no choice left
 * there: from step 1 it would search a handful of schedules and count none of the phase's
 * switches as preemptions. Any other scenario is returned as it is.
 *
 * @example
 * ```ts
 * import { searchableLiveness } from "./explore.ts";
 * import { DEFAULT_SCENARIO } from "../scenario/default.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const s = parseScenario(DEFAULT_SCENARIO, "default");
 * const shrunk = { ...s, liveness: { afterSteps: 1, bound: 4000 } };
 * if (searchableLiveness(shrunk).liveness.afterSteps !== 400) throw new Error("not raised");
 * if (searchableLiveness(s) !== s) throw new Error("a default scenario changed");
 * ```
 */
export function searchableLiveness(scenario: Scenario): Scenario {
  if (scenario.liveness.afterSteps >= LIVENESS_AFTER) return scenario;
  return { ...scenario, liveness: { ...scenario.liveness, afterSteps: LIVENESS_AFTER } };
}

/** The `note:` line saying explore moved the scenario's liveness phase, and why. */
function livenessNote(loaded: Scenario, searched: Scenario): string {
  return `note: the scenario starts its fair liveness phase at step ${loaded.liveness.afterSteps} ` +
    `(a campaign's shrinking brings it forward); from there the round-robin scheduler picks ` +
    `every thread, so explore would have no choice left to search. Explore searches it with ` +
    `liveness.afterSteps ${searched.liveness.afterSteps} (a campaign's own), and a ` +
    `counterexample's case records that`;
}

/**
 * A shrunk counterexample's preemptions, in words: what the shrinker counts, the choices before
 * the case's fair liveness phase. Shrinking may bring the phase forward (a campaign's shrinking
 * does), and the phase's round-robin switches are no choices, so they are not counted: trial32b's
 * explore found a schedule with 1 preemption (bound 0, searched whole, had none failing) and
 * shrank it to "0 preemptions" whose phase started at step 12 and made the switch. The words
 * say so when the phase ran.
 *
 * @example
 * ```ts
 * import { shrunkPreemptions } from "./explore.ts";
 * import { DEFAULT_SCENARIO } from "../scenario/default.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const s = parseScenario(DEFAULT_SCENARIO, "default");
 * console.assert(shrunkPreemptions(1, s, 14) === "1 preemption");
 * const early = { ...s, liveness: { afterSteps: 12, bound: 4000 } };
 * console.assert(shrunkPreemptions(0, early, 14).startsWith("0 preemptions before step 12, where"));
 * ```
 */
export function shrunkPreemptions(preemptions: number, input: Scenario, steps: number): string {
  const count = `${preemptions} preemption${preemptions === 1 ? "" : "s"}`;
  const from = input.liveness.afterSteps;
  if (from >= steps) return count;
  // One clause, no parenthesis (trial37 read "(step 19 on, brought forward by shrinking: its
  // round-robin switches are not counted, …)" as hard to parse, inside the shrink line's own).
  return `${count} before step ${from}, where shrinking moved the fair liveness phase, whose ` +
    `round-robin switches go uncounted and may hold the found schedule's preemptions`;
}

/** The `counterexample:` line; it says when the run's fair phase picked steps explore did not count. */
export function counterexampleLine(cx: Counterexample): string {
  const fair = cx.livenessFrom === undefined ? "" : ` (the scenario's fair liveness phase ran ` +
    `it from step ${cx.livenessFrom}: its round-robin switches are not counted as preemptions)`;
  return `counterexample: ${cx.preemptions} preemptions, ${cx.steps} steps${fair}`;
}

if (import.meta.main) await runCommand(USAGE, main);

/** What {@linkcode reportStop} needs of the command. */
interface StopContext {
  readonly scenario: Scenario;
  readonly scenarioArg: string | undefined;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers: string;
  readonly corpus: string;
  readonly limits: ExploreLimits;
  readonly contract: CaseEnvelope["contract"];
  /** The bound being searched when it stopped (null: none reported yet). */
  readonly bound: number | null;
}

/**
 * A search the watchdog (or the replay check) stopped: the verdict lines, and for a hang or
 * out-of-memory the case written to the corpus (the execution's decisions up to where it
 * stopped), which `deno task repro FILE` replays under the same limits; returns the exit status.
 */
async function reportStop(f: StopFinding, ctx: StopContext): Promise<number> {
  // Inside a syscall the kernel's code ran: said (and signed kernel-hang for a --kernel variant).
  const inKernel = f.cause === "service-hang" && insideKernel(f.at)
    ? `, in ${entryWords(f.at?.entry, undefined, ctx.kernelPath)}`
    : "";
  const where = f.at === null
    ? "before any thread ran"
    : `t${f.at.tid} at step ${f.at.step}${
      f.at.step === 0 ? " (starting, before the first step)" : ""
    } ${f.cause === "out-of-memory" ? "was running" : "never yielded"}${inKernel}`;
  if (f.cause === "nondeterministic") {
    // A kernel variant is user code as a service is: its module state outlives an execution too.
    const modules = [ctx.servicePath, ctx.kernelPath].filter((p) => p !== null);
    const what = ctx.kernelPath === null
      ? "service"
      : ctx.servicePath === null
      ? "kernel variant"
      : "service or kernel variant";
    console.log(
      `error: nondeterministic ${what}: an execution's replay of a schedule explored before met ` +
        `other choices than its first run (${f.detail}). Exploration replays every schedule ` +
        `from the start, so with code that reads time or randomness, or keeps state across ` +
        `runs (module-level state), its search would be wrong: no verdict. The determinism ` +
        `lint lists such uses (${
          (modules.length > 0 ? modules : ["FILE"]).map((m) => `deno task lint-service ${m}`)
            .join(", ")
        }); fix them (and do not pass --lint-warn).`,
    );
    return 2;
  }
  const hang = f.cause === "service-hang";
  // Explore runs scenarios (a service, or the workload's ops): the kernel is under test only as
  // a --kernel variant (properties/signature.ts kernelUnderTest).
  const kernelTested = kernelUnderTest(ctx.kernelPath, false);
  const signature = hang ? hangSignature(f.at, kernelTested) : OUT_OF_MEMORY;
  const line = hang && f.grew === true
    ? `verdict: ${signature} (${where}: an execution of the search stood still past ` +
      `--run-timeout ${ctx.limits.runTimeout}s; ${grewNote(ctx.limits.memoryMb)})`
    : hang
    ? `verdict: ${signature} (${where}: an execution of the search did not finish within ` +
      `--run-timeout ${ctx.limits.runTimeout}s, nor within --confirm-timeout ` +
      `${Math.max(ctx.limits.runTimeout, ctx.limits.confirmTimeout)}s)`
    : f.heapMiB !== undefined
    ? `verdict: ${OUT_OF_MEMORY} (${
      heapFullWords(f.at, f.heapMiB, ctx.limits.memoryMb, undefined, ctx.kernelPath)
    }; an execution of the search stood still past --run-timeout ${ctx.limits.runTimeout}s)`
    : `verdict: ${OUT_OF_MEMORY} (an execution of the search reached the --memory ` +
      `${ctx.limits.memoryMb} MiB heap limit${
        f.at === null ? "" : `; t${f.at.tid} at step ${f.at.step} was running`
      })`;
  console.log(`stopped: ${f.detail}; the search is not finished`);
  console.log(line);
  console.log(`signature: ${signature}`);
  let service, kernel;
  try {
    await Deno.mkdir(ctx.corpus, { recursive: true });
    service = ctx.servicePath !== null ? await moduleRef(ctx.servicePath, ctx.corpus) : undefined;
    kernel = ctx.kernelPath !== null ? await moduleRef(ctx.kernelPath, ctx.corpus) : undefined;
  } catch (e) {
    console.log(`error: cannot write the case to ${ctx.corpus}: ${(e as Error).message}`);
    return 1;
  }
  const doc: CaseEnvelope = {
    format: CASE_FORMAT,
    kind: "scenario",
    description: `found by deno task explore${
      ctx.bound === null ? "" : ` (bound ${boundLabel(ctx.bound)})`
    }: ${signature} (${
      f.heapMiB !== undefined
        ? heapFullWords(f.at, f.heapMiB, ctx.limits.memoryMb, undefined, ctx.kernelPath)
        : where
    }; the search stopped at it${f.complete ? "" : "; schedule record truncated"})`,
    input: ctx.scenario,
    decisions: f.decisions,
    seed: 0,
    checkers: ctx.checkers,
    ...(service !== undefined ? { service } : {}),
    ...(kernel !== undefined ? { kernel } : {}),
    ...(ctx.contract !== undefined ? { contract: ctx.contract } : {}),
    limits: {
      maxSteps: ctx.scenario.maxSteps,
      runTimeout: ctx.limits.runTimeout,
      memoryMb: ctx.limits.memoryMb,
      confirmTimeout: Math.max(ctx.limits.runTimeout, ctx.limits.confirmTimeout),
    },
    expected: hang ? hangKind(f.at, kernelTested) : "out-of-memory",
    traceHash: "0000000000000000", // the execution never finished: no trace hash
    signature,
    found: { by: "explore" },
  };
  try {
    const { path: file, written, sameFindingAt } = await writeCaseOutcome(
      ctx.corpus,
      doc,
      undefined,
      { keep: "exact" },
    );
    console.log(written ? `written: ${file}` : `already in the corpus (the same replay): ${file}`);
    // Beside a campaign's case of the same hang (`…-2.json`): named, as a counterexample's is
    // (trial36 read a second file with only a `written:` line).
    if (sameFindingAt !== undefined) {
      console.log(sameFindingLine(sameFindingAt, file, "case, the schedule its search stopped at"));
    }
    console.log(`replay: ${replayCommand(file)}`);
    const hint = written ? ownCorpusHint(ctx.corpus, ctx.servicePath) : null;
    if (hint !== null) console.log(hint);
  } catch (e) {
    console.log(`error: cannot write the case to ${ctx.corpus}: ${(e as Error).message}`);
    const serviceArg = (ctx.servicePath ? ` --service ${ctx.servicePath}` : "") +
      (ctx.kernelPath ? ` --kernel ${ctx.kernelPath}` : "");
    console.log(
      `replay: deno task repro${
        ctx.scenarioArg ? ` --scenario ${ctx.scenarioArg}` : ""
      }${serviceArg}` +
        ` --checkers ${ctx.checkers} --seed 0 --decisions ${f.decisions.join(",") || '""'}`,
    );
  }
  return 1;
}

/**
 * The line that names the corpus's other case of the finding an exploration wrote `file` beside
 * (README: "explore names the other file: one bug, two schedules"); `what` says what `file` is.
 *
 * @example
 * ```ts
 * import { sameFindingLine } from "./explore.ts";
 * console.assert(
 *   sameFindingLine("corpus/x.json", "corpus/x-2.json", "case") ===
 *     "the corpus also holds this finding as corpus/x.json (another schedule of it, found " +
 *       "before); x-2.json is this exploration's case",
 * );
 * ```
 */
export function sameFindingLine(sameFindingAt: string, file: string, what: string): string {
  return `the corpus also holds this finding as ${sameFindingAt} (another schedule of it, found ` +
    `before); ${basename(file)} is this exploration's ${what}`;
}

/** A counterexample's file as `writeCaseOutcome` left it. */
export type WrittenCase = { file: string; written: boolean; sameFindingAt: string | undefined };

/**
 * Removes an exploration's earlier counterexample `earlier` once the better one, `kept`, is on
 * disk (so a kill between the two leaves one of them, never neither), and moves `kept` to the
 * earlier one's name when it took a numbered name only because that one held it, so the name
 * never depends on the order the tasks finished in. `name` is the file name the store numbers
 * for `kept` (`caseFileName`: `NAME.json`, then `NAME-2.json`, ...): both files must bear it,
 * numbered or not. (Told, not guessed from the names: a signature id of decimal digits alone,
 * `…-24217830.json`, read as a number, left explore's shrunk case at `…-24217830-2.json` in an
 * empty corpus: userS29a.)
 *
 * @example
 * ```ts
 * import { replaceEarlier } from "./explore.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/x.json`, "earlier");
 * await Deno.writeTextFile(`${dir}/x-2.json`, "better");
 * const kept = { file: `${dir}/x-2.json`, written: true, sameFindingAt: `${dir}/x.json` };
 * const now = await replaceEarlier(`${dir}/x.json`, kept, "x.json");
 * console.assert(now.file === `${dir}/x.json` && now.sameFindingAt === undefined);
 * console.assert(await Deno.readTextFile(`${dir}/x.json`) === "better");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function replaceEarlier(
  earlier: string,
  kept: WrittenCase,
  name: string,
): Promise<WrittenCase> {
  if (kept.file === earlier) return kept;
  await Deno.remove(earlier).catch(() => {});
  const sameFindingAt = kept.sameFindingAt === earlier ? undefined : kept.sameFindingAt;
  // writeCaseOutcome numbers a name it passes over: NAME.json, NAME-2.json, NAME-3.json, ...
  const root = name.replace(/\.json$/, "");
  const bears = (file: string) => {
    const b = basename(file);
    return b === name || (b.startsWith(`${root}-`) && /^-\d+\.json$/.test(b.slice(root.length)));
  };
  if (!kept.written || !bears(kept.file) || !bears(earlier)) {
    return { ...kept, sameFindingAt };
  }
  try {
    await Deno.link(kept.file, earlier); // only if nothing took the name meanwhile
    await Deno.remove(kept.file);
    return { file: earlier, written: true, sameFindingAt };
  } catch {
    return { ...kept, sameFindingAt };
  }
}
