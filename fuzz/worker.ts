/**
 * A campaign worker (a Deno Worker): runs its slice of a shard's run indices
 * until the shared stop flag is set or its runs are done, shrinking each
 * failure with a new signature, and posting progress and findings.
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { PagerService } from "../services/service.ts";
import { withService } from "../scenario/bind.ts";
import type { Scenario } from "../scenario/schema.ts";
import {
  executePlan,
  type Finding,
  generateScenario,
  inShard,
  investigate,
  planRun,
  type RunContext,
} from "./campaign.ts";
import { type CheckerSet, checkersOf } from "../case/kinds.ts";
import { SometimesMonitor } from "./sometimes.ts";
import { zooContext } from "../zoo/registry.ts";
import { wallMs } from "./clock.ts";

/** What the main thread tells a worker. */
export interface WorkerStart {
  readonly seed: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly worker: number;
  readonly workers: number;
  /** Runs of this shard in all (all workers together); null: until stopped. */
  readonly runs: number | null;
  /**
   * Two Int32 slots shared by all workers: [0] non-zero means stop; [1] is the
   * next unclaimed run index (workers take indices one at a time, so a worker
   * that drew cheap runs takes more of them).
   */
  readonly stop: SharedArrayBuffer;
  readonly servicePath: string | null;
  /** Signatures already in the corpus: counted, not shrunk again. */
  readonly known: readonly string[];
  readonly maxShrink: number;
  /** Which checkers judge each run. */
  readonly checkers: CheckerSet;
  /** A zoo bug to run against (zoo/registry.ts): its kernel variant or service; null: none. */
  readonly zoo?: string | null;
}

/** What a worker reports. */
export type WorkerMessage =
  | {
    readonly type: "progress";
    readonly worker: number;
    readonly runs: number;
    readonly steps: number;
    readonly failures: number;
    readonly sometimes: Record<string, number>;
  }
  | { readonly type: "finding"; readonly worker: number; readonly finding: Finding }
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/** Runs one worker's share of a campaign, reporting through `post`. */
export function runWorker(
  start: WorkerStart,
  post: (m: WorkerMessage) => void,
  service: PagerService | null,
): void {
  const stop = new Int32Array(start.stop);
  const zoo = start.zoo ? zooContext(start.zoo) : null;
  const ctx: RunContext = {
    monitors: checkersOf(start.checkers),
    services: service ? { user: service } : zoo?.services,
    makeKernel: zoo?.makeKernel,
  };
  const seen = new Set(start.known);
  const sometimes: Record<string, number> = {};
  let runs = 0, steps = 0, failures = 0, lastPost = wallMs();
  const report = () =>
    post({
      type: "progress",
      worker: start.worker,
      runs,
      steps,
      failures,
      sometimes: { ...sometimes },
    });
  for (;;) {
    if (Atomics.load(stop, 0) !== 0) break;
    const j = Atomics.add(stop, 1, 1);
    if (start.runs !== null && j >= start.runs) break;
    const k = j * start.shard.count + start.shard.index;
    if (!inShard(k, start.shard)) continue;
    const plan = planRun(start.seed, k);
    let scenario: Scenario = generateScenario(plan);
    if (service) scenario = withService(scenario, "user");
    else if (zoo?.serviceName) scenario = withService(scenario, zoo.serviceName);
    const counter = new SometimesMonitor();
    const outcome = executePlan(plan, scenario, {
      ...ctx,
      monitors: () => [...ctx.monitors(), counter],
    });
    runs++;
    steps += outcome.steps;
    for (const h of counter.hit) sometimes[h] = (sometimes[h] ?? 0) + 1;
    if (outcome.verdict.kind !== "pass") {
      failures++;
      const finding = investigate(
        plan,
        scenario,
        outcome,
        ctx,
        start.maxShrink,
        () => Atomics.load(stop, 0) !== 0,
      );
      if (finding === null) {
        post({
          type: "error",
          worker: start.worker,
          message: `run ${k} failed but did not fail again on replay`,
        });
      } else if (!seen.has(finding.signature)) {
        seen.add(finding.signature);
        post({ type: "finding", worker: start.worker, finding });
      }
    }
    if (wallMs() - lastPost > 200) {
      report();
      lastPost = wallMs();
    }
  }
  report();
  post({ type: "done", worker: start.worker });
}

/** Loads a user's service module inside a worker. */
async function loadService(path: string | null): Promise<PagerService | null> {
  if (path === null) return null;
  const mod = await import(pathToFileURL(resolve(path)).href);
  return (mod.default ?? mod.service) as PagerService;
}

// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
if (typeof scope.WorkerGlobalScope !== "undefined" && scope instanceof scope.WorkerGlobalScope) {
  scope.onmessage = async (e: MessageEvent<WorkerStart>) => {
    try {
      const service = await loadService(e.data.servicePath);
      runWorker(e.data, (m) => scope.postMessage(m), service);
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
