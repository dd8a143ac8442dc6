/**
 * Printing a run: the trace in text or JSON lines, then the verdict, the
 * decision list, and the trace hash last.
 *
 * @module
 */

import type { RunResult, World } from "../sim/world.ts";
import { formatEvent } from "../sim/trace.ts";
import { describeVerdict } from "../sim/world.ts";
import { variantCrashNote, variantCrashSite } from "../sim/variant_crash.ts";
import { threadStack } from "../properties/thread_stack.ts";

export { threadStack };

/** Trace forms the commands print. */
export type TraceForm = "text" | "json" | "html" | "none";

/**
 * Which thread is which, for reading a trace: `t0` is the setup (pagers, ports, VMOs made
 * before any thread runs), then every thread by id with its name and role.
 *
 * @example
 * ```ts
 * import { threadLegend } from "./_output.ts";
 * const line = threadLegend([{ tid: 1, name: "fs.svc", role: "service" }]);
 * console.assert(line === 'threads: t0 setup, t1 "fs.svc" (service)');
 * ```
 */
export function threadLegend(threads: RunResult["threads"]): string {
  return `threads: t0 setup${
    (threads ?? []).map((t) => `, t${t.tid} "${t.name}" (${t.role})`).join("")
  }`;
}

/**
 * The scenario VMOs of a run by kernel id (a scenario run's `names.vmoKoids`: each VMO a name
 * held, a reopened file's earlier ones too), in creation order.
 */
export function scenarioVmos(run: RunResult): { koid: number; name: string }[] {
  const names = (run as {
    names?: {
      vmoKoid?: ReadonlyMap<string, number>;
      vmoKoids?: readonly { koid: number; name: string }[];
    };
  }).names;
  if (names?.vmoKoids !== undefined) {
    return [...names.vmoKoids].sort((a, b) => a.koid - b.koid).map((v) => ({ ...v }));
  }
  return [...names?.vmoKoid ?? []].map(([name, koid]) => ({ koid, name }));
}

/** Where a JSON line of the trace goes: stdout (console.log, unless redirected below). */
let jsonLine: (line: string) => void = (line) => console.log(line);

/**
 * Prints a line on stdout as the command's stdout lines go: through console.log, or, after
 * {@linkcode humanLinesToStderr}, through the console.log it kept for the JSON lines (the guard
 * prints a worker's held stdout lines with it).
 */
export function stdoutLine(line: string): void {
  jsonLine(line);
}

/**
 * For `--trace json`: every line the command prints with console.log from now on goes to stderr,
 * except the trace's JSON lines ({@linkcode printTrace}), which stay on stdout, so that stdout can
 * be piped into a JSON parser line by line. Call it once, before the command prints anything
 * (in the process that prints: the guard's worker and the command's own process alike).
 */
export function humanLinesToStderr(): void {
  if (console.log === console.error) return;
  const stdout = console.log.bind(console);
  jsonLine = (line) => stdout(line);
  console.log = console.error;
}

/**
 * Prints the trace of a run in text or JSON-lines form, the thread legend first (and a scenario's
 * VMOs by kernel id, `vmo1005 "blob"`): in JSON, a line
 * `{"threads":[{"tid","name","role"}...],"vmos":[{"koid","name"}...]}`, then one object per event (`step`, the event's
 * fields, `text`). The command's own lines around them (replaying, scenario, verdict, replay,
 * trace-hash) are text: `sim` and `repro` send them to stderr under `--trace json`
 * ({@linkcode humanLinesToStderr}), so that stdout is JSON lines alone (userS29b piped it into a
 * JSON parser).
 */
export function printTrace(run: RunResult, form: TraceForm): void {
  if (form === "text") {
    if (run.threads !== undefined) console.log(threadLegend(run.threads));
    const vmos = scenarioVmos(run);
    if (vmos.length > 0) {
      console.log(`vmos: ${vmos.map((v) => `vmo${v.koid} "${v.name}"`).join(", ")}`);
    }
    console.log(run.trace.text());
  } else if (form === "json") {
    const vmos = scenarioVmos(run);
    if (run.threads !== undefined) {
      // t0, as the text legend has it: the events of a scenario's setup carry `"tid":0`
      // (userS29c found tid 0 in the events and not in the legend).
      const threads = [{ tid: 0, name: "setup", role: "setup" }, ...run.threads];
      jsonLine(JSON.stringify({ threads, ...(vmos.length > 0 ? { vmos } : {}) }));
    }
    for (const { step, event } of run.trace.entries) {
      const e = "bytes" in event ? { ...event, bytes: Array.from(event.bytes) } : event;
      jsonLine(JSON.stringify({ step, ...e, text: formatEvent(event) }));
    }
  }
}

