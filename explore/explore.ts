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
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { Choice, Strategy } from "../sim/strategy.ts";
import type { Monitor, Verdict, World } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import { conflicts, type Footprint, FootprintRecorder, isPrivateStep } from "./footprint.ts";
import { fingerprintHex } from "./_hasher.ts";
import { Names, stateFingerprint, ThreadHistories } from "./state_hash.ts";

/** Options of {@linkcode explore}. */
export interface ExploreOptions {
  /** The preemption bound K: bounds 0..K are searched in turn. */
  readonly preemptions: number;
  /** Stop after this many executions over all bounds (the result then says it is not exhaustive). Default: no limit. */
  readonly maxSchedules?: number;
  /** Prune states reached before. Default true. */
  readonly stateHash?: boolean;
  /** Sleep-set reduction of commuting steps. Default true. */
  readonly reduction?: boolean;
  /**
   * Never preempt a thread just before a private step (one that touches only
   * an anonymous VMO the thread alone has a handle to, e.g. a service filling
   * its staging VMO): the same states are reached by preempting just after it.
   * Default true.
   */
  readonly privateSteps?: boolean;
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
}

/** Where an exploration stands. */
export interface ExploreProgress {
  /** The bound being searched. */
  readonly bound: number;
  /** Executions started in this bound (complete and pruned). */
  readonly executions: number;
  /** Complete schedules in this bound. */
  readonly schedules: number;
  /** Distinct states seen in this bound. */
  readonly states: number;
  /** True when the bound is finished. */
  readonly boundDone: boolean;
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
  /** True if the bound was searched to the end. */
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
  /** Trace hash of the failing run (with the exploration's monitors). */
  readonly traceHash: string;
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
interface Node {
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
  constructor(readonly why: "state" | "sleep") {
    super(`pruned (${why})`);
  }
}

/** What one bound's search shares between its executions. */
interface Search {
  readonly bound: number;
  readonly path: Node[];
  /** State fingerprint + last-run thread -> per visit: preemptions left, and the threads it did not run. */
  readonly visited: Map<string, { left: number; unexplored: ReadonlySet<number> }[]>;
  readonly states: Set<string>;
  /** Alternatives skipped because asleep. */
  slept: number;
  /** Alternatives skipped because the continuing thread's step was private. */
  privateSkips: number;
  readonly stateHash: boolean;
  readonly reduction: boolean;
  readonly privateSteps: boolean;
  readonly timed: boolean;
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
  readonly histories = new ThreadHistories();
  readonly names = new Names();
  mismatch: string | null = null;

  constructor(readonly search: Search, readonly checkers: readonly Monitor[]) {}

  /** The kernel of the run, once built (footprints resolve handles through it). */
  attach(kernel: Kernel): void {
    this.#kernel = kernel;
    this.#recorder = new FootprintRecorder(kernel, this.search.timed);
  }

  pick(c: Choice): number {
    const s = this.search;
    const i = this.#index++;
    let node = s.path[i];
    if (node !== undefined && (node.kind !== c.kind || node.n !== c.n)) {
      this.mismatch = `choice ${i}: replay expected ${node.kind}/${node.n}, got ${c.kind}/${c.n}`;
      throw new Error(`nondeterministic replay: ${this.mismatch}`);
    }
    if (c.kind === "draw") {
      if (node === undefined) {
        node = this.#newNode(c, 0, Array.from({ length: c.n - 1 }, (_, k) => k + 1));
      }
      this.#drew = true;
      this.#buffer.push({ draw: c.n, value: node.chosen });
      return node.chosen;
    }
    if (node === undefined) node = this.#freshThreadNode(c);
    const tid = c.tids[node.chosen];
    if (c.tids.includes(this.lastRun) && tid !== this.lastRun) this.preemptions++;
    this.#node = node;
    return node.chosen;
  }

  #newNode(c: Choice, chosen: number, todo: number[]): Node {
    const node: Node = {
      kind: c.kind,
      n: c.n,
      tids: [...c.tids],
      chosen,
      lastRun: this.lastRun,
      preemptions: this.preemptions,
      sleep: this.#sleep,
      explored: new Map(),
      todo,
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
    c.tids.forEach((tid, idx) => {
      if (canContinue && tid !== this.lastRun && left <= 0) return;
      if (asleep.has(tid)) slept++;
      else if (privateStep && tid !== u) s.privateSkips++; // a preemption the bound allowed
      else allowed.push(idx);
    });
    const state = this.#world === null
      ? null
      : stateFingerprint(this.#world, this.histories, this.names, this.checkers);
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
        const covering = (seen ?? []).filter((e) => e.left >= left);
        if (covering.length > 0) {
          const still = allowed.filter((idx) =>
            covering.every((e) => e.unexplored.has(c.tids[idx]))
          );
          if (still.length === 0) throw new Pruned("state");
          allowed.splice(0, allowed.length, ...still);
        }
        const ran = new Set(allowed.map((idx) => c.tids[idx]));
        const entry = { left, unexplored: new Set(c.tids.filter((t) => !ran.has(t))) };
        if (seen === undefined) s.visited.set(key, [entry]);
        else seen.push(entry);
      }
    }
    s.slept += slept;
    if (allowed.length === 0) throw new Pruned("sleep");
    const cont = allowed.find((idx) => c.tids[idx] === this.lastRun);
    const chosen = cont ?? allowed[0];
    return this.#newNode(c, chosen, allowed.filter((idx) => idx !== chosen));
  }

