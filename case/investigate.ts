/**
 * The one investigate step, for every kind of input: a failing run is
 * replayed (twice: a run that does not fail the same way again is reported as
 * nondeterminism with the first diverging step, and never becomes a case),
 * signed, checked against known signatures, persisted unshrunk at once (so a
 * kill during shrinking loses nothing), shrunk, settled (the final run's
 * complete decision list and trace hash), and persisted again in its shrunk
 * form, which replaces the unshrunk one (`replaces`: the smaller case wins).
 *
 * @module
 */

import { verdictLabel } from "../properties/check_case.ts";
import {
  CASE_FORMAT,
  type CaseEnvelope,
  type CaseOrigin,
  type ModuleRef,
  UNSHRUNK_WRITTEN,
} from "./envelope.ts";
import type { CaseKind, KindRun, RunContext } from "./kind.ts";
import { type Divergence, firstDivergence } from "./replay.ts";
import { shrink, type ShrinkProgress } from "./shrink.ts";
import type { SchedulePick } from "../sim/strategy.ts";
import type { Verdict } from "../sim/world.ts";
import { variantCrashNote, variantCrashSite } from "../sim/variant_crash.ts";
import type { ServiceContract } from "../scenario/service_contract.ts";

/** What a case records besides its run: how to replay it and where it came from. */
export interface CaseMeta {
  /** The checker set (one of the kind's sets) the context's monitors are. */
  readonly checkers: string;
  /** A seeded bug (zoo/registry.ts) the runs use. */
  readonly bug?: string;
  /** The kernel variant module the runs use. */
  readonly kernel?: ModuleRef;
  /** The service module the runs use (bound to the `custom` name `user`). */
  readonly service?: ModuleRef;
  /** The contract that service module is held to, if any. */
  readonly contract?: ServiceContract;
  /**
   * The wall-clock, heap and confirmation limits the runs have; the case records them with the
   * input's step limit (`limits`). Absent: none recorded.
   */
  readonly limits?: {
    readonly runTimeout: number;
    readonly memoryMb: number;
    readonly confirmTimeout?: number;
  };
  /** Where it was found. */
  readonly found: CaseOrigin;
  /** For people; default says who found it and its signature. */
  readonly description?: string;
}

/**
 * The envelope recording a settled run of `input`.
 *
 * @example
 * ```ts
 * import { toEnvelope } from "./investigate.ts";
 * import { SCENARIO_KIND } from "./kinds.ts";
 * import { kernelInvariants } from "../properties/kernel_invariants.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const input = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const run = SCENARIO_KIND.run(input, { seed: 1 }, { monitors: kernelInvariants });
 * const c = toEnvelope(SCENARIO_KIND, input, 1, run, { checkers: "kernel", found: { by: "example" } });
 * console.assert(c.format === "pagersim/case@2" && c.expected === "pass");
 * ```
 */
export function toEnvelope<I>(
  kind: CaseKind<I>,
  input: I,
  seed: number,
  run: Pick<KindRun, "verdict" | "decisions" | "traceHash">,
  meta: CaseMeta,
  signature?: string,
): CaseEnvelope<I> {
  return {
    format: CASE_FORMAT,
    kind: kind.name,
    description: meta.description ??
      `found by ${meta.found.by}${
        meta.found.campaignSeed !== undefined
          // A shrunk case's failure is its own, not its run's (other VMOs, pages, bytes).
          ? ` campaign ${meta.found.campaignSeed}, ${
            meta.found.shrunkFrom !== undefined ? "shrunk from " : ""
          }run ${meta.found.run}`
          : ""
      }: ${signature ?? verdictLabel(run.verdict)}${verdictDetail(run.verdict)}`,
    input,
    decisions: [...run.decisions],
    seed,
    checkers: meta.checkers,
    ...(meta.bug !== undefined ? { bug: meta.bug } : {}),
    ...(meta.kernel !== undefined ? { kernel: meta.kernel } : {}),
    ...(meta.service !== undefined ? { service: meta.service } : {}),
    ...(meta.contract !== undefined ? { contract: meta.contract } : {}),
    ...(meta.limits !== undefined
      ? { limits: { maxSteps: kind.stepLimit(input), ...meta.limits } }
      : {}),
    expected: verdictLabel(run.verdict),
    traceHash: run.traceHash,
    ...(signature !== undefined ? { signature } : {}),
    found: meta.found,
  };
}

