/**
 * The world: a kernel, its simulated threads, and the scheduler that steps
 * exactly one runnable thread at a time, asking the decision source whenever
 * more than one could run. Virtual time advances in rounds: one tick passes
 * once every thread that was runnable when the tick began has taken a step
 * (or stopped being runnable), and time jumps to the next deadline when every
 * thread is parked. A schedule that starves a runnable thread therefore stops
 * the clock: a timeout of T ticks fires only after each thread that stayed
 * runnable throughout was stepped at least T times, as on a machine with a
 * core per thread (README, "Virtual time").
 *
 * A run has two phases. In the first, every thread may run, including
 * environment threads (scheduled fault injection). From `liveness.afterSteps`
 * on, environment threads that have not started are dropped and threads are
 * scheduled round-robin; the workload must then finish within
 * `liveness.bound` steps, or the verdict is a hang.
 *
 * A run whose workload finished then has a quiescent tail: scheduled fairly,
 * without new fault injection, the service (and started environment) threads
 * run on until none can run (each is blocked or gone) or
 * {@linkcode TAIL_STEPS} steps pass; {@linkcode World.quiescent} says which.
 * Checkers see the tail's steps (a late supply) and judge the quiescent end
 * state in `atEnd`. A tail that takes no step leaves the trace as it was.
 *
 * @module
 */

import { KernelAssertionError } from "../kernel/assert.ts";
import type { Status } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { Kernel, type KernelOptions, type KernelYield, type Wait } from "../kernel/kernel.ts";
import { KThread } from "../kernel/objects.ts";
import type { FileLayout } from "./file_layout.ts";
import { DecisionSource, fairStrategy, type Strategy } from "./strategy.ts";
import { chanceClasses, Sys, type ThreadBody } from "./sys.ts";
import { threadLabel, Trace } from "./trace.ts";
import { variantCrashSite } from "./variant_crash.ts";
import { notASyscall } from "./bad_yield.ts";
import { SYSCALL_NAMES } from "../kernel/syscalls.ts";

/**
 * Thrown by a {@linkcode Monitor} when an invariant breaks.
 *
 * @example
 * ```ts
 * import { InvariantViolation } from "./world.ts";
 * const e = new InvariantViolation("no-lost-requests", "t3 waits forever");
 * console.assert(e.invariant === "no-lost-requests" && e.message === "t3 waits forever");
 * ```
 */
export class InvariantViolation extends Error {
  /** Error name shown in reports: "InvariantViolation". */
  override name = "InvariantViolation";
  /**
   * Builds the violation of the invariant named `invariant`, explained by `message`, with the
   * check's structured `facts` (what a signature reads instead of the message's words).
   */
  constructor(
    /** Name of the broken invariant (the monitor's name). */
    readonly invariant: string,
    message: string,
    /** What the check found, as data: {@linkcode FailureFacts}. */
    readonly facts?: FailureFacts,
  ) {
    super(message);
  }
}

/**
 * What a check found, as data beside its message, for the failure's signature
 * (properties/signature.ts): rewording a message must not move a signature.
 */
export interface FailureFacts {
  /**
   * The condition variables (`condvar NAME`, from the futex labels services/sync.ts records:
   * kernel/futex.ts `Futexes.nameOf`) of the service threads parked holding a packet, or handed
   * one, while a request goes unanswered (properties/wait_for.ts `PacketHolders`): the failure is
   * a lost wake-up on them.
   */
  readonly lostWakeup?: readonly string[];
}

/**
 * The verdict of an {@linkcode InvariantViolation} thrown at `step` (by thread `tid`'s step): its
 * facts kept when it has some.
 */
export function invariantVerdict(e: InvariantViolation, step: number, tid: number): Verdict {
  return {
    kind: "invariant",
    invariant: e.invariant,
    message: e.message,
    step,
    tid,
    ...(e.facts === undefined ? {} : { facts: e.facts }),
  };
}

/** Watches a run: sees every event and the world after every step. Never mutates it. */
export interface Monitor {
  /** Invariant name reported in an {@linkcode InvariantViolation} verdict. */
  readonly name: string;
  /** Checks one kernel event, emitted during scheduler step `step`. */
  onEvent?(event: KernelEvent, step: number): void;
  /** Checks the world after each scheduler step. */
  afterStep?(world: World): void;
  /**
   * Asked once when the run starts, after every monitor's `onEvent`: what the world calls after
   * each step in place of {@linkcode Monitor.afterStep} (null: nothing, another monitor's hook
   * judges this one's steps). A monitor without it has its `afterStep` called.
   */
  stepHook?(world: World): ((world: World) => void) | null;
  /** Thread `tid` called {@linkcode Sys.checkpoint} with `key` (during the current step). */
  onCheckpoint?(tid: number, key: string): void;
  /**
   * What this monitor remembers that the kernel state does not show and that
   * can still change its verdict (e.g. the error codes a pager has failed
   * ranges with). Exhaustive exploration adds it to the state hash, so it
   * never merges runs the monitor would judge differently; a monitor whose
   * memory the kernel state determines need not define it.
   */
  stateKey?(): string;
  /** Checks the final world of a run whose verdict so far is a pass. */
  atEnd?(world: World, verdict: Verdict): void;
}

/** What a thread is for. */
export type Role = "workload" | "service" | "env";

