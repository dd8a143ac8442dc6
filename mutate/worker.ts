/**
 * A mutation worker, started from the instrumented copy of the project: it
 * loads the judges once (a static mutant gets a fresh worker with the mutant
 * active before the import), then judges mutants one message at a time.
 *
 * @module
 */

import type { JudgeName, Probe, ProbeResult } from "./judges.ts";
import { armHitLimit, disarmHitLimit, HIT_LIMIT, strykerNs } from "./ns.ts";
// Not instrumented (sim/), so it may load before the judges: the mirror's one instance.
import { clearByteMemo } from "../sim/byte_memo.ts";

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

/** One judge's verdict on a mutant. */
export interface JudgeOutcome {
  /** `null`: survived; else the first failing probe and why. */
  readonly killedBy: { readonly probe: string; readonly reason: string } | null;
  /** Probes run. */
  readonly ran: number;
  /** Wall milliseconds. */
  readonly ms: number;
  /** The killing probe reached the mutant more than {@linkcode HIT_LIMIT} times. */
  readonly hitLimit?: boolean;
}

/** Messages from a worker. */
export type FromWorker =
  | { type: "ready"; probes: Record<JudgeName, readonly string[]>; staticCoverage: string[] }
  | {
    type: "coverage";
    perTest: Record<string, string[]>;
    failures: Record<string, string>;
    /** Campaign probes that fail unmutated even by the kernel checkers alone: they cannot judge. */
    broken: Record<string, string>;
    ms: Record<string, number>;
  }
  | { type: "mutant"; id: string; outcome: JudgeOutcome }
  | { type: "error"; message: string };

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

// What the probes print (tests log their figures, explorations their summaries) is not the run's
// output: a worker's console writes to the process's stdout, where `deno task mutate --json`
// prints one JSON document. Verdicts come back as messages; the probes' own lines are dropped.
console.log = console.info = console.debug = () => {};
const root = new URL("../", import.meta.url);
const probes: Record<JudgeName, Map<string, Probe>> = { tests: new Map(), campaign: new Map() };

let mutantCount = 0;

/** The mutant ids marked in a hit array. */
function hitIds(hits: Uint8Array): string[] {
  const ids: string[] = [];
  for (let i = 0; i < hits.length; i++) if (hits[i] !== 0) ids.push(String(i));
  return ids;
}

function now(): number {
  return performance.now();
}

async function runProbe(
  p: Probe,
  ctx: Parameters<Probe["run"]>[0],
): Promise<ProbeResult> {
  try {
    return await p.run(ctx);
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300);
  }
}

/** The pool's stop flag for this worker (set in `init`; see `armHitLimit`). */
let stopFlag = new Int32Array(new SharedArrayBuffer(4));

/** Runs a probe against the active mutant, with the hit limit armed (and the pool's stop). */
async function runMutantProbe(
  p: Probe,
  ctx: Parameters<Probe["run"]>[0],
): Promise<{ result: ProbeResult; hitLimit: boolean }> {
  const ns = strykerNs();
  armHitLimit(stopFlag);
  try {
    const result = await runProbe(p, ctx);
    return { result, hitLimit: (ns.hitCount ?? 0) > HIT_LIMIT };
  } finally {
    disarmHitLimit();
  }
}

/** Splits a selection `test-id` or `test-id::step-id` into tests and their step filters. */
function selectTests(ids: readonly string[]): Map<string, Set<string> | null> {
  const byTest = new Map<string, Set<string> | null>();
  for (const id of ids) {
    if (probes.tests.has(id)) {
      byTest.set(id, null);
      continue;
    }
    const parent = id.slice(0, id.lastIndexOf("::"));
    if (!probes.tests.has(parent)) continue;
    const cur = byTest.get(parent);
    if (cur === null) continue;
    if (cur === undefined) byTest.set(parent, new Set([id]));
    else cur.add(id);
  }
  return byTest;
}

