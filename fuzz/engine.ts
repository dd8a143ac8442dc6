/**
 * The campaign engine's pure half, for both kinds of input (generated
 * scenarios and syscall programs): what a worker is told, how it runs one
 * campaign run and investigates a failure (a {@linkcode Runner}), the dedupe
 * rule and the table of signatures the workers share. Nothing here reads the
 * clock, spawns workers or touches files: that is `orchestrate.ts`,
 * `_worker_pool.ts` and `worker.ts`, and the determinism check covers this
 * file.
 *
 * ## The dedupe rule (the one place it is stated)
 *
 * Two failures are the same finding when their signatures are equal
 * (`fuzz/signature.ts`: one per root cause). A failing run's signature is
 * computed from the run itself and compared with the known ones BEFORE
 * anything else is spent on it: a known signature is only counted. Of the
 * runs that share a new signature, the one with the LOWEST run index `k`
 * wins, whichever worker ran it and whenever it finished; a scenario run `k`
 * is a pure function of (campaign seed, `k`), so a campaign's findings do not
 * depend on worker timing. Run indices are global: `--runs N` means N runs in
 * all, taken one at a time from a shared counter, shard `I/C` running the
 * indices `k ≡ I (mod C)`.
 *
 * @module
 */

import type { VariantCalls } from "./variant_calls.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import type { Monitor } from "../sim/world.ts";
import { type HeapSampler, heapSampler, type StuckAt } from "../sim/stuck.ts";
import type { Scenario } from "../scenario/schema.ts";
import { withService } from "../scenario/bind.ts";
import type { CaseKind, KindRun, RunContext } from "../case/kind.ts";
import { PROGRAM_KIND, programCheckers, SCENARIO_KIND, scenarioCheckers } from "../case/kinds.ts";
import type { CaseMeta } from "../case/investigate.ts";
import {
  executePlan,
  planRun,
  type PortfolioStrategy,
  type RunOutcome,
  type RunPlan,
} from "./campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { SometimesMonitor } from "./sometimes.ts";
import {
  type FuzzStep,
  type ProgramChecks,
  ProgramFuzzer,
  signProgramVerdict,
} from "./programs/campaign.ts";
import type { Program } from "../program/program.ts";
import { signatureOf } from "./signature.ts";
import { bug } from "../zoo/registry.ts";
import { contractOf, type ServiceContract } from "../scenario/service_contract.ts";

/** Default wall-clock limit of one run, seconds (`--run-timeout`). */
export const DEFAULT_RUN_TIMEOUT = 5;
/** Default heap limit of one worker, MiB (`--memory`). */
export const DEFAULT_MEMORY_MB = 512;
/**
 * A run past the wall-clock run limit is only a suspected hang (on a loaded machine a passing run
 * can take that long): it is run again, in a fresh worker of its own, with this many times the limit
 * (`--confirm-timeout`, default), and is a `service-hang` finding only if it goes past that too.
 */
export const CONFIRM_FACTOR = 10;

/** The two kinds of campaign input. */
export type InputKind = "scenarios" | "programs";

/** The dedupe rule's tie-break: does a run with index `k` beat the best so far (`best`)? */
export function wins(k: number, best: number | undefined): boolean {
  return best === undefined || k < best;
}

/** FNV-1a of a signature, 32 bits, never 0 (0 marks an empty table slot). */
function signatureHash(signature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < signature.length; i++) h = Math.imul(h ^ signature.charCodeAt(i), 0x01000193);
  return (h | 0) === 0 ? 1 : h | 0;
}

/** Slots of a {@linkcode SignatureTable}: distinct signatures one campaign can hold. */
export const SIGNATURE_SLOTS = 4096;

/**
 * The signatures every worker of a campaign has seen, with the lowest run
 * index that found each, in shared memory: a worker asks it before it
 * investigates a failure, so a signature is investigated once, by the run
 * that wins. Open addressing over 32-bit signature hashes; a different
 * signature with the same hash (about 1 in 4·10⁹ per pair) counts as known.
 */
export class SignatureTable {
  readonly #slots: Int32Array;