/** How a simulated thread ended (or that it has not). */
export type ThreadEnd =
  | { kind: "running" }
  | { kind: "exited" }
  | { kind: "killed" }
  | { kind: "page-fault"; synth: Status; addr: number }
  | { kind: "fault"; message: string };

/**
 * The kernel's own thread object (`KThread` of kernel/objects.ts), which
 * checkers read; kernel-internal state, so kept out of the documented API.
 *
 * @internal
 */
export type KernelThread = KThread;

/** A simulated thread. */
export interface SimThread {
  /** Thread id: 1-based spawn order, the id decisions and traces use. */
  readonly tid: number;
  /** Name from the scenario, shown in traces and hang reports. */
  readonly name: string;
  /** Whether the thread is workload, a pager service or environment. */
  readonly role: Role;
  /** The kernel's view of the thread (suspension, kill, page-request wait). */
  readonly k: KernelThread;
  /** Handle to this thread (for suspend and kill). */
  readonly handle: number;
  /** Syscall surface the thread's body calls through. */
  readonly sys: Sys;
  /** What the thread yielded last: where it stands. */
  pending: KernelYield | null;
  /** Steps this thread has taken. */
  steps: number;
  /** How the thread ended, or `running`. */
  end: ThreadEnd;
  /** Earliest step an environment thread may run. */
  notBefore: number;
  /** The running thread body the scheduler resumes. */
  gen: ThreadBody;
  /** Whose code the thread runs now: an index into {@linkcode ENTRY_POINTS} (hang reports). */
  entry: number;
  /**
   * The syscall the thread is inside (between its `call` and `ret` events), as
   * {@linkcode syscallCode} numbers it; 0 outside the kernel (hang reports).
   */
  inSyscall: number;
  /**
   * The user's code the thread runs, as a stack frame names it (`svc (file:///me/fs.ts:28:16)`),
   * when its spawner knows (a `--service` module's service function): a thread that yields what
   * is not a syscall faults there (sim/bad_yield.ts). A spawned thread has its spawner's.
   */
  origin: string | null;
}

/**
 * Whose code a thread runs, for a report of a thread that never yielded: the workload's own ops
 * (the harness), the service's body (its service function, on a service thread), its `open` or
 * `close` entry (run on the workload thread that opens or closes a file), its writeback entry (on
 * an environment thread), a thread the service spawned, or the harness's environment event.
 */
export const ENTRY_POINTS = [
  "workload",
  "service",
  "open",
  "close",
  "writeback",
  "spawned",
  "env",
] as const;

/** One of {@linkcode ENTRY_POINTS}. */
export type EntryPoint = typeof ENTRY_POINTS[number];

/**
 * What a watch's `entry` adds per syscall number: `entry % IN_SYSCALL` is the
 * {@linkcode ENTRY_POINTS} index, `Math.floor(entry / IN_SYSCALL)` the {@linkcode syscallCode} of
 * the syscall the thread is inside (0: none), so a thread that never yields inside the kernel
 * (a `--kernel` variant's loop in a supply) is reported as the kernel's, not its caller's.
 */
export const IN_SYSCALL = 16;

/**
 * A syscall's number in a watch's `entry`: its index in `SYSCALL_NAMES` plus one, or
 * {@linkcode OTHER_KERNEL_CALL} for a kernel call of no syscall name (`kernel_evict`).
 */
export function syscallCode(name: string): number {
  const i = SYSCALL_NAMES.indexOf(name as typeof SYSCALL_NAMES[number]);
  return i < 0 ? OTHER_KERNEL_CALL : i + 1;
}

/** {@linkcode syscallCode} of a kernel call that is no syscall. */
export const OTHER_KERNEL_CALL = 1023;

/**
 * Thrown out of {@linkcode World.run} (and out of a spawn during setup) when the thread named by
 * `WorldOptions.stopBefore` is about to run at that step: the guard's replay of a run whose
 * thread never yielded, stopped just before it, with the world as it stood.
 */
export class StoppedBefore extends Error {
  /** The world stopped (its trace and threads so far), and the thread that was about to run. */
  constructor(readonly world: World, readonly thread: SimThread) {
    super(`stopped before t${thread.tid} ran at step ${world.step}`);
  }
}

/** What a thread of each role runs when it starts. */
const ENTRY_DEFAULT: Record<Role, EntryPoint> = {
  workload: "workload",
  service: "service",
  env: "env",
};

/** A thread that cannot make progress, in a hang report. */
export interface BlockedThread {
  /** The thread's id. */
  readonly tid: number;
  /** The thread's name. */
  readonly thread: string;
  /** What the thread is for. */
  readonly role: Role;
  /** What it waits on. */
  readonly on: string;
}

/**
 * The live thread holding the `Mutex` (services/sync.ts) whose futex word is at `addr`, by its
 * word: the holder's thread handle, the low bit the contested flag (the encoding the library
 * writes with `atomicCas(addr, 0, sys.self)`); null when the word is 0 (unlocked) or names no
 * live thread (a holder that ended: properties/wait_for.ts reports that one).
 */
export function mutexHolder(kernel: Kernel, addr: number): KThread | null {
  if (!kernel.futexes.valid(addr)) return null;
  const word = kernel.futexes.load(addr) & ~1;
  if (word === 0) return null;
  const o = kernel.handles.entry(word)?.object;
  return o instanceof KThread && o.alive ? o : null;
}

