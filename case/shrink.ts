/**
 * The one shrink driver: greedy, deterministic delta debugging over a case's
 * input (the kind's cuts: `scenario/cuts.ts`, `program/cuts.ts`) and its
 * decision list (chunks removed, values lowered), keeping a candidate only if
 * it still fails the same way. Input cuts come first: fewer threads and
 * operations make every schedule shorter.
 *
 * @module
 */

import type { Scenario } from "../scenario/schema.ts";
import type { Program } from "../program/program.ts";
import type { CaseKind } from "./kind.ts";
import { PROGRAM_KIND, SCENARIO_KIND } from "./kinds.ts";
import type { SchedulePick } from "../sim/strategy.ts";

/** A case being shrunk: an input and the decision list that drives it. */
export interface ShrinkCandidate<I> {
  /** The input (a scenario, a program). */
  readonly input: I;
  /** Scheduling and draw decisions, replayed in order. */
  readonly decisions: readonly number[];
  /**
   * Run the input following this schedule (recorded on the case before a cut
   * of its input) instead of replaying `decisions`; `fails` must then answer
   * with the run's recorded decisions (true alone says nothing to keep).
   */
  readonly follow?: readonly SchedulePick[];
}

/** Options of {@linkcode shrink}. */
export interface ShrinkDriverOptions<I> {
  /**
   * Still failing the same way? Replays the candidate; returns false, true,
   * or (better) the run's complete recorded decision list, which shrinking
   * then continues from, so the result never depends on fallback picks.
   */
  readonly fails: (c: ShrinkCandidate<I>) => boolean | readonly number[] | ShrinkRun;
  /**
   * A case's schedule by what each pick chose (one replay, counted as a
   * candidate run), so a cut of the input can follow the interleaving the
   * failure needs instead of replaying decisions that now mean other
   * threads. Absent: input cuts replay the decisions as they are.
   */
  readonly schedule?: (c: ShrinkCandidate<I>) => readonly SchedulePick[];
  /** Most candidate runs to try. Default 3000. */
  readonly maxAttempts?: number;
  /** Stop early (campaign budget or Ctrl-C); the case shrunk so far is kept. */
  readonly abort?: () => boolean;
  /**
   * Told after each candidate run, for a progress line (never read back: no effect on what
   * shrinking keeps).
   */
  readonly progress?: (p: ShrinkProgress) => void;
}

/** Where a shrink is, as {@linkcode ShrinkDriverOptions.progress} tells it. */
export interface ShrinkProgress {
  /** Candidate runs tried so far. */
  readonly attempts: number;
  /** The most it will try. */
  readonly max: number;
  /** Candidates kept so far. */
  readonly accepted: number;
  /** The decision-list length of the smallest case met so far (the one a stop now keeps). */
  readonly decisions: number;
  /** The size of that case ({@linkcode ShrinkOutcome.case}'s order: input size plus decisions). */
  readonly size: number;
}

/** A failing candidate's run as `fails` may tell it: its decisions and its schedule. */
export interface ShrinkRun {
  /** The run's recorded decisions (those a replay needs). */
  readonly decisions: readonly number[];
  /** The run's picks by what they chose (what a cut of the input follows). */
  readonly schedule: readonly SchedulePick[];
}

/** What shrinking did. */
export interface ShrinkOutcome<I> {
  /**
   * The case shrinking ends at: a finished shrink's last kept case (no single cut keeps it
   * failing), unless it is larger than the start; a stopped one's (`aborted`) smallest case met.
   * Sizes are the store's order (`caseSize`: the kind's input size plus the decisions; the first
   * met on a tie), so the case is never larger than the start. An input cut is kept when it still
   * fails, and the run it records may have more decisions than it cut from the input (past the
   * schedule it follows, a run takes default picks), which later cuts usually take back; a stop
   * before that (Ctrl-C, the budget) kept a case larger than the unshrunk run (userS29a: size
   * 382 -> 466, 168 -> 298 decisions). A finished shrink keeps its last case even when an
   * earlier one was smaller by that order: cuts the size does not count (a pager's service
   * threads, pages) made it simpler.
   */
  readonly case: ShrinkCandidate<I>;
  /** Candidate runs tried (schedule recordings included). */
  readonly attempts: number;
  /** Candidates kept because they still failed the same way. */
  readonly accepted: number;
  /**
   * True when `abort` cut shrinking short (the campaign's end or Ctrl-C): the case is smaller
   * than the start but a further cut may still keep it failing.
   */
  readonly aborted: boolean;
}