async function judge(
  judgeName: JudgeName,
  ids: readonly string[],
  serviceMutant: boolean,
  serviceExempt: ReadonlySet<string>,
): Promise<JudgeOutcome> {
  const t0 = now();
  let ran = 0;
  if (judgeName === "tests") {
    for (const [id, steps] of selectTests(ids)) {
      const p = probes.tests.get(id);
      if (!p) continue;
      ran++;
      const ctx = { serviceMutant, serviceExempt, steps: steps ?? undefined };
      const { result, hitLimit } = await runMutantProbe(p, ctx);
      if (result !== null) {
        return { killedBy: { probe: id, reason: result }, ran, ms: now() - t0, hitLimit };
      }
    }
  } else {
    for (const id of ids) {
      const p = probes.campaign.get(id);
      if (!p) continue;
      ran++;
      const { result, hitLimit } = await runMutantProbe(p, { serviceMutant, serviceExempt });
      if (result !== null) {
        return { killedBy: { probe: id, reason: result }, ran, ms: now() - t0, hitLimit };
      }
    }
  }
  return { killedBy: null, ran, ms: now() - t0 };
}

async function handle(m: ToWorker): Promise<void> {
  const ns = strykerNs();
  switch (m.type) {
    case "init": {
      mutantCount = m.mutants;
      stopFlag = new Int32Array(m.stop);
      // What runs while the judges load (module top levels) is static coverage.
      const loading = new Uint8Array(mutantCount);
      ns.hits = loading;
      if (m.staticMutant !== undefined) ns.activeMutant = Number(m.staticMutant);
      try {
        // Imported only now: everything instrumented loads under the static coverage array.
        const judges = await import("./judges.ts");
        for (const p of judges.campaignProbes(root)) probes.campaign.set(p.id, p);
        for (const p of await judges.testProbes(root)) probes.tests.set(p.id, p);
      } finally {
        ns.hits = undefined;
      }
      post({
        type: "ready",
        probes: { tests: [...probes.tests.keys()], campaign: [...probes.campaign.keys()] },
        staticCoverage: hitIds(loading),
      });
      return;
    }
    case "coverage": {
      const perTest: Record<string, string[]> = {};
      const failures: Record<string, string> = {};
      const broken: Record<string, string> = {};
      const ms: Record<string, number> = {};
      const exempt = new Set<string>();
      for (const id of m.ids) {
        const p = probes[m.judge].get(id);
        if (!p) continue;
        const cov = new Map<string, Uint8Array>();
        const hitsFor = (probe: string) => {
          let h = cov.get(probe);
          if (!h) cov.set(probe, h = new Uint8Array(mutantCount));
          return h;
        };
        ns.hitsFor = hitsFor;
        ns.hits = hitsFor(id);
        const t0 = now();
        // Campaign probes run with the service obligations: a failure marks a run whose
        // unmutated services break an obligation by design (the detacher detaches).
        const r = await runProbe(p, {
          serviceMutant: m.judge === "campaign",
          serviceExempt: exempt,
        });
        ms[id] = now() - t0;
        ns.hits = undefined;
        ns.hitsFor = undefined;
        if (r !== null) failures[id] = r;
        if (r !== null && m.judge === "campaign") {
          const k = await runProbe(p, { serviceMutant: false, serviceExempt: exempt });
          if (k !== null) broken[id] = k;
        }
        for (const [probe, hits] of cov) perTest[probe] = hitIds(hits);
      }
      post({ type: "coverage", perTest, failures, broken, ms });
      return;
    }
    case "mutant": {
      // The id "" runs the probes unmutated (a time limit's calibration).
      // The byte memo holds what its makers made under the mutant before: none of it may
      // reach another mutant, nor hide a mutated maker from its own mutant (sim/byte_memo.ts).
      clearByteMemo();
      ns.activeMutant = m.id === "" ? undefined : Number(m.id);
      try {
        const outcome = await judge(m.judge, m.ids, m.serviceMutant, new Set(m.serviceExempt));
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