/** The outcome of a run. */
export type Verdict =
  | { kind: "pass"; step: number }
  | {
    kind: "invariant";
    invariant: string;
    message: string;
    step: number;
    tid: number;
    /** What the check found, as data (absent when it recorded none). */
    facts?: FailureFacts;
  }
  | { kind: "kernel-assertion"; message: string; stack: string; step: number; tid: number }
  | {
    kind: "thread-fault";
    tid: number;
    thread: string;
    message: string;
    stack: string;
    step: number;
  }
  | {
    kind: "hang";
    step: number;
    blocked: BlockedThread[];
    /**
     * Set when the fair liveness phase ran out (`liveness.bound` steps) with a thread still
     * runnable and a workload thread stepped in its last quarter: the workload had not finished
     * but was still moving, which is not yet a deadlock (a slow but correct service stops here
     * too). Absent when no thread could run or the workload stood still.
     */
    unfinished?: {
      afterSteps: number;
      bound: number;
      runnable: number[];
      /** A kernel variant ran (`WorldOptions.makeKernel`): it may be what never finishes. */
      variant?: true;
    };
  }
  | { kind: "step-budget"; step: number };

/** At most this many steps (or `liveness.bound`, if smaller) run in a quiescent tail. */
export const TAIL_STEPS = 2000;

/** Options of a world. */
export interface WorldOptions extends KernelOptions {
  /** The scheduling strategy. */
  strategy: Strategy;
  /**
   * Builds the kernel: the seam for kernel variants (a mutant is a `Kernel`
   * subclass). Default: the model as specified.
   */
  makeKernel?: (options: KernelOptions) => Kernel;
  /** Steps after which the run ends with a "step budget exhausted" verdict. Default 100000. */
  maxSteps?: number;
  /** The liveness phase. Default: from step 5000, bound 20000 steps. */
  liveness?: { afterSteps: number; bound: number };
  /** Invariant checkers watching the run. Default none. */
  monitors?: readonly Monitor[];
  /** Keep every trace entry (for printing). Default true. */
  keepTrace?: boolean;
  /**
   * Hash the trace. Default true; false leaves {@linkcode RunResult.traceHash} empty (a
   * campaign's run, hashed only if it fails: runs are deterministic, so a replay has its hash).
   */
  hashTrace?: boolean;
  /**
   * Allocation-failure injection: the chance in percent that an allocating
   * call of a service thread fails with ZX_ERR_NO_MEMORY, decided by a
   * recorded draw per call (never in the liveness phase). Default 0: off.
   */
  allocFailPercent?: number;
  /**
   * Run the quiescent tail after a passing workload. Default true. The
   * explorer turns it off: its search covers the workload's schedules, and a
   * tail scheduled by the fair strategy would be steps it did not choose.
   */
  quiescentTail?: boolean;
  /**
   * Told the step and thread id each time a thread's code is about to run (to its next yield),
   * before it runs: what a watchdog outside the run reads to name the thread whose code never
   * yielded (`cli/_guard.ts`). It only watches; nothing it does can change the run.
   */
  watch?: (step: number, tid: number, entry: number) => void;
  /**
   * Stop just before thread `tid`'s code runs at `step` (0: while it starts, when spawned),
   * throwing {@linkcode StoppedBefore}: the guard's replay of a thread that never yielded.
   */
  stopBefore?: { readonly step: number; readonly tid: number };
}

/** The result of {@linkcode World.run}. */
export interface RunResult {
  /** How the run ended. */
  readonly verdict: Verdict;
  /** Scheduler steps taken. */
  readonly steps: number;
  /** Every recorded pick: replaying them reproduces the run. */
  readonly decisions: readonly number[];
  /** Stable hash of the trace, 16 hex digits (empty when the world was told not to hash). */
  readonly traceHash: string;
  /** The run's kernel events. */
  readonly trace: Trace;
  /** The run's threads by id, for reading the trace (`t3` is the third thread spawned). */
  readonly threads?: readonly {
    readonly tid: number;
    readonly name: string;
    readonly role: Role;
  }[];
}

/**
 * A one-line description of a verdict.
 *
 * @example
 * ```ts
 * import { describeVerdict } from "./world.ts";
 * console.assert(describeVerdict({ kind: "pass", step: 12 }) === "pass after 12 steps");
 * ```
 */
export function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case "pass":
      return `pass after ${v.step} steps`;
    case "invariant":
      return `invariant ${v.invariant} broken ${where(v)}: ${v.message}`;
    case "kernel-assertion":
      return `kernel assertion failed ${where(v)}: ${v.message}`;
    case "thread-fault": {
      const site = variantCrashSite(v.stack);
      if (site !== null) {
        return `kernel variant crashed at step ${v.step}, in the kernel under thread ` +
          `${threadLabel(v.tid, v.thread)}: ${v.message} at ${site} (the variant's own code ` +
          `threw, not the thread's; not a pager semantics failure)`;
      }
      return `thread ${threadLabel(v.tid, v.thread)} faulted at step ${v.step}: ${v.message}`;
    }
    case "hang":
      if (v.unfinished !== undefined) {
        return `liveness budget exhausted at step ${v.step}: the workload had not finished ` +
          `${v.unfinished.bound} fair steps after step ${v.unfinished.afterSteps} ` +
          (v.unfinished.variant
            ? `(liveness.bound; a kernel variant is loaded, and the kernel may be what keeps ` +
              `the workload from finishing (a reader woken ZX_OK without its page asks again ` +
              `forever): replay without --kernel; if the model finishes, the variant is the ` +
              `cause, else raise the bound if the service is slow but correct), with `
            : `(liveness.bound; raise it if the service is slow but correct), with `) +
          v.unfinished.runnable.map((t) => `t${t}`).join(", ") + " still runnable" +
          (v.blocked.length === 0 ? "" : "; " +
            v.blocked.map((b) => `${threadLabel(b.tid, b.thread)} waits on ${b.on}`).join("; "));
      }
      return `hang at step ${v.step}: ` +
        v.blocked.map((b) => `${threadLabel(b.tid, b.thread)} waits on ${b.on}`).join("; ");
    case "step-budget":
      return `step budget exhausted after ${v.step} steps`;
  }
}