/** Decision-list candidates one cut smaller than `d`: chunks removed, then values lowered. */
export function* decisionCuts(d: readonly number[]): Generator<number[]> {
  for (let size = Math.max(1, d.length >> 1); size >= 1; size >>= 1) {
    for (let start = d.length - size; start >= 0; start -= size) {
      yield [...d.slice(0, start), ...d.slice(start + size)];
    }
  }
  for (let i = 0; i < d.length; i++) {
    if (d[i] > 0) yield d.map((v, j) => (j === i ? 0 : v));
  }
  for (let i = 0; i < d.length; i++) {
    if (d[i] > 1) yield d.map((v, j) => (j === i ? v - 1 : v));
  }
}

/**
 * Shrinks a failing case of any kind until no single cut keeps it failing (or
 * the attempt budget runs out), in rounds: input cuts (each tried following
 * the case's schedule when `schedule` is given, then with the decisions as
 * they are), then chunks of the decision list removed, largest first (a
 * chunk at the end is a truncation: the picks past the list are the replay's
 * seeded fallback); only when neither keeps anything, each value set to 0
 * (the default pick: the lowest thread id, the smallest draw), halved, or
 * lowered by one. A kept candidate does not restart its pass: the pass goes
 * on from where it is, and a new round starts only when a round kept
 * something. Deterministic: the order is fixed, and
 * the budget is a count of runs, never time.
 *
 * @example
 * ```ts
 * import { shrink } from "./shrink.ts";
 * import { SCENARIO_KIND } from "./kinds.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const input = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }] }],
 * });
 * // "Fails" while some thread still reads page 1.
 * const r = shrink(SCENARIO_KIND, { input, decisions: [1, 0, 1] }, {
 *   fails: (c) => c.input.threads.some((t) => t.ops.some((o) => "page" in o && o.page === 1)),
 * });
 * console.assert(r.case.input.threads[0].ops.length === 1 && r.case.decisions.length === 0);
 * ```
 */
export function shrink<I>(
  kind: CaseKind<I>,
  start: ShrinkCandidate<I>,
  options: ShrinkDriverOptions<I>,
): ShrinkOutcome<I> {
  const max = options.maxAttempts ?? 3000;
  let current: ShrinkCandidate<I> = { input: start.input, decisions: start.decisions };
  const sizeOf = (c: ShrinkCandidate<I>) => kind.size(c.input) + c.decisions.length;
  /** The smallest case met so far, and its size: what shrinking returns. */
  let best = current;
  let bestSize = sizeOf(current);
  let attempts = 0;
  let accepted = 0;
  let aborted = false;
  const spent = () => attempts >= max;
  /** The schedule of `current`, when known. */
  let schedule: readonly SchedulePick[] | null = null;
  /** Runs `c`; the failing run's decisions and schedule, or null. */
  const run = (c: ShrinkCandidate<I>): ShrinkRun | { decisions: readonly number[] } | null => {
    if (options.abort?.()) {
      aborted = true;
      attempts = max;
      return null;
    }
    attempts++;
    const r = options.fails(c);
    options.progress?.({
      attempts,
      max,
      accepted,
      decisions: best.decisions.length,
      size: bestSize,
    });
    if (r === false) return null;
    if (r === true) return c.follow !== undefined ? null : { decisions: c.decisions };
    return "schedule" in r ? r : { decisions: r as readonly number[] };
  };
  const keep = (input: I, got: ShrinkRun | { decisions: readonly number[] }) => {
    current = { input, decisions: got.decisions };
    schedule = "schedule" in got ? got.schedule : null;
    accepted++;
    const size = sizeOf(current);
    if (size < bestSize) {
      best = current;
      bestSize = size;
      // Said now, not at the next run: a stop before it would leave the line showing a larger
      // case than the one kept.
      options.progress?.({ attempts, max, accepted, decisions: best.decisions.length, size });
    }
  };
  /** Keeps a decision-list candidate that fails the same way with a smaller list. */
  const tryDecisions = (d: readonly number[]): boolean => {
    const got = run({ input: current.input, decisions: d });
    // Only a smaller list is kept, or shrinking could cycle.
    if (got === null || !smallerList(got.decisions, current.decisions)) return false;
    keep(current.input, got);
    return true;
  };
  /** Keeps an input cut that fails the same way: following the schedule, else as replayed. */
  const tryInput = (input: I): boolean => {
    if (options.schedule !== undefined && !spent()) {
      if (schedule === null) {
        attempts++;
        schedule = options.schedule(current);
      }
      const follow = kind.followAfterCut?.(schedule, current.input, input) ?? schedule;
      const got = spent() ? null : run({ input, decisions: [], follow });
      if (got !== null) {
        keep(input, got);
        return true;
      }
    }
    if (spent()) return false;
    const got = run({ input, decisions: current.decisions });
    if (got === null) return false;
    keep(input, got);
    return true;
  };
  const inputPass = (): boolean => {
    let progress = false;
    // After a kept cut, the new input's cuts are tried from the same position on (the ones
    // before it failed a moment ago); the next round tries them all again.
    for (let from = 0, again = true; again && !spent();) {
      again = false;
      let i = 0;
      for (const input of kind.cuts(current.input)) {
        if (spent()) break;
        if (i++ < from) continue;
        if (tryInput(input)) {
          progress = again = true;
          from = i - 1;
          break;
        }
      }
    }
    return progress;
  };
  const chunkPass = (): boolean => {
    let progress = false;
    for (let size = Math.max(1, current.decisions.length >> 1); size >= 1; size >>= 1) {
      for (let at = current.decisions.length - size; at >= 0 && !spent(); at -= size) {
        const d = current.decisions;
        if (at + size > d.length) continue;
        if (tryDecisions([...d.slice(0, at), ...d.slice(at + size)])) {
          progress = true;
          at = Math.min(at + size, current.decisions.length); // the same place again
        }
      }
    }
    return progress;
  };
  const lowerPass = (): boolean => {
    let progress = false;
    for (let i = 0; i < current.decisions.length && !spent(); i++) {
      const v = current.decisions[i];
      for (const x of [0, v >> 1, v - 1].filter((x, k, a) => x < v && a.indexOf(x) === k)) {
        const d = current.decisions;
        if (i >= d.length || spent()) break;
        if (tryDecisions(d.map((y, j) => (j === i ? x : y)))) {
          progress = true;
          break;
        }
      }
    }
    return progress;
  };
  // Cheap, big cuts first: values are lowered only when no input or chunk cut is left.
  for (let progress = true; progress && !spent();) {
    progress = inputPass();
    if (chunkPass()) progress = true;
    if (!progress) progress = lowerPass();
  }
  const end = aborted || sizeOf(current) > sizeOf(start) ? best : current;
  return { case: end, attempts: Math.min(attempts, max), accepted, aborted };
}

