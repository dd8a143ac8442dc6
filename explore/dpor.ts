/**
 * Dynamic partial-order reduction for `explore.ts`: which alternatives a
 * choice point needs, found from races between the steps an execution
 * actually took (source-DPOR, Abdulla, Aronis, Jonsson and Sagonas, POPL
 * 2014), made sound under a preemption bound the way bounded POR does
 * (Coons, Musuvathi and McKinley, OOPSLA 2013) and under a state cache the
 * way stateful DPOR does (Yang, Chen, Gopalakrishnan and Kirby, SPIN 2008).
 *
 * - Two steps of different threads are dependent when their footprints
 *   (`footprint.ts`) conflict: they share a token, other than two reads of one
 *   thing; happens-before is the transitive closure
 *   of dependence and program order, kept as vector clocks.
 * - When step `j` of thread q is in a direct race with an earlier step `i`
 *   (dependent, and no step in between is ordered after `i` and before `j`),
 *   and `j` could have run before `i` (q was runnable before `i`, or was made
 *   runnable by a step independent of `i`), the choice point before `i` gets
 *   one initial of `notdep(i).j` (a thread whose first step there depends on
 *   nothing before it), unless it already has one.
 * - A thread that `i` makes unrunnable (suspend, kill) races with `i`.
 * - Under a preemption bound, running the initial just before `i` may cost a
 *   preemption the bound does not allow, so the same initial (or, if it is not
 *   runnable there, every thread) is also added where the block of steps
 *   containing `i` began: switching threads there costs no more than the
 *   switch the execution made (BPOR's conservative backtrack point).
 * - A state reached again is not explored again: its entry in the state cache
 *   keeps a summary of every step (thread and footprint) its explored subtree
 *   took, and each of those is race-checked against the current stack as if
 *   it ran next (the latest dependent step not ordered before the thread's
 *   last step gets the thread, or every runnable thread when the thread was
 *   not runnable there). Additions the subtree made at block starts above it
 *   are replayed at the current block start.
 * - The step that finishes the workload ends the run, so it depends on every
 *   step it keeps from happening (token `*`), except private steps, before
 *   which no schedule preempts; a thread still runnable when the run ends
 *   never took its next step and races as an unknown step. A step of another
 *   workload thread is one it can never keep from happening: it races with
 *   those only by its own tokens (`RaceLog.step`'s `workload`; the argument is
 *   there).
 * - Sleep sets (`explore.ts`) prune what an earlier sibling covered: a
 *   sleeping initial counts as already added, and a cached visit covers a
 *   revisit only if nothing asleep at the visit is awake at the revisit.
 *
 * The tests compare the final states reached with those of sleep sets alone
 * and of no pruning at all, bounded and unbounded, on every scenario in
 * `testdata/`.
 *
 * @module
 */

import { conflictingTokens, type Footprint, isRead, tokensConflict } from "./footprint.ts";

/** A footprint interned once per search: the same tokens are the same object. */
export interface Fp {
  readonly id: number;
  readonly tokens: Footprint;
}

/** Interns footprints so summaries can hold them in sets. */
export class FpTable {
  readonly #byKey = new Map<string, Fp>();

