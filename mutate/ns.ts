/**
 * The `__stryker__` namespace the instrumented code reads, and the hit limit.
 * No project imports: the worker sets coverage up through this module before
 * it imports anything instrumented, so code run while modules load is seen.
 *
 * @module
 */

/**
 * Times one probe may reach the active mutant before it counts as looping
 * (Stryker's hit limit: a mutant inside a loop it makes endless is stopped in
 * a second instead of at the wall-clock limit). Measured unmutated (session 34, every campaign
 * probe once, hits counted per mutant site): the hottest site of a probe is hit 8.4 million times
 * (`program:port-limit`, `kernel/signals.ts:69`), 4.2 million (`conformance:PX7`, an assertion),
 * 2.1 million (`run:173`), under a million elsewhere: the limit is 2.4 times the most, so it
 * cannot go much lower without stopping mutants that only slow a probe down.
 */
export const HIT_LIMIT = 20_000_000;

/** The stryker namespace the instrumented code reads. */
export interface StrykerNs {
  /** Hits of the active mutant so far, and the count past which it throws (Stryker's hit limit). */
  hitCount?: number;
  hitLimit?: number;
  /** The active mutant's id, as a number (see instrument.ts). */
  activeMutant?: number;
  /** Where the coverage helper marks the mutants it reaches (none: coverage off; see instrument.ts). */
  hits?: Uint8Array;
  /** While the unmutated coverage run lasts: the hit array of a probe id (a test step's, say). */
  hitsFor?: (probe: string) => Uint8Array;
  /**
   * Mutant sites the instrumented code may still evaluate before it calls {@linkcode poll}
   * (every site counts it down, active mutant or not: see instrument.ts).
   */
  tick?: number;
  /** The memory limit's check, called when {@linkcode tick} runs out (see `armMemoryLimit`). */
  poll?: () => void;
}

/** The namespace object (created if absent). */
export function strykerNs(): StrykerNs {
  const g = globalThis as unknown as { __stryker__?: StrykerNs };
  return g.__stryker__ ??= {};
}

/**
 * Arms the hit limit for one probe run of the active mutant: every hit of it is counted, and the
 * limit (read through a getter on every hit) is {@linkcode HIT_LIMIT}, or -1 once `stop[0]` is
 * set: a mutant looping through its own code then throws Stryker's hit-limit error at its next
 * hit. This is how the pool ends a worker's run: `Worker.terminate()` does not stop a worker busy
 * in a loop (Deno 2.9.6; a loop went on allocating after it until the process ran out of memory).
 *
 * @example
 * ```ts
 * import { armHitLimit, disarmHitLimit, strykerNs } from "./ns.ts";
 * const stop = new Int32Array(new SharedArrayBuffer(4));
 * armHitLimit(stop);
 * Atomics.store(stop, 0, 1);
 * console.assert(strykerNs().hitLimit === -1);
 * disarmHitLimit();
 * console.assert(strykerNs().hitLimit === undefined);
 * ```
 */
export function armHitLimit(stop: Int32Array): void {
  const ns = strykerNs();
  ns.hitCount = 0;
  Object.defineProperty(ns, "hitLimit", {
    get: () => Atomics.load(stop, 0) !== 0 ? -1 : HIT_LIMIT,
    configurable: true,
    enumerable: true,
  });
}

