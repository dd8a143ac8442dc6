/**
 * Scheduling strategies behind one small interface: each picks one of `n`
 * candidates. The {@linkcode DecisionSource} records every pick, so any run,
 * whatever strategy drew it, replays from its decision list.
 *
 * @module
 */

import { makeRng, type Rng } from "./rng.ts";

/** What a strategy is told at a choice point. */
export interface Choice {
  /** Number of candidates (at least 2). */
  readonly n: number;
  /** `"thread"`: pick the next thread to step; `"draw"`: a service's random draw. */
  readonly kind: "thread" | "draw";
  /** For thread choices, the candidates' thread ids in ascending order. */
  readonly tids: readonly number[];
  /** Scheduler steps taken so far. */
  readonly step: number;
  /** A thread's name by id, when the world tells it (the shrinker's {@linkcode followStrategy}). */
  readonly nameOf?: (tid: number) => string;
  /**
   * For a draw whose code cannot tell some values apart ({@linkcode Sys.chance}): the smallest
   * value of each class of values that behave alike, ascending. Exhaustive search tries only
   * these; random strategies still draw uniformly from `[0, n)`.
   */
  readonly classes?: readonly number[];
}

/** A scheduling strategy: picks an index in `[0, choice.n)`. */
export interface Strategy {
  /** Strategy label for reports: `random`, `pct(d=3)`, `fair`, `replay`. */
  readonly name: string;
  /** Picks the index of one of `choice.n` candidates. */
  pick(choice: Choice): number;
}

/**
 * Uniformly random picks (the baseline).
 *
 * @example
 * ```ts
 * import { randomStrategy } from "./strategy.ts";
 * const a = randomStrategy(5), b = randomStrategy(5);
 * const c = { n: 4, kind: "draw" as const, tids: [], step: 0 };
 * console.assert(a.pick(c) === b.pick(c)); // same seed, same picks
 * ```
 */
export function randomStrategy(seed: number | string): Strategy {
  const rng = makeRng(seed, "random");
  return { name: "random", pick: (c) => rng.int(c.n) };
}

/** Options of {@linkcode pctStrategy}. */
export interface PctOptions {
  /** Bug depth d: d-1 priority change points. */
  depth: number;
  /** Expected number of steps k, the range change points are drawn from. */
  steps: number;
}

/**
 * PCT (Burckhardt et al., ASPLOS 2010): each thread gets a random priority
 * above d; the highest-priority runnable thread runs; at d-1 random steps the
 * running thread drops to priority d-1, d-2, ..., 1. Draws are uniform.
 *
 * @example
 * ```ts
 * import { pctStrategy } from "./strategy.ts";
 * const s = pctStrategy(7, { depth: 2, steps: 100 });
 * const i = s.pick({ n: 2, kind: "thread", tids: [1, 2], step: 0 });
 * console.assert(s.name === "pct(d=2)" && (i === 0 || i === 1));
 * ```
 */
export function pctStrategy(seed: number | string, options: PctOptions): Strategy {
  const rng = makeRng(seed, `pct/${options.depth}`);
  const depth = Math.max(1, Math.floor(options.depth));
  const k = Math.max(1, Math.floor(options.steps));
  const changeAt = new Map<number, number>();
  for (let i = 1; i < depth; i++) changeAt.set(1 + rng.int(k), depth - i);
  const priority = new Map<number, number>();
  const prio = (tid: number) => {
    let p = priority.get(tid);
    if (p === undefined) {
      p = depth + 1 + rng.int(1 << 30) / (1 << 30); // a random real above d; ties are measure zero
      priority.set(tid, p);
    }
    return p;
  };
  return {
    name: `pct(d=${depth})`,
    pick(c) {
      if (c.kind === "draw") return rng.int(c.n);
      let best = 0;
      for (let i = 1; i < c.n; i++) if (prio(c.tids[i]) > prio(c.tids[best])) best = i;
      const lowered = changeAt.get(c.step);
      if (lowered !== undefined) {
        priority.set(c.tids[best], lowered);
        best = 0;
        for (let i = 1; i < c.n; i++) if (prio(c.tids[i]) > prio(c.tids[best])) best = i;
      }
      return best;
    },
  };
}