/**
 * What a failing verdict says beyond its label, for a case's description: the checker's message,
 * the faulting thread and its error, or who a hang left blocked and on what (its first line,
 * whole: a case file and a saved summary are read later, and userS29b's read `only when every
 * page o…`; the fuzz summary on a terminal cuts it with {@linkcode clipDetail}); empty for a pass.
 */
function verdictDetail(v: Verdict): string {
  let text: string;
  switch (v.kind) {
    case "invariant":
    case "kernel-assertion":
      text = v.message;
      break;
    case "thread-fault": {
      const site = variantCrashSite(v.stack);
      text = `${v.thread}: ${v.message}` + (site === null ? "" : `; ${variantCrashNote(site)}`);
      break;
    }
    case "hang":
      text = v.blocked.map((b) => `${b.thread} on ${b.on}`).join(", ");
      break;
    default:
      return "";
  }
  const line = text.split("\n")[0];
  return line === "" ? "" : ` (${line})`;
}

/**
 * `line` cut to at most `max` characters, at a word boundary, its cut marked `…` (the fuzz
 * summary's description lines on a terminal; off one nothing is cut). A liveness message ends
 * with its cause, the thread a signature names (`; parked holding a packet: t3 "w" waits on futex
 * ... (condvar chunk loaded)`, `; wait-for cycle: ...`): that tail is kept and the message before
 * it cut, so the line still says who is parked and on what (userS24: the cut fell just before it).
 *
 * @example
 * ```ts
 * import { clipDetail } from "./investigate.ts";
 * const head = "P1: t1 took a READ " + "word ".repeat(60);
 * const line = `${head}; parked holding a packet: t3 "w" waits on futex 0x4 (condvar loaded)`;
 * const clipped = clipDetail(line);
 * console.assert(clipped.length <= 240);
 * console.assert(clipped.endsWith(`word…; parked holding a packet: t3 "w" waits on futex 0x4 (condvar loaded)`));
 * console.assert(clipDetail("short") === "short");
 * // No cause: cut after a whole word, never inside one (userS29b read `every page o…`).
 * const plain = clipDetail("a request completes only when every page of it ".repeat(8));
 * console.assert(plain.endsWith(" every page of it a…") && plain.length <= 240);
 * // Two parked threads: the first is named whole, the message before cut to about 60 characters.
 * const two = `${head}; parked holding a packet: ${`t2 "w" waits on futex 0x4 (condvar q)`.repeat(6)}`;
 * console.assert(clipDetail(two).length <= 240);
 * console.assert(clipDetail(two).startsWith(`${head.slice(0, 55)}`));
 * console.assert(clipDetail(two).includes("…; parked holding a packet: t2"));
 * ```
 */
export function clipDetail(line: string, max = 240): string {
  if (line.length <= max) return line;
  const cause = /; (?:parked holding a packet|wait-for cycle): .*$/.exec(line);
  if (cause === null) return `${wordCut(line, max - 1)}…`;
  // At least 60 characters of the message before the cause; a cause longer than the rest is cut
  // at its end (it names its first thread whole: two threads' waits fit in 170 characters).
  const head = Math.max(60, max - 1 - cause[0].length);
  const room = max - 1 - head;
  const tail = cause[0].length <= room ? cause[0] : `${wordCut(cause[0], room - 1)}…`;
  return `${wordCut(line.slice(0, cause.index), head)}…${tail}`;
}

