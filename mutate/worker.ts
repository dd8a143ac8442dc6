/**
 * A mutation worker, started from the instrumented copy of the project: it
 * loads the judges once (a static mutant gets a fresh worker with the mutant
 * active before the import), then judges mutants one message at a time.
 *
 * @module
 */

import type { JudgeName } from "./judges.ts";
import { settledIsolateBytes, strykerNs } from "./ns.ts";
import {
  type CoverageReport,
  coverageRun,
  judgeMutant,
  type JudgeOutcome,
  loadProbes,
  type MemoryLimit,
  type ProbeSets,
} from "./probe_run.ts";
// Not instrumented (sim/), so it may load before the judges: the mirror's one instance.
import { clearByteMemo } from "../sim/byte_memo.ts";

export type { JudgeOutcome };

/** Messages to a worker. */
export type ToWorker =
  | {
    type: "init";
    mutants: number;
    staticMutant?: string;
    /**
     * One Int32 the pool sets to end this worker's run (read by `armHitLimit`, mutate/ns.ts): the main
     * thread's `Worker.terminate()` does not stop a worker busy in a loop (Deno 2.9.6: a loop
     * went on 2 s after it, allocating, until the process ran out of memory).
     */
    stop: SharedArrayBuffer;
    /**
     * MiB a mutant's run may grow this worker's own memory by (heap used plus external, live,
     * over what the worker holds once its probes are loaded); past it the run is stopped and
     * its outcome says so (`memoryMiB`). Absent: no limit.
     */
    memoryLimitMiB?: number;
  }
  | { type: "coverage"; judge: JudgeName; ids: readonly string[] }
  | {
    type: "mutant";
    /** The mutant to switch on; "" runs the probes unmutated. */
    id: string;
    judge: JudgeName;
    serviceMutant: boolean;
    serviceExempt: readonly string[];
    /** The probe ids to run, in order (a test step's id selects that step of its test). */
    ids: readonly string[];
  };

/** Messages from a worker. */
export type FromWorker =
  | { type: "ready"; probes: Record<JudgeName, readonly string[]>; staticCoverage: string[] }
  | ({ type: "coverage" } & CoverageReport)
  | { type: "mutant"; id: string; outcome: JudgeOutcome }
  | { type: "error"; message: string };

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

// What the probes print (tests log their figures, explorations their summaries) is not the run's
// output: a worker's console writes to the process's stdout, where `deno task mutate --json`
// prints one JSON document. Verdicts come back as messages; the probes' own lines are dropped.
console.log = console.info = console.debug = () => {};
const root = new URL("../", import.meta.url);
let probes: ProbeSets = { tests: new Map(), campaign: new Map() };

let mutantCount = 0;

/** The pool's stop flag for this worker (set in `init`; see `armHitLimit`). */
let stopFlag = new Int32Array(new SharedArrayBuffer(4));

/** The memory limit of each mutant's run (set in `init`, over the memory the loaded worker holds). */
let memory: MemoryLimit | undefined;

async function handle(m: ToWorker): Promise<void> {
  const ns = strykerNs();
  switch (m.type) {
    case "init": {
      mutantCount = m.mutants;
      stopFlag = new Int32Array(m.stop);
      const loaded = await loadProbes(root, mutantCount, m.staticMutant);
      probes = loaded.probes;
      // What this worker holds with every probe loaded: a run is judged by what it adds.
      if (m.memoryLimitMiB !== undefined) {
        memory = { limitMiB: m.memoryLimitMiB, base: settledIsolateBytes() };
      }
      post({
        type: "ready",
        probes: { tests: [...probes.tests.keys()], campaign: [...probes.campaign.keys()] },
        staticCoverage: loaded.staticCoverage,
      });
      return;
    }
    case "coverage": {
      post({ type: "coverage", ...await coverageRun(probes, m.judge, m.ids, mutantCount) });
      return;
    }
    case "mutant": {
      // The id "" runs the probes unmutated (a time limit's calibration).
      // The byte memo holds what its makers made under the mutant before: none of it may
      // reach another mutant, nor hide a mutated maker from its own mutant (sim/byte_memo.ts).
      clearByteMemo();
      ns.activeMutant = m.id === "" ? undefined : Number(m.id);
      try {
        const outcome = await judgeMutant(
          probes,
          m.judge,
          m.ids,
          m.serviceMutant,
          new Set(m.serviceExempt),
          stopFlag,
          memory,
        );
        post({ type: "mutant", id: m.id, outcome });
      } finally {
        ns.activeMutant = undefined;
        clearByteMemo();
      }
      return;
    }
  }
}

(self as unknown as Worker).onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err) => {
    post({ type: "error", message: err instanceof Error ? err.stack ?? err.message : String(err) });
  });
};
