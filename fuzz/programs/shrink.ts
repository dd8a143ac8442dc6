/**
 * Shrinking a failing program: greedy, deterministic delta debugging over
 * threads, chunks of calls, single calls and argument values (call
 * references renumbered, references to removed calls left dangling, as an
 * invalid handle), then over the decision list. A candidate is kept only if
 * it still fails with the same signature.
 *
 * @module
 */

import { decisionCuts } from "../shrink.ts";
import {
  type Arg,
  type Program,
  type ProgramCall,
  removeCall,
  removeThread,
} from "../../program/program.ts";

/** A failing run's input: the program and the decision list that drives it. */
export interface ProgramCase {
  readonly program: Program;
  readonly decisions: readonly number[];
}

/** Options of {@linkcode shrinkProgram}. */
export interface ProgramShrinkOptions {
  /** Still failing the same way? (Replays the candidate.) */
  readonly fails: (c: ProgramCase) => boolean;
  /** Most candidate runs. Default 2000. */
  readonly maxAttempts?: number;
  /** Stop early; the case shrunk so far is kept. */
  readonly abort?: () => boolean;
}

/** What shrinking did. */
export interface ProgramShrinkResult {
  readonly case: ProgramCase;
  readonly attempts: number;
  readonly accepted: number;
}

function simpler(a: Arg): Arg[] {
  if (typeof a === "number") return a === 0 ? [] : [0];
  if ("after" in a) return a.after === 0 ? [] : [{ after: 0 }];
  if ("bytes" in a) return a.bytes <= 1 ? [] : [{ bytes: 1, fill: a.fill }];
  if ("addr" in a) return a.plus === 0 ? [] : [{ ...a, plus: 0 }];
  // A packet field becomes a literal, so the port_wait that made it can go.
  if ("pkt" in a) return [0, 64, 4096];
  return [];
}

function withCall(p: Program, t: number, c: number, call: ProgramCall): Program {
  return {
    ...p,
    threads: p.threads.map((th, i) =>
      i === t ? { ...th, calls: th.calls.map((x, j) => (j === c ? call : x)) } : th
    ),
  };
}

/** Program candidates one cut smaller than `p`, biggest cuts first. */
export function* programCuts(p: Program): Generator<Program> {
  if (p.threads.length > 1) {
    for (let t = p.threads.length - 1; t >= 0; t--) yield removeThread(p, t);
  }
  for (let t = 0; t < p.threads.length; t++) {
    const n = p.threads[t].calls.length;
    for (let size = Math.max(1, n >> 1); size >= 1; size >>= 1) {
      for (let start = n - size; start >= 0; start -= size) yield removeCall(p, t, start, size);
    }
  }
  if (p.overtimeTicks !== 0) yield { ...p, overtimeTicks: 0 };
  for (let t = 0; t < p.threads.length; t++) {
    if (p.threads[t].failInsteadOfBlock) {
      yield {
        ...p,
        threads: p.threads.map((th, i) => (i === t ? { ...th, failInsteadOfBlock: false } : th)),
      };
    }
  }
  for (let t = 0; t < p.threads.length; t++) {
    const calls = p.threads[t].calls;
    for (let c = 0; c < calls.length; c++) {
      for (let i = 0; i < calls[c].args.length; i++) {
        for (const s of simpler(calls[c].args[i])) {
          yield withCall(p, t, c, {
            ...calls[c],
            args: calls[c].args.map((a, j) => (j === i ? s : a)),
          });
        }
      }
    }
  }
}

/**
 * Shrinks a failing program until no single cut keeps it failing (or the
 * attempt budget runs out): program cuts first, then decision cuts.
 */
export function shrinkProgram(
  start: ProgramCase,
  options: ProgramShrinkOptions,
): ProgramShrinkResult {
  const max = options.maxAttempts ?? 2000;
  let current = start;
  let attempts = 0;
  let accepted = 0;
  const tryCase = (c: ProgramCase): boolean => {
    if (options.abort?.()) {
      attempts = max;
      return false;
    }
    attempts++;
    return options.fails(c);
  };
  let progress = true;
  while (progress && attempts < max) {
    progress = false;
    for (const program of programCuts(current.program)) {
      if (attempts >= max) break;
      const c = { program, decisions: current.decisions };
      if (tryCase(c)) {
        current = c;
        accepted++;
        progress = true;
        break;
      }
    }
    if (progress) continue;
    for (const decisions of decisionCuts(current.decisions)) {
      if (attempts >= max) break;
      const c = { program: current.program, decisions };
      if (tryCase(c)) {
        current = c;
        accepted++;
        progress = true;
        break;
      }
    }
  }
  return { case: current, attempts, accepted };
}