/**
 * Where a verdict was reached: a step and the thread that took it, or the end of the run (tid 0:
 * a monitor's end-of-run judgement, when no thread is running; the threads it concerns are named
 * in its message).
 */
function where(v: { readonly step: number; readonly tid: number }): string {
  return v.tid === 0
    ? `at the end of the run, after step ${v.step}`
    : `at step ${v.step} (t${v.tid})`;
}

function isKernelYield(v: unknown): v is KernelYield {
  if (typeof v !== "object" || v === null) return false;
  const kind = (v as { kind?: unknown }).kind;
  return kind === "syscall" || kind === "block" || kind === "crash";
}

/**
 * A kernel, threads, and a scheduler.
 *
 * @example
 * ```ts
 * import { World } from "./world.ts";
 * import { randomStrategy } from "./strategy.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
 * console.assert(world.kernel.pageSize === 64 && world.threads.length === 0);
 * ```
 */
export class World {
  /** The simulated kernel the threads call into. */
  readonly kernel: Kernel;
  /** Kernel events of the run, with their steps and hash. */
  readonly trace: Trace;
  /** Records every scheduling and draw decision. */
  readonly decisions: DecisionSource;
  /** Every spawned thread, in tid order. */
  readonly threads: SimThread[] = [];
  /** Invariant checkers watching the run. */
  readonly monitors: readonly Monitor[];
  /**
   * The file each VMO of a file that comes and goes holds (koid → its id in
   * the backing store), as the harness opened it (scenario/files.ts). The
   * checkers judge such a VMO's content by this id, not by the key its
   * creator chose; any other VMO's id is its key.
   */
  readonly fileIds: Map<number, number> = new Map();
  /**
   * The file layout of each pager VMO that has one, by koid, as the scenario
   * states it (sim/file_layout.ts); the content checkers judge against it.
   * A VMO not here is whole pages of the backing pattern.
   */
  readonly files: Map<number, FileLayout> = new Map();
  /**
   * The harness entries (a file's open or close, scenario/files.ts) each thread is inside, by
   * tid, as the harness counts them itself: a thread killed part-way through one keeps its count
   * (its body never runs on). syscall-contract's `kill` rule reads it (audit K-E1), not the
   * kernel's own count (`KThread.entries`).
   */
  readonly fileEntries: Map<number, number> = new Map();
  /**
   * The ports of services that take writeback requests as user packets (the
   * reference writeback service, a contract's `writeback: { packet }`), by
   * koid: the packet key that asks. `writeback-served` judges only these.
   */
  readonly writebackPorts: Map<number, number> = new Map();
  /** Scheduler steps taken so far. */
  step = 0;
  /** True once the liveness phase (or the quiescent tail) began. */
  fair = false;
  /** The step the fair liveness phase began at; null while it has not (a quiescent tail is not it). */
  livenessFrom: number | null = null;
  /**
   * After a passing run: true when the quiescent tail ended with no thread
   * able to run, false when it reached its step bound first; null when there
   * was no tail (the run did not pass).
   */
  quiescent: boolean | null = null;
  /** Step at which the workload finished (the tail began), or null. */
  workloadDoneAt: number | null = null;
  /** Steps after which the run ends with a step-budget verdict. */
  readonly maxSteps: number;
  /** When the liveness phase starts and how many steps the workload then has to finish. */
  readonly liveness: { afterSteps: number; bound: number };
  #running: SimThread | null = null;
  /**
   * The tick's round: `#owedIn[tid] === #round` while thread `tid` is still
   * owed a step before the next tick; `#roundOpen` false means a new round
   * starts at the next step. (Stamps, not a set per round: this runs every step.)
   */
  #round = 0;
  /** The earliest deadline of a thread {@linkcode runnable} last found parked (Infinity: none). */
  #due = Number.POSITIVE_INFINITY;
  /** The last step a workload thread took (the workload's progress, for the liveness bound). */
  #workloadStepAt = 0;
  #roundOpen = false;
  readonly #owedIn: number[] = [];
  /** A failure before the first step (a thread that threw while starting). */
  #early: Verdict | null = null;
  /** What runs after each step: the monitors' step hooks ({@linkcode Monitor.stepHook}), in order. */
  readonly #stepHooks: ((world: World) => void)[] = [];
  readonly #tailOn: boolean;
  /** A kernel variant runs (`WorldOptions.makeKernel`): the liveness hint says so. */
  readonly #variant: boolean;
  readonly #watch: ((step: number, tid: number, entry: number) => void) | undefined;
  readonly #stopBefore: { readonly step: number; readonly tid: number } | undefined;
  /**
   * Each thread's name in a recorded schedule (`sim/strategy.ts` `recordingStrategy`), by tid - 1:
   * its own name, a spawned thread's behind its parent's (`fs.svc0/svc-2`: two service threads
   * each spawning a "svc-2", or a child named as its parent, stay apart), and `#2`, `#3`, ... in
   * spawn order for a name still taken, so a schedule followed on a cut input (shrinking) never
   * mistakes one thread for another.
   */
  readonly #scheduleNames: string[] = [];
  readonly #namesTaken = new Set<string>();