  /** A table over `buffer` (from {@linkcode SignatureTable.create}). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  /** A new table holding the `known` signatures (known: no run ever wins them). */
  static create(known: Iterable<string>): SignatureTable {
    const t = new SignatureTable(new SharedArrayBuffer(SIGNATURE_SLOTS * 2 * 4));
    for (const s of known) t.claim(s, -1);
    return t;
  }

  /**
   * Records that run `k` failed with `signature`; true when `k` wins it (the
   * signature is new, or every earlier claim had a higher run index), so the
   * caller investigates it. A full table answers false.
   */
  claim(signature: string, k: number): boolean {
    const h = signatureHash(signature);
    const s = this.#slots;
    const n = s.length / 2;
    for (let i = 0, at = (h >>> 0) % n; i < n; i++, at = (at + 1) % n) {
      const cur = Atomics.compareExchange(s, 2 * at, 0, h);
      if (cur !== 0 && cur !== h) continue;
      // Slot `at` is this signature's: its run index, stored +1 (0: none yet; known ones 0 after -1+1).
      for (;;) {
        const stored = Atomics.load(s, 2 * at + 1);
        const best = cur === 0 && stored === 0 ? undefined : stored - 1;
        if (!wins(k, best)) return false;
        if (Atomics.compareExchange(s, 2 * at + 1, stored, k + 1) === stored) return k >= 0;
      }
    }
    return false;
  }
}

/** Layout of the control block the main thread shares with every worker (Int32 slots). */
export const CONTROL = {
  /** Non-zero: stop. */
  stop: 0,
  /** Next unclaimed run number (runs are claimed one at a time). */
  next: 1,
  /** Runs finished, every worker together (a worker stopped mid-report loses none). */
  done: 2,
  /** Failing runs among them. */
  failed: 3,
  /**
   * Threads the watchdog stopped that may still be running: a worker stopped in user code that
   * never yields goes on at full speed after `terminate()` on Deno 2.9.6
   * (`tools/busy_worker_terminate.ts`), until the process ends. The watchdog adds one per stop;
   * a stopped worker whose run ends after all (a slow run, not a spin) takes it back.
   */
  spinning: 4,
  /** Per worker slot `w`: `slot(w)` holds the run it is in, `slot(w) + 1` its heartbeat. */
  slot: (w: number) => 5 + SLOT_INTS * w,
  /**
   * Per worker slot `w`, from `shrink(w)`: the shrink it is doing ({@linkcode ShrinkCells}), so
   * the main thread's progress line shows a worker that investigates a run still at work.
   */
  shrink: (w: number) => 5 + SLOT_INTS * w + 2,
  /**
   * Per worker slot `w`: the steps of its finished runs not yet sent in a progress message. The
   * worker adds each run's steps here and takes them (`Atomics.exchange`) for its next message;
   * the main thread takes what is left when the campaign ends. Steps in a message were counted
   * only there: a worker the watchdog stopped mid-batch lost them, and a campaign a hang ended
   * reported `0 steps` though runs before it finished (trial35, friction 5).
   */
  steps: (w: number) => 5 + SLOT_INTS * w + 8,
  /** Int32 slots for `workers` worker slots. */
  size: (workers: number) => 5 + SLOT_INTS * workers,
} as const;

/** Int32 cells per worker slot: run, heartbeat, the {@linkcode ShrinkCells}, unsent steps. */
const SLOT_INTS = 9;

/**
 * The cells of a worker slot's shrink, from `CONTROL.shrink(w)`: [0] candidate runs tried,
 * [1] the most it tries (0: not shrinking), [2] candidates kept, [3] the decisions and [4] the
 * size (`caseSize`) of the smallest case met so far (the one a stop would keep), [5] the size of
 * the run it started from. Sizes, not decisions alone, since a kept input cut may record more
 * decisions than the case it cut (userS29a's line showed `168 -> 332 decisions`).
 */
export const ShrinkCells = {
  attempts: 0,
  max: 1,
  kept: 2,
  decisions: 3,
  size: 4,
  fromSize: 5,
} as const;