/** A scenario case: a scenario and the decision list that drives it. */
export interface Case {
  /** The validated scenario. */
  readonly scenario: Scenario;
  /** Scheduling and draw decisions, replayed in order. */
  readonly decisions: readonly number[];
}

/** Options of {@linkcode shrinkCase}. */
export interface ShrinkOptions {
  /** Still failing the same way? False, true, or the run's complete recorded decisions. */
  readonly fails: (c: Case) => boolean | readonly number[];
  /** Most candidate runs to try. Default 3000. */
  readonly maxAttempts?: number;
  /** Stop early; the case shrunk so far is kept. */
  readonly abort?: () => boolean;
}

/** What shrinking a scenario case did. */
export interface ShrinkResult {
  /** The smallest case found that still fails the same way. */
  readonly case: Case;
  /** Candidate runs tried. */
  readonly attempts: number;
  /** Candidates kept because they still failed the same way. */
  readonly accepted: number;
}

/**
 * Shrinks a failing scenario case: {@linkcode shrink} with the scenario kind.
 *
 * @example
 * ```ts
 * import { shrinkCase } from "./shrink.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const r = shrinkCase({ scenario, decisions: [3, 1] }, { fails: () => true });
 * console.assert(r.case.decisions.length === 0);
 * ```
 */
export function shrinkCase(start: Case, options: ShrinkOptions): ShrinkResult {
  const r = shrink(SCENARIO_KIND, { input: start.scenario, decisions: start.decisions }, {
    fails: (c) => options.fails({ scenario: c.input, decisions: c.decisions }),
    maxAttempts: options.maxAttempts,
    abort: options.abort,
  });
  return {
    case: { scenario: r.case.input, decisions: r.case.decisions },
    attempts: r.attempts,
    accepted: r.accepted,
  };
}

/** A failing program run's input: the program and the decision list that drives it. */
export interface ProgramCase {
  /** The program. */
  readonly program: Program;
  /** Scheduling decisions, replayed in order. */
  readonly decisions: readonly number[];
}

/** Shrinks a failing program: {@linkcode shrink} with the program kind (default 2000 attempts). */
export function shrinkProgram(
  start: ProgramCase,
  options: {
    readonly fails: (c: ProgramCase) => boolean | readonly number[];
    readonly maxAttempts?: number;
    readonly abort?: () => boolean;
  },
): { readonly case: ProgramCase; readonly attempts: number; readonly accepted: number } {
  const r = shrink(PROGRAM_KIND, { input: start.program, decisions: start.decisions }, {
    fails: (c) => options.fails({ program: c.input, decisions: c.decisions }),
    maxAttempts: options.maxAttempts ?? 2000,
    abort: options.abort,
  });
  return {
    case: { program: r.case.input, decisions: r.case.decisions },
    attempts: r.attempts,
    accepted: r.accepted,
  };
}

/** Shorter, or as long with a smaller sum: the order decision shrinking descends. */
function smallerList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  let sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i];
    sb += b[i];
  }
  return sa < sb;
}
