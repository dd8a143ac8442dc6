/**
 * A program-fuzzing loop, AFL-style: each iteration runs either a fresh
 * random program or a mutation of one from the queue, and a program whose
 * run reached an abstract kernel state never seen before joins the queue.
 * Unguided mode runs fresh programs only (the baseline guidance must beat).
 * A failing run is signed from its own verdict and compared with the known
 * signatures first; only a new one is replayed and shrunk.
 *
 * @module
 */

import type { Kernel, KernelOptions } from "../../kernel/kernel.ts";
import { makeRng, type Rng } from "../../sim/rng.ts";
import { pctStrategy, randomStrategy, type Strategy } from "../../sim/strategy.ts";
import type { Monitor } from "../../sim/world.ts";
import { PORTFOLIO, type PortfolioStrategy } from "../campaign.ts";
import { generateProgram, mutateProgram, rngDraw } from "../../program/generate.ts";
import { callCount, type Program } from "../../program/program.ts";
import { programMonitors, runProgram } from "../../program/run.ts";
import { signProgramVerdict } from "../../program/signature.ts";

/** The dedupe signature of a program run's verdict (program/signature.ts, where case/ reads it). */
export { signProgramVerdict };
import { ProgramSometimesMonitor } from "./sometimes.ts";

/** Which checkers a program run uses. */
export type ProgramChecks = "kernel" | "contract";

/** The monitors of a check set: `contract` is the program's own oracles only. */
export function checksMonitors(checks: ProgramChecks): () => Monitor[] {
  return checks === "kernel" ? programMonitors : () => [];
}

/** How program runs are made (kernel variant and checkers). */
export interface ProgramRunContext {
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  readonly checks: ProgramChecks;
  /** Called as each run starts, replays included (a campaign watchdog's heartbeat). */
  readonly beat?: () => void;
}

/** Options of a {@linkcode ProgramFuzzer}. */
export interface ProgramFuzzerOptions extends ProgramRunContext {
  readonly seed: number | string;
  /** Keep novel programs and mutate them (false: fresh random programs only). */
  readonly guided: boolean;
  /** Most programs kept in the queue. Default 4000. */
  readonly maxQueue?: number;
  /**
   * Schedule each run with a strategy drawn from the campaign portfolio
   * (uniform random and PCT at depths 1 to 3). Default false: uniform random.
   */
  readonly portfolio?: boolean;
}

/** The schedule of a program run under a portfolio strategy. */
export function programStrategy(
  program: Program,
  seed: number,
  strategy: PortfolioStrategy,
): Strategy {
  if (strategy.kind === "random") return randomStrategy(seed);
  const calls = callCount(program);
  return pctStrategy(seed, { depth: strategy.depth, steps: Math.min(100_000, 8 * calls + 16) });
}

/** A failing program run, before it is investigated. */
export interface ProgramFailure {
  readonly program: Program;
  readonly seed: number;
  readonly decisions: readonly number[];
  readonly traceHash: string;
  readonly signature: string;
}

/** What one iteration did. */
export interface FuzzStep {
  readonly steps: number;
  readonly failed: boolean;
  /** The failure's signature (null: the run passed). */
  readonly signature: string | null;
  /** State signatures this run reached that no earlier run had. */
  readonly fresh: readonly number[];
  /** The failing run (null: it passed), for the caller to investigate (`case/investigate.ts`). */
  readonly failure: ProgramFailure | null;
  /** The "sometimes" events (`./sometimes.ts` `PROGRAM_SOMETIMES`) this run reached. */
  readonly sometimes: ReadonlySet<string>;
}

/**
 * One fresh program in this many gets a request layout (program/generate.ts `requestLayout`): a
 * reader parked on a multi-page request that another thread fails or supplies, often from page 1.
 * Random draws alone built it about once in 2000 programs, and campaigns missed kernels that wake
 * an OP_FAIL's waiters with ZX_OK or lose the packet of a READ starting at page 1 (userS28k).
 */
export const REQUEST_LAYOUTS = 3;

/** The fuzzing loop, one iteration at a time (so callers own budgets and stop flags). */
export class ProgramFuzzer {
  /** Every abstract state signature reached so far. */
  readonly seen = new Set<number>();
  /** Programs that reached something new, to mutate. */
  readonly queue: Program[] = [];
  runs = 0;
  readonly #rng: Rng;

