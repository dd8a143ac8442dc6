/**
 * Runs a program campaign on N Deno workers: starts them, merges the state
 * signatures they reach (so "distinct signatures" counts the union), records
 * how that count grows over time, stops at the budget or on SIGINT, dedupes
 * findings by signature (the lowest worker, then run, wins) and hands each
 * new one to `persist`.
 *
 * @module
 */

import { Stopwatch } from "../clock.ts";
import { type PoolMessage, runWorkers } from "../_worker_pool.ts";
import type { ProgramChecks, ProgramFinding } from "./campaign.ts";
import type { ProgramWorkerMessage, ProgramWorkerStart } from "./worker.ts";

/** Seconds at which the summary reports the distinct-signature count. */
export const CHECKPOINTS: readonly number[] = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** A program campaign's settings. */
export interface ProgramCampaignOptions {
  readonly seed: number;
  readonly workers: number;
  /** Wall-clock budget; null: none. */
  readonly seconds: number | null;
  /** Runs per worker; null: none. */
  readonly runs: number | null;
  readonly known: readonly string[];
  readonly maxShrink: number;
  /** Novelty-guided (default) or fresh random programs only. */
  readonly guided: boolean;
  readonly checks: ProgramChecks;
  /** A kernel mutant by name (null: the model as specified). */
  readonly mutant: string | null;
  /** Write one finding to the corpus; returns where it went. */
  readonly persist: (finding: ProgramFinding) => Promise<string>;
  /** Progress sink: a line to show. */
  readonly progress: (line: string, final: boolean) => void;
  /** Progress interval in seconds. */
  readonly progressEvery: number;
}

/** One point of the signature timeline. */
export interface TimelinePoint {
  readonly seconds: number;
  readonly signatures: number;
  readonly runs: number;
}

/** What a program campaign did. */
export interface ProgramCampaignSummary {
  readonly seed: number;
  readonly workers: number;
  readonly guided: boolean;
  readonly checks: ProgramChecks;
  readonly mutant: string | null;
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly runsPerSecond: number;
  readonly failingRuns: number;
  /** Distinct abstract kernel states reached (union over workers). */
  readonly signatures: number;
  /** Distinct signatures at each checkpoint reached, then at the end. */
  readonly timeline: readonly TimelinePoint[];
  readonly findings: readonly {
    signature: string;
    file: string;
    calls: number;
    shrunkFrom: number;
  }[];
  readonly interrupted: boolean;
  readonly errors: readonly string[];
}

/** Runs a program campaign to its budget (or until interrupted) and summarizes it. */
export async function runProgramCampaign(
  options: ProgramCampaignOptions,
): Promise<ProgramCampaignSummary> {
  const clock = new Stopwatch();
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const perWorker = new Map<number, { runs: number; steps: number; failures: number }>();
  const seen = new Set<number>();
  const best = new Map<string, { finding: ProgramFinding; worker: number }>();
  const files = new Map<string, string>();
  const errors: string[] = [];
  const writes: Promise<void>[] = [];
  const timeline: TimelinePoint[] = [];
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    Atomics.store(stopFlag, 0, 1);
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const totals = () => {
    let runs = 0, steps = 0, failures = 0;
    for (const p of perWorker.values()) {
      runs += p.runs;
      steps += p.steps;
      failures += p.failures;
    }
    return { runs, steps, failures };
  };
  const line = () => {
    const t = totals();
    const s = clock.seconds;
    const left = options.seconds !== null
      ? ` left ${Math.max(0, options.seconds - s).toFixed(0)}s`
      : "";
    return `runs ${t.runs}  ${
      (t.runs / Math.max(s, 1e-3)).toFixed(0)
    } runs/s  signatures ${seen.size}  ` +
      `failing runs ${t.failures}  distinct ${best.size}  elapsed ${s.toFixed(0)}s${left}`;
  };
  const finished = runWorkers(
    new URL("./worker.ts", import.meta.url),
    options.workers,
    (w): ProgramWorkerStart => ({
      seed: options.seed,
      worker: w,
      runs: options.runs,
      stop,
      known: options.known,
      maxShrink: options.maxShrink,
      guided: options.guided,
      checks: options.checks,
      mutant: options.mutant,
    }),
    (m: Exclude<ProgramWorkerMessage, PoolMessage>) => {
      if (m.type === "progress") {
        perWorker.set(m.worker, m);
        for (const x of m.fresh) seen.add(x);
        return;
      }
      const prev = best.get(m.finding.signature);
      const better = prev === undefined || m.worker < prev.worker ||
        (m.worker === prev.worker && m.finding.run < prev.finding.run);
      if (!better) return;
      best.set(m.finding.signature, { finding: m.finding, worker: m.worker });
      writes.push(
        options.persist(m.finding).then(
          (file) => void files.set(m.finding.signature, file),
          (err) => void errors.push(`writing ${m.finding.signature}: ${(err as Error).message}`),
        ),
      );
    },
    errors,
  );
  let next = 0;
  const sample = setInterval(() => {
    const s = clock.seconds;
    if (options.seconds !== null && s >= options.seconds) Atomics.store(stopFlag, 0, 1);
    while (next < CHECKPOINTS.length && s >= CHECKPOINTS[next]) {
      timeline.push({ seconds: CHECKPOINTS[next++], signatures: seen.size, runs: totals().runs });
    }
  }, 50);
  const ticker = setInterval(() => options.progress(line(), false), options.progressEvery * 1000);
  await finished;
  clearInterval(sample);
  clearInterval(ticker);
  await Promise.all(writes);
  Deno.removeSignalListener("SIGINT", onSigint);
  const t = totals();
  const seconds = clock.seconds;
  timeline.push({ seconds: Math.round(seconds * 10) / 10, signatures: seen.size, runs: t.runs });
  options.progress(line(), true);
  return {
    seed: options.seed,
    workers: options.workers,
    guided: options.guided,
    checks: options.checks,
    mutant: options.mutant,
    runs: t.runs,
    steps: t.steps,
    seconds,
    runsPerSecond: t.runs / Math.max(seconds, 1e-3),
    failingRuns: t.failures,
    signatures: seen.size,
    timeline,
    findings: [...best.values()].map(({ finding: f }) => ({
      signature: f.signature,
      file: files.get(f.signature) ?? "(not written)",
      calls: f.shrunkCalls,
      shrunkFrom: f.originalCalls,
    })),
    interrupted,
    errors,
  };
}

/** The summary as plain text lines. */
export function programSummaryText(s: ProgramCampaignSummary): string {
  const lines = [
    `program campaign seed ${s.seed}, ${s.workers} workers, ${
      s.guided ? "novelty-guided" : "unguided"
    }, ` +
    `checks ${s.checks}${s.mutant ? `, mutant ${s.mutant}` : ""}${
      s.interrupted ? " (interrupted)" : ""
    }`,
    `runs ${s.runs} in ${s.seconds.toFixed(1)}s (${
      s.runsPerSecond.toFixed(0)
    } runs/s), ${s.steps} steps`,
    `distinct kernel-state signatures ${s.signatures}`,
    `signatures over time: ${
      s.timeline.map((p) => `${p.seconds}s ${p.signatures} (${p.runs} runs)`).join(", ")
    }`,
    `failing runs ${s.failingRuns}, new distinct failures ${s.findings.length}`,
  ];
  for (const f of s.findings) {
    lines.push(`  ${f.signature}`);
    lines.push(`    shrunk to ${f.calls} calls (from ${f.shrunkFrom}): ${f.file}`);
  }
  for (const e of s.errors) lines.push(`error: ${e}`);
  return lines.join("\n");
}