  /** Builds a world with a fresh kernel and no threads. */
  constructor(options: WorldOptions) {
    this.trace = new Trace(options.keepTrace ?? true, options.hashTrace ?? true);
    this.#tailOn = options.quiescentTail ?? true;
    this.#watch = options.watch;
    this.#stopBefore = options.stopBefore;
    const kernelOptions = {
      pageSize: options.pageSize,
      overtimeTicks: options.overtimeTicks,
      sink: this.trace,
    };
    this.kernel = options.makeKernel?.(kernelOptions) ?? new Kernel(kernelOptions);
    this.#variant = options.makeKernel !== undefined;
    this.decisions = new DecisionSource(
      options.strategy,
      (tid) => this.#scheduleNames[tid - 1] ?? "",
    );
    this.maxSteps = options.maxSteps ?? 100_000;
    this.liveness = options.liveness ?? { afterSteps: 5000, bound: 20_000 };
    this.monitors = options.monitors ?? [];
    // A watched run also tells the watch when a thread enters and leaves the kernel: the code a
    // thread runs between a syscall's `call` and `ret` events is the kernel's (a `--kernel`
    // variant's), and a hang there is not its caller's.
    const watch = this.#watch;
    if (watch !== undefined) {
      this.trace.listen((e) => {
        if (e.k !== "call" && e.k !== "ret") return;
        const t = this.threads[e.tid - 1];
        if (t === undefined || t.tid !== e.tid) return;
        t.inSyscall = e.k === "call" ? syscallCode(e.name) : 0;
        watch(this.step, t.tid, t.entry + IN_SYSCALL * t.inSyscall);
      });
    }
    for (const m of this.monitors) {
      // Asked once: a step monitor's `onEvent` getter makes it a member of the run (and only a
      // journal's leader answers with a listener), so the listener is kept, not asked per event.
      const onEvent = m.onEvent;
      if (onEvent) this.trace.listen((e, step) => onEvent.call(m, e, step));
    }
    // Asked once too, after every `onEvent` (a checker set's members know then who is in the
    // run): one call per step for a set that judges its members together, not one per member.
    for (const m of this.monitors) {
      if (m.stepHook !== undefined) {
        const hook = m.stepHook(this);
        if (hook !== null) this.#stepHooks.push(hook);
      } else if (m.afterStep !== undefined) this.#stepHooks.push((w) => m.afterStep?.(w));
    }
    // Checkers compare the bytes of the pages a step touched; the model alone records nothing.
    this.kernel.pages.touches.enabled = this.monitors.length > 0;
    const percent = options.allocFailPercent ?? 0;
    // Bound, not an arrow: an arrow assigned to the kernel's field after the kernel was made kept
    // the run alive through every scavenge until a full collection (a bound function does not;
    // both measured: fuzz/young_survivors_test.ts).
    if (percent > 0) this.kernel.allocFailure = this.#allocFails.bind(this, percent);
  }

  /** The thread being stepped, if any. */
  get running(): SimThread | null {
    return this.#running;
  }

  /**
   * Adds a thread. Its body runs at once up to its first syscall, which does
   * nothing kernel-visible; from then on it runs only when scheduled.
   */
  spawn(
    name: string,
    role: Role,
    body: (sys: Sys) => ThreadBody,
    options: {
      failInsteadOfBlock?: boolean;
      notBefore?: number;
      parent?: number;
      entry?: EntryPoint;
      origin?: string | null;
    } = {},
  ): SimThread {
    const tid = this.threads.length + 1;
    // A spawned thread's schedule name says whose it is ("fs.svc0/worker"): the same whatever
    // cut removes another pager's threads, so a followed schedule keeps meaning the same thread.
    const qualified = options.parent === undefined
      ? name
      : `${this.#scheduleNames[options.parent - 1] ?? ""}/${name}`;
    let unique = qualified;
    for (let n = 2; this.#namesTaken.has(unique); n++) unique = `${qualified}#${n}`;
    const [k, handle] = this.kernel.createThread(name, tid, options.failInsteadOfBlock ?? false);
    const sys = new Sys(this.kernel, k, (n, classes) => this.#draw(n, classes), (key) => {
      for (const m of this.monitors) m.onCheckpoint?.(tid, key);
    }, (child, childBody) =>
      this.spawn(child, role, childBody, {
        parent: tid,
        origin: this.threads[tid - 1]?.origin ?? null,
      }).tid);
    const t: SimThread = {
      tid,
      name,
      role,
      k,
      handle,
      sys,
      pending: null,
      steps: 0,
      end: { kind: "running" },
      notBefore: options.notBefore ?? 0,
      gen: undefined as unknown as ThreadBody,
      entry: ENTRY_POINTS.indexOf(
        options.entry ?? (options.parent !== undefined ? "spawned" : ENTRY_DEFAULT[role]),
      ),
      origin: options.origin ?? null,
      inSyscall: 0,
    };
    this.threads.push(t);
    this.#namesTaken.add(unique);
    this.#scheduleNames.push(unique);
    try {
      t.gen = body(sys);
      this.#advance(t);
    } catch (e) {
      if (e instanceof StoppedBefore) throw e;
      this.#early ??= this.#failure(e instanceof ThreadFault ? e : new ThreadFault(t, e), t);
    }
    return t;
  }