  onCheckpoint(tid: number, key: string): void {
    // At spawn, before any step: the thread's history starts there.
    if (this.#world === null) this.histories.checkpoint(tid, key);
    else this.#buffer.push({ checkpoint: key, tid });
  }

  onEvent(e: KernelEvent): void {
    if ("tid" in e && e.tid === 0) return; // process setup, before the first step
    this.names.baseline(this.#kernel!);
    this.#buffer.push(e);
    this.#recorder?.add(e);
  }

  afterStep(world: World): void {
    this.#world = world;
    const t = world.running!;
    const recorder = this.#recorder!;
    this.names.step(world.kernel, t.tid);
    this.histories.step(t.tid);
    for (const item of this.#buffer) {
      if ("draw" in item) this.histories.draw(t.tid, item.draw, item.value);
      else if ("checkpoint" in item) this.histories.checkpoint(item.tid, item.checkpoint);
      else this.histories.event(item, this.names);
    }
    const fp = recorder.take(t.tid);
    let base: readonly Sleeper[] = this.#sleep;
    const node = this.#node;
    if (node !== null) {
      if (!node.explored.has(node.chosen)) {
        const p = t.pending;
        const stopped = t.end.kind !== "running" || p === null || t.k.suspended ||
          (p.kind === "block" && p.wait.deadline === Infinity && !p.wait.ready(world.kernel.now));
        node.explored.set(node.chosen, {
          tid: t.tid,
          fp,
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
  }
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
  return `all ${schedules} schedules (${states} distinct states) up to ${k} preemptions satisfy every invariant`;
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
  const k = options.preemptions;
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`preemptions must be an integer >= 0, got ${k}`);
  }
  const limit = options.maxSchedules ?? Infinity;
  const monitors = options.monitors ?? kernelInvariants;
  const every = options.progressEvery ?? 500;
  const timed = scenario.overtimeTicks > 0 || scenario.events.some((e) => e.notBefore > 0);
  const bounds: BoundStats[] = [];
  let executions = 0;
  let counterexample: Counterexample | null = null;
  let hitLimit = false;

  for (let bound = 0; bound <= k && counterexample === null && !hitLimit; bound++) {
    const search: Search = {
      bound,
      path: [],
      visited: new Map(),
      states: new Set(),
      slept: 0,
      privateSkips: 0,
      stateHash: options.stateHash ?? true,
      reduction: options.reduction ?? true,
      privateSteps: options.privateSteps ?? true,
      timed,
    };
    let started = 0, schedules = 0, byState = 0, bySleep = 0;
    let complete = false;
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
      try {
        run = runScenario(scenario, {
          strategy: exec,
          monitors: [exec, ...checkers],
          services: options.services,
          keepTrace: false,
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
      if (exec.mismatch !== null) throw new Error(`nondeterministic replay: ${exec.mismatch}`);
      if (run !== null) {
        schedules++;
        const verdict = settleVerdict(run, checkers);
        if (verdict.kind !== "pass") {
          counterexample = {
            preemptions: exec.preemptions,
            decisions: [...run.decisions],
            verdict,
            steps: run.steps,
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
      if (counterexample !== null) break;
      const path = search.path;
      while (path.length > 0 && path[path.length - 1].todo.length === 0) path.pop();
      if (path.length === 0) {
        complete = true;
        break;
      }
      const node = path[path.length - 1];
      node.chosen = node.todo.shift()!;
    }
    bounds.push({
      bound,
      executions: started,
      schedules,
      states: search.states.size,
      prunedByState: byState,
      prunedBySleep: bySleep,
      sleptAlternatives: search.slept,
      privateSkips: search.privateSkips,
      complete,
    });
    options.onProgress?.({
      bound,
      executions: started,
      schedules,
      states: search.states.size,
      boundDone: true,
    });
  }

  const last = bounds[bounds.length - 1];
  const outcome = counterexample !== null ? "fail" : hitLimit ? "limit" : "pass";
  const summary = outcome === "pass"
    ? passSentence(last.schedules, last.states, k)
    : outcome === "limit"
    ? `stopped at the schedule limit ${limit}: not exhaustive (bound ${last.bound} was being searched)`
    : `counterexample with ${counterexample!.preemptions} preemptions`;
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