/** A choice a replay answered ({@linkcode replayStrategy}'s `picks`): what the list entry met. */
export interface ReplayPick {
  /** Number of candidates at the choice. */
  readonly n: number;
  /** Scheduler steps taken before the choice. */
  readonly step: number;
  /** Which thread runs, or a service's random draw. */
  readonly kind: "thread" | "draw";
}

/**
 * Replays a decision list: the i-th pick is `list[i] mod n`. Past the end of
 * the list it falls back to seeded random picks, so any list (including one a
 * shrinker cut short) describes a complete run. With `picks`, each choice it
 * answers is appended there (the first `list.length` answered by the list):
 * how a command tells a list that does not fit its run (an entry `n` or more,
 * read modulo `n`) from one it followed as given.
 *
 * @example
 * ```ts
 * import { type ReplayPick, replayStrategy } from "./strategy.ts";
 * const picks: ReplayPick[] = [];
 * const s = replayStrategy([5, 1], 0, picks);
 * const c = { n: 2, kind: "thread" as const, tids: [1, 2], step: 0 };
 * console.assert(s.pick(c) === 1 && s.pick(c) === 1); // 5 mod 2, then 1
 * console.assert(picks.length === 2 && picks[0].n === 2); // entry 0 (5) was out of range
 * ```
 */
export function replayStrategy(
  list: readonly number[],
  fallbackSeed: number | string = 0,
  picks?: ReplayPick[],
): Strategy {
  let i = 0;
  let fallback: Rng | null = null;
  return {
    name: "replay",
    pick(c) {
      picks?.push({ n: c.n, step: c.step, kind: c.kind });
      if (i < list.length) {
        const v = list[i++];
        return ((Math.floor(v) % c.n) + c.n) % c.n;
      }
      fallback ??= makeRng(fallbackSeed, "replay-fallback");
      return fallback.int(c.n);
    },
  };
}

/**
 * Round-robin over thread ids: the fair scheduler of the liveness phase.
 *
 * @example
 * ```ts
 * import { fairStrategy } from "./strategy.ts";
 * const s = fairStrategy();
 * const pick = () => s.pick({ n: 3, kind: "thread", tids: [1, 2, 3], step: 0 });
 * console.assert(pick() === 0 && pick() === 1 && pick() === 2 && pick() === 0);
 * ```
 */
export function fairStrategy(): Strategy {
  let last = -1;
  return {
    name: "fair",
    pick(c) {
      if (c.kind === "draw") return 0;
      for (let i = 0; i < c.n; i++) {
        if (c.tids[i] > last) {
          last = c.tids[i];
          return i;
        }
      }
      last = c.tids[0];
      return 0;
    },
  };
}

/**
 * Records every pick of a strategy: a run is (scenario, decisions).
 *
 * @example
 * ```ts
 * import { DecisionSource, replayStrategy } from "./strategy.ts";
 * const d = new DecisionSource(replayStrategy([2, 1]));
 * console.assert(d.strategy.name === "replay" && d.decisions.length === 0);
 * ```
 */
export class DecisionSource {
  /** The picks made so far, one per choice with at least two candidates. */
  readonly decisions: number[] = [];
  #strategy: Strategy;
  #fallback: Strategy | null = null;

  /** A thread's name by id (the world's threads), passed on in every choice. */
  readonly #nameOf: ((tid: number) => string) | undefined;

  /** Builds a recorder that asks `strategy` for every pick. */
  constructor(strategy: Strategy, nameOf?: (tid: number) => string) {
    this.#strategy = strategy;
    this.#nameOf = nameOf;
  }

  /** The strategy now answering picks: the fallback once switched to, else the original. */
  get strategy(): Strategy {
    return this.#fallback ?? this.#strategy;
  }

  /** Switches to another strategy from now on (the fair liveness phase). */
  switchTo(strategy: Strategy): void {
    this.#fallback = strategy;
  }