  /**
   * Thread `tid` starts running `entry`'s code (the harness calls a service's entry point on it);
   * the watch is told at once, so a hang inside the entry names it. Returns what it ran before,
   * to restore when the entry returns.
   */
  enter(tid: number, entry: EntryPoint | number): number {
    const t = this.threads[tid - 1];
    const before = t.entry;
    t.entry = typeof entry === "number" ? entry : ENTRY_POINTS.indexOf(entry);
    this.#watch?.(this.step, tid, t.entry + IN_SYSCALL * t.inSyscall);
    return before;
  }

  /** The threads the current tick's round still owes a step, in tid order (explore's state hash). */
  roundOwed(): readonly number[] {
    if (!this.#roundOpen) return [];
    const out: number[] = [];
    for (const [tid, round] of this.#owedIn.entries()) if (round === this.#round) out.push(tid);
    return out;
  }

  /** Runs to a verdict. */
  run(): RunResult {
    let verdict = this.#early ?? this.#loop();
    if (verdict.kind === "pass" && this.#early === null && this.#tailOn) verdict = this.#tail();
    this.trace.note(`verdict ${verdict.kind}`);
    let final = verdict;
    if (verdict.kind === "pass") {
      try {
        for (const m of this.monitors) m.atEnd?.(this, verdict);
      } catch (e) {
        final = this.#failure(e, null);
      }
    }
    return {
      verdict: final,
      steps: this.step,
      decisions: this.decisions.decisions,
      traceHash: this.trace.hash,
      trace: this.trace,
      threads: this.threads.map((t) => ({ tid: t.tid, name: t.name, role: t.role })),
    };
  }

  /** Threads that could run now, in tid order. */
  runnable(): SimThread[] {
    const now = this.kernel.now;
    const out: SimThread[] = [];
    let due = Number.POSITIVE_INFINITY;
    for (const t of this.threads) {
      if (t.end.kind !== "running" || t.k.suspended || t.pending === null) continue;
      if (t.role === "env" && (t.notBefore > this.step || (this.fair && t.steps === 0))) continue;
      if (t.pending.kind === "block" && !t.pending.wait.ready(now)) {
        if (t.pending.wait.deadline < due) due = t.pending.wait.deadline;
        continue;
      }
      out.push(t);
    }
    this.#due = due;
    return out;
  }

  /**
   * Threads parked on a wait, with what they wait on. A wait that is over (the thread woken, not
   * yet run) says so, and a pager wait on no request says what that means: a report's
   * "vmo 1005: nothing" told a user nothing (userS27k).
   */
  blocked(): BlockedThread[] {
    const now = this.kernel.now;
    return this.threads.filter((t) => t.end.kind === "running" && (t.role !== "env" || t.steps > 0))
      .filter((t) => t.k.suspended || t.pending?.kind === "block")
      .map((t) => ({
        tid: t.tid,
        thread: t.name,
        role: t.role,
        on: (t.k.suspended ? "(suspended) " : "") +
          (t.pending?.kind === "block" ? this.#waitWords(t, t.pending.wait, now) : "nothing"),
      }));
  }

  /** What parked thread `t`'s `wait` is on, in words ({@linkcode World.blocked}). */
  #waitWords(t: SimThread, wait: Wait, now: number): string {
    const on = this.waitOf(t.tid, wait).on;
    // A pager waiter whose request is gone describes itself as `vmo N: nothing`.
    const gone = on.endsWith(": nothing");
    const what = gone ? on.slice(0, -": nothing".length) : on;
    if (!t.k.suspended && wait.ready(now)) {
      // `ready` depends on the clock only through the deadline (Wait.ready): a wait not ready
      // before any deadline was not woken, its own deadline passed. userS29b: three readers joined
      // to a COMMIT's READ in the same tick shared its overtime deadline; the report said they were
      // "woken from" a wait the trace never woke them from (they time out when they next run).
      if (!wait.ready(Number.NEGATIVE_INFINITY)) {
        return `${
          gone ? `${what} on no request` : on
        }, not woken: its own deadline (tick ${wait.deadline}) has passed, so it ` +
          `times out when it next runs (runnable, not yet run again)`;
      }
      return `nothing now: woken from its wait on ${what}${
        gone ? " (its request resolved)" : ""
      }, runnable and not yet run again`;
    }
    return gone
      ? `${what} on no request (none outstanding for it: no supply or OP_FAIL will wake it)`
      : on;
  }

  /**
   * What thread `tid`'s `wait` is on and the threads holding it, for hang reports and the
   * wait-for graph: the kernel's account (a futex's owner, `... owned by t3`), and for a
   * `Mutex` of services/sync.ts whose futex the kernel names no owner of, the holder the
   * mutex's word records (`... held by t3`). Upstream's `zx_futex_wake` leaves a futex
   * without an owner (`OwnerAction::RELEASE`), and a woken waiter takes the lock by a
   * compare-and-swap on the word, no syscall: the waiters left behind then wait on a thread
   * the kernel no longer names. The word is the library's record ({@linkcode mutexHolder}), not
   * a claim of the service's.
   */
  waitOf(tid: number, wait: Wait): { on: string; holders: readonly number[] } {
    const on = wait.describe();
    const holders = wait.holders?.() ?? [];
    if (holders.length > 0) return { on, holders };
    // A futex wait on a `Mutex`'s word (services/sync.ts labels it "mutex"), no owner named.
    const futex = wait.futex?.();
    const held = futex === undefined || this.kernel.futexes.kindOf(futex) !== "mutex"
      ? null
      : mutexHolder(this.kernel, futex);
    return held === null || held.tid === tid
      ? { on, holders }
      : { on: `${on} held by t${held.tid}`, holders: [held.tid] };
  }

  #workloadDone(): boolean {
    return this.threads.every((t) => t.role !== "workload" || t.end.kind !== "running");
  }

  #loop(): Verdict {
    let fairSince = 0;
    for (;;) {
      if (this.#workloadDone()) return { kind: "pass", step: this.step };
      if (this.step >= this.maxSteps) return { kind: "step-budget", step: this.step };
      if (!this.fair && this.step >= this.liveness.afterSteps) {
        this.fair = true;
        fairSince = this.step;
        this.livenessFrom = this.step;
        this.decisions.switchTo(fairStrategy());
        this.trace.note(`liveness phase from step ${this.step}`);
      }
      if (this.fair && this.step - fairSince >= this.liveness.bound) {
        // Unfinished, not stuck: a thread could still run and the workload still moved in the
        // phase's last quarter (a slow service serving it). A service spinning without serving
        // (a lost wake-up it polls for) leaves the workload parked: a hang as before.
        const runnable = this.runnable().map((t) => t.tid);
        const blocked = this.blocked();
        const moving = this.step - this.#workloadStepAt <= this.liveness.bound / 4;
        return runnable.length === 0 || !moving ? { kind: "hang", step: this.step, blocked } : {
          kind: "hang",
          step: this.step,
          blocked,
          unfinished: {
            afterSteps: fairSince,
            bound: this.liveness.bound,
            runnable,
            ...(this.#variant ? { variant: true as const } : {}),
          },
        };
      }
      const ready = this.#readyNow();
      if (ready.length === 0) {
        const next = this.#nextDeadline();
        if (next === null) {
          const envLater = this.threads.some((t) =>
            t.role === "env" && t.end.kind === "running" && !this.fair && t.notBefore > this.step
          );
          if (envLater) {
            this.step++;
            continue;
          }
          return { kind: "hang", step: this.step, blocked: this.blocked() };
        }
        this.kernel.now = next;
        this.#roundOpen = false;
        continue;
      }
      const failure = this.#stepOne(ready);
      if (failure !== null) return failure;
    }
  }

  /** The runnable threads, after ending the tick's round if it is over. */
  #readyNow(): SimThread[] {
    const ready = this.runnable();
    if (!this.#roundOpen || !this.#roundOver(ready)) return ready;
    this.kernel.now++;
    this.#roundOpen = false;
    // A wait's readiness depends on the clock only through its deadline (Wait.ready): with no
    // parked thread's deadline due at the new tick, the runnable set is the same.
    return this.#due <= this.kernel.now ? this.runnable() : ready;
  }

  /** Picks one of `ready` and steps it; a failure verdict, or null. */
  #stepOne(ready: readonly SimThread[]): Verdict | null {
    if (!this.#roundOpen) {
      this.#roundOpen = true;
      this.#round++;
      for (const r of ready) this.#owedIn[r.tid] = this.#round;
    }
    // One thread ready is no choice (nothing recorded, no thread ids needed).
    const t = ready.length === 1
      ? ready[0]
      : ready[this.decisions.choose(ready.length, "thread", ready.map((r) => r.tid), this.step)];
    this.step++;
    this.trace.step = this.step;
    this.#owedIn[t.tid] = 0;
    if (t.role === "workload") this.#workloadStepAt = this.step;
    return this.#stepThread(t);
  }

  /**
   * The quiescent tail of a passing run: fair steps until no thread can run
   * now (a thread parked until a deadline counts as blocked: time does not
   * jump) or the bound is reached. A pass, or the failure a step of it shows.
   */
  #tail(): Verdict {
    this.workloadDoneAt = this.step;
    const start = this.step;
    const bound = Math.min(this.liveness.bound, TAIL_STEPS);
    for (let first = true;; first = false) {
      let ready = this.#readyNow();
      if (ready.length > 0 && first) {
        // Only a tail that runs shows in the trace (a run that ends quiescent keeps its hash).
        this.trace.note(`quiescent tail from step ${this.step}`);
        if (!this.fair) {
          this.fair = true;
          this.decisions.switchTo(fairStrategy());
          ready = this.runnable(); // environment threads that never started stay out
        }
      }
      if (ready.length === 0) {
        this.quiescent = true;
        return { kind: "pass", step: this.step };
      }
      if (this.step - start >= bound || this.step >= this.maxSteps) {
        this.quiescent = false;
        this.trace.note(`quiescent tail cut at step ${this.step}`);
        return { kind: "pass", step: this.step };
      }
      const failure = this.#stepOne(ready);
      if (failure !== null) return failure;
    }
  }

  /**
   * True once the current tick's round is over: every thread it owes a step
   * to has taken it or is no longer runnable (`ready` is the runnable set now).
   */
  #roundOver(ready: readonly SimThread[]): boolean {
    if (!this.#roundOpen) return true;
    for (const t of ready) if (this.#owedIn[t.tid] === this.#round) return false;
    return true;
  }

  #nextDeadline(): number | null {
    let best: number | null = null;
    for (const t of this.threads) {
      if (t.end.kind !== "running" || t.k.suspended || t.pending?.kind !== "block") continue;
      const d = t.pending.wait.deadline;
      if (Number.isFinite(d) && (best === null || d < best)) {
        best = Math.max(d, this.kernel.now + 1);
      }
    }
    return best;
  }

  #stepThread(t: SimThread): Verdict | null {
    this.#running = t;
    t.steps++;
    this.kernel.pages.touches.clear();
    try {
      this.#advance(t);
      for (const other of this.threads) {
        if (other.end.kind === "running" && other.k.killed) {
          other.end = { kind: "killed" };
        }
      }
      const hooks = this.#stepHooks;
      for (let i = 0; i < hooks.length; i++) hooks[i](this);
    } catch (e) {
      if (e instanceof StoppedBefore) throw e;
      return this.#failure(e, t);
    } finally {
      this.#running = null;
    }
    return null;
  }

