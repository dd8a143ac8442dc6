/**
 * The kernel invariants of spec 7.1, levels 1 and 2, as one fresh set of
 * checkers per run: "is the kernel model correct?". Level 2 adds dirty-state;
 * data-integrity covers durable data (no write lost across writeback,
 * eviction and re-supply) with the same reference model as its reads.
 *
 * @module
 */

import type { Monitor } from "../sim/world.ts";
import { DataIntegrity } from "./data_integrity.ts";
import { DirtyState } from "./level2/dirty_state.ts";
import { DetachedAccess } from "./detached_access.ts";
import { FutexDiscipline } from "./futex_discipline.ts";
import { NoLostRequests } from "./no_lost_requests.ts";
import { PacketDiscipline } from "./packet_discipline.ts";
import { PageState } from "./page_state.ts";
import { SingleSupply } from "./single_supply.ts";
import { SyscallContract } from "./syscall_contract.ts";
import { shareJournal } from "./_step_monitor.ts";
import { WakeDiscipline } from "./wake_discipline.ts";

/**
 * Which checker covers which spec item. Every name is what an
 * {@linkcode InvariantViolation} of that checker carries; its message starts
 * with the item (`K4: ...`).
 */
export const KERNEL_INVARIANTS: Readonly<Record<string, readonly string[]>> = {
  "packet-discipline": ["K1", "K4", "K5", "K6", "K7", "withdrawn", "complete", "sizing"],
  "single-supply": ["K8", "K28", "wake-once", "resolve-once", "resolve-count"],
  "data-integrity": ["read", "supply", "lost-write"],
  "page-state": ["K2", "K9", "K10", "K13", "K15", "K26"],
  "wake-discipline": ["K11"],
  "detached-access": ["K12"],
  "syscall-contract": [
    "K14",
    "K14w",
    "complete-wakes",
    "coalesce",
    "K11e",
    "suspend",
    "K22",
    "K23",
    "K27",
    "fail-instead-of-block",
    "wait-text",
  ],
  "no-lost-requests": ["K29", "documented-errors"],
  "dirty-state": ["K3", "K17", "K18", "K19", "K20", "K21", "K25"],
  "futex-discipline": ["futex-value", "futex-args", "wait-observed", "zero-children"],
};

/** Options of {@linkcode kernelInvariants}. */
export interface KernelInvariantOptions {
  /**
   * Compare every page of every pager VMO after every step, bytes included
   * (`--paranoid`): slower, and finds a page changed behind every event and
   * every access at the step it changed. Without it, checkers judge only what
   * the step's events, syscalls and page touches name; both give the same
   * verdict on every case the kernel model reports honestly.
   */
  readonly paranoid?: boolean;
}

/**
 * Every kernel invariant checker, levels 1 and 2, fresh for one run (they keep
 * state). Level-2 checkers come last: on a level-1 bug the level-1 item fires.
 *
 * @example
 * ```ts
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { runScenario } from "../scenario/interpreter.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * });
 * const run = runScenario(scenario, { seed: 1, monitors: kernelInvariants() });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function kernelInvariants(options: KernelInvariantOptions = {}): Monitor[] {
  return shareJournal([
    new PacketDiscipline(),
    new SingleSupply(),
    // page-state first: a supply over present content is a slot bug before it is lost data.
    new PageState(options),
    new DataIntegrity(),
    new WakeDiscipline(),
    new DetachedAccess(),
    new SyscallContract(),
    new NoLostRequests(),
    new DirtyState(options),
    // Futexes and signal waits (issue 13): only their own events reach it.
    new FutexDiscipline(),
  ]);
}
