/**
 * The campaign worker, for both kinds of input (a `node:worker_threads`
 * worker, so the pool can give it a heap limit): loads the user's service
 * and kernel modules, then takes run numbers from the shared counter until
 * the stop flag is set or the runs are done. Each failing run is signed from
 * its own verdict and checked against the shared signature table first; only
 * a run that wins a new signature is investigated (replayed, shrunk). It
 * keeps its slot of the control block current (which run, a heartbeat per
 * run started), so the watchdog can tell a run that never yields.
 *
 * @module
 */

import { VariantCalls } from "./variant_calls.ts";
import { parentPort, workerData } from "node:worker_threads";
import { wallMs } from "./clock.ts";
import {
  campaignServiceName,
  CONTROL,
  type FailingRun,
  ProgramRunner,
  type Runner,
  RunRecord,
  ScenarioRunner,
  ShrinkCells,
  SignatureTable,
  type WorkerStart,
} from "./engine.ts";
import type { ShrinkProgress } from "../case/shrink.ts";
import { loadKernelModule, loadServiceModule } from "../case/store.ts";
import { investigate } from "../case/investigate.ts";
import type { CaseEnvelope } from "../case/envelope.ts";
import { bug, NAMED_SERVICES } from "../zoo/registry.ts";

/** What a worker reports. */
export type WorkerMessage =
  | {
    readonly type: "progress";
    readonly worker: number;
    /** Counts since the previous progress message (the main thread adds them up). */
    readonly runs: number;
    readonly steps: number;
    readonly failures: number;
    /** Failing runs per signature, known ones included. */
    readonly occurrences: Record<string, number>;
    /** The first (lowest) failing run index per signature since the last message. */
    readonly firstRuns: Record<string, number>;
    readonly sometimes: Record<string, number>;
    /** Programs: state signatures this worker reached first since the last message. */
    readonly fresh: number[];
    /** Scenarios: deliveries to the services by kind since the last message. */
    readonly delivered: Record<string, number>;
    /** A `--kernel` variant: calls of its own methods since the last message. */
    readonly variantCalls: Record<string, number>;
  }
  | {
    /** A case to write now (unshrunk first, then shrunk); the main thread answers "persisted". */
    readonly type: "persist";
    readonly worker: number;
    readonly id: number;
    readonly k: number;
    readonly signature: string;
    readonly case: CaseEnvelope;
  }
  | {
    /** Investigating run `k` ended: its case was shrunk and settled. */
    readonly type: "finding";
    readonly worker: number;
    readonly k: number;
    readonly signature: string;
    readonly unshrunk: CaseEnvelope;
    readonly case: CaseEnvelope;
    readonly attempts: number;
    /** Wall-clock seconds the investigation took (its replays and the shrink). */
    readonly seconds: number;
    /**
     * Why `case` is the unshrunk run: its shrunk run replayed differently on new instances of
     * the user's modules (nondeterminism in the code under test, said in full).
     */
    readonly notShrunk?: string;
  }
  | {
    /**
     * A confirmation worker's run ended (`WorkerStart.confirm`): run `k`, which went past the
     * run limit, finished within the confirmation limit, passing (`signature` null) or failing.
     */
    readonly type: "confirmed";
    readonly worker: number;
    readonly k: number;
    readonly signature: string | null;
    readonly steps: number;
  }
  | {
    /**
     * Run `k` failed but its replays ran differently (nondeterminism in the code under test):
     * no case, and no replay line reproduces it. `message` says how it differed.
     */
    readonly type: "nondeterministic";
    readonly worker: number;
    readonly k: number;
    readonly signature: string;
    readonly message: string;
    /** Wall-clock seconds the investigation took. */
    readonly seconds: number;
  }
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/** The main thread's answer to a "persist" message. */
export interface PersistReply {
  readonly type: "persisted";
  readonly id: number;
  readonly file?: string;
  readonly error?: string;
}

/**
 * Runs one worker's share of a campaign, reporting through `post`;
 * `persist` writes a case through the main thread.
 */
