/**
 * A fixed campaign for throughput measurement: the same runs on 1 or 2
 * workers, nothing written.
 *
 * @module
 */

import { runCampaign } from "../fuzz/orchestrate.ts";

/** Runs `runs` campaign runs on `workers` workers; returns steady-state runs/s (start-up excluded). */
export async function campaignRunsPerSecond(
  workers: number,
  runs: number,
  seed = 7,
): Promise<number> {
  const s = await runCampaign({
    seed,
    shard: { index: 0, count: 1 },
    workers,
    seconds: null,
    runs,
    servicePath: null,
    known: [],
    maxShrink: 0,
    checkers: "kernel",
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  return s.steadyRunsPerSecond;
}
