/**
 * Runs a campaign on N Deno workers: starts them, shows progress, stops them
 * at the budget or on SIGINT, dedupes findings by signature (the lowest run
 * index wins, so the corpus does not depend on which worker was faster), and
 * hands each new finding to `persist` as soon as it arrives.
 *
 * @module
 */

import type { Finding } from "./campaign.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { CheckerSet } from "../case/kinds.ts";
import { Stopwatch } from "./clock.ts";
import { campaignReplayCommand, replayCommand } from "../case/envelope.ts";
import { SOMETIMES } from "./sometimes.ts";
import { type PoolMessage, runWorkers } from "./_worker_pool.ts";
import type { WorkerMessage, WorkerStart } from "./worker.ts";

/** A campaign's settings. */
export interface CampaignOptions {
  /** Campaign seed: run `k` of seed `S` is the same run on every machine. */
  readonly seed: number;
  /** This shard of the campaign: it runs the indices `k` with `k mod count === index`. */
  readonly shard: { readonly index: number; readonly count: number };
  /** Deno workers running this shard's runs in parallel. */
  readonly workers: number;
  /** Wall-clock budget; null: none. */
  readonly seconds: number | null;
  /** Runs of this shard; null: none. */
  readonly runs: number | null;
  /** Module of a user pager service to run instead of the reference services; null: none. */
  readonly servicePath: string | null;
  /** Signatures already in the corpus: counted, not shrunk or persisted again. */
  readonly known: readonly string[];
  /** Most candidate runs the shrinker tries per finding. */
  readonly maxShrink: number;
  /** Which checkers judge each run. */
  readonly checkers: CheckerSet;
  /** A zoo bug to run against (zoo/registry.ts); null or absent: none. */
  readonly zoo?: string | null;
  /** Stop once this many distinct failures were found; absent: run to the budget. */
  readonly stopAfterFindings?: number;
  /** Write one finding to the corpus; returns where it went. */
  readonly persist: (finding: Finding) => Promise<string>;
  /** Progress sink: a line to show (TTY: overwritten in place). */
  readonly progress: (line: string, final: boolean) => void;
  /** Progress interval in seconds. */
  readonly progressEvery: number;
}

/** What a campaign did. */
export interface CampaignSummary {
  /** Campaign seed. */
  readonly seed: number;
  /** The shard as `index/count`. */
  readonly shard: string;
  /** Workers used. */
  readonly workers: number;
  /** Runs completed by all workers. */
  readonly runs: number;
  /** Scheduler steps over all runs. */
  readonly steps: number;
  /** Wall-clock duration. */
  readonly seconds: number;
  /** Throughput: runs per wall-clock second, worker start-up included. */
  readonly runsPerSecond: number;
  /** Throughput once every worker was running (start-up excluded). */
  readonly steadyRunsPerSecond: number;
  /** Failing runs, including repeats of known signatures. */
  readonly failingRuns: number;
  /**
   * New findings by run index: signature, run `k`, corpus file, shrunk decision
   * count and the decision count it was shrunk from.
   */
  readonly findings: readonly {
    signature: string;
    k: number;
    file: string;
    /** The command that replays it: its case file, or (not written) its campaign run. */
    replay: string;
    decisions: number;
    shrunkFrom: number;
    /** Case size (threads + operations + events + decisions) before and after shrinking. */
    size: { from: number; to: number };
  }[];
  /** Runs that reached each "sometimes" interleaving, by name. */
  readonly sometimes: Readonly<Record<string, number>>;
  /** "Sometimes" interleavings no run reached. */
  readonly neverReached: readonly string[];
  /** True when SIGINT stopped the campaign before its budget. */
  readonly interrupted: boolean;
  /** Worker crashes, unreproducible failures and corpus write errors. */
  readonly errors: readonly string[];
  /** Process resident memory (MiB) sampled over the campaign: first, largest, last. */
  readonly rssMiB: {
    readonly first: number;
    readonly max: number;
    readonly last: number;
    readonly samples: number;
  };
}

/** Threads, operations and events of a scenario: with its decisions, the size shrinking reduces. */
export function caseSize(s: Scenario): number {
  return s.threads.length + s.threads.reduce((n, t) => n + t.ops.length, 0) + s.events.length;
}