export async function runWorker(
  start: WorkerStart,
  runner: Runner,
  post: (m: WorkerMessage) => void,
  persist: (k: number, signature: string, c: CaseEnvelope) => Promise<string>,
): Promise<void> {
  const control = new Int32Array(start.control);
  const table = new SignatureTable(start.signatures);
  const record = new RunRecord(start.record);
  const slot = CONTROL.slot(start.worker);
  const stopped = () => Atomics.load(control, CONTROL.stop) !== 0;
  // Steps wait in the slot's cell (CONTROL.steps), not here: this worker may be terminated.
  const stepsCell = CONTROL.steps(start.worker);
  let runs = 0, failures = 0, lastPost = wallMs();
  let occurrences: Record<string, number> = {};
  let firstRuns: Record<string, number> = {};
  const report = () => {
    const { sometimes, fresh, delivered, variantCalls } = runner.drain();
    post({
      type: "progress",
      worker: start.worker,
      runs,
      steps: Atomics.exchange(control, stepsCell, 0),
      failures,
      occurrences,
      firstRuns,
      sometimes,
      fresh,
      delivered,
      variantCalls,
    });
    runs = failures = 0;
    occurrences = {};
    firstRuns = {};
  };
  for (;;) {
    if (stopped()) break;
    const j = Atomics.add(control, CONTROL.next, 1);
    if (start.runs !== null && j >= start.runs) break;
    const k = j * start.shard.count + start.shard.index;
    Atomics.store(control, slot, k + 1);
    Atomics.add(control, slot + 1, 1);
    const r = runner.run(k, record);
    // The run is done unless the watchdog took it first (it stopped the run at the run limit
    // and reports it itself): then this worker is about to be terminated and counts nothing.
    // A failing run's slot says "investigating" from the moment it is taken back, before the
    // failure is counted: an interrupt spares a slot investigating until its case is written,
    // and a slot read as idle between the two was terminated with the failure counted and
    // nothing written (userS22: Ctrl-C at 2.4 s, "failing runs 1, new distinct failures 0").
    const after = r.signature === null ? 0 : -(k + 1);
    if (Atomics.compareExchange(control, slot, k + 1, after) !== k + 1) {
      Atomics.sub(control, CONTROL.spinning, 1); // the run ended: this thread is not spinning
      await new Promise(() => {});
    }
    runs++;
    Atomics.add(control, stepsCell, r.steps);
    Atomics.add(control, CONTROL.done, 1);
    if (r.signature !== null) Atomics.add(control, CONTROL.failed, 1);
    const failing = r.signature === null ? null : runner.failing();
    // Dedupe before shrinking: only the run that wins a new signature is investigated.
    if (r.signature !== null && failing !== null) {
      failures++;
      occurrences[r.signature] = (occurrences[r.signature] ?? 0) + 1;
      firstRuns[r.signature] = Math.min(firstRuns[r.signature] ?? k, k);
      if (table.claim(r.signature, k)) {
        report(); // the counts so far, before a long investigation
        lastPost = wallMs();
        Atomics.store(control, slot, -(k + 1));
        await investigateWon(start, k, r.signature, failing, post, persist, stopped);
      }
    }
    Atomics.store(control, slot, 0);
    if (wallMs() - lastPost > 200) {
      report();
      lastPost = wallMs();
    }
  }
  report();
  post({ type: "done", worker: start.worker });
}

/**
 * Investigates failing run `k`, which won its new signature: replays, writes the case unshrunk,
 * shrinks it and writes it again (`case/investigate.ts`), and reports how that ended.
 */