/**
 * For a run stopped at a step limit (maxSteps, or the end of the fair liveness phase with the
 * workload unfinished): which thread was stuck (the running thread that took the most steps,
 * and how many), and what the others are parked on; empty for any other run. The verdict may be
 * an end-of-run checker's (a service looping through syscalls leaves READs unanswered, which
 * no-lost-requests reports first): the line still names the looping thread.
 */
export function stepBudgetLines(run: RunResult): string[] {
  const world = (run as { world?: World }).world;
  if (world === undefined || run.verdict.kind === "pass") return [];
  const atMax = run.verdict.kind === "step-budget" || run.steps >= world.maxSteps;
  const liveEnd = world.liveness.afterSteps + world.liveness.bound;
  const atLiveness = !atMax && world.fair && world.workloadDoneAt === null && run.steps >= liveEnd;
  if (!atMax && !atLiveness) return [];
  const blocked = world.blocked();
  const parkedTids = new Set(blocked.map((b) => b.tid));
  let top: World["threads"][number] | null = null;
  for (const t of world.threads) {
    if (t.end.kind !== "running" || parkedTids.has(t.tid)) continue;
    if (top === null || t.steps > top.steps) top = t;
  }
  // A deadlock at the liveness bound (no thread could run) is the hang verdict's own story.
  if (atLiveness && top === null) return [];
  const parked = blocked.filter((b) => b.tid !== top?.tid)
    .map((b) => `t${b.tid} "${b.thread}" waits on ${b.on}`);
  const limit = atMax
    ? "the step limit (maxSteps)"
    : `the end of the liveness phase (${world.liveness.bound} fair steps from step ` +
      `${world.liveness.afterSteps}, and the workload had not finished)`;
  return [
    `stuck: ${
      top === null
        ? "no thread still running"
        : `t${top.tid} "${top.name}" took ${top.steps} of the ${run.steps} steps and was still ` +
          `running at step ${run.steps}, ${limit}`
    }${parked.length > 0 ? `; parked: ${parked.join("; ")}` : ""}`,
  ];
}

/**
 * For a passing run that never came to rest (its quiescent tail stopped at its bound with a
 * thread still running: `World.quiescent` false), a note naming the threads still running and
 * saying what was not judged: quiescent-end (Q2-Q4) judges only a run at rest, so a service that
 * spins without blocking after the workload ended passes, which a reader of `verdict: pass`
 * would not guess. Empty otherwise.
 */
export function unrestedLines(run: RunResult): string[] {
  const world = (run as { world?: World }).world;
  if (world === undefined || run.verdict.kind !== "pass" || world.quiescent !== false) return [];
  const parked = new Set(world.blocked().map((b) => b.tid));
  const running = world.threads.filter((t) => t.end.kind === "running" && !parked.has(t.tid))
    .map((t) => `t${t.tid} "${t.name}" (${t.role})`);
  const from = world.workloadDoneAt ?? run.steps;
  return [
    `note: the run never came to rest: the workload ended at step ${from} and the quiescent ` +
    `tail stopped at step ${run.steps}, its bound, with ${
      running.length > 0 ? running.join(", ") : "a thread"
    } still running; what a service leaves at rest (quiescent-end Q2-Q4) is judged only at ` +
    `rest, so it was not. A service thread that never blocks once the work is done is a busy loop.`,
  ];
}

/**
 * Prints the verdict, the failure's signature (a failing run's, as a campaign signs it: the key
 * of the campaign summary's "failing runs by signature" lines; `signature` null or absent prints
 * none), the decisions and the replay command.
 */
export function printOutcome(
  run: RunResult,
  replay: string,
  signature?: string | null,
  whole?: string,
): void {
  console.log(`verdict: ${describeVerdict(run.verdict)}`);
  if (signature !== undefined && signature !== null) console.log(`signature: ${signature}`);
  for (const line of stepBudgetLines(run)) console.log(line);
  for (const line of unrestedLines(run)) console.log(line);
  if (run.verdict.kind === "thread-fault") {
    const site = variantCrashSite(run.verdict.stack);
    if (site !== null) {
      console.log(
        `note: ${
          variantCrashNote(site)
        }; deno check the variant (README, "Writing a kernel variant")`,
      );
    }
  }
  if ("stack" in run.verdict && run.verdict.stack) console.log(threadStack(run.verdict.stack));
  console.log(`steps: ${run.steps}  decisions: ${run.decisions.length}`);
  console.log(decisionListLine(run.decisions, undefined, whole));
  console.log(`replay: ${replay}`);
}

