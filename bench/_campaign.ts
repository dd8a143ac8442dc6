/**
 * A fixed campaign for throughput measurement: the same runs on 1 or 2
 * workers, nothing written.
 *
 * @module
 */

import { runCampaign } from "../fuzz/orchestrate.ts";

/**
 * Runs `runs` campaign runs on `workers` workers (with a user service module,
 * if given); returns steady-state runs/s (start-up excluded) and the failing runs.
 */
export async function campaignThroughput(
  workers: number,
  runs: number,
  servicePath: string | null = null,
  seed = 7,
): Promise<{ runsPerSecond: number; failingRuns: number; runs: number }> {
  const s = await runCampaign({
    seed,
    shard: { index: 0, count: 1 },
    workers,
    seconds: null,
    runs,
    servicePath,
    known: [],
    maxShrink: 2000,
    checkers: servicePath === null ? "kernel" : "kernel+service",
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  return { runsPerSecond: s.steadyRunsPerSecond, failingRuns: s.failingRuns, runs: s.runs };
}

/** Runs `runs` campaign runs on `workers` workers; returns steady-state runs/s (start-up excluded). */
export async function campaignRunsPerSecond(
  workers: number,
  runs: number,
  seed = 7,
): Promise<number> {
  return (await campaignThroughput(workers, runs, null, seed)).runsPerSecond;
}