async function investigateWon(
  start: WorkerStart,
  k: number,
  signature: string,
  failing: FailingRun<unknown>,
  post: (m: WorkerMessage) => void,
  persist: (k: number, signature: string, c: CaseEnvelope) => Promise<string>,
  stopped: () => boolean,
): Promise<void> {
  // The replays run a new instance of the user's modules, the service and the kernel variant
  // (kfix27): a run that failed only because of module-level state earlier runs left in this
  // worker does not replay, and is reported as nondeterminism, never written as a case repro
  // could not reproduce. The shrunk run is replayed on another (`fresh`): shrinking's own runs
  // leave state too.
  const fresh = [start.servicePath, start.kernelPath].filter((p) => p !== null);
  const freshCtx = async (instance: string) => {
    let ctx = failing.ctx;
    if (start.servicePath !== null) {
      ctx = {
        ...ctx,
        services: { ...ctx.services, user: await loadServiceModule(start.servicePath, instance) },
      };
    }
    if (start.kernelPath !== null) {
      ctx = {
        ...ctx,
        makeKernel: await loadKernelModule(start.kernelPath, start.kernelPath, instance),
      };
    }
    return ctx;
  };
  const ctx = await freshCtx(`w${start.worker}r${k}`);
  // The shrink's progress, in the slot's shrink cells for the main thread's progress line (a
  // confirmation worker has no slot). userS27k waited 2 minutes at "runs 686 of 1000" with no
  // sign of life while a worker shrank.
  const control = new Int32Array(start.control);
  const cells = start.confirm === undefined ? CONTROL.shrink(start.worker) : null;
  const began = wallMs();
  if (cells !== null) {
    Atomics.store(control, cells + ShrinkCells.attempts, 0);
    Atomics.store(control, cells + ShrinkCells.kept, 0);
    const size = failing.kind.size(failing.input) + failing.decisions.length;
    Atomics.store(control, cells + ShrinkCells.decisions, failing.decisions.length);
    Atomics.store(control, cells + ShrinkCells.size, size);
    Atomics.store(control, cells + ShrinkCells.fromSize, size);
    Atomics.store(control, cells + ShrinkCells.max, Math.max(1, start.maxShrink));
  }
  const shrinkProgress = cells === null ? undefined : (p: ShrinkProgress) => {
    Atomics.store(control, cells + ShrinkCells.attempts, p.attempts);
    Atomics.store(control, cells + ShrinkCells.kept, p.accepted);
    Atomics.store(control, cells + ShrinkCells.decisions, p.decisions);
    Atomics.store(control, cells + ShrinkCells.size, p.size);
  };
  const stateNote = fresh.length > 0
    ? `; the replay ran a new instance of ${fresh.join(" and ")}: module-level state that ` +
      `earlier runs in the worker changed is one cause, which deno task lint-service reports)`
    : ")";
  const found = await investigate(failing.kind, failing.input, failing.decisions, {
    shrinkProgress,
    seed: failing.seed,
    ctx,
    meta: { ...start.meta, found: { by: "fuzz", campaignSeed: start.seed, run: k } },
    sign: failing.sign,
    originalTraceHash: failing.traceHash,
    persist: (c) => persist(k, signature, c),
    maxAttempts: start.maxShrink,
    abort: stopped,
    ...(fresh.length > 0 ? { fresh: () => freshCtx(`w${start.worker}r${k}s`) } : {}),
  }).finally(() => {
    if (cells !== null) Atomics.store(control, cells + ShrinkCells.max, 0);
  });
  const seconds = (wallMs() - began) / 1000;
  if (found.status === "found") {
    post({
      type: "finding",
      worker: start.worker,
      k,
      signature,
      unshrunk: found.unshrunk,
      case: found.case,
      attempts: found.attempts,
      seconds,
      ...(found.notShrunk !== undefined
        ? {
          notShrunk: `run ${k} (${signature}) is written unshrunk: ${found.notShrunk} ` +
            `(nondeterminism in the code under test${stateNote}; the unshrunk case replayed the ` +
            `same alone`,
        }
        : {}),
    });
  } else if (found.status === "nondeterministic") {
    const d = found.divergence;
    post({
      type: "nondeterministic",
      worker: start.worker,
      k,
      signature,
      message: `run ${k} failed (${signature}) but is not a case: ${found.message}` +
        (d !== null ? `; replays first differ at step ${d.step}` : "") +
        ` (nondeterminism in the code under test${stateNote}`,
      seconds,
    });
  }
}

/**
 * A confirmation worker (`start.confirm`): runs again, in a worker of its own, the run the watchdog stopped at
 * the run limit, and reports that it finished (`confirmed`: a slow run, not a hang) with its
 * counts; a failure it shows is handled as any run's (a new signature is investigated). The
 * main thread's own timer, the confirmation limit, stops it if it goes past that too: a hang.
 * It never touches a worker slot of the control block (the pool's watchdog reads those); its
 * `start.record` is a record of its own, which the main thread reads when it stops it.
 */
