/**
 * The syscall surface a simulated thread sees: `zx_*` calls in camelCase with
 * Zircon's argument order, bound to the calling thread. Every call is a
 * generator; call it with `yield*`.
 *
 * @module
 */

import type { Status } from "../kernel/constants.ts";
import type { Kernel, KernelYield, Syscall } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import { methodName, SYSCALL_NAMES, type ThreadCalls } from "../kernel/syscalls.ts";

/** The body of a simulated thread: a generator that `yield*`s syscalls. */
export type ThreadBody = Generator<KernelYield, void, void>;

/**
 * Draws a recorded random choice in `[0, n)`; provided by the world. `classes`, when given, are
 * the smallest values of the classes of values the caller cannot tell apart (see `Choice.classes`).
 */
export type Draw = (n: number, classes?: readonly number[]) => number;

/** Starts a thread of the caller's role running `body`; its tid. Provided by the world. */
export type Spawner = (name: string, body: (sys: Sys) => ThreadBody) => number;

/** The table's calls of a {@linkcode Sys}: see {@linkcode ThreadCalls}. */
export interface Sys extends ThreadCalls {}

/**
 * One thread's view of the kernel: the calls of {@linkcode ThreadCalls}, and
 * the scheduler's services (time, recorded random choices, checkpoints).
 *
 * @example
 * ```ts
 * import { Kernel } from "../kernel/kernel.ts";
 * import { Sys } from "./sys.ts";
 * const kernel = new Kernel();
 * const [thread] = kernel.createThread("main", 1);
 * const sys = new Sys(kernel, thread, () => 0);
 * const call = sys.portCreate(0);
 * call.next(); // the syscall's scheduling point
 * const [status, port] = call.next().value as [number, number];
 * console.assert(status === 0 && port > 0);
 * ```
 */
export class Sys {
  /** The kernel this thread's calls go to. */
  readonly kernel: Kernel;
  /** @internal The calling thread as the kernel sees it. */
  readonly thread: KThread;
  /** Draws a recorded random choice. */
  readonly draw: Draw;

  readonly #onCheckpoint: (key: string) => void;
  readonly #spawn: Spawner | null;

  /** @internal The world makes one per thread: it binds `thread` to `kernel`. */
  constructor(
    kernel: Kernel,
    thread: KThread,
    draw: Draw,
    onCheckpoint?: (key: string) => void,
    spawn?: Spawner,
  ) {
    this.kernel = kernel;
    this.thread = thread;
    this.draw = draw;
    this.#onCheckpoint = onCheckpoint ?? (() => {});
    this.#spawn = spawn ?? null;
  }

  /**
   * Starts a new thread of the same role (a service's worker) running `body`
   * and returns its tid: the next one in spawn order, so a run's tids are as
   * deterministic as its schedule. The new thread runs up to its first
   * syscall at once and is scheduled from the next step on; a `thread
   * started` event records the spawn. Not a scheduling point.
   */
  spawn(name: string, body: (sys: Sys) => ThreadBody): number {
    if (this.#spawn === null) throw new Error(`t${this.tid} cannot spawn threads outside a world`);
    const tid = this.#spawn(name, body);
    this.kernel.sink.emit({ k: "thread", tid, what: "started" });
    return tid;
  }

  /** A handle to this thread (e.g. the owner to name in `futexWait`). */
  get self(): number {
    return this.thread.selfHandle;
  }

  /**
   * A new futex word of this process's memory holding `initial`; its address,
   * for `futexWait`/`futexWake` and the atomic operations below. (User memory,
   * not a syscall; kernel/futex.ts.)
   */
  futexWord(initial = 0): number {
    const addr = this.kernel.futexes.alloc(initial);
    this.#atomic(addr, "store", 0, initial | 0);
    return addr;
  }

  /** Atomically reads the futex word at `addr`. */
  atomicLoad(addr: number): number {
    const v = this.#word(addr);
    this.#atomic(addr, "load", v, v);
    return v;
  }

  /** Atomically sets the futex word at `addr` to `value`. */
  atomicStore(addr: number, value: number): void {
    const old = this.#word(addr);
    this.kernel.futexes.store(addr, value);
    this.#atomic(addr, "store", old, value | 0);
  }

  /** Compare-and-swap: if the word at `addr` holds `expected` it becomes `desired`; returns what it held. */
  atomicCas(addr: number, expected: number, desired: number): number {
    const old = this.#word(addr);
    if (old === (expected | 0)) this.kernel.futexes.store(addr, desired);
    this.#atomic(addr, "cas", old, this.kernel.futexes.load(addr));
    return old;
  }

  /** Sets the word at `addr` to `value`; returns what it held. */
  atomicSwap(addr: number, value: number): number {
    const old = this.#word(addr);
    this.kernel.futexes.store(addr, value);
    this.#atomic(addr, "swap", old, value | 0);
    return old;
  }

  /** Adds `delta` to the word at `addr` (int32 wrap-around); returns what it held. */
  atomicAdd(addr: number, delta: number): number {
    const old = this.#word(addr);
    this.kernel.futexes.store(addr, (old + delta) | 0);
    this.#atomic(addr, "add", old, (old + delta) | 0);
    return old;
  }

  #word(addr: number): number {
    if (!this.kernel.futexes.valid(addr)) {
      throw new RangeError(`t${this.tid}: no futex word at ${String(addr)}`);
    }
    return this.kernel.futexes.load(addr);
  }

