/**
 * Bounded exhaustive exploration: every schedule of a small scenario with at
 * most K preemptions, by stateless depth-first search with re-execution
 * (iterative context bounding, as in CHESS and Loom).
 *
 * Each execution replays a forced prefix of choices through a
 * {@linkcode Strategy} and records, at every choice point, the alternatives
 * not yet taken: which runnable thread runs next, and every value of a
 * service's random draw. A preemption is switching away from the thread that
 * ran last while it could have continued; switching after it blocked or
 * exited is free. Bounds 0, 1, ..., K are searched in turn, so the first
 * counterexample found has the fewest preemptions.
 *
 * Three prunings keep it tractable, each can be switched off:
 * - state hashing: a state (thread histories plus canonical kernel state
 *   plus what the monitors remember, see `state_hash.ts`) reached again with
 *   no more preemptions left runs only the threads no earlier visit ran from
 *   it (a state cache that keeps sleep sets sound, after Godefroid), and
 *   nothing at all when there are none. A thread that calls `Sys.checkpoint`
 *   (the built-in services do, at the top of their packet loop) has its
 *   history restart there, so the order in which a stateless service
 *   answered earlier packets no longer splits states;
 * - sleep sets: after exploring thread x's step at a choice point, a later
 *   sibling's subtree does not run x first until a step that conflicts with
 *   x's footprint (the kernel objects it touched) happens. Only steps that
 *   cannot raise the preemption count when moved first are put to sleep (the
 *   continuing thread's, or one after which its thread cannot run), which
 *   keeps the reduction sound under the bound (Coons et al., OOPSLA 2013,
 *   show the naive combination is not). Steps that made a random draw never
 *   sleep;
 * - private steps: a thread is never preempted just before a step that only
 *   touches an anonymous VMO it alone holds the one handle to (a service
 *   creating, filling and closing its staging VMO). That step commutes with
 *   every other thread's steps and its thread can still run after it, so
 *   preempting just after it reaches the same states with the same count.
 *
 * With the quiescent-end checker among the monitors, a passing schedule goes
 * on through the world's fair, deterministic quiescent tail (sim/world.ts) so
 * that its end at rest is judged (Q1-Q4); the tail is no part of the search:
 * it adds no choice point, and its steps are not recorded, hashed or raced.
 * A tail cut at its bound before every thread rests is counted per bound
 * (`notQuiescent`).
 *
 * Assumptions (the model's, stated so a user can check their service): a
 * thread's behaviour depends only on what it observed through syscalls,
 * packets, copied bytes and draws since its last checkpoint, and on that
 * checkpoint's key (service threads share no mutable
 * JavaScript state and use no handle value the kernel did not give them),
 * and monitors judge a run by what the kernel state, thread histories and
 * their own `stateKey` show.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import { present } from "../kernel/assert.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { Choice, Strategy } from "../sim/strategy.ts";
import type { Monitor, Verdict, World } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import {
  conflicts,
  type Footprint,
  FootprintRecorder,
  isPrivateStep,
  type RecorderState,
} from "./footprint.ts";
import { ContentHashes, fingerprintHex } from "./_hasher.ts";
import { Names, stateFingerprint, ThreadHistories } from "./state_hash.ts";
import {
  ANY,
  ANY_STEP,
  type Crossing,
  type DporCounters,
  type DporNode,
  type Fp,
  FpTable,
  mergeSummary,
  PRIVATE,
  RaceLog,
  type RaceMark,
  type Summary,
} from "./dpor.ts";

/** Options of {@linkcode explore}. */
export interface ExploreOptions {
  /**
   * The preemption bound K: bounds 0..K are searched in turn. `Infinity`
   * (the CLI's `--preemptions all`) searches every schedule, once.
   */
  readonly preemptions: number;
  /**
   * Stop after this many executions over all bounds (the result then says it is not
   * exhaustive): executions, not schedules, as the CLI's `--max-executions` (old name
   * `--max-schedules`) says. Default: no limit.
   */
  readonly maxSchedules?: number;
  /** Prune states reached before. Default true. */
  readonly stateHash?: boolean;
  /**
   * Partial-order reduction of commuting steps: `"dpor"` (dynamic
   * partial-order reduction, see `dpor.ts`; the default, also `true`),
   * `"sleep-sets"` (every thread at every choice point, minus sleep sets), or
   * `false` (none).
   */
  readonly reduction?: boolean | "dpor" | "sleep-sets";
  /** If given, gets the fingerprint of every complete schedule's final state (for tests). */
  readonly finalStates?: Set<string>;
  /** Search bounds `firstBound..preemptions` only. Default 0. */
  readonly firstBound?: number;
  /**
   * Explore only the subtree under these decisions (one task of a split
   * search, see {@linkcode splitTasks}): every alternative at these choice
   * points is another task's, so nothing is added there.
   */
  readonly prefix?: readonly number[];
  /**
   * DPOR, per choice point of `prefix` (null or missing: every alternative there is another
   * task's): what a task that was handed out by another's {@linkcode TaskEnd.handOff} knows of
   * it. A race that would add a thread there is reported in {@linkcode TaskEnd.wants} instead
   * of explored.
   */
  readonly seeds?: readonly (PrefixSeed | null)[];
  /**
   * A split search's task budget: after this many executions of the bound an unfinished task
   * stops and hands its unexplored subtrees back ({@linkcode TaskEnd.handOff}). Counted in
   * executions, never time, so where a task stops depends only on what it explored. Default:
   * no budget.
   */
  readonly budget?: number;
  /** If given, gets how the task of a split search ended: handed off, and the races it reported. */
  readonly taskEnd?: (end: TaskEnd) => void;
  /** If given, gets the distinct state fingerprints of the last bound searched. */
  readonly stateSet?: (states: ReadonlySet<string>) => void;
  /**
   * Never preempt a thread just before a private step (one that touches only
   * an anonymous VMO the thread alone has a handle to, e.g. a service filling
   * its staging VMO): the same states are reached by preempting just after it.
   * Default true.
   */
  readonly privateSteps?: boolean;
  /**
   * DPOR: the step that ends the run races with the steps of the other workload threads by its
   * own tokens only, not by `*` (`RaceLog.step`, docs/performance.md "Session 35 (helper
   * expl35b)"). False: with every other thread's last step, as before. Default true.
   */
  readonly endByTokens?: boolean;
  /**
   * Tell apart the pages of a VMO in footprints (`explore/footprint.ts`): a store and a copy of
   * different pages of one VMO commute. False: a store writes the whole VMO, as before session
   * 21 (for A/B counts and the tests that compare the two). Default true.
   */
  readonly pageFootprints?: boolean;
  /**
   * Footprints: the resumed step of a thread that parked on a VMO's request writes that VMO's
   * requests (`w`) only while the thread may still hold one: not once it is past its wait and no
   * outstanding request of the VMO has a waiter of it (`explore/footprint.ts`, docs/performance.md
   * "Session 36 (helper expl36)"). False: every VMO it parked on since its call began, as before.
   * Default true.
   */
  readonly heldRequests?: boolean;
  /** Makes fresh checkers for one run. Default: the kernel invariants of `properties/`. */
  readonly monitors?: () => readonly Monitor[];
  /** Services for `custom` service kinds, by name. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** Builds the kernel (the seam for kernel variants). */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /** Called every `progressEvery` executions and when a bound finishes. */
  readonly onProgress?: (progress: ExploreProgress) => void;
  /** Executions between progress reports. Default 500. */
  readonly progressEvery?: number;
  /**
   * The watchdog's hooks ({@linkcode ExploreHooks}): told as each execution starts, of each
   * pick it makes, and which thread's code runs at which step. They only watch.
   */
  readonly hooks?: ExploreHooks;
}