export async function confirmWorker(
  start: WorkerStart,
  runner: Runner,
  post: (m: WorkerMessage) => void,
  persist: (k: number, signature: string, c: CaseEnvelope) => Promise<string>,
): Promise<void> {
  const { k, input } = start.confirm ?? { k: -1, input: null };
  const control = new Int32Array(start.control);
  const table = new SignatureTable(start.signatures);
  const r = runner.rerun(k, input, new RunRecord(start.record));
  Atomics.add(control, CONTROL.done, 1);
  if (r.signature !== null) Atomics.add(control, CONTROL.failed, 1);
  post({ type: "confirmed", worker: start.worker, k, signature: r.signature, steps: r.steps });
  const { sometimes, fresh, delivered, variantCalls } = runner.drain();
  post({
    type: "progress",
    worker: start.worker,
    runs: 1,
    steps: r.steps,
    failures: r.signature !== null ? 1 : 0,
    occurrences: r.signature !== null ? { [r.signature]: 1 } : {},
    firstRuns: r.signature !== null ? { [r.signature]: k } : {},
    sometimes,
    fresh,
    delivered,
    variantCalls,
  });
  const failing = r.signature === null ? null : runner.failing();
  if (r.signature !== null && failing !== null && table.claim(r.signature, k)) {
    const stopped = () => Atomics.load(control, CONTROL.stop) !== 0;
    await investigateWon(start, k, r.signature, failing, post, persist, stopped);
  }
  post({ type: "done", worker: start.worker });
}

/** Builds the runner a start message asks for, loading the user's modules. */
async function runnerFor(start: WorkerStart): Promise<Runner> {
  const control = new Int32Array(start.control);
  const beatAt = CONTROL.slot(start.worker) + 1;
  const seeded = start.bug !== null ? bug(start.bug) : undefined;
  const service = start.servicePath === null ? null : await loadServiceModule(start.servicePath);
  // A variant's own methods are counted over the campaign (the summary warns of one never called).
  // The method a run is inside goes to the slot's record: a stop inside one names it.
  const variantCalls = start.kernelPath !== null
    ? new VariantCalls(new RunRecord(start.record).inMethod)
    : undefined;
  const makeKernel = start.kernelPath !== null
    ? variantCalls?.wrap(await loadKernelModule(start.kernelPath))
    : seeded?.kernel;
  const setup = {
    service,
    makeKernel,
    variantCalls,
    services: { ...NAMED_SERVICES, ...seeded?.services },
    serviceName: campaignServiceName(start.servicePath, start.bug),
    // A confirmation worker has no slot: the slot's own (replacement) worker beats there.
    beat: start.confirm !== undefined ? () => {} : () => void Atomics.add(control, beatAt, 1),
  };
  return start.kind === "scenarios"
    ? new ScenarioRunner(start, setup)
    : new ProgramRunner(start, setup);
}

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const start = workerData as WorkerStart;
  const port = parentPort;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const waiting = new Map<number, (r: PersistReply) => void>();
  let ids = 0;
  port.on("message", (r: PersistReply) => {
    waiting.get(r.id)?.(r);
    waiting.delete(r.id);
  });
  const persist = (k: number, signature: string, c: CaseEnvelope) =>
    new Promise<string>((resolve, reject) => {
      const id = ++ids;
      waiting.set(id, (r) => r.file !== undefined ? resolve(r.file) : reject(new Error(r.error)));
      post({ type: "persist", worker: start.worker, id, k, signature, case: c });
    });
  try {
    const runner = await runnerFor(start);
    if (start.confirm !== undefined) await confirmWorker(start, runner, post, persist);
    else await runWorker(start, runner, post, persist);
  } catch (err) {
    post({ type: "error", worker: start.worker, message: oneLine(err) });
    post({ type: "done", worker: start.worker });
  }
}

/**
 * A worker's error as one line, its name and message without the stack: the summary's `error:`
 * line says what broke, not where in the harness (a user can do nothing with the frames).
 *
 * @example
 * ```ts
 * import { oneLine } from "./worker.ts";
 * console.assert(oneLine(new TypeError("a:\n - b")) === "TypeError: a: - b");
 * ```
 */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s*\n\s*/g, " ");
}