  /** The interned footprint with these tokens. */
  intern(tokens: Footprint): Fp {
    const key = [...tokens].sort().join(" ");
    let fp = this.#byKey.get(key);
    if (fp === undefined) {
      fp = { id: this.#byKey.size, tokens };
      this.#byKey.set(key, fp);
    }
    return fp;
  }
}

/**
 * The step of a thread that could still run when the execution ended (the
 * workload finished first): nothing is known of it, so it depends on every step.
 */
export const ANY_STEP: Fp = { id: -1, tokens: new Set(["*"]) };

/** The token of a step that depends on every step (ends the run, or unknown). */
export const ANY = "*";

/**
 * The token of a private step (`isPrivateStep`): the explorer never preempts
 * just before one, so it is not ordered after the step that ends the run.
 */
export const PRIVATE = "~private";

/** Every step an explored subtree took: thread -> the distinct footprints of its steps. */
export type Summary = Map<number, Set<Fp>>;

/** Threads to add at the start of the block of steps that runs into a node. */
export interface Crossing {
  /** Path index of the block start in the execution that recorded it. */
  readonly target: number;
  /** The initials to add there (every runnable thread if none is runnable). */
  readonly initials: readonly number[];
}

/** What DPOR keeps at a thread choice point. */
export interface DporNode {
  readonly kind: "thread" | "draw";
  readonly tids: readonly number[];
  /** The thread that ran last before this choice (0: none). */
  readonly lastRun: number;
  /** Threads run or to run here. */
  readonly backtrack: Set<number>;
  /** Threads the preemption bound and the private-step rule let run here. */
  readonly permitted: ReadonlySet<number>;
  /** Threads asleep here: an earlier sibling's subtree covers running them. */
  readonly asleep: ReadonlySet<number>;
  /** Alternatives (indexes into `tids`) still to explore. */
  readonly todo: number[];
  /** The steps of the subtree explored from here so far. */
  readonly summary: Summary;
  /** Block-start additions made by races inside the subtree, to replay at a revisit. */
  crossing: Crossing[];
}

/** One step of the current execution. */
interface Step {
  readonly tid: number;
  readonly fp: Fp;
  /** Vector clock: for each thread, how many of its steps happen before (or are) this one. */
  readonly clock: number[];
  /** 1-based index of this step among its thread's steps. */
  readonly local: number;
  /** Path index of the thread choice this step was picked at, or -1 (the only runnable thread). */
  readonly node: number;
  /** Path index of the deepest choice point before this step finished (-1: none). */
  readonly deepest: number;
  /** Runnable threads before and after the step. */
  readonly before: readonly number[];
  readonly after: readonly number[];
}

/** Counters of what the race analysis did. */
export interface DporCounters {
  /** Alternatives added by races between executed steps. */
  races: number;
  /** Alternatives added by races with a revisited state's summary. */
  summaryRaces: number;
  /** Alternatives added at block starts (the preemption bound's conservative points). */
  blockStarts: number;
}

/**
 * For tools only (`tools/explore_race_causes.ts`): when set, told of every direct race between
 * executed steps that the analysis reverses, with the two steps' tokens (the earlier first) and
 * how many alternatives the reversal added (0: already there). Null in every search.
 */
export const raceObserver: {
  fn: ((earlier: Footprint, later: Footprint, added: number) => void) | null;
} = { fn: null };

/** A point of a {@linkcode RaceLog}: its length and each thread's last step there. */
export interface RaceMark {
  readonly steps: number;
  readonly lastOf: ReadonlyMap<number, number>;
}

/** The steps of one execution with their happens-before clocks, and the race analysis. */
export class RaceLog {
  readonly #steps: Step[] = [];
  readonly #lastOf = new Map<number, number>();
  readonly #byToken = new Map<string, number[]>();

  constructor(
    readonly path: readonly DporNode[],
    readonly bounded: boolean,
    readonly counters: DporCounters,
  ) {}

