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
import { getHeapStatistics } from "node:v8";

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
    // pagersim's own model under a service is not the code under test: it is there on the
    // caller's input (a buffer whose length never returns, say), so the caller's hang (session 34;
    // properties/signature.ts kernelUnderTest).
    const blame = kernel === null && !program
      ? "on its caller's input: the caller's hang"
      : "not the caller's code";
    return `the kernel, inside ${SYSCALL_NAMES[sys - 1] ?? "a kernel call"} (${whose}; ` +
      `called from ${caller ?? "a thread"}), ${blame}`;
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

/** Watch calls between two samples of {@linkcode heapSampler} (a sample costs about 2 µs). */
const HEAP_SAMPLE_EVERY = 16;

/**
 * A watched worker's heap sampler ({@linkcode heapSampler}): `sample` at each watch call, `begin`
 * when a run (an execution) starts.
 */
export interface HeapSampler {
  /** One watch call: every {@linkcode HEAP_SAMPLE_EVERY}th stores a sample. */
  readonly sample: () => void;
  /** A new run starts: its samples, and its first sample, start over (both cells read 0). */
  readonly begin: () => void;
}

/**
 * Inside a watched worker: the sampler for its world's `watch` to call at each step. Every
 * {@linkcode HEAP_SAMPLE_EVERY} calls it stores the worker's used heap (MiB, rounded up) in
 * `cell[index]`, and the run's first such sample in `cell[index + 1]` (0: none yet), from which
 * a watchdog reads how much the heap grew during the run ({@linkcode atHeapLimit}). A worker at
 * its heap limit goes silent (Deno 2.9.6 reports the limit only while a worker's module first
 * loads), so a watchdog that stops a run by the clock reads the last sample: near the limit and
 * grown during the run, the run was allocating, not spinning (trial32: a service that yields
 * every step while it fills the heap was reported as `never yielded`).
 *
 * @example
 * ```ts
 * import { heapSampler } from "./stuck.ts";
 * const cell = new Int32Array(2);
 * const heap = heapSampler(cell, 0);
 * for (let i = 0; i < 16; i++) heap.sample();
 * console.assert(cell[0] > 0 && cell[1] === cell[0]);
 * heap.begin();
 * console.assert(cell[0] === 0 && cell[1] === 0);
 * ```
 */
export function heapSampler(cell: Int32Array, index: number): HeapSampler {
  let calls = 0;
  return {
    sample: () => {
      if (++calls % HEAP_SAMPLE_EVERY !== 0) return;
      const mib = Math.ceil(getHeapStatistics().used_heap_size / 2 ** 20);
      Atomics.store(cell, index, mib);
      if (Atomics.load(cell, index + 1) === 0) Atomics.store(cell, index + 1, mib);
    },
    begin: () => {
      calls = 0;
      Atomics.store(cell, index, 0);
      Atomics.store(cell, index + 1, 0);
    },
  };
}

/**
 * Whether a run the clock stopped was out of memory: its worker's last heap sample
 * ({@linkcode heapSampler}), `heapMiB`, held half the heap limit or more, and the heap had grown
 * by a quarter of the limit or more since the run's first sample, `firstMiB`. Such a worker went
 * silent at its limit; it is stopped by `terminate()`, unlike a spinning thread. A heap that was
 * already that full and stayed flat (a service that built a large table, then spins without
 * yielding: session 33) is no sign of a hog: that stop is the hang it looks like.
 *
 * @example
 * ```ts
 * import { atHeapLimit } from "./stuck.ts";
 * console.assert(atHeapLimit(300, 512, 20) && !atHeapLimit(12, 512, 10));
 * console.assert(!atHeapLimit(300, 512, 290)); // large but flat: a spinner's
 * ```
 */
export function atHeapLimit(heapMiB: number, memoryMb: number, firstMiB: number): boolean {
  return heapMiB >= memoryMb / 2 && heapGrowing(heapMiB, memoryMb, firstMiB);
}

/**
 * Whether a run's heap grew by a quarter of the heap limit or more since its first sample
 * ({@linkcode heapSampler}): a run stopped then was allocating (it ends at its heap limit), not
 * spinning, even below {@linkcode atHeapLimit}'s half.
 *
 * @example
 * ```ts
 * import { heapGrowing } from "./stuck.ts";
 * console.assert(heapGrowing(200, 512, 20) && !heapGrowing(200, 512, 150) && !heapGrowing(0, 512, 0));
 * ```
 */
export function heapGrowing(heapMiB: number, memoryMb: number, firstMiB: number): boolean {
  return heapMiB > 0 && firstMiB > 0 && heapMiB - firstMiB >= memoryMb / 4;
}

/**
 * Whether a run's heap is running out while the run still goes ({@linkcode heapSampler}): its
 * last sample holds three quarters of the heap limit or more, grown as {@linkcode atHeapLimit}
 * asks. A watchdog stops such a run at once as `out-of-memory`, without waiting for its run
 * limit (or a confirmation run's limit): session 33 measured a hog under the default 512 MiB
 * limit cost 5 s of run limit, then up to 50 s of confirmation, per run, for the verdict it
 * then got.
 *
 * @example
 * ```ts
 * import { heapRunningOut } from "./stuck.ts";
 * console.assert(heapRunningOut(400, 512, 20) && !heapRunningOut(300, 512, 20));
 * console.assert(!heapRunningOut(500, 512, 450)); // full from the start: not running out
 * ```
 */
export function heapRunningOut(heapMiB: number, memoryMb: number, firstMiB: number): boolean {
  return atHeapLimit(heapMiB, memoryMb, firstMiB) && heapMiB >= memoryMb * 3 / 4;
}

/**
 * An `out-of-memory` verdict's words for a run stopped at its heap limit: how full the heap was
 * at the last sample, and the thread running then (which keeps yielding: it is not stuck, and
 * where the heap runs out is garbage-collection timing, so no replay repeats the step).
 *
 * @example
 * ```ts
 * import { heapFullWords } from "./stuck.ts";
 * console.assert(
 *   heapFullWords({ step: 694, tid: 3, entry: 1 }, 480, 512).startsWith(
 *     "the worker's heap held 480 MiB of the --memory 512 MiB limit with t3 running at step 694",
 *   ),
 * );
 * ```
 */
export function heapFullWords(
  at: StuckAt | null,
  heapMiB: number,
  memoryMb: number,
  module?: string,
  kernel?: string | null,
  program = false,
): string {
  const entry = at === null ? null : entryWords(at.entry, module, kernel, program);
  const where = at === null
    ? " before any thread ran"
    : ` with t${at.tid} running at step ${at.step}${entry !== null ? `, in ${entry}` : ""}`;
  return `the worker's heap held ${heapMiB} MiB of the --memory ${memoryMb} MiB limit${where}, ` +
    `when the run stopped making progress: its code allocates without bound (the run was ` +
    `still yielding, not stuck; the step where the heap runs out is garbage-collection timing, ` +
    `so another run may stop at another step or thread)`;
}
