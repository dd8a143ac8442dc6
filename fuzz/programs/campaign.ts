/**
 * A program-fuzzing loop, AFL-style: each iteration runs either a fresh
 * random program or a mutation of one from the queue, and a program whose
 * run reached an abstract kernel state never seen before joins the queue.
 * Unguided mode runs fresh programs only (the baseline guidance must beat).
 * A failing run is replayed with its trace, signed, deduped, and shrunk.
 *
 * @module
 */

import type { Kernel, KernelOptions } from "../../kernel/kernel.ts";
import { makeRng, type Rng } from "../../sim/rng.ts";
import type { Monitor, Verdict } from "../../sim/world.ts";
import { generalize, signatureOf } from "../signature.ts";
import { generateProgram, mutateProgram, rngDraw } from "../../program/generate.ts";
import { callCount, type Program } from "../../program/program.ts";
import { CONTRACT, LIFETIME, programMonitors, runProgram } from "../../program/run.ts";
import { type ProgramCase, shrinkProgram } from "../../case/shrink.ts";

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
}

/** The dedupe signature of a failing program run; null if it passes. */
export function programSignature(
  c: ProgramCase,
  seed: number,
  ctx: ProgramRunContext,
): string | null {
  const run = runProgram(c.program, {
    seed,
    decisions: c.decisions,
    makeKernel: ctx.makeKernel,
    monitors: checksMonitors(ctx.checks),
    keepTrace: true,
  });
  const base = signatureOf(run.verdict, run);
  if (base === null) return null;
  const v = run.verdict;
  // The program's own oracles name the broken promise in the message: keep its shape.
  if (v.kind === "invariant" && (v.invariant === CONTRACT || v.invariant === LIFETIME)) {
    return `${base}:${generalize(v.message.replace(/^t\d+#\d+ /, "")).slice(0, 90)}`;
  }
  return base;
}

/** A failure, shrunk and ready to become a corpus case. */
export interface ProgramFinding {
  readonly signature: string;
  /** Iteration of the loop that found it. */
  readonly run: number;
  readonly seed: number;
  readonly program: Program;
  readonly decisions: readonly number[];
  readonly verdict: Verdict;
  readonly traceHash: string;
  readonly originalCalls: number;
  readonly shrunkCalls: number;
  readonly shrinkAttempts: number;
}

/** Replays a failing program with its trace, signs it and shrinks it. */
export function investigateProgram(
  program: Program,
  seed: number,
  decisions: readonly number[],
  run: number,
  ctx: ProgramRunContext,
  maxAttempts = 2000,
  abort?: () => boolean,
): ProgramFinding | null {
  const signature = programSignature({ program, decisions }, seed, ctx);
  if (signature === null) return null;
  const shrunk = shrinkProgram({ program, decisions }, {
    fails: (c) => programSignature(c, seed, ctx) === signature,
    maxAttempts,
    abort,
  });
  // The complete decision list of the final run, so replay never needs the fallback seed.
  const final = runProgram(shrunk.case.program, {
    seed,
    decisions: shrunk.case.decisions,
    makeKernel: ctx.makeKernel,
    monitors: checksMonitors(ctx.checks),
  });
  return {
    signature,
    run,
    seed,
    program: shrunk.case.program,
    decisions: final.decisions,
    verdict: final.verdict,
    traceHash: final.traceHash,
    originalCalls: callCount(program),
    shrunkCalls: callCount(shrunk.case.program),
    shrinkAttempts: shrunk.attempts,
  };
}

/** Options of a {@linkcode ProgramFuzzer}. */
export interface ProgramFuzzerOptions extends ProgramRunContext {
  readonly seed: number | string;
  /** Keep novel programs and mutate them (false: fresh random programs only). */
  readonly guided: boolean;
  /** Signatures already known (the corpus): counted, not shrunk again. */
  readonly known?: Iterable<string>;
  /** Shrink attempts per new failure. Default 2000. */
  readonly maxShrink?: number;
  /** Most programs kept in the queue. Default 4000. */
  readonly maxQueue?: number;
}

/** What one iteration did. */
export interface FuzzStep {
  readonly steps: number;
  readonly failed: boolean;
  /** State signatures this run reached that no earlier run had. */
  readonly fresh: readonly number[];
  readonly finding: ProgramFinding | null;
}

/** The fuzzing loop, one iteration at a time (so callers own budgets and stop flags). */
export class ProgramFuzzer {
  /** Every abstract state signature reached so far. */
  readonly seen = new Set<number>();
  /** Programs that reached something new, to mutate. */
  readonly queue: Program[] = [];
  /** Failure signatures found or known. */
  readonly failures: Set<string>;
  runs = 0;
  readonly #rng: Rng;

  constructor(readonly options: ProgramFuzzerOptions) {
    this.#rng = makeRng(options.seed, options.guided ? "programs/guided" : "programs/unguided");
    this.failures = new Set(options.known ?? []);
  }

  /** The next program to run: fresh, or (guided) a mutation of a queued one. */
  next(): Program {
    const d = rngDraw(this.#rng);
    const q = this.queue;
    if (!this.options.guided || q.length === 0 || d.int(10) < 2) return generateProgram(d);
    // Recent finds are mutated more often: they are where the frontier is.
    const parent = d.int(2) === 0
      ? q[q.length - 1 - d.int(Math.min(q.length, 32))]
      : q[d.int(q.length)];
    let p = parent;
    for (let i = 1 + d.int(4); i > 0; i--) p = mutateProgram(d, p, q[d.int(q.length)]);
    return p;
  }

  /** Runs one program; a new failure is investigated (signed and shrunk). */
  step(abort?: () => boolean): FuzzStep {
    const program = this.next();
    const k = this.runs++;
    const seed = this.#rng.int(2 ** 31);
    const run = runProgram(program, {
      seed,
      makeKernel: this.options.makeKernel,
      monitors: checksMonitors(this.options.checks),
      signatures: true,
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
    const failed = run.verdict.kind !== "pass";
    let finding: ProgramFinding | null = null;
    if (failed) {
      const f = investigateProgram(
        program,
        seed,
        run.decisions,
        k,
        this.options,
        this.options.maxShrink ?? 2000,
        abort,
      );
      if (f !== null && !this.failures.has(f.signature)) {
        this.failures.add(f.signature);
        finding = f;
      }
    }
    return { steps: run.steps, failed, fresh, finding };
  }
}