  constructor(readonly options: ProgramFuzzerOptions) {
    this.#rng = makeRng(options.seed, options.guided ? "programs/guided" : "programs/unguided");
  }

  /** The next program to run: fresh, or (guided) a mutation of a queued one. */
  next(): Program {
    const d = rngDraw(this.#rng);
    const q = this.queue;
    if (!this.options.guided || q.length === 0 || d.int(10) < 2) {
      return generateProgram(d, { requestLayouts: REQUEST_LAYOUTS });
    }
    // Recent finds are mutated more often: they are where the frontier is.
    const parent = d.int(2) === 0
      ? q[q.length - 1 - d.int(Math.min(q.length, 32))]
      : q[d.int(q.length)];
    let p = parent;
    for (let i = 1 + d.int(4); i > 0; i--) p = mutateProgram(d, p, q[d.int(q.length)]);
    return p;
  }

  /**
   * Runs one program and signs a failure from the run's own verdict. The
   * caller decides what a failure is worth (the campaign engine compares its
   * signature with the known ones before investigating it).
   */
  step(
    options: {
      /** Sees every pick of the run's schedule as it is made. */
      record?: (pick: number) => void;
      /**
       * Called with the program, its seed and its strategy before it runs (the watchdog's
       * record: {@linkcode ProgramFuzzer.runOne} runs the same run again from them).
       */
      starting?: (program: Program, seed: number, strategy: PortfolioStrategy) => void;
      /**
       * Told which thread's code is about to run, at which step (the watchdog's record): a run
       * stopped at the run limit names the thread that never yielded, and a stop inside a
       * syscall signs `kernel-hang` (session 29: every program hang was `service-hang`, no
       * thread named, and its case did not reproduce: repro saw the kernel-hang it was).
       */
      watch?: (step: number, tid: number, entry: number) => void;
    } = {},
  ): FuzzStep {
    const program = this.next();
    this.runs++;
    const seed = this.#rng.int(2 ** 31);
    const strategy = this.options.portfolio
      ? PORTFOLIO[this.#rng.int(PORTFOLIO.length)]
      : { kind: "random" as const };
    options.starting?.(program, seed, strategy);
    return this.runOne(program, seed, strategy, options.record, options.watch);
  }

  /**
   * Runs `program` with `seed` under `strategy` (one of {@linkcode ProgramFuzzer.step}'s runs,
   * again: a run is a function of the three) and signs a failure; reached states count as new.
   * `watch` is told where the run stands (a campaign watchdog's record of a hang: without it a
   * program's kernel hang was written as `service-hang` with no thread or step, and its case's
   * replay, which knows it was inside a syscall, did not reproduce it).
   */
  runOne(
    program: Program,
    seed: number,
    strategy: PortfolioStrategy,
    record?: (pick: number) => void,
    watch?: (step: number, tid: number, entry: number) => void,
  ): FuzzStep {
    const base = programStrategy(program, seed, strategy);
    // It only watches: the verdict and the trace hash are the run's without it.
    const counter = new ProgramSometimesMonitor();
    const checks = checksMonitors(this.options.checks);
    const run = runProgram(program, {
      seed,
      makeKernel: this.options.makeKernel,
      monitors: () => [...checks(), counter],
      signatures: true,
      ...(watch !== undefined ? { watch } : {}),
      strategy: record === undefined ? base : {
        name: base.name,
        pick: (c) => {
          const v = base.pick(c);
          record(v);
          return v;
        },
      },
    });
    const fresh: number[] = [];
    for (const s of run.signatures) {
      if (!this.seen.has(s)) {
        this.seen.add(s);
        fresh.push(s);
      }
    }
    if (this.options.guided && fresh.length > 0) {
      this.queue.push(program);
      const max = this.options.maxQueue ?? 4000;
      if (this.queue.length > max) this.queue.splice(this.#rng.int(max >> 1), 1);
    }
    const signature = signProgramVerdict(run.verdict);
    return {
      steps: run.steps,
      failed: signature !== null,
      signature,
      failure: signature === null
        ? null
        : { program, seed, decisions: run.decisions, traceHash: run.traceHash, signature },
      fresh,
      sometimes: counter.hit,
    };
  }
}
