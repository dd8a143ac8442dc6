/**
 * What a syscall generator yields to the scheduler, shared by the syscall
 * layer ({@linkcode ./kernel.ts}) and the page machinery
 * ({@linkcode ./vmo_pages.ts}).
 *
 * @module
 */

import type { Status } from "./constants.ts";

/** A condition a parked thread waits for. */
export interface Wait {
  /**
   * True once the thread may run again (woken, or its deadline passed). It may depend on
   * `now` only through `now >= deadline` (the scheduler skips asking again when a tick
   * passes and no deadline falls due).
   */
  ready(now: number): boolean;
  /** Virtual tick at which the wait times out (Infinity: never). */
  readonly deadline: number;
  /** What the thread waits on, for hang reports. */
  describe(): string;
  /**
   * The threads that hold what the thread waits for (a futex's owner), for
   * the wait-for graph of hang reports; absent or empty when no one is known.
   */
  holders?(): readonly number[];
  /**
   * The address of the futex word whose queue the thread is in now (a `zx_futex_wait`; a
   * `zx_futex_requeue` may have moved it), so checks tell the futex from the wait, not from
   * {@linkcode describe}'s words; absent for other waits.
   */
  futex?(): number;
}

/** What a syscall generator yields to the scheduler. */
export type KernelYield =
  | {
    readonly kind: "syscall";
    readonly name: string;
    /** The call's arguments, on the yield that starts a call (absent inside one). */
    readonly args?: readonly unknown[];
  }
  | { readonly kind: "block"; readonly wait: Wait }
  | { readonly kind: "crash"; readonly synth: Status; readonly addr: number };

/** A syscall in progress: yields steps, returns its result. */
export type Syscall<T> = Generator<KernelYield, T, void>;

/**
 * Drives a syscall that must not block to its result: process setup, and
 * tests that call the kernel directly. A block or crash is an error naming it.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * import { runSync } from "./yields.ts";
 * const k = new Kernel({ pageSize: 64 });
 * const [t] = k.createThread("main", 1);
 * const [status] = runSync(k.zx_port_create(t, 0));
 * console.assert(status === 0);
 * ```
 */
export function runSync<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    if (r.value.kind !== "syscall") throw new Error(`call blocked (${r.value.kind})`);
  }
}

/**
 * Steps `call` until it parks on a wait (true) or returns (false): a test
 * that needs a thread blocked on a request.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * import { untilBlocked } from "./yields.ts";
 * const k = new Kernel({ pageSize: 64 });
 * const [t] = k.createThread("main", 1);
 * console.assert(untilBlocked(k.zx_port_create(t, 0)) === false);
 * ```
 */
export function untilBlocked<T>(call: Syscall<T>): boolean {
  for (;;) {
    const r = call.next();
    if (r.done) return false;
    if (r.value.kind === "block") return true;
  }
}

/**
 * Steps `call` to its first block and returns that yield; throws if it returns first: a test
 * that needs a thread parked and then its wait (what it waits on, how it is described).
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * import { runSync, toBlock } from "./yields.ts";
 * const k = new Kernel({ pageSize: 64 });
 * const [t] = k.createThread("main", 1);
 * const [, port] = runSync(k.zx_port_create(t, 0));
 * console.assert(toBlock(k.zx_port_wait(t, port, Infinity)).kind === "block");
 * ```
 */
export function toBlock<T>(call: Syscall<T>): KernelYield {
  for (;;) {
    const r = call.next();
    if (r.done) throw new Error("the call returned without blocking");
    if (r.value.kind === "block") return r.value;
  }
}
