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

/** A case being shrunk: an input and the decision list that drives it. */
export interface ShrinkCandidate<I> {
  /** The input (a scenario, a program). */
  readonly input: I;
  /** Scheduling and draw decisions, replayed in order. */
  readonly decisions: readonly number[];
}

/** Options of {@linkcode shrink}. */
export interface ShrinkDriverOptions<I> {
  /**
   * Still failing the same way? Replays the candidate; returns false, true,
   * or (better) the run's complete recorded decision list, which shrinking
   * then continues from, so the result never depends on fallback picks.
   */
  readonly fails: (c: ShrinkCandidate<I>) => boolean | readonly number[];
  /** Most candidate runs to try. Default 3000. */
  readonly maxAttempts?: number;
  /** Stop early (campaign budget or Ctrl-C); the case shrunk so far is kept. */
  readonly abort?: () => boolean;
}

/** What shrinking did. */
export interface ShrinkOutcome<I> {
  /** The smallest case found that still fails the same way. */
  readonly case: ShrinkCandidate<I>;
  /** Candidate runs tried. */
  readonly attempts: number;
  /** Candidates kept because they still failed the same way. */
  readonly accepted: number;
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
 * the attempt budget runs out): input cuts first, then decision cuts.
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
  let current = start;
  let attempts = 0;
  let accepted = 0;
  /** The case that failed: the candidate, or its run's complete recorded decisions. */
  const tryCase = (c: ShrinkCandidate<I>): ShrinkCandidate<I> | null => {
    if (options.abort?.()) {
      attempts = max;
      return null;
    }
    attempts++;
    const r = options.fails(c);
    if (r === false) return null;
    return r === true ? c : { input: c.input, decisions: r };
  };
  let progress = true;
  while (progress && attempts < max) {
    progress = false;
    for (const input of kind.cuts(current.input)) {
      if (attempts >= max) break;
      const got = tryCase({ input, decisions: current.decisions });
      if (got !== null) {
        current = got;
        accepted++;
        progress = true;
        break;
      }
    }
    if (progress) continue;
    for (const d of decisionCuts(current.decisions)) {
      if (attempts >= max) break;
      const got = tryCase({ input: current.input, decisions: d });
      // The recorded list must be smaller than the current one, or shrinking could cycle.
      if (got !== null && smallerList(got.decisions, current.decisions)) {
        current = got;
        accepted++;
        progress = true;
        break;
      }
    }
  }
  return { case: current, attempts, accepted };
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
