/**
 * Program cuts: candidates one step smaller than a syscall program (threads,
 * chunks of calls, single calls, optional trailing arguments (a user buffer:
 * the call without it copies nothing through a mapping), argument values; call references
 * renumbered, references to removed calls left dangling, as an invalid
 * handle), biggest cuts first. The shrink driver (`case/shrink.ts`) tries them.
 *
 * @module
 */

import {
  type Arg,
  CALLS,
  type Program,
  type ProgramCall,
  removeCall,
  removeThread,
} from "./program.ts";

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
      const required = CALLS[calls[c].call].params.length;
      if (calls[c].args.length > required) {
        yield withCall(p, t, c, { ...calls[c], args: calls[c].args.slice(0, required) });
      }
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
