/**
 * The bench's campaign runs (seed 7, kernel checkers, no user service) as a campaign worker makes
 * them (`fuzz/engine.ts` `ScenarioRunner`), from the checkout at `root` (this one, or another
 * worktree to measure beside it): what `tools/campaign_ab.ts` and `tools/campaign_profile.ts`
 * run. Also the process's CPU seconds, the clock both read (other processes' load stays out).
 *
 * @module
 */
import process from "node:process";
import type * as Engine from "../fuzz/engine.ts";
import type * as Registry from "../zoo/registry.ts";

/** A checkout's `ScenarioRunner` for the bench's campaign, and the record its runs write. */
export interface BenchRunner {
  readonly runner: Engine.ScenarioRunner;
  readonly record: Engine.RunRecord;
}

/** The bench's campaign runner of the checkout at `root` (its modules, not this one's). */
export async function benchRunner(root: URL): Promise<BenchRunner> {
  const engine: typeof Engine = await import(new URL("fuzz/engine.ts", root).href);
  const registry: typeof Registry = await import(new URL("zoo/registry.ts", root).href);
  const start = {
    kind: "scenarios",
    seed: 7,
    shard: { index: 0, count: 1 },
    worker: 0,
    generation: 0,
    runs: null,
    control: new SharedArrayBuffer(64),
    signatures: new SharedArrayBuffer(engine.SIGNATURE_SLOTS * 8),
    record: new SharedArrayBuffer(4),
    maxShrink: 0,
    servicePath: null,
    kernelPath: null,
    bug: null,
    checkers: "kernel",
    guided: false,
    meta: {} as Engine.WorkerStart["meta"],
  } as Engine.WorkerStart;
  const runner = new engine.ScenarioRunner(start, {
    service: null,
    makeKernel: undefined,
    services: { ...registry.NAMED_SERVICES },
    serviceName: null,
    beat: () => {},
  });
  return { runner, record: engine.RunRecord.create() };
}

/** This process's user + system CPU seconds. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