  /** One choice among `n`; recorded when `n >= 2`. */
  choose(
    n: number,
    kind: "thread" | "draw",
    tids: readonly number[],
    step: number,
    classes?: readonly number[],
  ): number {
    if (n <= 1) return 0;
    const v = this.strategy.pick(
      classes === undefined
        ? { n, kind, tids, step, nameOf: this.#nameOf }
        : { n, kind, tids, step, nameOf: this.#nameOf, classes },
    );
    if (!(Number.isInteger(v) && v >= 0 && v < n)) {
      throw new RangeError(`strategy ${this.strategy.name} picked ${v} of ${n}`);
    }
    this.decisions.push(v);
    return v;
  }
}

/** One pick of a run by what it chose: a thread by name, or a draw's value. */
export type SchedulePick = { readonly thread: string } | { readonly draw: number };

/**
 * Wraps `inner`, appending each pick it makes to `out` by what it chose (a
 * thread's name, a draw's value): the schedule {@linkcode followStrategy}
 * follows on another input. Thread picks need the choice's `nameOf`.
 *
 * @example
 * ```ts
 * import { recordingStrategy, replayStrategy, type SchedulePick } from "./strategy.ts";
 * const out: SchedulePick[] = [];
 * const s = recordingStrategy(replayStrategy([1, 3]), out);
 * s.pick({ n: 2, kind: "thread", tids: [4, 7], step: 0, nameOf: (t) => `t${t}` });
 * s.pick({ n: 5, kind: "draw", tids: [], step: 1 });
 * console.assert(JSON.stringify(out) === '[{"thread":"t7"},{"draw":3}]');
 * ```
 */
export function recordingStrategy(inner: Strategy, out: SchedulePick[]): Strategy {
  return {
    name: inner.name,
    pick(c) {
      const v = inner.pick(c);
      out.push(
        c.kind === "draw" ? { draw: v } : { thread: c.nameOf?.(c.tids[v]) ?? `#${c.tids[v]}` },
      );
      return v;
    },
  };
}

/**
 * Follows a schedule recorded on another input (one a shrinker cut an
 * operation, a thread or an event from): each thread pick takes the earliest
 * pick of the schedule not yet taken whose thread is among the candidates
 * (so every thread keeps the order of its own steps relative to the others,
 * and the picks of a thread that is gone are skipped); draws take the
 * schedule's draw values in order. With nothing left to follow it picks the
 * default, index 0 (the lowest thread id, the smallest draw); it never reads
 * a random source. Thread picks need the choice's `nameOf`.
 *
 * @example
 * ```ts
 * import { followStrategy } from "./strategy.ts";
 * const s = followStrategy([{ thread: "b" }, { thread: "gone" }, { thread: "a" }, { draw: 1 }]);
 * const names = (t: number) => (t === 1 ? "a" : "b");
 * const pick = () => s.pick({ n: 2, kind: "thread", tids: [1, 2], step: 0, nameOf: names });
 * console.assert(pick() === 1 && pick() === 0 && pick() === 0);
 * console.assert(s.pick({ n: 3, kind: "draw", tids: [], step: 3 }) === 1);
 * ```
 */
export function followStrategy(schedule: readonly SchedulePick[]): Strategy {
  const threads: (string | null)[] = [];
  const draws: number[] = [];
  for (const p of schedule) {
    if ("thread" in p) threads.push(p.thread);
    else draws.push(p.draw);
  }
  let head = 0; // threads[0, head) are all taken
  let drawn = 0;
  return {
    name: "follow",
    pick(c) {
      if (c.kind === "draw") {
        return drawn < draws.length ? draws[drawn++] % c.n : 0;
      }
      const nameOf = c.nameOf;
      if (nameOf === undefined) return 0;
      const names = c.tids.map(nameOf);
      for (let i = head; i < threads.length; i++) {
        const name = threads[i];
        if (name === null) continue;
        const at = names.indexOf(name);
        if (at < 0) continue;
        threads[i] = null;
        while (head < threads.length && threads[head] === null) head++;
        return at;
      }
      return 0;
    },
  };
}
