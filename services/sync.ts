/**
 * Locks for multi-threaded pager services, built on the kernel's futexes the
 * way Zircon's libsync builds `sync_mutex_t` and `sync_condition_t`: a
 * {@linkcode Mutex} is one futex word holding its owner's thread handle (and
 * a "contested" bit once someone waits), so a blocked `lock` names the owner
 * to `zx_futex_wait` and a hang report can follow the wait-for graph from
 * thread to lock to holder. A {@linkcode CondVar} is a sequence word. The
 * uncontested paths make no syscall (an atomic operation on the word, which
 * the trace records); the contested ones are `zx_futex_wait` /
 * `zx_futex_wake`, scheduling points like every syscall.
 *
 * Start workers with `sys.spawn`; every thread of the process shares the
 * words, so a lock made by one thread is used by all.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseScenario, runScenario, type ServiceContext, type Sys } from "../mod.ts";
 * import { serveReads, supplyFromBacking } from "./service.ts";
 * import { Mutex } from "./sync.ts";
 * // Two threads serve the port; a lock guards the count of pages served.
 * let served = 0;
 * function* pool(sys: Sys, ctx: ServiceContext) {
 *   const lock = new Mutex(sys, "served");
 *   const worker = (s: Sys) =>
 *     serveReads(s, ctx, function* (packet, vmo) {
 *       yield* lock.lock(s);
 *       served += packet.length / s.pageSize;
 *       yield* lock.unlock(s);
 *       yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
 *     });
 *   sys.spawn("worker-2", worker);
 *   yield* worker(sys);
 * }
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "pool" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [
 *     { name: "r1", ops: [{ op: "read", vmo: "a", page: 0 }] },
 *     { name: "r2", ops: [{ op: "read", vmo: "a", page: 1 }] },
 *   ],
 * }), { seed: 3, services: { pool } });
 * assert.equal(run.verdict.kind, "pass");
 * assert.ok(served >= 2);
 * ```
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys } from "../sim/sys.ts";

/** The word's low bit: someone waits (handle values are multiples of 0x10). */
const CONTESTED = 1;

/** Fails the calling thread with one clear line (a service bug, not a kernel one). */
function misuse(message: string): never {
  throw new Error(message);
}

/**
 * A mutual-exclusion lock on a futex word. `lock` and `unlock` are
 * generators: `yield* m.lock(sys)`.
 */
export class Mutex {
  /** The futex word's address. */
  readonly addr: number;
  /** The name hang reports give the lock. */
  readonly name: string;

  /** A new unlocked mutex (its word is allocated through `sys`; any thread may use it). */
  constructor(sys: Sys, name = "mutex") {
    this.addr = sys.futexWord(0);
    this.name = name;
    sys.kernel.futexes.label(this.addr, "mutex", name);
  }

  /** Takes the lock without waiting; true if this thread now holds it. */
  tryLock(sys: Sys): boolean {
    return sys.atomicCas(this.addr, 0, sys.self) === 0;
  }

  /** Takes the lock, waiting on the futex (naming the holder as its owner) while it is held. */
  *lock(sys: Sys): Syscall<void> {
    const me = sys.self;
    let c = sys.atomicCas(this.addr, 0, me);
    if (c === 0) return;
    if ((c & ~CONTESTED) === me) misuse(`t${sys.tid} locks ${this.name}, which it holds already`);
    for (;;) {
      if (c === 0) {
        // Others may still wait: take it contested so our unlock wakes one of them.
        c = sys.atomicCas(this.addr, 0, me | CONTESTED);
        if (c === 0) return;
        continue;
      }
      if ((c & CONTESTED) === 0) {
        const was = sys.atomicCas(this.addr, c, c | CONTESTED);
        if (was !== c) {
          c = was;
          continue;
        }
        c |= CONTESTED;
      }
      const st = yield* sys.futexWait(this.addr, c, c & ~CONTESTED, ZX_TIME_INFINITE);
      if (st !== ZX_OK && st !== ZX_ERR_BAD_STATE) {
        misuse(`t${sys.tid}: zx_futex_wait on ${this.name} returned ${st}`);
      }
      c = sys.atomicCas(this.addr, 0, me | CONTESTED);
      if (c === 0) return;
    }
  }

  /** Releases the lock (the caller must hold it), waking one waiter if any. */
  *unlock(sys: Sys): Syscall<void> {
    const old = sys.atomicSwap(this.addr, 0);
    if ((old & ~CONTESTED) !== sys.self) {
      misuse(`t${sys.tid} unlocks ${this.name}, which it does not hold`);
    }
    if (old & CONTESTED) yield* sys.futexWake(this.addr, 1);
  }

  /** The tid-free view of the lock: true while some thread holds it. */
  held(sys: Sys): boolean {
    return sys.atomicLoad(this.addr) !== 0;
  }
}

/**
 * A condition variable on a futex sequence word. `wait` releases the mutex,
 * waits for a `signal`/`broadcast` made after it read the sequence (or the
 * deadline), and takes the mutex again; as with any condition variable,
 * re-check the condition in a loop.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { World } from "../sim/world.ts";
 * import { randomStrategy } from "../sim/strategy.ts";
 * import { CondVar, Mutex } from "./sync.ts";
 * import type { Sys } from "../sim/sys.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(7) });
 * let ready = false;
 * let lock: Mutex | undefined, cv: CondVar | undefined;
 * world.spawn("waiter", "workload", function* (sys: Sys) {
 *   lock = new Mutex(sys, "m");
 *   cv = new CondVar(sys, "ready");
 *   yield* lock.lock(sys);
 *   while (!ready) yield* cv.wait(sys, lock);
 *   yield* lock.unlock(sys);
 * });
 * world.spawn("setter", "workload", function* (sys: Sys) {
 *   yield* sys.portCreate(0); // a scheduling point first
 *   if (lock === undefined || cv === undefined) throw new Error("waiter runs first");
 *   yield* lock.lock(sys);
 *   ready = true;
 *   yield* cv.signal(sys);
 *   yield* lock.unlock(sys);
 * });
 * assert.equal(world.run().verdict.kind, "pass");
 * ```
 */
export class CondVar {
  /** The sequence word's address. */
  readonly addr: number;

  /** A new condition variable named `name` in hang reports. */
  constructor(sys: Sys, name = "condvar") {
    this.addr = sys.futexWord(0);
    sys.kernel.futexes.label(this.addr, "condvar", name);
  }

  /**
   * Releases `mutex` (which the caller holds), waits for a signal or the
   * deadline, and takes `mutex` again. Returns ZX_OK, or ZX_ERR_TIMED_OUT.
   */
  *wait(sys: Sys, mutex: Mutex, deadline = ZX_TIME_INFINITE): Syscall<number> {
    const seq = sys.atomicLoad(this.addr);
    yield* mutex.unlock(sys);
    const st = yield* sys.futexWait(this.addr, seq, 0, deadline);
    yield* mutex.lock(sys);
    return st === ZX_ERR_TIMED_OUT ? st : ZX_OK;
  }

  /** Wakes one waiter. */
  *signal(sys: Sys): Syscall<void> {
    sys.atomicAdd(this.addr, 1);
    yield* sys.futexWake(this.addr, 1);
  }

  /** Wakes every waiter. */
  *broadcast(sys: Sys): Syscall<void> {
    sys.atomicAdd(this.addr, 1);
    yield* sys.futexWake(this.addr, 0xffff_ffff);
  }
}