  /** Where the log stands, to {@linkcode RaceLog.truncate} back to (taken between steps). */
  mark(): RaceMark {
    return { steps: this.#steps.length, lastOf: new Map(this.#lastOf) };
  }

  /**
   * Forgets every step after `mark`: the next execution replays the same steps up to there
   * (the search is deterministic), so it goes on from them instead of recording them again.
   */
  truncate(mark: RaceMark): void {
    const n = mark.steps;
    if (n > this.#steps.length) throw new Error("RaceLog.truncate: past the end of the log");
    this.#steps.length = n;
    this.#lastOf.clear();
    for (const [tid, i] of mark.lastOf) this.#lastOf.set(tid, i);
    for (const [tok, list] of this.#byToken) {
      while (list.length > 0 && list[list.length - 1] >= n) list.pop();
      if (list.length === 0) this.#byToken.delete(tok);
    }
  }

  /** True if step `a` happens before step `b` (a < b). */
  #hb(a: number, b: number): boolean {
    const sa = this.#steps[a];
    return (this.#steps[b].clock[sa.tid] ?? 0) >= sa.local;
  }

  /**
   * Records a step; when `fresh` (not a replay of an earlier execution's
   * prefix), finds its races and adds it to the summary of the deepest choice
   * point.
   *
   * `workload`: for a step that ends the run (token `*`), the threads of the
   * workload. Its `*` does not race with the steps of the others; its own tokens
   * do ({@linkcode RaceLog.revisit} takes the same argument for a summary's
   * ending step against the stack's steps).
   * Why that is sound: the run ends when no workload thread is running. Let
   * `i` be a step of workload thread p and `j` the ending step of thread q, in
   * a direct race. Reversing them runs `j` in a state where `i` is p's next
   * step, so p is running there and, after `j`, still is, unless `j` ended p
   * (a kill, which names p as `t<p>`, a token of every step of p: a conflict
   * of their own tokens). So in the reversed order `j` does not end the run
   * and keeps nothing from happening: it is the step its own tokens describe,
   * and where those do not conflict with `i`'s the two orders reach the same
   * state, with the run ending after both (where `i` now ends it). Which steps
   * of the other threads (service, env) the end cuts off is the same in both
   * orders. A thread of another role ends at no one's wish: `*` still races
   * with its last step, exited or not (running `j` first ends the run before it).
   */
  step(
    tid: number,
    fp: Fp,
    node: number,
    deepest: number,
    before: readonly number[],
    after: readonly number[],
    fresh: boolean,
    workload: ReadonlySet<number> | null = null,
  ): void {
    const j = this.#steps.length;
    const prev = this.#lastOf.get(tid);
    const clock = prev === undefined ? [] : [...this.#steps[prev].clock];
    const join = (c: readonly number[]) => {
      for (let k = 0; k < c.length; k++) if ((c[k] ?? 0) > (clock[k] ?? 0)) clock[k] = c[k];
    };
    if (fp.tokens.has(ANY)) {
      // After every other thread's latest step that is not private.
      for (const last of this.#lastOf.values()) {
        const i = this.#notPrivate(last);
        if (i >= 0) join(this.#steps[i].clock);
      }
    } else {
      for (const tok of fp.tokens) {
        for (const dep of conflictingTokens(tok)) {
          const list = this.#byToken.get(dep);
          if (list === undefined) continue;
          if (!isRead(dep)) {
            join(this.#steps[list[list.length - 1]].clock);
            continue;
          }
          // A write after reads: every read since the last write (reads are not ordered among
          // themselves; the ones before it are ordered before the write, so before this step).
          const writes = this.#byToken.get(tok);
          const lastWrite = writes === undefined ? -1 : writes[writes.length - 1];
          for (let k = list.length - 1; k >= 0 && list[k] > lastWrite; k--) {
            join(this.#steps[list[k]].clock);
          }
        }
      }
    }
    const local = prev === undefined ? 1 : this.#steps[prev].local + 1;
    clock[tid] = local;
    for (let k = 0; k < clock.length; k++) clock[k] ??= 0;
    const s: Step = { tid, fp, clock, local, node, deepest, before, after };
    this.#steps.push(s);
    if (fresh) {
      this.#races(j, workload);
      for (const q of before) {
        // A thread this step made unrunnable (suspended, killed) could have run first.
        if (q !== tid && !after.includes(q)) this.#reverse(j, [q]);
      }
      if (deepest >= 0) addToSummary(this.path[deepest].summary, tid, fp);
    }
    this.#lastOf.set(tid, j);
    for (const tok of fp.tokens) {
      const list = this.#byToken.get(tok);
      if (list === undefined) this.#byToken.set(tok, [j]);
      else list.push(j);
    }
  }

  /** The latest step of the thread of step `i`, at or before it, that is not private (-1: none). */
  #notPrivate(i: number): number {
    const tid = this.#steps[i].tid;
    for (let k = i; k >= 0; k--) {
      const s = this.#steps[k];
      if (s.tid === tid && !s.fp.tokens.has(PRIVATE)) return k;
    }
    return -1;
  }

  /** The direct races of step `j` with earlier steps, each reversed. */
  #races(j: number, workload: ReadonlySet<number> | null): void {
    const sj = this.#steps[j];
    const q = sj.tid;
    // The latest step of each other thread that depends on j.
    const last = new Map<number, number>();
    const any = sj.fp.tokens.has(ANY);
    if (any) {
      for (const [p, l] of this.#lastOf) {
        if (workload?.has(p)) continue; // by its own tokens, below
        const i = this.#notPrivate(l);
        if (p !== q && i >= 0) last.set(p, i);
      }
    }
    if (!any || workload !== null) {
      for (const tok of sj.fp.tokens) {
        if (tok === ANY) continue;
        for (const dep of conflictingTokens(tok)) {
          const list = this.#byToken.get(dep);
          if (list === undefined) continue;
          for (let k = list.length - 1; k >= 0; k--) {
            const i = list[k];
            const p = this.#steps[i].tid;
            if (p === q || (any && !workload?.has(p))) continue;
            const seen = last.get(p);
            if (seen === undefined || seen < i) last.set(p, i);
          }
        }
      }
    }
    const prevQ = this.#lastOf.get(q) ?? -1;
    for (const [p, i] of last) {
      if (prevQ > i && this.#hb(i, prevQ)) continue;
      let direct = true;
      for (const [r, d] of last) {
        if (r !== p && d > i && this.#hb(i, d)) {
          direct = false;
          break;
        }
      }
      if (!direct) continue;
      const si = this.#steps[i];
      // i made q runnable: j cannot run before it.
      if (!si.before.includes(q) && si.after.includes(q)) continue;
      const observe = raceObserver.fn;
      const had = observe === null ? 0 : this.counters.races + this.counters.blockStarts;
      this.#reverse(i, this.#initials(i, j));
      observe?.(si.fp.tokens, sj.fp.tokens, this.counters.races + this.counters.blockStarts - had);
    }
  }

  /** The threads whose first step in notdep(i).j depends on no earlier step of it. */
  #initials(i: number, j: number): number[] {
    const firsts = new Map<number, number>();
    for (let k = i + 1; k < j; k++) {
      const t = this.#steps[k].tid;
      if (!firsts.has(t) && !this.#hb(i, k)) firsts.set(t, k);
    }
    if (!firsts.has(this.#steps[j].tid)) firsts.set(this.#steps[j].tid, j);
    const out: number[] = [];
    for (const [t, f] of firsts) {
      let initial = true;
      for (const [u, g] of firsts) {
        if (u !== t && g < f && this.#hb(g, f)) {
          initial = false;
          break;
        }
      }
      if (initial) out.push(t);
    }
    return out.sort((a, b) => a - b);
  }

  /** Makes sure one of `initials` runs before step `i` (and at its block start when bounded). */
  #reverse(i: number, initials: readonly number[]): void {
    const si = this.#steps[i];
    if (si.node >= 0 && this.#addInitial(this.path[si.node], initials, false)) {
      this.counters.races++;
    }
    if (!this.bounded) return;
    let b = i;
    while (b > 0 && this.#steps[b - 1].tid === si.tid) b--;
    const target = this.#steps[b].node;
    if (b === i || target < 0) return;
    if (this.#addInitial(this.path[target], initials, true)) this.counters.blockStarts++;
    if (target < si.deepest) this.path[si.deepest].crossing.push({ target, initials });
  }

  /**
   * Adds one of `initials` runnable at `node` to its backtrack set unless one
   * is there already; when none is runnable, adds every permitted thread if
   * `orAll`. Returns true if something was added.
   */
  #addInitial(node: DporNode, initials: readonly number[], orAll: boolean): boolean {
    const runnable = initials.filter((t) => node.tids.includes(t));
    if (runnable.length === 0) return orAll ? addAll(node) : false;
    if (runnable.some((t) => node.backtrack.has(t) || node.asleep.has(t))) return false;
    const ok = (t: number) => node.permitted.has(t);
    const pick = runnable.includes(node.lastRun) && ok(node.lastRun)
      ? node.lastRun
      : runnable.find(ok);
    if (pick === undefined) return false;
    add(node, pick);
    return true;
  }

  /**
   * A state reached again: race-checks every step its explored subtree took
   * against the current stack, as if it ran next, and replays the subtree's
   * block-start additions at the current block start (`lastRun` still
   * running into it, or 0). `workload` as in {@linkcode RaceLog.step}: a
   * summary's step that ended the run races with a workload thread's step on
   * the stack by its own tokens (the same argument: run before that step, it
   * finds the thread running and ends nothing).
   */
  revisit(
    summary: Summary,
    crossing: readonly Crossing[],
    lastRun: number,
    deepest: number,
    workload: ReadonlySet<number> | null = null,
  ): void {
    const steps = this.#steps;
    for (const [r, fps] of summary) {
      const lastR = this.#lastOf.get(r) ?? -1;
      for (const fp of fps) {
        // The latest step dependent on fp not ordered before r's last step (FG's rule).
        for (let i = steps.length - 1; i >= 0; i--) {
          const si = steps[i];
          if (si.tid === r || !overlapsAt(si, fp, workload)) continue;
          if (lastR > i && this.#hb(i, lastR)) continue;
          if (!si.before.includes(r) && si.after.includes(r)) continue; // i made r runnable
          const node = si.node >= 0 ? this.path[si.node] : null;
          if (node !== null) {
            const added = si.before.includes(r) ? this.#addInitial(node, [r], false) : addAll(node);
            if (added) this.counters.summaryRaces++;
          }
          if (this.bounded) {
            let b = i;
            while (b > 0 && steps[b - 1].tid === si.tid) b--;
            const target = steps[b].node;
            if (b !== i && target >= 0) {
              if (this.#addInitial(this.path[target], [r], true)) this.counters.blockStarts++;
              if (target < si.deepest) {
                this.path[si.deepest].crossing.push({ target, initials: [r] });
              }
            }
          }
          break;
        }
      }
    }
    if (crossing.length === 0 || lastRun === 0 || steps.length === 0) return;
    let b = steps.length - 1;
    if (steps[b].tid !== lastRun) return;
    while (b > 0 && steps[b - 1].tid === lastRun) b--;
    const target = steps[b].node;
    if (target < 0) return;
    for (const c of crossing) {
      if (this.#addInitial(this.path[target], c.initials, true)) this.counters.blockStarts++;
      if (target < deepest) this.path[deepest].crossing.push({ target, initials: c.initials });
    }
  }
}

/**
 * True if a summary's step `fp` depends on the stack's step `si`: a step that ended the run (not
 * the unknown {@linkcode ANY_STEP}) by its own tokens only when `si` is a step of one of the
 * `workload` threads (`RaceLog.step`'s argument).
 */
function overlapsAt(si: Step, fp: Fp, workload: ReadonlySet<number> | null): boolean {
  // An ending step has its own tokens too (at least its thread's); the unknown step only `*`
  // (compared by tokens, not identity: a cache imported from another worker re-creates it).
  if (fp.tokens.size > 1 && fp.tokens.has(ANY) && workload?.has(si.tid)) {
    return tokensConflict(si.fp.tokens, fp.tokens);
  }
  return overlaps(si.fp, fp);
}

function overlaps(a: Fp, b: Fp): boolean {
  if (a === b) return true;
  if (a.tokens.has(ANY)) return !b.tokens.has(PRIVATE);
  if (b.tokens.has(ANY)) return !a.tokens.has(PRIVATE);
  return tokensConflict(a.tokens, b.tokens);
}

function add(node: DporNode, tid: number): void {
  node.backtrack.add(tid);
  node.todo.push(node.tids.indexOf(tid));
}

function addAll(node: DporNode): boolean {
  let added = false;
  for (const t of node.tids) {
    if (!node.backtrack.has(t) && !node.asleep.has(t) && node.permitted.has(t)) {
      add(node, t);
      added = true;
    }
  }
  return added;
}

/** Adds one step to a summary. */
export function addToSummary(summary: Summary, tid: number, fp: Fp): void {
  const set = summary.get(tid);
  if (set === undefined) summary.set(tid, new Set([fp]));
  else set.add(fp);
}

/** Merges a finished child's summary into its parent's. */
export function mergeSummary(into: Summary, from: Summary): void {
  for (const [tid, fps] of from) {
    const set = into.get(tid);
    if (set === undefined) into.set(tid, new Set(fps));
    else for (const fp of fps) set.add(fp);
  }
}
