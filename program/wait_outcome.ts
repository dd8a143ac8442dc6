/**
 * What a program's waits may end with, from the program's own calls and the clock: a wait
 * returns ZX_ERR_TIMED_OUT only once its deadline has passed, and `zx_object_wait_one` returns
 * ZX_ERR_CANCELED only when its handle was closed while it waited. Predicted without the
 * kernel's waits, so a kernel whose wait wakes early and says TIMED_OUT, or says CANCELED of a
 * handle nobody closed, fails the contract even where the contract cannot say which of OK or
 * TIMED_OUT a racing wait gets.
 *
 * Upstream: `zx_object_wait_one` "ZX_ERR_CANCELED *handle* was invalidated (e.g., closed)
 * during the wait", "ZX_ERR_TIMED_OUT The specified deadline passed before any of the
 * specified *signals* are observed on *handle*" (docs/reference/syscalls/object_wait_one.md @
 * gnoliyil/fuchsia 3a0300d1); `zx_port_wait` "ZX_ERR_TIMED_OUT *deadline* passed and no packet
 * was available" (port_wait.md); `zx_futex_wait` "ZX_ERR_TIMED_OUT The thread was not woken
 * before *deadline* passed" (futex_wait.md). Deadlines are absolute, on the clock the kernel
 * reads (`Kernel.now`); a deadline that is no number is an argument error, not judged here.
 *
 * @module
 */

import { statusName, ZX_ERR_CANCELED, ZX_ERR_TIMED_OUT } from "../kernel/constants.ts";

/** The waits judged, and the index of each one's deadline argument. */
const DEADLINE_ARG: ReadonlyMap<string, number> = new Map([
  ["zx_object_wait_one", 2],
  ["zx_port_wait", 1],
  ["zx_futex_wait", 3],
]);

/** The calls that invalidate the handle they are given (its first argument). */
const CLOSERS: ReadonlySet<string> = new Set(["zx_handle_close", "zx_handle_replace"]);

interface Waiting {
  readonly call: string;
  readonly handle: unknown;
  readonly deadline: number;
  /** A close or replace of the handle started while the wait was in progress. */
  closed: boolean;
}

/**
 * Each program thread's wait in progress, and whether its handle was closed since it started.
 *
 * @example
 * ```ts
 * import { WaitOutcome } from "./wait_outcome.ts";
 * import { ZX_ERR_CANCELED, ZX_ERR_TIMED_OUT } from "../kernel/constants.ts";
 * const w = new WaitOutcome();
 * w.start("zx_object_wait_one", [5, 1, 100], 0);
 * console.assert(w.end("zx_object_wait_one", ZX_ERR_TIMED_OUT, 40, 0) !== undefined); // early
 * w.start("zx_object_wait_one", [5, 1, 100], 0);
 * w.start("zx_handle_close", [5], 1);
 * console.assert(w.end("zx_object_wait_one", ZX_ERR_CANCELED, 40, 0) === undefined);
 * ```
 */
export class WaitOutcome {
  readonly #waiting = new Map<number, Waiting>();

  /** Program thread `t` starts `call` with (resolved) `args`. */
  start(call: string, args: readonly unknown[], t: number): void {
    const at = DEADLINE_ARG.get(call);
    if (at !== undefined) {
      const deadline = args[at];
      if (typeof deadline === "number" && !Number.isNaN(deadline)) {
        this.#waiting.set(t, { call, handle: args[0], deadline, closed: false });
      } else this.#waiting.delete(t);
    }
    if (CLOSERS.has(call)) this.closing(args[0]);
  }

  /** `handle` is being closed (by a program call, or by the runner's cleanup after the threads). */
  closing(handle: unknown): void {
    for (const w of this.#waiting.values()) if (w.handle === handle) w.closed = true;
  }

  /**
   * Program thread `t`'s `call` returned `status` at tick `now`: why that outcome is one its
   * wait cannot have, or `undefined`.
   */
  end(call: string, status: number, now: number, t: number): string | undefined {
    if (!DEADLINE_ARG.has(call)) return undefined;
    const w = this.#waiting.get(t);
    this.#waiting.delete(t);
    if (w === undefined || w.call !== call) return undefined;
    if (status === ZX_ERR_TIMED_OUT && now < w.deadline) {
      return `returned ${statusName(status)} at tick ${now}, before its deadline ${w.deadline}`;
    }
    if (status === ZX_ERR_CANCELED && call === "zx_object_wait_one" && !w.closed) {
      return `returned ${
        statusName(status)
      }, but no call closed handle ${w.handle} while it waited (object_wait_one.md: CANCELED is a handle invalidated during the wait)`;
    }
    return undefined;
  }
}