/**
 * Runs a campaign to its budget (or until interrupted) and summarizes it.
 *
 * @example
 * ```ts
 * import { runCampaign } from "./orchestrate.ts";
 * const summary = await runCampaign({
 *   seed: 1,
 *   shard: { index: 0, count: 1 },
 *   workers: 1,
 *   seconds: null,
 *   runs: 3,
 *   servicePath: null,
 *   known: [],
 *   maxShrink: 10,
 *   checkers: "kernel",
 *   persist: () => Promise.resolve("(not written)"),
 *   progress: () => {},
 *   progressEvery: 60,
 * });
 * console.assert(summary.runs === 3);
 * ```
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const clock = new Stopwatch();
  const stop = new SharedArrayBuffer(8); // [stop flag, next run index]
  const stopFlag = new Int32Array(stop);
  const perWorker = new Map<number, Extract<WorkerMessage, { type: "progress" }>>();
  const best = new Map<string, Finding>();
  const files = new Map<string, string>();
  const errors: string[] = [];
  const writes: Promise<void>[] = [];
  let interrupted = false;
  /** When every worker had reported once: start-up is over from here. */
  let warm: { seconds: number; runs: number } | null = null;

  const onSigint = () => {
    interrupted = true;
    Atomics.store(stopFlag, 0, 1);
  };
  Deno.addSignalListener("SIGINT", onSigint);

  const totals = () => {
    let runs = 0, steps = 0, failures = 0;
    const sometimes: Record<string, number> = {};
    for (const p of perWorker.values()) {
      runs += p.runs;
      steps += p.steps;
      failures += p.failures;
      for (const [k, v] of Object.entries(p.sometimes)) sometimes[k] = (sometimes[k] ?? 0) + v;
    }
    return { runs, steps, failures, sometimes };
  };
  const line = () => {
    const t = totals();
    const elapsed = clock.seconds;
    const left = options.seconds !== null
      ? ` left ${Math.max(0, options.seconds - elapsed).toFixed(0)}s`
      : "";
    const runsLeft = options.runs !== null ? ` of ${options.runs}` : "";
    return `runs ${t.runs}${runsLeft}  ${(t.runs / Math.max(elapsed, 1e-3)).toFixed(0)} runs/s  ` +
      `failing runs ${t.failures}  distinct ${best.size}  elapsed ${
        elapsed.toFixed(0)
      }s${left}  rss ${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`;
  };

  const onMessage = (m: Exclude<WorkerMessage, PoolMessage>) => {
    if (m.type === "progress") {
      perWorker.set(m.worker, m);
      if (warm === null && perWorker.size === options.workers) {
        warm = { seconds: clock.seconds, runs: totals().runs };
      }
      return;
    }
    const prev = best.get(m.finding.signature);
    if (prev !== undefined && m.finding.k >= prev.k) return; // the lowest run index wins
    best.set(m.finding.signature, m.finding);
    if (best.size >= (options.stopAfterFindings ?? Infinity)) Atomics.store(stopFlag, 0, 1);
    writes.push(
      options.persist(m.finding).then(
        (file) => void files.set(m.finding.signature, file),
        (err) => void errors.push(`writing ${m.finding.signature}: ${(err as Error).message}`),
      ),
    );
  };
  const finished = runWorkers(
    new URL("./worker.ts", import.meta.url),
    options.workers,
    (w): WorkerStart => ({
      seed: options.seed,
      shard: options.shard,
      worker: w,
      workers: options.workers,
      runs: options.runs,
      stop,
      servicePath: options.servicePath,
      known: options.known,
      maxShrink: options.maxShrink,
      checkers: options.checkers,
      zoo: options.zoo ?? null,
    }),
    onMessage,
    errors,
  );

  const budget = setInterval(() => {
    if (options.seconds !== null && clock.seconds >= options.seconds) Atomics.store(stopFlag, 0, 1);
  }, 50);
  const rss: number[] = [];
  const sampleRss = () => rss.push(Deno.memoryUsage().rss / 2 ** 20);
  sampleRss();
  const ticker = setInterval(() => {
    sampleRss();
    options.progress(line(), false);
  }, options.progressEvery * 1000);
  await finished;
  clearInterval(budget);
  clearInterval(ticker);
  await Promise.all(writes);
  Deno.removeSignalListener("SIGINT", onSigint);

  const t = totals();
  sampleRss();
  options.progress(line(), true);
  const seconds = clock.seconds;
  const warmed = warm as { seconds: number; runs: number } | null; // set in a worker callback
  return {
    seed: options.seed,
    shard: `${options.shard.index}/${options.shard.count}`,
    workers: options.workers,
    runs: t.runs,
    steps: t.steps,
    seconds,
    runsPerSecond: t.runs / Math.max(seconds, 1e-3),
    steadyRunsPerSecond: warmed !== null && seconds - warmed.seconds > 0.5
      ? (t.runs - warmed.runs) / (seconds - warmed.seconds)
      : t.runs / Math.max(seconds, 1e-3),
    failingRuns: t.failures,
    findings: [...best.values()].sort((a, b) => a.k - b.k).map((f) => ({
      signature: f.signature,
      k: f.k,
      file: files.get(f.signature) ?? "(not written)",
      replay: files.has(f.signature)
        ? replayCommand(files.get(f.signature) as string)
        : campaignReplayCommand({
          seed: options.seed,
          run: f.k,
          service: options.servicePath,
          bug: options.zoo,
          checkers: options.checkers,
        }),
      decisions: f.shrunk.decisions.length,
      shrunkFrom: f.original.decisions,
      size: {
        from: f.original.threads + f.original.ops + f.original.events + f.original.decisions,
        to: caseSize(f.shrunk.scenario) + f.shrunk.decisions.length,
      },
    })),
    sometimes: t.sometimes,
    neverReached: Object.keys(SOMETIMES).filter((k) => !(t.sometimes[k] > 0)),
    interrupted,
    errors,
    rssMiB: {
      first: rss[0],
      max: Math.max(...rss),
      last: rss[rss.length - 1],
      samples: rss.length,
    },
  };
}