  #atomic(addr: number, op: "load" | "store" | "cas" | "swap" | "add", old: number, value: number) {
    this.kernel.sink.emit({ k: "atomic", tid: this.tid, addr, op, old, value });
  }

  /**
   * Declares that from here on this thread behaves as a function of `key`, the
   * kernel state, and what it observes after this point: nothing it saw before
   * matters any more (e.g. a stateless service at the top of its packet loop).
   * Not a scheduling point and not traced. Exhaustive exploration uses it to
   * merge states that differ only in the thread's forgotten past; a key that
   * hides state the thread still uses makes exploration miss schedules.
   */
  checkpoint(key: string): void {
    this.#onCheckpoint(key);
  }

  /** This thread's id in the simulation. */
  get tid(): number {
    return this.thread.tid;
  }

  /** Virtual time in ticks. */
  get now(): number {
    return this.kernel.now;
  }

  /** The page size of this kernel. */
  get pageSize(): number {
    return this.kernel.pageSize;
  }

  /** Handle to the process's root VMAR. */
  get rootVmar(): number {
    return this.kernel.rootVmarHandle;
  }

  /** A uniform integer in `[0, n)`, drawn from the run's recorded decision source. */
  random(n: number): number {
    return this.draw(n);
  }

  /**
   * True with probability `percent`% (a recorded draw of `random(100) < percent`). Prefer it to
   * comparing `random(100)` yourself: the value stays hidden, so exhaustive exploration tries
   * the two outcomes once each instead of all 100 values (which makes each such draw a
   * 100-way branch of the search). `percent` is a number from 0 to 100, fractions allowed;
   * anything else (150, -5, NaN) throws a `RangeError` naming it: a fault of the calling thread.
   *
   * @example
   * ```ts
   * import { strict as assert } from "node:assert";
   * import { parseScenario, runScenario, serveReads, supplyFromBacking, type ServiceContext, type Sys, type ThreadBody } from "../mod.ts";
   * function coin(sys: Sys, ctx: ServiceContext): ThreadBody {
   *   return serveReads(sys, ctx, function* (p, vmo) {
   *     if (sys.chance(0)) throw new Error("never");
   *     assert.ok(sys.chance(100));
   *     yield* supplyFromBacking(sys, ctx, vmo, p.offset, p.length);
   *   });
   * }
   * const run = runScenario(parseScenario({
   *   pagers: [{ name: "fs", service: { kind: "custom", name: "coin" } }],
   *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
   *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 1 }] }],
   * }), { seed: 1, services: { coin } });
   * assert.equal(run.verdict.kind, "pass");
   * ```
   */
  chance(percent: number): boolean {
    // Out of range, it would be a certainty or a never that looks like a draw (userS25: 150, -5
    // and NaN passed without a word): the thread faults with the value named.
    if (!(percent >= 0 && percent <= 100)) {
      throw new RangeError(`sys.chance(${percent}): percent must be a number from 0 to 100`);
    }
    return this.draw(100, chanceClasses(percent)) < percent;
  }

  /** Pages of a pager VMO the kernel could evict now (environment threads only). */
  evictablePages(vmo: number): number[] {
    return this.kernel.evictablePages(vmo);
  }
  /** The kernel evicts one Clean page (a scheduled environment event, spec 6.3). */
  kernelEvict(vmo: number, page: number): Syscall<Status> {
    return this.kernel.kernel_evict(this.thread, vmo, page);
  }
  /** A load through a mapping; an unresolvable fault kills this thread. */
  memRead(addr: number, length: number): Syscall<Uint8Array> {
    return this.kernel.memRead(this.thread, addr, length);
  }
  /** A store through a mapping; an unresolvable fault kills this thread. */
  memWrite(addr: number, data: Uint8Array): Syscall<void> {
    return this.kernel.memWrite(this.thread, addr, data);
  }
}

// Every table call, bound to the calling thread (mem_read and mem_write are the methods above).
for (const name of SYSCALL_NAMES) {
  if (name === "mem_read" || name === "mem_write") continue;
  Object.defineProperty(Sys.prototype, methodName(name), {
    configurable: true,
    writable: true,
    value: function (this: Sys, ...args: unknown[]): Syscall<unknown> {
      const call = this.kernel[name] as (t: KThread, ...a: unknown[]) => Syscall<unknown>;
      return call.call(this.kernel, this.thread, ...args);
    },
  });
}

/**
 * The classes of `random(100) < percent`'s values, by their smallest value: `[0, p]` when both
 * outcomes can happen, `[0]` when one cannot.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { chanceClasses } from "./sys.ts";
 * assert.deepEqual(chanceClasses(50), [0, 50]);
 * assert.deepEqual(chanceClasses(0), [0]);
 * assert.deepEqual(chanceClasses(100), [0]);
 * assert.deepEqual(chanceClasses(12.5), [0, 13]);
 * ```
 */
export function chanceClasses(percent: number): readonly number[] {
  const first = Math.ceil(percent);
  return first > 0 && first < 100 ? [0, first] : [0];
}
