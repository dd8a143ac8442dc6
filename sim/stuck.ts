/**
 * How a report names a thread that never yielded: where the run stood (step, thread) and whose
 * code the thread ran ({@linkcode ENTRY_POINTS}). One wording for every command that reports a
 * hang: `sim` and `repro` (their guard, `cli/_guard.ts`) and a `fuzz` campaign's watchdog
 * (`fuzz/orchestrate.ts`).
 *
 * @module
 */

import { ENTRY_POINTS, IN_SYSCALL } from "./world.ts";
import { SYSCALL_NAMES } from "../kernel/syscalls.ts";

/** Where a run stood when a watchdog stopped it: the step, and the thread whose code was running. */
export interface StuckAt {
  /** The step (0: a thread started before the first step, running to its first syscall). */
  readonly step: number;
  /** The thread id (`t3`), as the trace names it. */
  readonly tid: number;
  /** Whose code the thread was running: an index into {@linkcode ENTRY_POINTS}. */
  readonly entry?: number;
}

/**
 * Whether a stuck thread was inside a syscall (`entry` carries the syscall's number, sim/world.ts
 * `IN_SYSCALL`): the kernel's code ran, a `--kernel` variant's if one is loaded.
 *
 * @example
 * ```ts
 * import { insideKernel } from "./stuck.ts";
 * console.assert(!insideKernel({ step: 3, tid: 1, entry: 1 }) && !insideKernel(null));
 * ```
 */
export function insideKernel(at: StuckAt | null | undefined): boolean {
  return at?.entry !== undefined && Math.floor(at.entry / IN_SYSCALL) > 0;
}

/**
 * Whose code a stuck thread was running, in words: the service's `open` entry, its body, ...
 * ({@linkcode ENTRY_POINTS}); `module` names the service module where known. Inside a syscall
 * (`entry` carries its number, sim/world.ts `IN_SYSCALL`) it is the kernel's code: `kernel` names
 * the `--kernel` variant's module, null when none is loaded, undefined when not known.
 *
 * @example
 * ```ts
 * import { entryWords } from "./stuck.ts";
 * console.assert(entryWords(2, "blobby.ts") === "the service's `open` entry (blobby.ts)");
 * ```
 */
export function entryWords(
  entry: number | undefined,
  module?: string,
  kernel?: string | null,
  program = false,
): string | null {
  const sys = entry === undefined ? 0 : Math.floor(entry / IN_SYSCALL);
  if (entry !== undefined && sys > 0) {
    // Inside a syscall: the kernel's code (a `--kernel` variant's, when one is loaded), as a
    // variant's throw is the variant's (sim/variant_crash.ts), whoever made the call.
    const caller = program
      ? "a program thread (a program runs no service)"
      : entryWords(entry % IN_SYSCALL, module);
    const whose = typeof kernel === "string"
      ? `the kernel variant's code, ${kernel}`
      : kernel === null
      ? "the kernel model's code: no --kernel variant is loaded"
      : "the kernel's code, a --kernel variant's if one is loaded";
    return `the kernel, inside ${SYSCALL_NAMES[sys - 1] ?? "a kernel call"} (${whose}; ` +
      `called from ${caller ?? "a thread"}), not the caller's code`;
  }
  // A program's threads make its calls; no service runs (`--mode programs`).
  if (program) return entry === undefined ? null : "a program thread's calls (no service)";
  const of = module !== undefined ? ` (${module})` : "";
  switch (entry === undefined ? undefined : ENTRY_POINTS[entry]) {
    case "workload":
      return "the harness's workload ops (no service code)";
    case "service":
      return `the service's body (the service function each service thread runs)${of}`;
    case "open":
      return `the service's \`open\` entry${of}`;
    case "close":
      return `the service's \`close\` entry${of}`;
    case "writeback":
      return `the service's writeback entry${of}`;
    case "spawned":
      return `a thread the service spawned${of}`;
    case "env":
      return "the harness's environment event";
    default:
      return null;
  }
}

/**
 * The thread that never yielded, as a hang's verdict names it: `t3 at step 0 (starting, before
 * the first step) never yielded, in the service's \`open\` entry`.
 *
 * @example
 * ```ts
 * import { neverYielded } from "./stuck.ts";
 * console.assert(
 *   neverYielded({ step: 13, tid: 1, entry: 1 }) ===
 *     "t1 at step 13 never yielded, in the service's body (the service function each service thread runs)",
 * );
 * ```
 */
export function neverYielded(
  at: StuckAt,
  module?: string,
  kernel?: string | null,
  program = false,
): string {
  const entry = entryWords(at.entry, module, kernel, program);
  return `t${at.tid} at step ${at.step}${
    at.step === 0 ? " (starting, before the first step)" : ""
  } never yielded${entry !== null ? `, in ${entry}` : ""}`;
}

/**
 * What a hang's report adds when the process grew by half the heap limit or more while the
 * stopped run stood still: a worker at its heap limit goes silent (Deno 2.9.6), so such a stop
 * signs as the hang it is, by where the run stood, and the growth, which timing decides, is a note.
 *
 * @example
 * ```ts
 * import { grewNote } from "./stuck.ts";
 * console.assert(grewNote(512).startsWith("the process grew by half the --memory 512 MiB"));
 * ```
 */
export function grewNote(memoryMb: number): string {
  return `the process grew by half the --memory ${memoryMb} MiB heap limit or more while it ` +
    `ran: its code may be allocating without bound (a hang all the same: how far it grew ` +
    `before the stop is timing, which no replay repeats)`;
}