/** `text` cut to at most `n` characters after its last whole word (inside one only if none fits). */
function wordCut(text: string, n: number): string {
  if (text.length <= n) return text;
  const at = text.lastIndexOf(" ", n);
  return (at > n / 2 ? text.slice(0, at) : text.slice(0, n)).replace(/[\s,;:(]+$/, "");
}

/** Options of {@linkcode investigate}. */
export interface InvestigateOptions<I> {
  /** The run's seed (the replay fallback past its decisions). */
  readonly seed: number;
  /** Checkers, named services and kernel variant of the run. */
  readonly ctx: RunContext;
  /** What the case records besides its run. */
  readonly meta: CaseMeta;
  /** The dedupe signature of a settled failing run (null: it passed). */
  readonly sign: (run: KindRun) => string | null;
  /** Trace hash of the run that failed, if known: a replay that differs is nondeterminism. */
  readonly originalTraceHash?: string;
  /** True for a signature already found: counted, not persisted or shrunk again. */
  readonly known?: (signature: string) => boolean;
  /**
   * Writes a case (first the unshrunk, then the shrunk form), returning where
   * it went; `case/store.ts` `writeCase` fits. A throw is reported in the
   * result, and shrinking goes on.
   */
  readonly persist?: (c: CaseEnvelope<I>) => Promise<string>;
  /** Most shrink candidates. Default 2000. */
  readonly maxAttempts?: number;
  /** Told after each shrink candidate's run (a campaign's progress line shows it). */
  readonly shrinkProgress?: (p: ShrinkProgress) => void;
  /** Stop shrinking early; what was shrunk so far is kept. */
  readonly abort?: () => boolean;
  /**
   * A context with new instances of the user's modules (fuzz/worker.ts), for the settled shrunk
   * run: shrinking ran hundreds of runs in `ctx`, and a candidate may fail only through the
   * module state they left (kfix27: a kernel variant throwing on every 7th supply it counts in
   * a module-level `let`, whose shrunk case did not replay alone). A shrunk run that replays
   * differently in it is not kept: the case stays the unshrunk run, with `notShrunk` saying why.
   */
  readonly fresh?: () => Promise<RunContext>;
}

/** What investigating a failing run gave. */
export type Investigation<I> =
  | {
    /** The run did not fail the same way again: never written as a case. */
    readonly status: "nondeterministic";
    /** What differed, for people. */
    readonly message: string;
    /** The first step where two replays differed, if they did. */
    readonly divergence: Divergence | null;
  }
  | {
    /** A signature already known: counted only. */
    readonly status: "known";
    readonly signature: string;
  }
  | {
    readonly status: "found";
    readonly signature: string;
    /** The case as first persisted, before shrinking. */
    readonly unshrunk: CaseEnvelope<I>;
    /** The shrunk, settled case. */
    readonly case: CaseEnvelope<I>;
    /** Where the case was written (null: no `persist`, or writing failed). */
    readonly file: string | null;
    /** Why writing failed, if it did. */
    readonly writeError: string | null;
    /** Shrink candidates tried. */
    readonly attempts: number;
    /** True when `abort` cut shrinking short: the case is written marked `found.shrinkCut`. */
    readonly shrinkCut: boolean;
    /**
     * Why the case is the unshrunk run though shrinking ended: how the shrunk run replayed on
     * new instances of the user's modules (`fresh`), which is nondeterminism in the code under
     * test. Absent otherwise.
     */
    readonly notShrunk?: string;
  };

/**
 * Sign → persist unshrunk → shrink → settle → persist shrunk.
 *
 * @example
 * ```ts
 * import { investigate } from "./investigate.ts";
 * import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
 * import { signatureOf } from "../fuzz/signature.ts";
 * import { NAMED_SERVICES } from "../zoo/registry.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const input = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "supplies-wrong-key" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const ctx = { monitors: scenarioCheckers("kernel"), services: NAMED_SERVICES };
 * const run = SCENARIO_KIND.run(input, { seed: 1 }, ctx);
 * const written: string[] = [];
 * const r = await investigate(SCENARIO_KIND, input, run.decisions, {
 *   seed: 1,
 *   ctx,
 *   sign: (x) => signatureOf(x.verdict, x.raw),
 *   meta: { checkers: "kernel", found: { by: "example" } },
 *   persist: (c) => Promise.resolve(written[written.length] = c.expected),
 * });
 * console.assert(r.status === "found" && written.length === 2); // unshrunk first, then shrunk
 * ```
 */
export async function investigate<I>(
  kind: CaseKind<I>,
  input: I,
  decisions: readonly number[],
  options: InvestigateOptions<I>,
): Promise<Investigation<I>> {
  const { seed, ctx } = options;
  const replay = (i: I, d: readonly number[]) => kind.run(i, { seed, decisions: d }, ctx);
  const first = replay(input, decisions);
  const signature = options.sign(first);
  const differs = options.originalTraceHash !== undefined &&
    first.traceHash !== options.originalTraceHash;
  if (signature === null || differs) {
    const second = replay(input, decisions);
    const divergence = firstDivergence(first.trace.entries, second.trace.entries);
    return {
      status: "nondeterministic",
      message: signature === null
        ? `the run failed but its replay passed (trace hash ${first.traceHash})`
        : `the replay's trace hash ${first.traceHash} is not the run's ${options.originalTraceHash}`,
      divergence,
    };
  }
  if (options.known?.(signature)) return { status: "known", signature };
  // A second replay: a run is a case only if it replays the same way.
  const second = replay(input, decisions);
  if (second.traceHash !== first.traceHash) {
    return {
      status: "nondeterministic",
      message: `two replays of one decision list differ (trace hashes ${first.traceHash}, ` +
        `${second.traceHash})`,
      divergence: firstDivergence(first.trace.entries, second.trace.entries),
    };
  }
  let file: string | null = null;
  let writeError: string | null = null;
  const persist = async (c: CaseEnvelope<I>) => {
    if (options.persist === undefined) return;
    try {
      file = await options.persist(c);
      writeError = null;
    } catch (e) {
      writeError = e instanceof Error ? e.message : String(e);
    }
  };
  const unshrunk = toEnvelope(kind, input, seed, first, {
    ...options.meta,
    found: { ...options.meta.found, unshrunk: true, unshrunkWhy: UNSHRUNK_WRITTEN },
  }, signature);
  await persist(unshrunk);
  /**
   * A run of a candidate (replayed, or following a schedule) with its picks by what they
   * chose; its decisions cut to those made before any fair phase (a replay never reads the
   * rest: the fair scheduler answers from there on, so the run is the same without them).
   */
  const runOf = (
    c: { input: I; decisions: readonly number[]; follow?: readonly SchedulePick[] },
  ) => {
    const schedule: SchedulePick[] = [];
    const r = kind.run(c.input, {
      seed,
      ...(c.follow !== undefined ? { follow: c.follow } : { decisions: c.decisions }),
      schedule,
    }, ctx);
    return { run: r, schedule, decisions: r.decisions.slice(0, schedule.length) };
  };
  const shrunk = shrink(kind, { input, decisions: first.decisions }, {
    fails: (c) => {
      if (kind.admits !== undefined && !kind.admits(c.input, ctx)) return false;
      const r = runOf(c);
      return options.sign(r.run) === signature && r;
    },
    schedule: (c) => runOf(c).schedule,
    maxAttempts: options.maxAttempts ?? 2000,
    abort: options.abort,
    progress: options.shrinkProgress,
  });
  // The decision list of the final run up to its fair phase, so replay never needs the
  // fallback seed (and carries no fair picks, which a replay never reads).
  const settledRun = runOf(shrunk.case);
  const final = { ...settledRun.run, decisions: settledRun.decisions };
  // Replayed alone, as repro replays a case: on new instances of the user's modules.
  const alone = options.sign(final) === signature && options.fresh !== undefined
    ? kind.run(shrunk.case.input, { seed, decisions: final.decisions }, await options.fresh())
    : null;
  if (alone !== null && alone.traceHash !== final.traceHash) {
    const got = options.sign(alone);
    return {
      status: "found",
      signature,
      unshrunk,
      case: unshrunk,
      file,
      writeError,
      attempts: shrunk.attempts,
      shrinkCut: false,
      notShrunk: `its shrunk case failed only after the runs shrinking made before it: replayed ` +
        `alone (new instances of the modules) it ${
          got === null ? "passed" : got === signature ? "ran differently" : `failed as ${got}`
        }`,
    };
  }
  if (options.sign(final) !== signature) {
    // Shrinking met a schedule that does not replay: keep the unshrunk case, which did.
    return {
      status: "found",
      signature,
      unshrunk,
      case: unshrunk,
      file,
      writeError,
      attempts: shrunk.attempts,
      // The unshrunk case carries no cut mark: it is what a finished shrink also keeps here.
      shrinkCut: false,
    };
  }
  const settled = toEnvelope(kind, shrunk.case.input, seed, final, {
    ...options.meta,
    found: {
      ...options.meta.found,
      shrunkFrom: first.decisions.length,
      ...(shrunk.aborted ? { shrinkCut: true } : {}),
    },
  }, signature);
  await persist(settled);
  return {
    status: "found",
    signature,
    unshrunk,
    case: settled,
    file,
    writeError,
    attempts: shrunk.attempts,
    shrinkCut: shrunk.aborted,
  };
}