/**
 * What a watchdog outside the search is told (`explore/parallel.ts`): nothing they do can change
 * an execution. An execution that never ends (user code that never yields, or allocates
 * without bound) is then named by its picks so far, its step and its thread.
 */
export interface ExploreHooks {
  /** An execution starts (a replay from the root, as every execution is). */
  readonly execution: () => void;
  /** The execution made this pick (its decision list so far, for a replay of it). */
  readonly pick: (value: number) => void;
  /**
   * Thread `tid`'s code is about to run at `step` (`World` `watch`); `entry`: whose code
   * (sim/stuck.ts `StuckAt`: inside a syscall, the kernel's).
   */
  readonly watch: (step: number, tid: number, entry?: number) => void;
}

/**
 * An execution's replay of the schedule before its branch point met other choices than the
 * execution that recorded it: the user's code is not deterministic (it read time, randomness or
 * state kept across runs), and a search that replays every schedule from the root would be
 * wrong, so it stops.
 */
export class NondeterministicReplay extends Error {
  constructor(readonly detail: string) {
    super(`nondeterministic replay: ${detail}`);
    this.name = "NondeterministicReplay";
  }
}

/** The same runnable threads, in the same order (a replayed choice point against its record). */
function sameTids(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `strategy`, telling `hooks` each pick (the strategy itself when there are no hooks). */
function watched(strategy: Strategy, hooks: ExploreHooks | undefined): Strategy {
  if (hooks === undefined) return strategy;
  return {
    name: strategy.name,
    pick(c) {
      const v = strategy.pick(c);
      hooks.pick(v);
      return v;
    },
  };
}

/** Where an exploration stands. */
export interface ExploreProgress {
  /** The bound being searched. */
  readonly bound: number;
  /** Executions started in this bound (complete and pruned). */
  readonly executions: number;
  /** Complete schedules in this bound. */
  readonly schedules: number;
  /**
   * Distinct states seen in this bound; null while a split search runs (each
   * worker keeps its own set: they are merged, and counted, when the bound ends).
   */
  readonly states: number | null;
  /** True when the search of the bound ended (finished, or stopped early). */
  readonly boundDone: boolean;
  /**
   * With `boundDone`: whether every schedule of the bound was searched (false when a
   * counterexample or the schedule limit stopped it: the bound is not finished).
   */
  readonly complete?: boolean;
}

/** What the search of one bound did. */
export interface BoundStats {
  /** The preemption bound. */
  readonly bound: number;
  /** Executions started (complete schedules plus pruned ones). */
  readonly executions: number;
  /** Executions that ran to a verdict: the schedules checked. */
  readonly schedules: number;
  /** Distinct states (fingerprints) seen at choice points. */
  readonly states: number;
  /** Executions cut because their state was explored before. */
  readonly prunedByState: number;
  /** Executions cut because every thread allowed to run was asleep. */
  readonly prunedBySleep: number;
  /** Alternatives at choice points never explored because their thread was asleep. */
  readonly sleptAlternatives: number;
  /** Preemptions never tried because the running thread's next step was private (touches only its own anonymous VMO). */
  readonly privateSkips: number;
  /**
   * Alternatives added by random draws: every value of a `sys.random(n)` after the first one
   * tried (one per outcome of a `sys.chance`). A search they dominate says so (README,
   * "Random draws are branches").
   */
  readonly drawAlternatives: number;
  /** The most values any draw of the bound offered the search (0: no draw). */
  readonly widestDraw: number;
  /** DPOR: alternatives added by races between executed steps, by races with revisited states' summaries, and at block starts. */
  readonly dpor: Readonly<DporCounters>;
  /**
   * With the quiescent-end checker on: passing schedules whose fair quiescent tail was cut at
   * its bound before every thread was at rest (their end was not judged). 0 without it.
   */
  readonly notQuiescent: number;
  /**
   * Schedules whose workload finished with an environment event not yet done: one not fired by
   * then never fires (no tail starts an event), one under way finishes in the quiescent tail,
   * which the search does not branch. Either way the search never interleaved it with the
   * workload (userS32a: explore passed all 5477 schedules of a scenario whose `evict` rarely fired
   * before its short workload ended, while sim found the bug it needed).
   */
  readonly pendingAtEnd: number;
  /** The thread names of those events (`env1.evict(file)`), each once, sorted. */
  readonly pendingEvents: readonly string[];
  /**
   * Scheduler steps the bound's executions ran, replayed and quiescent-tail steps included:
   * with {@linkcode BoundStats.executions} and the bound's CPU time, what an execution costs
   * (executions x steps per execution x cost per step).
   */
  readonly steps: number;
  /**
   * Of {@linkcode BoundStats.steps}, those before an execution's branch choice: the previous
   * execution's prefix run again (the world cannot be copied, so each execution starts from
   * the initial state), whose record the search restores from a snapshot instead of redoing.
   */
  readonly replayedSteps: number;
  /**
   * True if the bound was searched to the end (a task of a split search: to its end or to its
   * budget, with the rest handed back as tasks).
   */
  readonly complete: boolean;
}

/** A failing schedule. */
export interface Counterexample {
  /** Preemptions in the failing schedule (the fewest any failing schedule needs). */
  readonly preemptions: number;
  /** The complete decision list: replays exactly with the replay strategy. */
  readonly decisions: readonly number[];
  /** The failing verdict. */
  readonly verdict: Verdict;
  /** Scheduler steps of the run. */
  readonly steps: number;
  /**
   * The step the scenario's fair liveness phase began at, when the run reached it: the
   * round-robin picks from there on are no choices of the search, and no preemptions counted.
   */
  readonly livenessFrom?: number;
  /** Trace hash of the failing run (with the exploration's monitors). */
  readonly traceHash: string;
  /**
   * The case replay of it (`SCENARIO_KIND.run` with the search's checkers), made by the worker
   * that found it, under the watchdog: what its case file records, so the command's own thread
   * never runs the user's code. Absent from a search run in the caller's thread.
   */
  readonly replay?: CounterexampleReplay;
}

/** What a counterexample's case records of its replay (`case/investigate.ts` `toEnvelope`). */
export interface CounterexampleReplay {
  /** The replay's verdict, settled by the checkers. */
  readonly verdict: Verdict;
  /** The verdict before the checkers settled it (signatures name a thread's exception by it). */
  readonly raw?: Verdict;
  /** The replay's decision list (the case's). */
  readonly decisions: readonly number[];
  /** The replay's trace hash (the case's). */
  readonly traceHash: string;
}

/**
 * What a task handed out at its budget knows of one choice point of its prefix (DPOR): the
 * threads run or handed out there, those asleep there, and those the bound allows there.
 */
export interface PrefixSeed {
  /** Threads run, or handed out as tasks, at the choice point. */
  readonly backtrack: readonly number[];
  /** Threads asleep there (an earlier sibling's subtree covers running them). */
  readonly asleep: readonly number[];
  /** Threads the bound and the private-step rule allow to run there. */
  readonly permitted: readonly number[];
}

/** One choice point below a task's prefix where the task stopped at its budget. */
export interface HandOffNode extends PrefixSeed {
  /** A choice of the thread to run, or of a random draw's value. */
  readonly kind: "thread" | "draw";
  /** The alternative the task was exploring here (its subtree is handed off further down). */
  readonly chosen: number;
  /** The runnable threads here (thread choices), by alternative. */
  readonly tids: readonly number[];
  /** Alternatives still to explore here, in search order: each becomes a task. */
  readonly todo: readonly number[];
}

/** How one task of a split search ended, see {@linkcode ExploreOptions.taskEnd}. */
export interface TaskEnd {
  /**
   * Null when the task searched its whole subtree; else it stopped at its budget and these
   * are the choice points below its prefix, top down, with what is left to explore there.
   */
  readonly handOff: readonly HandOffNode[] | null;
  /** DPOR: threads races added at choice points of the prefix, as [choice index, tid]. */
  readonly wants: readonly (readonly [number, number])[];
}

/** The outcome of an exploration. */
export interface ExploreResult {
  /** `pass`: every schedule up to the bound satisfies every invariant; `fail`: a counterexample; `limit`: stopped at the schedule limit. */
  readonly outcome: "pass" | "fail" | "limit";
  /** The requested bound K. */
  readonly preemptions: number;
  /** Per bound searched, in order. */
  readonly bounds: readonly BoundStats[];
  /** Complete schedules in the last bound searched. */
  readonly schedules: number;
  /** Distinct states in the last bound searched. */
  readonly states: number;
  /** Executions over all bounds. */
  readonly executions: number;
  /** The first counterexample, if any. */
  readonly counterexample: Counterexample | null;
  /** The one-line summary: the pass sentence, the limit sentence, or the failure. */
  readonly summary: string;
}

/** A choice point of the current execution. */
interface Node extends DporNode {
  readonly kind: "thread" | "draw";
  readonly n: number;
  readonly tids: readonly number[];
  chosen: number;
  /** The thread that ran last before this choice (0: none). */
  readonly lastRun: number;
  /** Preemptions before this choice. */
  readonly preemptions: number;
  /** Sleeping threads at this choice point. */
  readonly sleep: readonly Sleeper[];
  /** Alternatives explored here, by index, with the footprint of their step. */
  readonly explored: Map<number, Explored>;
  /** Alternatives still to explore. */
  readonly todo: number[];
  /** Its entry in the state cache (DPOR fills in the summary when the node is done). */
  readonly entry: CacheEntry | null;
  /** The search's own state just before this choice (thread choices only), see {@linkcode Snapshot}. */
  readonly snap: Snapshot | null;
}

/**
 * What an execution has recorded when it reaches a thread choice point: its thread histories,
 * canonical names, footprint recorder and DPOR race log. The next execution that branches here
 * replays the same steps up to it (the world is deterministic), so instead of recording them again
 * it ignores them and starts from a copy of this: the kernel, the services and the checkers still
 * run every step (they are not copied), only the search's bookkeeping is skipped.
 */
interface Snapshot {
  readonly histories: ThreadHistories;
  readonly names: Names;
  readonly recorder: RecorderState;
  readonly races: RaceMark | null;
}

/** One visit of a state in the state cache. */
interface CacheEntry {
  /** The task of a split search that made the visit (0 when unsplit). */
  readonly task: number;
  /** Preemptions left at the visit. */
  readonly left: number;
  /** Sleep sets: the threads the visit did not run. */
  readonly unexplored: ReadonlySet<number>;
  /** DPOR: the threads asleep at the visit. */
  readonly asleep: ReadonlySet<number>;
  /** DPOR: set when the visit's subtree is explored, with what it took and added at block starts. */
  summary: Summary | null;
  crossing: readonly Crossing[];
}

/** True if search `s` takes visit `e` as explored: its own, or a task at least `lag` before it. */
function sees(s: Search, e: CacheEntry): boolean {
  return e.task === s.task || e.task <= s.task - s.lag;
}

/**
 * One task's visits as {@linkcode StateCache.export} hands them to another thread: plain arrays
 * (structured-clone friendly), footprints by index into `fps`.
 */
export interface CacheDelta {
  readonly task: number;
  /** The footprints the summaries name, as token lists. */
  readonly fps: readonly (readonly string[])[];
  /** Keys of the visits, in the order the task made them. */
  readonly keys: readonly string[];
  /**
   * Per visit, flattened: left, then `unexplored`, `asleep` and the summary's threads each as a
   * count followed by its items (a summary thread is its tid, a count and its footprints'
   * indexes), then the crossings (count, then target, count, initials), and -1 for a visit
   * whose summary was never set.
   */
  readonly data: readonly number[];
}

/**
 * The state cache of one bound's search: every visit by state key, in task order (then in the
 * order each task made them). A split search's tasks share one per thread, each seeing only
 * what its {@linkcode TaskCache} lets it see; a worker imports the other workers' tasks
 * as {@linkcode CacheDelta}s, so what a task sees does not depend on who ran what.
 */
export class StateCache {
  /** Footprints interned for every task of this thread (summaries hold them). */
  readonly fps: FpTable = new FpTable();
  readonly #visited = new Map<string, CacheEntry[]>();
  readonly #byTask = new Map<number, [string, CacheEntry][]>();

  /** The visits of state key `key`, in task order. */
  get(key: string): readonly CacheEntry[] | undefined {
    return this.#visited.get(key);
  }

  /** Records a visit (after every visit of the same or an earlier task). */
  add(key: string, entry: CacheEntry): void {
    const list = this.#visited.get(key);
    if (list === undefined) this.#visited.set(key, [entry]);
    else {
      let at = list.length;
      while (at > 0 && list[at - 1].task > entry.task) at--;
      list.splice(at, 0, entry);
    }
    const mine = this.#byTask.get(entry.task);
    if (mine === undefined) this.#byTask.set(entry.task, [[key, entry]]);
    else mine.push([key, entry]);
  }

  /** The visits task `task` made here, to {@linkcode StateCache.import} into another thread's cache. */
  export(task: number): CacheDelta {
    const fpIndex = new Map<Fp, number>();
    const fps: string[][] = [];
    const keys: string[] = [];
    const data: number[] = [];
    for (const [key, e] of this.#byTask.get(task) ?? []) {
      keys.push(key);
      data.push(e.left, e.unexplored.size, ...e.unexplored, e.asleep.size, ...e.asleep);
      if (e.summary === null) {
        data.push(-1);
        continue;
      }
      data.push(e.summary.size);
      for (const [tid, set] of e.summary) {
        data.push(tid, set.size);
        for (const fp of set) {
          let i = fpIndex.get(fp);
          if (i === undefined) {
            i = fps.length;
            fpIndex.set(fp, i);
            fps.push([...fp.tokens]);
          }
          data.push(i);
        }
      }
      data.push(e.crossing.length);
      for (const c of e.crossing) data.push(c.target, c.initials.length, ...c.initials);
    }
    return { task, fps, keys, data };
  }

  /** Adds another thread's task's visits (as {@linkcode StateCache.export} gave them). */
  import(delta: CacheDelta): void {
    const fps = delta.fps.map((tokens) => this.fps.intern(new Set(tokens)));
    const d = delta.data;
    let at = 0;
    const list = () => {
      const n = d[at++];
      const out = d.slice(at, at + n);
      at += n;
      return out;
    };
    for (const key of delta.keys) {
      const left = d[at++];
      const unexplored = new Set(list());
      const asleep = new Set(list());
      const threads = d[at++];
      let summary: Summary | null = null;
      const crossing: Crossing[] = [];
      if (threads >= 0) {
        summary = new Map();
        for (let t = 0; t < threads; t++) {
          const tid = d[at++];
          summary.set(tid, new Set(list().map((i) => fps[i])));
        }
        const crossings = d[at++];
        for (let c = 0; c < crossings; c++) {
          const target = d[at++];
          crossing.push({ target, initials: list() });
        }
      }
      this.add(key, { task: delta.task, left, unexplored, asleep, summary, crossing });
    }
    if (at !== d.length) throw new Error("StateCache.import: a malformed delta");
  }
}

interface Sleeper {
  readonly tid: number;
  readonly fp: Footprint;
}

interface Explored extends Sleeper {
  /** Moving this step first cannot add preemptions, and it drew nothing. */
  readonly sleepable: boolean;
}

/** Thrown out of the world to cut an execution that adds nothing new. */
class Pruned extends Error {
  constructor(readonly why: "state" | "sleep" | "split") {
    super(`pruned (${why})`);
  }
}

/**
 * One instance of each reason, made once: about half the executions of a search end pruned, and
 * building an Error captures a stack trace (about 1% of a bound-0 search of the default scenario
 * went to it), which nothing reads.
 */
const PRUNED = {
  state: new Pruned("state"),
  sleep: new Pruned("sleep"),
  split: new Pruned("split"),
} as const;

/** What one bound's search shares between its executions. */
interface Search {
  readonly bound: number;
  readonly path: Node[];
  /** State fingerprint + last-run thread -> its visits. */
  readonly visited: StateCache;
  /** The task this search is (its visits' `task`), and how far back other tasks' visits count. */
  readonly task: number;
  readonly lag: number;
  readonly states: Set<string>;
  /** Alternatives skipped because asleep. */
  slept: number;
  /** Alternatives skipped because the continuing thread's step was private. */
  privateSkips: number;
  /** Alternatives added by draws, and the most values one draw offered. */
  drawAlternatives: number;
  widestDraw: number;
  /** Scheduler steps run, and of them the replayed ones (see {@linkcode BoundStats.steps}). */
  steps: number;
  replayedSteps: number;
  readonly stateHash: boolean;
  /** Sleep sets (alone, or with DPOR). */
  readonly reduction: boolean;
  readonly dpor: boolean;
  readonly fps: FpTable;
  readonly counters: DporCounters;
  /** DPOR: the race log, kept from one execution to the next (truncated where they part). */
  races: RaceLog | null;
  /** Fingerprints of page contents hashed before. */
  readonly pages: ContentHashes;
  readonly privateSteps: boolean;
  /** See {@linkcode ExploreOptions.endByTokens}. */
  readonly endByTokens: boolean;
  /** See {@linkcode ExploreOptions.pageFootprints}. */
  readonly pageFootprints: boolean;
  /** See {@linkcode ExploreOptions.heldRequests}. */
  readonly heldRequests: boolean;
  readonly timed: boolean;
  /** Decisions every execution starts with (a task of a split search). */
  readonly prefix: readonly number[];
  /** What the task knows of its prefix's choice points (DPOR), see {@linkcode ExploreOptions.seeds}. */
  readonly seeds: readonly (PrefixSeed | null)[];
  /** Split mode: stop each execution at this many choices and record its prefix. */
  readonly splitAt: number;
  readonly splits: number[][];
}

/** One execution: the strategy that replays the prefix and the observer of every step. */
class Execution implements Strategy, Monitor {
  readonly name = "explore";
  #index = 0;
  lastRun = 0;
  preemptions = 0;
  #sleep: Sleeper[] = [];
  #node: Node | null = null;
  #drew = false;
  #buffer: (KernelEvent | { draw: number; value: number } | { checkpoint: string; tid: number })[] =
    [];
  #world: World | null = null;
  #recorder: FootprintRecorder | null = null;
  #kernel: Kernel | null = null;
  histories = new ThreadHistories();
  names = new Names();
  mismatch: string | null = null;
  /** DPOR: this execution's steps and races. */
  readonly #races: RaceLog | null;
  /** The choice point the execution branches at (earlier ones replay the previous execution). */
  readonly #branchAt: number;
  /** True once past the replayed prefix. */
  #fresh: boolean;
  /** Runnable threads before the step in progress, and the path index of its thread choice. */
  #before: readonly number[] | null = null;
  #stepNode = -1;
  /** The step in progress is private (see `isPrivateStep`). */
  #stepPrivate = false;
  /**
   * The snapshot to start from at the branch choice, while the steps before it are replayed
   * without bookkeeping (null: every step is recorded).
   */
  #skipTo: Snapshot | null;
  /**
   * The quiescent-end checker is on: a passing schedule goes on through the world's fair,
   * deterministic quiescent tail, which the search neither branches in nor records.
   */
  readonly tail: boolean;
  /** Set by the step that finished the workload: the search's record ends there. */
  #ended: { readonly runnable: readonly number[]; readonly state: string | null } | null = null;
  /** Environment events (thread names) not yet done when the step that ended the workload ran. */
  pendingEvents: readonly string[] = [];

  constructor(readonly search: Search, readonly checkers: readonly Monitor[]) {
    this.tail = checkers.some((m) => m.name === "quiescent-end");
    if (search.dpor) {
      search.races ??= new RaceLog(search.path, search.bound !== Infinity, search.counters);
    }
    this.#races = search.races;
    this.#branchAt = search.path.length - 1;
    this.#fresh = this.#branchAt < 0;
    this.#skipTo = this.#branchAt < 0 ? null : search.path[this.#branchAt].snap;
    if (this.#skipTo === null) this.#races?.truncate({ steps: 0, lastOf: new Map() });
  }

  /** Takes the snapshot of a new thread choice point (null if a step is in progress). */
  #save(): Snapshot | null {
    const recorder = this.#buffer.length > 0 ? null : this.#recorder?.save() ?? null;
    if (recorder === null) return null;
    return {
      histories: this.histories.clone(),
      names: this.names.clone(),
      recorder,
      races: this.#races?.mark() ?? null,
    };
  }

  /** Starts recording again from `snap`, taken at this same choice point of an earlier execution. */
  #restore(snap: Snapshot): void {
    this.histories = snap.histories.clone();
    this.names = snap.names.clone();
    present(this.#recorder, "explore: the recorder (restore before attach)").restore(snap.recorder);
    if (snap.races !== null) present(this.#races, "explore: the race log").truncate(snap.races);
    this.#buffer = [];
    this.#drew = false;
    this.#node = null;
    this.#stepPrivate = false;
  }

  /**
   * The run ended before the choice it was to branch at: its replay of the execution before it
   * made fewer choices (user code that ran differently, e.g. a kernel variant throwing where
   * it did not before), which no deterministic replay does. The mismatch is set; the run's steps
   * are not the path's, so `finish` must not read them (kfix27: it threw a TypeError).
   */
  endedShort(): boolean {
    if (this.#fresh || this.mismatch !== null) return false;
    this.mismatch =
      `the replay ended after ${this.#index} choices, before choice ${this.#branchAt} ` +
      `its first run made`;
    return true;
  }

  /**
   * The run ended: a thread that could still run never took its next step,
   * which may depend on anything; it races like a revisited state's step.
   */
  finish(): void {
    if (this.#races === null || this.#world === null) return;
    const pending: Summary = new Map();
    // After a quiescent tail, the threads that could run when the workload finished.
    const runnable = this.#ended?.runnable ?? this.#world.runnable().map((t) => t.tid);
    for (const tid of runnable) pending.set(tid, new Set([ANY_STEP]));
    if (pending.size === 0) return;
    const deepest = this.#index - 1;
    this.#races.revisit(pending, [], 0, deepest);
    if (deepest >= 0) mergeSummary(this.search.path[deepest].summary, pending);
  }

  /** The workload's threads, for DPOR's rule on the step that ends the run (null: the old rule). */
  #workload(): ReadonlySet<number> | null {
    if (!this.search.endByTokens || this.#world === null) return null;
    return new Set(this.#world.threads.filter((x) => x.role === "workload").map((x) => x.tid));
  }

  /** The fingerprint of the state the run ended in (where the workload finished, before a tail). */
  finalState(): string | null {
    if (this.#ended !== null) return this.#ended.state;
    const fp = this.#fingerprint();
    return fp === null ? null : fingerprintHex(fp);
  }

  /** The state the run is in now, as the search hashes it (null: no world, or unhashable). */
  #fingerprint(): ReturnType<typeof stateFingerprint> | null {
    if (this.#world === null) return null;
    return stateFingerprint(
      this.#world,
      this.histories,
      this.names,
      this.checkers,
      this.search.timed,
      this.search.pages,
    );
  }

  /** The kernel of the run, once built (footprints resolve handles through it). */
  attach(kernel: Kernel): void {
    this.#kernel = kernel;
    this.#recorder = new FootprintRecorder(
      kernel,
      this.search.timed,
      this.search.pageFootprints,
      this.search.heldRequests,
    );
  }

  pick(c: Choice): number {
    const s = this.search;
    const i = this.#index++;
    if (i === this.#branchAt) {
      this.#fresh = true;
      if (this.#skipTo !== null) {
        this.#restore(this.#skipTo);
        this.#skipTo = null;
      }
    }
    if (i === s.splitAt) {
      s.splits.push(s.path.slice(0, i).map((n) => n.chosen));
      throw PRUNED.split;
    }
    let node = s.path[i];
    if (node === undefined && i < s.prefix.length) node = this.#prefixNode(c, s.prefix[i]);
    if (
      node !== undefined &&
      (node.kind !== c.kind || node.n !== c.n ||
        (c.kind === "thread" && !sameTids(node.tids, c.tids)))
    ) {
      this.mismatch = `choice ${i}: replay expected ${node.kind}/${node.n}` +
        `${node.kind === "thread" ? ` (threads ${node.tids.join(",")})` : ""}, got ${c.kind}/` +
        `${c.n}${c.kind === "thread" ? ` (threads ${c.tids.join(",")})` : ""}`;
      throw new NondeterministicReplay(this.mismatch);
    }
    if (c.kind === "draw") {
      if (node === undefined) {
        // A draw whose code tells only classes of values apart (Sys.chance) tries one of each.
        const values = c.classes ?? Array.from({ length: c.n }, (_, k) => k);
        node = this.#newNode(c, values[0], values.slice(1));
        s.drawAlternatives += values.length - 1;
        s.widestDraw = Math.max(s.widestDraw, values.length);
      }
      this.#drew = true;
      if (this.#skipTo === null) this.#buffer.push({ draw: c.n, value: node.chosen });
      return node.chosen;
    }
    if (node === undefined) node = this.#freshThreadNode(c);
    const tid = c.tids[node.chosen];
    this.#before = c.tids;
    this.#stepNode = i;
    if (c.tids.includes(this.lastRun) && tid !== this.lastRun) this.preemptions++;
    this.#node = node;
    return node.chosen;
  }

  /** A choice point of the task's prefix: one alternative, and nothing may be added. */
  #prefixNode(c: Choice, chosen: number): Node {
    if (!(Number.isInteger(chosen) && chosen >= 0 && chosen < c.n)) {
      this.mismatch = `prefix choice ${this.#index - 1}: ${chosen} of ${c.n}`;
      throw new NondeterministicReplay(this.mismatch);
    }
    const seed = c.kind === "thread" ? this.search.seeds[this.#index - 1] ?? null : null;
    // Without a seed every alternative here is another task's; with one, what is not yet run
    // or handed out here may still be added (and is reported, see TaskEnd.wants).
    const node = seed === null
      ? this.#newNode(c, chosen, [], new Set(c.tids))
      : this.#newNode(c, chosen, [], new Set(seed.permitted), null, new Set(seed.asleep));
    for (const t of seed?.backtrack ?? c.tids) node.backtrack.add(t);
    if (c.kind === "thread" && this.#world !== null) {
      // Counted like any state the search passes (a split search's prefix is part of it).
      const fp = this.#fingerprint();
      if (fp !== null) this.search.states.add(fingerprintHex(fp));
    }
    return node;
  }

  #newNode(
    c: Choice,
    chosen: number,
    todo: number[],
    permitted: ReadonlySet<number> = new Set(),
    entry: CacheEntry | null = null,
    asleep: ReadonlySet<number> = new Set(),
  ): Node {
    const node: Node = {
      snap: c.kind === "thread" ? this.#save() : null,
      kind: c.kind,
      n: c.n,
      tids: [...c.tids],
      chosen,
      lastRun: this.lastRun,
      preemptions: this.preemptions,
      sleep: this.#sleep,
      explored: new Map(),
      todo,
      backtrack: new Set(c.kind === "thread" ? [c.tids[chosen]] : []),
      permitted,
      asleep,
      summary: new Map(),
      crossing: [],
      entry,
    };
    this.search.path.push(node);
    return node;
  }

  #freshThreadNode(c: Choice): Node {
    const s = this.search;
    const left = s.bound - this.preemptions;
    const canContinue = c.tids.includes(this.lastRun);
    const asleep = new Set(this.#sleep.map((x) => x.tid));
    const allowed: number[] = [];
    let slept = 0;
    // The continuing thread's next step is private: switching away just before
    // it reaches nothing switching away just after it does not.
    const u = this.lastRun;
    const privateStep = s.privateSteps && canContinue && this.#world !== null &&
      isPrivateStep(
        this.#world.kernel,
        this.#world.threads[u - 1].pending,
        (h) => this.names.handle(h).startsWith(`${u}.`),
      );
    if (s.dpor) return this.#dporNode(c, left, canContinue, privateStep);
    c.tids.forEach((tid, idx) => {
      if (canContinue && tid !== this.lastRun && left <= 0) return;
      if (asleep.has(tid)) slept++;
      else if (privateStep && tid !== u) s.privateSkips++; // a preemption the bound allowed
      else allowed.push(idx);
    });
    const state = this.#fingerprint();
    if (state !== null) {
      const fp = fingerprintHex(state);
      s.states.add(fp);
      if (s.stateHash) {
        // Who ran last matters only if it could go on (continuing it is free).
        const key = `${fp}/${canContinue ? this.lastRun : "-"}`;
        const seen = s.visited.get(key);
        // Threads no earlier visit with at least this budget ran from here
        // (the state cache with sleep sets, as in Godefroid 1996): only they
        // still need to run; the others' subtrees were explored.
        const covering = (seen ?? []).filter((e) => e.left >= left && sees(s, e));
        if (covering.length > 0) {
          const still = allowed.filter((idx) =>
            covering.every((e) => e.unexplored.has(c.tids[idx]))
          );
          if (still.length === 0) throw PRUNED.state;
          allowed.splice(0, allowed.length, ...still);
        }
        const ran = new Set(allowed.map((idx) => c.tids[idx]));
        s.visited.add(key, {
          task: s.task,
          left,
          unexplored: new Set(c.tids.filter((t) => !ran.has(t))),
          asleep: new Set<number>(),
          summary: null,
          crossing: [],
        });
      }
    }
    s.slept += slept;
    if (allowed.length === 0) throw PRUNED.sleep;
    const cont = allowed.find((idx) => c.tids[idx] === this.lastRun);
    const chosen = cont ?? allowed[0];
    return this.#newNode(c, chosen, allowed.filter((idx) => idx !== chosen));
  }

  /**
   * A new thread choice point under DPOR: only the thread that keeps the
   * preemption count lowest runs first; races found later add the others.
   * A state explored before (with at least this budget) is not explored again:
   * its subtree's steps are race-checked against the current stack instead.
   */
  #dporNode(c: Choice, left: number, canContinue: boolean, privateStep: boolean): Node {
    const s = this.search;
    const u = this.lastRun;
    const permitted = new Set<number>();
    for (const tid of c.tids) {
      if (canContinue && tid !== u && left <= 0) continue;
      if (privateStep && tid !== u) s.privateSkips++;
      else permitted.add(tid);
    }
    const asleep = new Set(this.#sleep.map((x) => x.tid).filter((t) => permitted.has(t)));
    s.slept += asleep.size;
    let entry: CacheEntry | null = null;
    const state = this.#fingerprint();
    if (state !== null) {
      const fp = fingerprintHex(state);
      s.states.add(fp);
      if (s.stateHash) {
        const key = `${fp}/${canContinue ? u : "-"}`;
        const seen = s.visited.get(key);
        // A visit covers this one if it had at least this budget and no thread
        // asleep there is awake here (it would not have run it).
        const covering = seen?.find((e) =>
          e.summary !== null && e.left >= left && sees(s, e) &&
          [...e.asleep].every((t) => asleep.has(t))
        );
        if (covering !== undefined) {
          const deepest = s.path.length - 1;
          const summary = present(covering.summary, "explore: the covering visit's summary");
          present(this.#races, "explore: the race log of a DPOR search")
            .revisit(summary, covering.crossing, canContinue ? u : 0, deepest, this.#workload());
          if (deepest >= 0) mergeSummary(s.path[deepest].summary, summary);
          throw PRUNED.state;
        }
        entry = { task: s.task, left, unexplored: new Set(), asleep, summary: null, crossing: [] };
        s.visited.add(key, entry);
      }
    }
    const awake = (t: number) => permitted.has(t) && !asleep.has(t);
    const first = awake(u) ? u : c.tids.find(awake);
    if (first === undefined) throw PRUNED.sleep;
    return this.#newNode(c, c.tids.indexOf(first), [], permitted, entry, asleep);
  }

  onCheckpoint(tid: number, key: string): void {
    if (this.#skipTo !== null || this.#ended !== null) return;
    // At spawn, before any step: the thread's history starts there.
    if (this.#world === null) this.histories.checkpoint(tid, key);
    else this.#buffer.push({ checkpoint: key, tid });
  }

  onEvent(e: KernelEvent): void {
    if ("tid" in e && e.tid === 0) return; // process setup, before the first step
    if (this.#skipTo !== null) return; // a replayed step: the snapshot has its record
    if (this.#ended !== null) return; // the quiescent tail: not the search's
    this.names.baseline(present(this.#kernel, "explore: the kernel (onEvent before attach)"));
    const w = this.#world;
    if (
      this.#races !== null && this.search.privateSteps && this.#buffer.length === 0 && w !== null &&
      w.running !== null
    ) {
      // The step's first event: the state before it is still there to judge it private.
      const u = w.running.tid;
      this.#stepPrivate = isPrivateStep(
        w.kernel,
        w.running.pending,
        (h) => this.names.handle(h).startsWith(`${u}.`),
      );
    }
    this.#buffer.push(e);
    this.#recorder?.add(e);
  }

  afterStep(world: World): void {
    this.search.steps++;
    if (this.#ended !== null) return; // a step of the quiescent tail
    this.#world = world;
    const t = present(world.running, "explore: the thread that ran the step");
    if (this.#skipTo !== null) {
      // A replayed step: only what the choices themselves need (who ran last).
      this.search.replayedSteps++;
      this.lastRun = t.tid;
      this.#node = null;
      this.#drew = false;
      return;
    }
    const recorder = present(this.#recorder, "explore: the recorder (afterStep before attach)");
    this.names.step(world.kernel, t.tid);
    this.histories.step(t.tid);
    for (const item of this.#buffer) {
      if ("draw" in item) this.histories.draw(t.tid, item.draw, item.value);
      else if ("checkpoint" in item) this.histories.checkpoint(item.tid, item.checkpoint);
      else this.histories.event(item, this.names);
    }
    const fp = recorder.take(t.tid);
    // The step that finishes the workload ends the run: every step it keeps
    // from happening depends on it (so it never sleeps past one).
    const ends = world.threads.every((x) => x.role !== "workload" || x.end.kind !== "running");
    if (ends) {
      this.pendingEvents = world.threads
        .filter((x) => x.role === "env" && x.end.kind === "running")
        .map((x) => x.name);
    }
    if (this.#races !== null) {
      const tokens = ends
        ? new Set([...fp, ANY])
        : this.#stepPrivate
        ? new Set([...fp, PRIVATE])
        : fp;
      this.#stepPrivate = false;
      this.#races.step(
        t.tid,
        this.search.fps.intern(tokens),
        this.#stepNode,
        this.#index - 1,
        this.#before ?? [t.tid],
        world.runnable().map((x) => x.tid),
        this.#fresh,
        ends && this.search.endByTokens ? this.#workload() : null,
      );
      this.#before = null;
      this.#stepNode = -1;
    }
    let base: readonly Sleeper[] = this.#sleep;
    const node = this.#node;
    if (node !== null) {
      if (!node.explored.has(node.chosen)) {
        const p = t.pending;
        const stopped = t.end.kind !== "running" || p === null || t.k.suspended ||
          (p.kind === "block" && p.wait.deadline === Infinity && !p.wait.ready(world.kernel.now));
        node.explored.set(node.chosen, {
          tid: t.tid,
          fp: ends ? new Set([...fp, ANY]) : fp,
          sleepable: !this.#drew && (t.tid === node.lastRun || stopped),
        });
      }
      base = [...node.sleep];
      for (const [idx, x] of node.explored) {
        if (idx !== node.chosen && x.sleepable) (base as Sleeper[]).push(x);
      }
    }
    this.#sleep = this.search.reduction
      ? base.filter((x) => x.tid !== t.tid && !conflicts(x.fp, fp))
      : [];
    this.lastRun = t.tid;
    this.#node = null;
    this.#drew = false;
    this.#buffer = [];
    recorder.noteHandles();
    if (ends && this.tail) {
      // The tail that follows changes the world: keep what the search reads of the end now.
      const fp = this.#fingerprint();
      this.#ended = {
        runnable: world.runnable().map((x) => x.tid),
        state: fp === null ? null : fingerprintHex(fp),
      };
    }
  }
}

/**
 * A preemption bound as the CLI spells it: a number, or `all`.
 *
 * @example
 * ```ts
 * import { boundLabel } from "./explore.ts";
 * console.assert(boundLabel(Infinity) === "all" && boundLabel(2) === "2");
 * ```
 */
export function boundLabel(k: number): string {
  return k === Infinity ? "all" : String(k);
}

/**
 * The sentence an exhaustive pass ends with.
 *
 * @example
 * ```ts
 * import { passSentence } from "./explore.ts";
 * console.assert(passSentence(10, 7, 2).includes("2"));
 * ```
 */
export function passSentence(schedules: number, states: number, k: number): string {
  const bound = k === Infinity ? "with any number of" : `up to ${k}`;
  return `all ${schedules} schedules (${states} distinct states) ${bound} preemptions satisfy every invariant`;
}

/**
 * Explores every schedule of `scenario` with at most `options.preemptions`
 * preemptions (bounds 0, 1, ... in turn) and checks each with the monitors.
 *
 * @example
 * ```ts
 * import { explore } from "./explore.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const result = explore(scenario, { preemptions: 1 });
 * console.assert(result.outcome === "pass" && result.schedules > 0);
 * ```
 */
export function explore(scenario: Scenario, options: ExploreOptions): ExploreResult {
  return exploreTask(scenario, options);
}

/** Where one task of a split search keeps its visits, see {@linkcode exploreTask}. */
export interface TaskCache {
  readonly store: StateCache;
  /** The task's index: its visits are recorded as this task's. */
  readonly task: number;
  /** The task takes as explored its own visits and those of tasks `task - lag` and earlier. */
  readonly lag: number;
}

/**
 * {@linkcode explore} with a state cache of the caller's (one task of a split search, see
 * `parallel.ts`); without one, a fresh cache per bound, as `explore`.
 *
 * @example
 * ```ts
 * import { exploreTask, splitTasks, StateCache } from "./explore.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const store = new StateCache();
 * splitTasks(scenario, {}, 1, 2).forEach((prefix, task) =>
 *   exploreTask(scenario, { preemptions: 1, firstBound: 1, prefix }, { store, task, lag: 2 })
 * );
 * ```
 */
export function exploreTask(
  scenario: Scenario,
  options: ExploreOptions,
  cache?: TaskCache,
): ExploreResult {
  const k = options.preemptions;
  if (!(Number.isInteger(k) || k === Infinity) || k < 0) {
    throw new RangeError(`preemptions must be an integer >= 0 or Infinity, got ${k}`);
  }
  const reduction = options.reduction ?? true;
  const dpor = reduction === true || reduction === "dpor";
  const limit = options.maxSchedules ?? Infinity;
  const monitors = options.monitors ?? kernelInvariants;
  const every = options.progressEvery ?? 500;
  const timed = scenario.overtimeTicks > 0 || scenario.events.some((e) => e.notBefore > 0);
  const bounds: BoundStats[] = [];
  let executions = 0;
  let counterexample: Counterexample | null = null;
  let hitLimit = false;

  // Unbounded: one search of every schedule (there is no fewest-preemptions order to keep).
  const first = k === Infinity ? Infinity : options.firstBound ?? 0;
  for (
    let bound = first;
    bound <= k && counterexample === null && !hitLimit;
    bound = bound === Infinity ? NaN : bound + 1 // NaN ends the loop after the unbounded search
  ) {
    const counters: DporCounters = { races: 0, summaryRaces: 0, blockStarts: 0 };
    const store = cache?.store ?? new StateCache();
    const search: Search = {
      bound,
      path: [],
      visited: store,
      task: cache?.task ?? 0,
      lag: cache?.lag ?? 1,
      states: new Set(),
      slept: 0,
      privateSkips: 0,
      drawAlternatives: 0,
      widestDraw: 0,
      steps: 0,
      replayedSteps: 0,
      stateHash: options.stateHash ?? true,
      reduction: reduction === "sleep-sets" || dpor,
      dpor,
      fps: store.fps,
      counters,
      races: null,
      pages: new ContentHashes(),
      privateSteps: options.privateSteps ?? true,
      endByTokens: options.endByTokens ?? true,
      pageFootprints: options.pageFootprints ?? true,
      heldRequests: options.heldRequests ?? true,
      timed,
      prefix: options.prefix ?? [],
      seeds: options.seeds ?? [],
      splitAt: -1,
      splits: [],
    };
    let started = 0, schedules = 0, byState = 0, bySleep = 0, notQuiescent = 0;
    let pendingAtEnd = 0;
    const pendingEvents = new Set<string>();
    let complete = false;
    const budget = options.budget ?? Infinity;
    const prefixLength = search.prefix.length;
    const wants: [number, number][] = [];
    const wanted = new Set<string>();
    let handOff: HandOffNode[] | null = null;
    for (;;) {
      if (executions >= limit) {
        hitLimit = true;
        break;
      }
      executions++;
      started++;
      const checkers = monitors();
      const exec = new Execution(search, checkers);
      let run: ScenarioRun | null = null;
      options.hooks?.execution();
      try {
        run = runScenario(scenario, {
          strategy: watched(exec, options.hooks),
          watch: options.hooks?.watch,
          monitors: [exec, ...checkers],
          services: options.services,
          keepTrace: false,
          // The search covers the workload's schedules; with the quiescent-end checker on, a
          // passing one goes on through a fair tail, so that the end at rest is judged (Q1-Q4).
          quiescentTail: exec.tail,
          makeKernel: (o) => {
            const kernel = options.makeKernel?.(o) ?? new Kernel(o);
            exec.attach(kernel);
            return kernel;
          },
        });
      } catch (e) {
        if (!(e instanceof Pruned)) throw e;
        if (e.why === "state") byState++;
        else bySleep++;
      }
      if (run !== null) exec.endedShort();
      if (exec.mismatch !== null) throw new NondeterministicReplay(exec.mismatch);
      if (run !== null) {
        exec.finish();
        schedules++;
        if (run.world.quiescent === false) notQuiescent++;
        if (exec.pendingEvents.length > 0) {
          pendingAtEnd++;
          for (const name of exec.pendingEvents) pendingEvents.add(name);
        }
        if (options.finalStates !== undefined) {
          options.finalStates.add(exec.finalState() ?? `trace ${run.traceHash}`);
        }
        const verdict = settleVerdict(run, checkers);
        if (verdict.kind !== "pass") {
          counterexample = {
            preemptions: exec.preemptions,
            decisions: [...run.decisions],
            verdict,
            steps: run.steps,
            ...(run.world.livenessFrom !== null ? { livenessFrom: run.world.livenessFrom } : {}),
            traceHash: run.traceHash,
          };
        }
      }
      if (started % every === 0) {
        options.onProgress?.({
          bound,
          executions: started,
          schedules,
          states: search.states.size,
          boundDone: false,
        });
      }
      const path = search.path;
      // Threads races added at the prefix's choice points are not this task's to run there.
      for (let i = 0; i < Math.min(prefixLength, path.length); i++) {
        const at = path[i];
        for (const idx of at.todo) {
          const key = `${i}/${at.tids[idx]}`;
          if (!wanted.has(key)) wants.push([i, at.tids[idx]]);
          wanted.add(key);
        }
        at.todo.length = 0;
      }
      if (counterexample !== null) break;
      while (path.length > 0 && path[path.length - 1].todo.length === 0) {
        const done = present(path.pop(), "explore: the explored node");
        if (!dpor) continue;
        // The subtree is explored: its summary goes up, and into the state cache.
        const parent = path[path.length - 1];
        if (parent !== undefined) {
          mergeSummary(parent.summary, done.summary);
          for (const c of done.crossing) if (c.target < path.length - 1) parent.crossing.push(c);
        }
        if (done.entry !== null) {
          done.entry.summary = done.summary;
          done.entry.crossing = done.crossing;
        }
      }
      if (path.length === 0) {
        complete = true;
        break;
      }
      if (started >= budget) {
        // Out of budget: what is left below the prefix goes back as tasks (the search is
        // complete once they are), from where the search stands now.
        handOff = path.slice(prefixLength).map((n) => ({
          kind: n.kind,
          chosen: n.chosen,
          tids: n.tids,
          backtrack: [...n.backtrack],
          asleep: [...n.asleep],
          permitted: [...n.permitted],
          todo: [...n.todo],
        }));
        complete = true;
        break;
      }
      const node = path[path.length - 1];
      node.chosen = present(node.todo.shift(), "explore: the next choice of the deepest node");
    }
    options.taskEnd?.({ handOff, wants });
    options.stateSet?.(search.states);
    bounds.push({
      bound,
      executions: started,
      schedules,
      states: search.states.size,
      prunedByState: byState,
      prunedBySleep: bySleep,
      sleptAlternatives: search.slept,
      privateSkips: search.privateSkips,
      drawAlternatives: search.drawAlternatives,
      widestDraw: search.widestDraw,
      dpor: counters,
      notQuiescent,
      pendingAtEnd,
      pendingEvents: [...pendingEvents].sort(),
      steps: search.steps,
      replayedSteps: search.replayedSteps,
      complete,
    });
    options.onProgress?.({
      bound,
      executions: started,
      schedules,
      states: search.states.size,
      boundDone: true,
      complete,
    });
  }

  const last = bounds[bounds.length - 1];
  const outcome = counterexample !== null ? "fail" : hitLimit ? "limit" : "pass";
  const summary = outcome === "pass"
    ? passSentence(last.schedules, last.states, k)
    : outcome === "limit"
    ? `stopped at the --max-executions limit of ${limit} executions (those the state hash or a sleep set cut count too): not exhaustive (bound ${
      boundLabel(last.bound)
    } was being searched)`
    : `counterexample with ${
      present(counterexample, "explore: the failing run").preemptions
    } preemptions`;
  return {
    outcome,
    preemptions: k,
    bounds,
    schedules: last.schedules,
    states: last.states,
    executions,
    counterexample,
    summary,
  };
}

/**
 * The tasks of a split search of one bound: every decision prefix of
 * `depth` choices (fewer when a run ends sooner) the bound and the
 * private-step rule allow, in depth-first order. Their subtrees, each
 * explored with `prefix` set, together cover the bound's search; the list
 * depends only on the scenario, the bound and the depth, never on how many
 * workers take the tasks.
 *
 * @example
 * ```ts
 * import { splitTasks } from "./explore.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * console.assert(splitTasks(scenario, {}, 1, 2).length > 1);
 * ```
 */
export function splitTasks(
  scenario: Scenario,
  options: Pick<ExploreOptions, "services" | "makeKernel" | "privateSteps" | "hooks">,
  bound: number,
  depth: number,
): number[][] {
  const search: Search = {
    bound,
    path: [],
    visited: new StateCache(),
    task: 0,
    lag: 1,
    states: new Set(),
    slept: 0,
    privateSkips: 0,
    drawAlternatives: 0,
    widestDraw: 0,
    steps: 0,
    replayedSteps: 0,
    stateHash: false,
    reduction: false,
    dpor: false,
    fps: new FpTable(),
    counters: { races: 0, summaryRaces: 0, blockStarts: 0 },
    races: null,
    pages: new ContentHashes(),
    privateSteps: options.privateSteps ?? true,
    endByTokens: true,
    pageFootprints: true,
    heldRequests: true,
    timed: scenario.overtimeTicks > 0 || scenario.events.some((e) => e.notBefore > 0),
    prefix: [],
    seeds: [],
    splitAt: depth,
    splits: [],
  };
  for (;;) {
    const exec = new Execution(search, []);
    options.hooks?.execution();
    try {
      const run = runScenario(scenario, {
        strategy: watched(exec, options.hooks),
        watch: options.hooks?.watch,
        monitors: [exec],
        services: options.services,
        keepTrace: false,
        quiescentTail: false,
        makeKernel: (o) => {
          const kernel = options.makeKernel?.(o) ?? new Kernel(o);
          exec.attach(kernel);
          return kernel;
        },
      });
      search.splits.push([...run.decisions]);
    } catch (e) {
      if (!(e instanceof Pruned)) throw e;
    }
    if (exec.mismatch !== null) throw new NondeterministicReplay(exec.mismatch);
    const path = search.path;
    while (path.length > 0 && path[path.length - 1].todo.length === 0) path.pop();
    if (path.length === 0) return search.splits;
    const node = path[path.length - 1];
    node.chosen = present(node.todo.shift(), "splitTasks: the next choice of the deepest node");
  }
}