/** What a worker slot's shrink cells say: null when the slot is not shrinking. */
export function shrinkState(
  control: Int32Array,
  w: number,
): {
  attempts: number;
  max: number;
  kept: number;
  decisions: number;
  size: number;
  fromSize: number;
} | null {
  const at = CONTROL.shrink(w);
  const max = Atomics.load(control, at + ShrinkCells.max);
  if (max === 0) return null;
  return {
    attempts: Atomics.load(control, at + ShrinkCells.attempts),
    max,
    kept: Atomics.load(control, at + ShrinkCells.kept),
    decisions: Atomics.load(control, at + ShrinkCells.decisions),
    size: Atomics.load(control, at + ShrinkCells.size),
    fromSize: Atomics.load(control, at + ShrinkCells.fromSize),
  };
}

/**
 * What a worker slot is doing, as stored at `CONTROL.slot(w)`: 0 idle,
 * `k + 1` in run `k`, `-(k + 1)` investigating run `k`.
 */
export function slotState(v: number): { kind: "idle" } | {
  kind: "run" | "investigate";
  k: number;
} {
  return v === 0 ? { kind: "idle" } : v > 0 ? { kind: "run", k: v - 1 } : {
    kind: "investigate",
    k: -v - 1,
  };
}

/** Most schedule picks a worker records for the watchdog per run (later ones are not kept). */
export const MAX_RECORDED_PICKS = 200_000;
/** Most bytes of a run's input a worker records for the watchdog (programs). */
export const MAX_RECORDED_INPUT = 1 << 20;

/** Int32 cells before a {@linkcode RunRecord}'s picks. */
const RECORD_HEAD = 8;

/** Most bytes of the variant method name a {@linkcode RunRecord} keeps (a longer one is cut). */
const MAX_METHOD_BYTES = 256;

/**
 * A worker slot's record of the run it is in, in shared memory, so a run the
 * watchdog stops still becomes a case: Int32 [0] picks so far, [1] input
 * bytes, [2] step + 1 (0: no thread's code ran yet), [3] tid and [4] entry
 * point of the thread whose code runs ({@linkcode RunRecord.watch}, so a hang
 * names it), [5] the length of the name of the `--kernel` variant's own method the run is inside
 * (0: none; {@linkcode RunRecord.inMethod}), [6] the worker's used heap, MiB, as last sampled
 * ({@linkcode RunRecord.heapMiB}), [7] the run's first heap sample ({@linkcode RunRecord.firstHeapMiB}),
 * [8, 8 + MAX_RECORDED_PICKS) the picks; then the input as
 * UTF-8 JSON, then that method's name.
 */
export class RunRecord {
  readonly #ints: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #method: Uint8Array;

  /** A record over `buffer` (from {@linkcode RunRecord.create}). */
  constructor(readonly buffer: SharedArrayBuffer) {
    const head = 4 * (RECORD_HEAD + MAX_RECORDED_PICKS);
    this.#ints = new Int32Array(buffer, 0, RECORD_HEAD + MAX_RECORDED_PICKS);
    this.#bytes = new Uint8Array(buffer, head, MAX_RECORDED_INPUT);
    this.#method = new Uint8Array(buffer, head + MAX_RECORDED_INPUT, MAX_METHOD_BYTES);
    this.#heap = heapSampler(this.#ints, 6);
  }

  /** A new, empty record. */
  static create(): RunRecord {
    return new RunRecord(
      new SharedArrayBuffer(
        4 * (RECORD_HEAD + MAX_RECORDED_PICKS) + MAX_RECORDED_INPUT + MAX_METHOD_BYTES,
      ),
    );
  }