/**
 * The printed decision list, its entry count first: `decisions: 1` above `decision-list: 0`
 * read as a count twice (userS26s), the list being one entry, 0. `whole`: where the whole list is
 * kept, in words (`the whole list is in the case file`); given, a list longer than
 * {@linkcode LONG_LIST} entries shows its first {@linkcode LIST_PREFIX} and says so.
 *
 * @example
 * ```ts
 * import { decisionListLine } from "./_output.ts";
 * console.assert(decisionListLine([0]) === "decision-list (1 entry): 0");
 * console.assert(decisionListLine([]) === "decision-list (0 entries): none");
 * console.assert(decisionListLine([2, 0], 9) === "decision-list (2 entries, up to step 9): 2,0");
 * // A long list kept elsewhere (`whole`: where) shows its first 40 entries.
 * const long = decisionListLine(
 *   new Array(13932).fill(0),
 *   undefined,
 *   "the whole list is in the case file",
 * );
 * console.assert(long.startsWith("decision-list (13,932 entries): 0,0,"));
 * console.assert(long.endsWith(",0,... (the first 40; the whole list is in the case file)"));
 * ```
 */
export function decisionListLine(
  decisions: readonly number[],
  upToStep?: number,
  whole?: string,
): string {
  const n = decisions.length;
  const long = whole !== undefined && n > LONG_LIST;
  const count = long ? String(n).replace(/\B(?=(\d{3})+$)/g, ",") : String(n);
  return `decision-list (${count} entr${n === 1 ? "y" : "ies"}${
    upToStep !== undefined ? `, up to step ${upToStep}` : ""
  }): ${
    n === 0
      ? "none"
      : long
      ? `${decisions.slice(0, LIST_PREFIX).join(",")},... (the first ${LIST_PREFIX}; ${whole})`
      : decisions.join(",")
  }`;
}

/**
 * Entries past which a decision list that is kept elsewhere (a case file, a replay line) is printed
 * as its first {@linkcode LIST_PREFIX} entries: explore printed a 25,000-step counterexample's
 * 13,932 entries (~30 KB) inline (userS27k).
 */
export const LONG_LIST = 100;

/** The entries a long decision list shows ({@linkcode decisionListLine}). */
export const LIST_PREFIX = 40;

/**
 * The decisions of a `sim` or `repro` replay line: the run's whole list, unless it is longer
 * than {@linkcode LONG_LIST} entries; then what the command was given, which replays the same
 * run (the list given, the seed picking the rest, or the seed's strategy alone: runs are
 * deterministic), so a 25,000-step run's line is not 30 KB.
 *
 * @example
 * ```ts
 * import { replayDecisionsArg } from "./_output.ts";
 * console.assert(replayDecisionsArg([0, 1], undefined, "random", 2) === " --decisions 0,1");
 * const long = new Array(500).fill(1);
 * console.assert(replayDecisionsArg(long, undefined, "random", 2) === "");
 * console.assert(replayDecisionsArg(long, "1,1", "random", 2) === " --decisions 1,1");
 * console.assert(replayDecisionsArg(long, undefined, "pct", 3) === " --strategy pct --pct-depth 3");
 * ```
 */
export function replayDecisionsArg(
  decisions: readonly number[],
  given: string | undefined,
  strategy: string,
  pctDepth: number,
): string {
  if (decisions.length <= LONG_LIST) return ` --decisions ${decisions.join(",") || '""'}`;
  if (given !== undefined) return ` --decisions ${given || '""'}`;
  return strategy === "pct" ? ` --strategy pct --pct-depth ${pctDepth}` : "";
}

/** What a long decision list's line says of a replay line made by {@linkcode replayDecisionsArg}. */
export const REPLAYED_WHOLE = "the replay line below replays the whole list";

/** The step a failing verdict happened at, or null. */
export function failingStep(run: RunResult): number | null {
  return run.verdict.kind === "pass" ? null : run.verdict.step;
}