/** Ends what {@linkcode armHitLimit} began: no counting, no limit. */
export function disarmHitLimit(): void {
  const ns = strykerNs();
  ns.hitCount = undefined;
  Object.defineProperty(ns, "hitLimit", {
    value: undefined,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

/**
 * What one mutant run may grow its own isolate by (heap used plus external memory, MiB), by
 * default: past it the run ends with the verdict "memory limit" (`armMemoryLimit`). A worker of
 * `deno task mutate` holds about 300 MiB of loaded probes; unmutated, a run's live growth is a few
 * tens of MiB.
 */
export const MEMORY_LIMIT_MIB = 1024;

/**
 * Mutant sites evaluated between two checks of the memory limit. One check (`Deno.memoryUsage()`)
 * costs about 50 microseconds; a site evaluation a few nanoseconds, so a check is a fraction of a
 * percent of the run, and a loop allocating through the kernel's code is seen within milliseconds.
 */
export const MEMORY_POLL_SITES = 1 << 18;

/** The error a run over its memory limit throws (at every mutant site, once over). */
export const MEMORY_LIMIT_MESSAGE = "Stryker: memory limit reached";

/**
 * This isolate's own memory, bytes: heap used plus external (array buffers). In a worker it is
 * that worker's alone (the process's RSS, which keeps what ended workers held, is not read).
 */
export function isolateBytes(): number {
  const u = Deno.memoryUsage();
  return u.heapUsed + u.external;
}

/** The `gc` function V8 exposes under `--v8-flags=--expose-gc`, if it does. */
function fullGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  return typeof g === "function" ? g : undefined;
}

/**
 * {@linkcode isolateBytes} after a full garbage collection when V8 allows one
 * (`--v8-flags=--expose-gc`, as `deno task mutate` runs): the live memory, which does not depend
 * on when the collector last ran. Without the flag, what is in use now, garbage included.
 */
export function settledIsolateBytes(): number {
  fullGc()?.();
  return isolateBytes();
}

/** Where the memory limit stands: armed (and over it or not), or off. */
let memory: { base: number; limit: number; over: number | null } | null = null;

/**
 * Arms the memory limit of one mutant run: every {@linkcode MEMORY_POLL_SITES} mutant sites the
 * instrumented code evaluates, this isolate's memory is compared with `base` (bytes: the worker's
 * settled memory before any mutant ran) plus `limitMiB`. Over it, a full collection (when V8
 * allows one) tells live memory from garbage; if the live memory is over too, the run is over its
 * limit: every mutant site from then on throws {@linkcode MEMORY_LIMIT_MESSAGE}, so the judged
 * code stops whatever loop it allocates in, and {@linkcode memoryOver} says by how much it grew.
 * What an earlier run of the process left behind is not counted: only this isolate's memory is.
 *
 * @example
 * ```ts
 * import { armMemoryLimit, disarmMemoryLimit, isolateBytes, memoryOver } from "./ns.ts";
 * armMemoryLimit(1024, isolateBytes());
 * console.assert(memoryOver() === null);
 * disarmMemoryLimit();
 * ```
 */
export function armMemoryLimit(limitMiB: number, base: number): void {
  const ns = strykerNs();
  const state = { base, limit: limitMiB * 2 ** 20, over: null as number | null };
  memory = state;
  // A collection that found the live growth under the limit is not repeated until the growth
  // seen then has grown by half the limit more: a run that makes much garbage is not collected
  // at every check, and its live memory passes the limit by at most about half of it before a
  // check sees it (a doubling let one run reach 2,043 MiB live at a 1,024 MiB limit).
  let confirmAt = state.limit;
  ns.tick = MEMORY_POLL_SITES;
  ns.poll = () => {
    if (state.over !== null) {
      ns.tick = 0; // over: every site throws, so no loop in the judged code goes on
      throw new Error(MEMORY_LIMIT_MESSAGE);
    }
    ns.tick = MEMORY_POLL_SITES;
    const grown = isolateBytes() - state.base;
    if (grown <= confirmAt) return;
    const gc = fullGc();
    const live = gc === undefined ? grown : (gc(), isolateBytes() - state.base);
    if (live <= state.limit) {
      confirmAt = Math.max(state.limit, grown) + state.limit / 2;
      return;
    }
    state.over = live;
    ns.tick = 0;
    throw new Error(MEMORY_LIMIT_MESSAGE);
  };
}

/** MiB the armed run had grown by when it went over its memory limit; `null`: it has not. */
export function memoryOver(): number | null {
  const over = memory?.over ?? null;
  return over === null ? null : Math.round(over / 2 ** 20);
}

/** Ends what {@linkcode armMemoryLimit} began: the sites count down, and nothing is checked. */
export function disarmMemoryLimit(): void {
  const ns = strykerNs();
  memory = null;
  ns.tick = MEMORY_POLL_SITES;
  ns.poll = () => {
    ns.tick = MEMORY_POLL_SITES;
  };
}
