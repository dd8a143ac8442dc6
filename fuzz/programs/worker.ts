/**
 * A program-campaign worker (a Deno Worker): runs its own guided (or
 * unguided) fuzzing loop, seeded by the campaign seed and its worker index,
 * until the shared stop flag is set or its runs are done, and posts
 * progress (with the state signatures it reached first), and findings.
 *
 * @module
 */

import { wallMs } from "../clock.ts";
import { type ProgramChecks, type ProgramFinding, ProgramFuzzer } from "./campaign.ts";
import { MUTANTS } from "../../zoo/mutants.ts";

/** What the main thread tells a worker. */
export interface ProgramWorkerStart {
  readonly seed: number;
  readonly worker: number;
  /** Runs of this worker; null: until stopped. */
  readonly runs: number | null;
  /** Int32Array over a SharedArrayBuffer; non-zero means stop. */
  readonly stop: SharedArrayBuffer;
  /** Signatures already in the corpus: counted, not shrunk again. */
  readonly known: readonly string[];
  readonly maxShrink: number;
  readonly guided: boolean;
  readonly checks: ProgramChecks;
  /** A kernel mutant from {@linkcode MUTANTS} to fuzz instead of the model (null: the model). */
  readonly mutant: string | null;
}

/** What a worker reports. */
export type ProgramWorkerMessage =
  | {
    readonly type: "progress";
    readonly worker: number;
    readonly runs: number;
    readonly steps: number;
    readonly failures: number;
    /** State signatures this worker reached since its last progress message. */
    readonly fresh: number[];
  }
  | { readonly type: "finding"; readonly worker: number; readonly finding: ProgramFinding }
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/** Runs one worker's fuzzing loop, reporting through `post`. */
export function runProgramWorker(
  start: ProgramWorkerStart,
  post: (m: ProgramWorkerMessage) => void,
): void {
  const stop = new Int32Array(start.stop);
  const fuzzer = new ProgramFuzzer({
    seed: `${start.seed}/w${start.worker}`,
    guided: start.guided,
    checks: start.checks,
    makeKernel: start.mutant === null ? undefined : MUTANTS[start.mutant],
    known: start.known,
    maxShrink: start.maxShrink,
  });
  let steps = 0, failures = 0, lastPost = wallMs();
  let fresh: number[] = [];
  const report = () => {
    post({ type: "progress", worker: start.worker, runs: fuzzer.runs, steps, failures, fresh });
    fresh = [];
  };
  while (start.runs === null || fuzzer.runs < start.runs) {
    if (Atomics.load(stop, 0) !== 0) break;
    const s = fuzzer.step(() => Atomics.load(stop, 0) !== 0);
    steps += s.steps;
    if (s.failed) failures++;
    for (const x of s.fresh) fresh.push(x);
    if (s.finding !== null) post({ type: "finding", worker: start.worker, finding: s.finding });
    if (wallMs() - lastPost > 250) {
      report();
      lastPost = wallMs();
    }
  }
  report();
  post({ type: "done", worker: start.worker });
}

// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
if (typeof scope.WorkerGlobalScope !== "undefined" && scope instanceof scope.WorkerGlobalScope) {
  scope.onmessage = (e: MessageEvent<ProgramWorkerStart>) => {
    try {
      runProgramWorker(e.data, (m) => scope.postMessage(m));
    } catch (err) {
      scope.postMessage({
        type: "error",
        worker: e.data.worker,
        message: String((err as Error)?.stack ?? err),
      });
      scope.postMessage({ type: "done", worker: e.data.worker });
    }
  };
}