  /** Resumes a thread to its next yield, classifying how it stopped. Throws kernel/monitor errors. */
  #advance(t: SimThread): void {
    let r: IteratorResult<KernelYield, void>;
    const stop = this.#stopBefore;
    if (stop !== undefined && stop.step === this.step && stop.tid === t.tid) {
      throw new StoppedBefore(this, t);
    }
    this.#watch?.(this.step, t.tid, t.entry + IN_SYSCALL * t.inSyscall);
    try {
      r = t.gen.next();
    } catch (e) {
      if (e instanceof KernelAssertionError || e instanceof InvariantViolation) throw e;
      // The guard's stop before a thread its parent spawned (a service's worker stuck while
      // starting) comes out through the parent's code: the stop, not the parent's fault
      // (userS28s: sim printed the parent's fault's trace, repro ran on into the next spinner).
      if (e instanceof StoppedBefore) throw e;
      throw new ThreadFault(t, e);
    }
    if (r.done) {
      t.pending = null;
      // A kill deferred to the end of a file's close that was the thread's last op lands first.
      if (t.end.kind === "running" && t.k.killed) t.end = { kind: "killed" };
      else if (t.end.kind === "running") {
        this.kernel.threadExited(t.k);
        t.end = { kind: "exited" };
      }
      return;
    }
    if (!isKernelYield(r.value)) {
      throw new ThreadFault(t, notASyscall(r.value, this.kernel, t.origin));
    }
    t.pending = r.value;
    if (r.value.kind === "crash") {
      t.end = { kind: "page-fault", synth: r.value.synth, addr: r.value.addr };
      t.pending = null;
    }
    if (t.k.killed && t.end.kind === "running") t.end = { kind: "killed" };
  }

  #failure(e: unknown, t: SimThread | null): Verdict {
    const tid = t?.tid ?? 0;
    if (e instanceof InvariantViolation) return invariantVerdict(e, this.step, tid);
    if (e instanceof KernelAssertionError) {
      return {
        kind: "kernel-assertion",
        message: e.message,
        stack: e.stack ?? "",
        step: this.step,
        tid,
      };
    }
    if (e instanceof ThreadFault) {
      e.thread.end = { kind: "fault", message: e.message };
      return {
        kind: "thread-fault",
        tid: e.thread.tid,
        thread: e.thread.name,
        message: e.message,
        stack: e.stack ?? "",
        step: this.step,
      };
    }
    const err = e instanceof Error ? e : new Error(String(e));
    return {
      kind: "kernel-assertion",
      message: `harness error: ${err.message}`,
      stack: err.stack ?? "",
      step: this.step,
      tid,
    };
  }

  /**
   * Whether allocating call `name` of kernel thread `t` fails (kernel/alloc_fault.ts): a recorded
   * draw for a service thread outside the liveness phase (which injects no new faults), noted
   * in the trace when it fails.
   */
  #allocFails(percent: number, t: KernelThread, name: string): boolean {
    const sim = this.threads[t.tid - 1];
    if (this.fair || sim === undefined || sim.k !== t || sim.role !== "service") return false;
    const fails =
      this.decisions.choose(100, "draw", [], this.step, chanceClasses(percent)) < percent;
    if (fails) this.trace.note(`t${t.tid} ${name}: allocation failure injected (ZX_ERR_NO_MEMORY)`);
    return fails;
  }

  #draw(n: number, classes?: readonly number[]): number {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`random(${n}): n must be a positive integer`);
    }
    return this.decisions.choose(n, "draw", [], this.step, classes);
  }
}

/** A thread's own code threw (or yielded garbage): that thread's fault, not the kernel's. */
class ThreadFault extends Error {
  override name = "ThreadFault";
  constructor(readonly thread: SimThread, cause: unknown) {
    const err = cause instanceof Error ? cause : new Error(String(cause));
    super(`${err.name}: ${err.message}`);
    this.stack = err.stack;
  }
}