  /**
   * The `--kernel` variant's own method (`Class.method`, as its UTF-8 bytes) the run's thread is
   * inside now, innermost, or null when it left them all (fuzz/variant_calls.ts tells it): a run
   * the watchdog stops inside one names it. A generator method's body runs after its call returns,
   * so it is never named.
   */
  readonly inMethod = (name: Uint8Array | null): void => {
    if (name === null) {
      Atomics.store(this.#ints, 5, 0);
      return;
    }
    const n = Math.min(name.length, MAX_METHOD_BYTES);
    this.#method.set(n === name.length ? name : name.subarray(0, n));
    Atomics.store(this.#ints, 5, n);
  };

  /** The variant method the run was last inside ({@linkcode RunRecord.inMethod}), or null. */
  method(): string | null {
    const n = Atomics.load(this.#ints, 5);
    return n <= 0 ? null : new TextDecoder().decode(this.#method.slice(0, n));
  }

  /** Starts a run: no picks, no thread ran; `input` (JSON), if given, replaces the recorded input. */
  begin(input?: unknown): void {
    this.#ints[0] = 0;
    Atomics.store(this.#ints, 2, 0);
    Atomics.store(this.#ints, 5, 0);
    this.#heap.begin();
    if (input === undefined) return;
    const bytes = new TextEncoder().encode(JSON.stringify(input));
    if (bytes.length > this.#bytes.length) {
      this.#ints[1] = -1;
      return;
    }
    this.#bytes.set(bytes);
    this.#ints[1] = bytes.length;
  }

  /**
   * Which thread's code is about to run, at which step, running which entry point (the world's
   * `watch`, sim/world.ts): a run the watchdog stops names the thread that never yielded.
   */
  readonly watch = (step: number, tid: number, entry: number): void => {
    this.#heap.sample();
    Atomics.store(this.#ints, 3, tid);
    Atomics.store(this.#ints, 4, entry);
    Atomics.store(this.#ints, 2, step + 1);
  };

  /** Samples the worker's used heap into [6] every few watch calls, the run's first into [7]. */
  readonly #heap: HeapSampler;

  /**
   * The worker's used heap, MiB, at its last sample (0: none yet): a run the clock stopped with
   * half the heap limit or more, grown during the run, was out of memory, not spinning
   * (sim/stuck.ts `atHeapLimit`).
   */
  heapMiB(): number {
    return Atomics.load(this.#ints, 6);
  }

  /** The worker's used heap, MiB, at the run's first sample (0: none yet this run). */
  firstHeapMiB(): number {
    return Atomics.load(this.#ints, 7);
  }

  /** Where the run stood when last watched (null: no thread's code ran yet, or not watched). */
  at(): StuckAt | null {
    const step = Atomics.load(this.#ints, 2) - 1;
    if (step < 0) return null;
    return { step, tid: Atomics.load(this.#ints, 3), entry: Atomics.load(this.#ints, 4) };
  }

  /** Records one pick. */
  readonly pick = (v: number): void => {
    const n = this.#ints[0];
    if (n < MAX_RECORDED_PICKS) this.#ints[RECORD_HEAD + n] = v;
    this.#ints[0] = n + 1;
  };

  /** The picks recorded, and whether all of them fit. */
  picks(): { picks: number[]; complete: boolean } {
    const n = this.#ints[0];
    return {
      picks: Array.from(
        this.#ints.subarray(RECORD_HEAD, RECORD_HEAD + Math.min(n, MAX_RECORDED_PICKS)),
      ),
      complete: n <= MAX_RECORDED_PICKS,
    };
  }

  /** The recorded input (null: none, or too large to record). */
  input(): unknown {
    const n = this.#ints[1];
    if (n <= 0) return null;
    return JSON.parse(new TextDecoder().decode(this.#bytes.slice(0, n)));
  }
}

/** What the main thread tells a worker (structured-cloned; buffers are shared). */
export interface WorkerStart {
  readonly kind: InputKind;
  readonly seed: number;
  readonly shard: { readonly index: number; readonly count: number };
  /** The worker slot (0-based) and how many times it was replaced before. */
  readonly worker: number;
  readonly generation: number;
  /** Runs of this shard in all (every worker together); null: until stopped. */
  readonly runs: number | null;
  /** The control block, {@linkcode CONTROL}. */
  readonly control: SharedArrayBuffer;
  /** The shared {@linkcode SignatureTable}. */
  readonly signatures: SharedArrayBuffer;
  /** This slot's {@linkcode RunRecord} (a confirmation worker's: one of its own). */
  readonly record: SharedArrayBuffer;
  readonly maxShrink: number;
  /** A user service module (scenarios): every pager is served by it; null: none. */
  readonly servicePath: string | null;
  /** A kernel variant module exporting `makeKernel(options)`; null: the model. */
  readonly kernelPath: string | null;
  /** A seeded bug (zoo/registry.ts `bug(id)`: a zoo bug or a program mutant); null: none. */
  readonly bug: string | null;
  /** The checker set: scenarios `kernel` | `kernel+service`, programs `kernel` | `contract`. */
  readonly checkers: string;
  /** Programs: novelty-guided (true) or fresh programs only. */
  readonly guided: boolean;
  /** What every case found records besides its run (checkers, bug, module references). */
  readonly meta: Omit<CaseMeta, "found">;
  /**
   * A confirmation worker: instead of taking runs, it runs run `k` again (a run the watchdog
   * stopped at the run limit), `input` being what the slot's {@linkcode RunRecord} held
   * (programs: the program, seed and strategy; scenarios: null, run `k` is the plan's).
   */
  readonly confirm?: { readonly k: number; readonly input: unknown };
}

/** What one run told the worker loop. */
export interface RunReport {
  readonly steps: number;
  /** The failure's signature; null: the run passed. */
  readonly signature: string | null;
}

/** A failing run, ready for `case/investigate.ts`: its kind, input, schedule and how to judge it. */
export interface FailingRun<I> {
  readonly kind: CaseKind<I>;
  readonly input: I;
  readonly decisions: readonly number[];
  readonly seed: number;
  readonly traceHash: string;
  readonly ctx: RunContext;
  /** The campaign's signature of a replay (the same rule as the run's). */
  readonly sign: (run: KindRun) => string | null;
}

/** How a worker runs campaign runs of one kind of input. */
export interface Runner {
  /** Runs run `k`; `record` is the worker slot's record for the watchdog. */
  run(k: number, record: RunRecord): RunReport;
  /**
   * Runs run `k` again, exactly (a run the watchdog stopped, confirmed in a fresh worker):
   * `input` is what the stopped run's {@linkcode RunRecord} held.
   */
  rerun(k: number, input: unknown, record: RunRecord): RunReport;
  /** The last run, if it failed. */
  failing(): FailingRun<unknown> | null;
  /**
   * Counters this kind reports with progress (reached interleavings, state
   * signatures, what the harness delivered to the services by kind).
   */
  drain(): Drained;
}

/** What a runner's counters held since the last {@linkcode Runner.drain}. */
export interface Drained {
  /**
   * Runs that reached each "sometimes" interleaving (scenarios, `fuzz/sometimes.ts`) or program
   * event (programs, `fuzz/programs/sometimes.ts`).
   */
  readonly sometimes: Record<string, number>;
  /** Programs: state signatures reached first. */
  readonly fresh: number[];
  /** Scenarios: deliveries to the services by kind (`scenario/contract.ts` `DELIVERY_KINDS`). */
  readonly delivered: Record<string, number>;
  /** A `--kernel` variant: calls of its own methods, by `Class.method` (fuzz/variant_calls.ts). */
  readonly variantCalls: Record<string, number>;
}

/** The kernel, services and heartbeat a worker's runs use. */
export interface RunnerSetup {
  /** The user's service (scenarios), bound to the name `user`. */
  readonly service: PagerService | null;
  readonly makeKernel: ((options: KernelOptions) => Kernel) | undefined;
  /** Counts the calls of a `--kernel` variant's own methods (`makeKernel` is its `wrap`). */
  readonly variantCalls?: VariantCalls;
  /** A seeded bug's named services and the name its pagers use (scenarios). */
  readonly services: Readonly<Record<string, PagerService>>;
  readonly serviceName: string | null;
  /** Called whenever a run starts, replays included (the watchdog's heartbeat). */
  readonly beat: () => void;
}

/**
 * The scenario of run `k` as the worker runs it (with the user's or the bug's
 * service), inside the contract the service is held to, if any.
 */
export function campaignScenario(
  plan: RunPlan,
  serviceName: string | null,
  contract?: ServiceContract,
): Scenario {
  const scenario = generateScenario(plan, contract);
  return serviceName === null ? scenario : withService(scenario, serviceName);
}

/**
 * The service name a campaign's pagers use: `user` for a service module, a
 * seeded bug's service for a service bug, none otherwise.
 */
export function campaignServiceName(
  servicePath: string | null,
  bugId: string | null,
): string | null {
  if (servicePath !== null) return "user";
  if (bugId === null) return null;
  const names = Object.keys(bug(bugId).services ?? {});
  return names.length > 0 ? names[0] : null;
}

/** A scenario run's signature: a thread's exception is signed as one even when a checker judged it. */
export const signScenarioRun = (r: KindRun): string | null => signatureOf(r.verdict, r.raw);

/** A program run's signature. */
export const signProgramRun = (r: KindRun): string | null => signProgramVerdict(r.verdict);

/** A failing run as a runner sees it: the rest of {@linkcode FailingRun} is the runner's. */
type Failure<I> = Pick<FailingRun<I>, "input" | "decisions" | "seed" | "traceHash">;

/**
 * What both kinds' runners share: the context with the worker's heartbeat,
 * the last failing run as a case of this kind, and the counters each drains
 * with progress. A kind supplies only how run `k` is made and run.
 */
abstract class KindRunner<I> implements Runner {
  readonly ctx: RunContext;
  #last: FailingRun<I> | null = null;
  protected sometimes: Record<string, number> = {};
  protected fresh: number[] = [];
  protected delivered: Record<string, number> = {};
  readonly #variantCalls: VariantCalls | undefined;

  protected constructor(
    readonly kind: CaseKind<I>,
    readonly sign: (r: KindRun) => string | null,
    setup: RunnerSetup,
    monitors: () => readonly Monitor[],
    services?: Readonly<Record<string, PagerService>>,
  ) {
    this.ctx = {
      monitors: () => {
        setup.beat();
        return monitors();
      },
      services,
      makeKernel: setup.makeKernel,
    };
    this.#variantCalls = setup.variantCalls;
  }

  abstract run(k: number, record: RunRecord): RunReport;

  abstract rerun(k: number, input: unknown, record: RunRecord): RunReport;

  /**
   * Keeps the run just made as the last one (`null`: it passed). A failure's trace hash may be
   * a function, asked once and only if the hash is read (`traceHash` stays a property).
   */
  protected settle(
    f: (Omit<Failure<I>, "traceHash"> & { traceHash: string | (() => string) }) | null,
  ): void {
    if (f === null) {
      this.#last = null;
      return;
    }
    const { traceHash, ...rest } = f;
    let hash = typeof traceHash === "string" ? traceHash : null;
    this.#last = {
      kind: this.kind,
      ...rest,
      get traceHash(): string {
        return hash ??= (traceHash as () => string)();
      },
      ctx: this.ctx,
      sign: this.sign,
    };
  }

  failing(): FailingRun<unknown> | null {
    return this.#last as FailingRun<unknown> | null;
  }

  drain(): Drained {
    const out = {
      sometimes: this.sometimes,
      fresh: this.fresh,
      delivered: this.delivered,
      variantCalls: this.#variantCalls?.drain() ?? {},
    };
    this.sometimes = {};
    this.fresh = [];
    this.delivered = {};
    return out;
  }
}

/** Runs generated scenarios: run `k` is `planRun(seed, k)`. */
export class ScenarioRunner extends KindRunner<Scenario> {
  /** The contract the user's service is held to, if any: every run is drawn inside it. */
  readonly #contract: ServiceContract | undefined;

  constructor(readonly start: WorkerStart, readonly setup: RunnerSetup) {
    super(
      SCENARIO_KIND,
      signScenarioRun,
      setup,
      scenarioCheckers(start.checkers),
      setup.service ? { ...setup.services, user: setup.service } : setup.services,
    );
    this.#contract = contractOf(setup.service ?? undefined)?.contract;
  }

  run(k: number, record: RunRecord): RunReport {
    const plan = planRun(this.start.seed, k);
    const scenario = campaignScenario(plan, this.setup.serviceName, this.#contract);
    const counter = new SometimesMonitor();
    record.begin();
    // Not hashed: only a failure's hash is ever read (the investigation compares its replays
    // with it), and the same run again, hashed, has it.
    const outcome = executePlan(
      plan,
      scenario,
      {
        ...this.ctx,
        monitors: () => [...this.ctx.monitors(), counter],
        watch: record.watch,
      },
      record.pick,
      false,
    );
    for (const h of counter.hit) this.sometimes[h] = (this.sometimes[h] ?? 0) + 1;
    for (const [d, n] of Object.entries(outcome.delivered)) {
      this.delivered[d] = (this.delivered[d] ?? 0) + n;
    }
    this.settle(
      outcome.signature === null ? null : {
        input: scenario,
        decisions: outcome.decisions,
        seed: plan.runSeed,
        traceHash: () => this.#hashOf(plan, scenario, outcome),
      },
    );
    return { steps: outcome.steps, signature: outcome.signature };
  }

  /**
   * The trace hash of a failing run made unhashed: the run again, hashed. A run that does not
   * repeat (another signature or step count: state the code under test kept between runs) gets
   * a hash no replay has, so the investigation reports it as nondeterministic.
   */
  #hashOf(plan: RunPlan, scenario: Scenario, first: RunOutcome): string {
    const again = executePlan(plan, scenario, this.ctx);
    return again.signature === first.signature && again.steps === first.steps
      ? again.traceHash
      : `(run again: ${again.signature ?? "pass"} after ${again.steps} steps)`;
  }

  /** Run `k` is a function of the campaign seed and `k`: the same run. */
  rerun(k: number, _input: unknown, record: RunRecord): RunReport {
    return this.run(k, record);
  }
}

/** What a program campaign's worker records of the run it is in (the watchdog's record). */
export interface RecordedProgram {
  readonly program: Program;
  readonly seed: number;
  readonly strategy: PortfolioStrategy;
}

/**
 * Runs syscall programs, novelty-guided: each worker slot has its own fuzzer
 * (seeded by campaign seed, shard, slot and generation), so program `k`
 * depends on which worker ran it; the recorded input makes a run the
 * watchdog stops a case all the same.
 */
export class ProgramRunner extends KindRunner<Program> {
  readonly #fuzzer: ProgramFuzzer;

  constructor(readonly start: WorkerStart, setup: RunnerSetup) {
    super(PROGRAM_KIND, signProgramRun, setup, programCheckers(start.checkers));
    this.#fuzzer = new ProgramFuzzer({
      checks: start.checkers as ProgramChecks,
      makeKernel: setup.makeKernel,
      seed: `${start.seed}/s${start.shard.index}/w${start.worker}/g${start.generation}`,
      guided: start.guided,
      portfolio: true,
    });
  }

  run(_k: number, record: RunRecord): RunReport {
    return this.#report(this.#fuzzer.step({
      record: record.pick,
      starting: (program, seed, strategy) => record.begin({ program, seed, strategy }),
      watch: record.watch,
    }));
  }

  /** The recorded program, seed and strategy, run again. */
  rerun(_k: number, input: unknown, record: RunRecord): RunReport {
    const { program, seed, strategy } = input as RecordedProgram;
    record.begin(input);
    return this.#report(
      this.#fuzzer.runOne(program, seed, strategy, record.pick, record.watch),
    );
  }

  #report(s: FuzzStep): RunReport {
    for (const x of s.fresh) this.fresh.push(x);
    for (const h of s.sometimes) this.sometimes[h] = (this.sometimes[h] ?? 0) + 1;
    const f = s.failure;
    this.settle(
      f === null
        ? null
        : { input: f.program, decisions: f.decisions, seed: f.seed, traceHash: f.traceHash },
    );
    return { steps: s.steps, signature: s.signature };
  }
}
