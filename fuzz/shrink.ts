/**
 * Shrinking a failing case: greedy, deterministic delta debugging over both
 * the scenario (threads, operations, events, sizes, service parameters) and
 * the decision list (chunks removed, values lowered), keeping a candidate only
 * if it still fails with the same signature. Scenario cuts come first: fewer
 * threads and operations make every schedule shorter.
 *
 * @module
 */

import { parseScenario, type Scenario } from "../scenario/schema.ts";

/** A case: a scenario and the decision list that drives it. */
export interface Case {
  /** The validated scenario. */
  readonly scenario: Scenario;
  /** Scheduling and draw decisions, replayed in order. */
  readonly decisions: readonly number[];
}

/** Options of {@linkcode shrinkCase}. */
export interface ShrinkOptions {
  /**
   * Still failing the same way? Replays the candidate; returns false, true,
   * or (better) the run's complete recorded decision list, which shrinking
   * then continues from, so the result never depends on fallback picks.
   */
  readonly fails: (c: Case) => boolean | readonly number[];
  /** Most candidate runs to try. Default 3000. */
  readonly maxAttempts?: number;
  /** Stop early (campaign budget or Ctrl-C); the case shrunk so far is kept. */
  readonly abort?: () => boolean;
}

/** What shrinking did. */
export interface ShrinkResult {
  /** The smallest case found that still fails the same way. */
  readonly case: Case;
  /** Candidate runs tried. */
  readonly attempts: number;
  /** Candidates kept because they still failed the same way. */
  readonly accepted: number;
}

/** Scenario candidates one cut smaller than `s`, biggest cuts first. */
export function* scenarioCuts(s: Scenario): Generator<Scenario> {
  const without = <T>(list: readonly T[], i: number) => list.filter((_, j) => j !== i);
  for (let i = 0; i < s.events.length; i++) yield { ...s, events: without(s.events, i) };
  if (s.threads.length > 1) {
    for (let i = 0; i < s.threads.length; i++) {
      const name = s.threads[i].name;
      yield {
        ...s,
        threads: without(s.threads, i),
        events: s.events.filter((e) =>
          !((e.do === "suspend" || e.do === "kill") && e.target === name)
        ),
      };
    }
  }
  for (let i = 0; i < s.threads.length; i++) {
    const t = s.threads[i];
    for (let j = 0; j < t.ops.length && t.ops.length > 1; j++) {
      yield {
        ...s,
        threads: s.threads.map((x, k) => k === i ? { ...t, ops: without(t.ops, j) } : x),
      };
    }
    for (let j = 0; j < t.ops.length; j++) {
      const op = t.ops[j];
      if (!("pages" in op)) continue;
      const smaller = [
        op.pages > 1 ? { ...op, pages: 1 } : null,
        op.pages > 2 ? { ...op, pages: Math.ceil(op.pages / 2) } : null,
        op.page > 0 ? { ...op, page: 0 } : null,
      ];
      for (const o of smaller) {
        if (o !== null) {
          yield {
            ...s,
            threads: s.threads.map((x, k) =>
              k === i ? { ...t, ops: t.ops.map((y, m) => m === j ? o : y) } : x
            ),
          };
        }
      }
    }
    if (t.failInsteadOfBlock) {
      yield {
        ...s,
        threads: s.threads.map((x, k) => k === i ? { ...t, failInsteadOfBlock: false } : x),
      };
    }
  }
  const used = new Set(s.threads.flatMap((t) => t.ops.map((o) => o.vmo)));
  for (const e of s.events) if (e.do === "detach" || e.do === "closeVmo") used.add(e.target);
  if (s.vmos.length > 1) {
    for (let i = 0; i < s.vmos.length; i++) {
      if (!used.has(s.vmos[i].name)) yield { ...s, vmos: without(s.vmos, i) };
    }
  }
  for (let i = 0; i < s.vmos.length; i++) {
    const v = s.vmos[i];
    const need = Math.max(
      1,
      ...s.threads.flatMap((t) =>
        t.ops.filter((o) => o.vmo === v.name && "pages" in o).map((
          o,
        ) => ("page" in o ? o.page + o.pages : 1))
      ),
    );
    if (v.pages > need) {
      yield {
        ...s,
        vmos: s.vmos.map((x, k) => k === i ? { ...v, pages: need } : x),
      };
    }
  }
  const pagersUsed = new Set(s.vmos.map((v) => v.pager));
  for (const e of s.events) {
    if (e.do === "closePager" || e.do === "closePort") pagersUsed.add(e.target);
  }
  if (s.pagers.length > 1) {
    for (let i = 0; i < s.pagers.length; i++) {
      if (!pagersUsed.has(s.pagers[i].name)) yield { ...s, pagers: without(s.pagers, i) };
    }
  }
  for (let i = 0; i < s.pagers.length; i++) {
    const p = s.pagers[i];
    if (p.threads > 1) {
      yield {
        ...s,
        pagers: s.pagers.map((x, k) => k === i ? { ...p, threads: 1 } : x),
      };
    }
  }
  for (let i = 0; i < s.events.length; i++) {
    if (s.events[i].notBefore > 0) {
      yield { ...s, events: s.events.map((e, k) => k === i ? { ...e, notBefore: 0 } : e) };
    }
  }
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
 * Shrinks a failing case until no single cut keeps it failing (or the
 * attempt budget runs out).
 */
export function shrinkCase(start: Case, options: ShrinkOptions): ShrinkResult {
  const max = options.maxAttempts ?? 3000;
  let current = start;
  let attempts = 0;
  let accepted = 0;
  /** The case that failed: the candidate, or its run's complete recorded decisions. */
  const tryCase = (c: Case): Case | null => {
    if (options.abort?.()) {
      attempts = max;
      return null;
    }
    attempts++;
    try {
      parseScenario(c.scenario);
    } catch {
      return null;
    }
    const r = options.fails(c);
    if (r === false) return null;
    return r === true ? c : { scenario: c.scenario, decisions: r };
  };
  let progress = true;
  while (progress && attempts < max) {
    progress = false;
    for (const s of scenarioCuts(current.scenario)) {
      if (attempts >= max) break;
      const got = tryCase({ scenario: s, decisions: current.decisions });
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
      const got = tryCase({ scenario: current.scenario, decisions: d });
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
