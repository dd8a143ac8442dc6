/**
 * A cheap abstract signature of kernel state after a step, the novelty
 * measure that guides program fuzzing (the role AFL's edge coverage plays):
 * per live pager VMO its page-state counts, outstanding-request shape,
 * packet-slot state and references; per port its depth; each program-thread
 * state with how many threads are in it (bucketed, not their combination); and the error path the step's call took (name and status).
 * Counts are bucketed and VMOs and ports sorted, so koids, handle
 * values and which thread did it never make two states differ.
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import { statusName } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { MARKER, type Page, type Vmo } from "../kernel/objects.ts";
import type { Monitor, SimThread, World } from "../sim/world.ts";

/** Pages of a VMO the signature looks at (bigger VMOs are summarized by their first pages). */
const SCANNED_PAGES = 64;

/** AFL-style count buckets: 0, 1, 2, 3-4, 5-8, 9+. */
export function bucket(n: number): number {
  return n <= 2 ? n : n <= 4 ? 3 : n <= 8 ? 4 : 5;
}

function vmoState(v: Vmo): string {
  const counts = [0, 0, 0, 0, 0]; // absent clean dirty awaiting-clean marker
  const n = Math.min(v.slots.length, SCANNED_PAGES);
  for (let i = 0; i < n; i++) {
    const s = v.slots[i];
    if (s === undefined) counts[0]++;
    else if (s === MARKER) counts[4]++;
    else {
      const st = (s as Page).state;
      counts[st === "clean" ? 1 : st === "dirty" ? 2 : 3]++;
    }
  }
  const source = present(v.source, "state signature: a pager VMO's page source");
  const reads = source.outstanding("READ");
  let waiters = 0, overlap = 0;
  for (const r of reads) {
    waiters += r.primary === null ? 0 : 1;
    overlap += r.overlap.length;
  }
  const proxy = present(v.proxy, "state signature: a pager VMO's proxy");
  return `${counts.map(bucket).join("")}` +
    `r${bucket(reads.length)}w${bucket(waiters)}o${bucket(overlap)}` +
    `${source.detached ? "D" : ""}${proxy.stuck ? "S" : ""}${proxy.completeQueued ? "C" : ""}` +
    `p${bucket(proxy.pendingCount)}h${bucket(v.handleCount)}m${bucket(v.mappings)}` +
    `i${bucket(v.inflight)}`;
}

function threadState(t: SimThread): string {
  switch (t.end.kind) {
    case "exited":
      return "E";
    case "killed":
      return "K";
    case "page-fault":
      return `F${statusName(t.end.synth)}`;
    case "fault":
      return "X";
  }
  const waiting = t.pending?.kind === "block" ? (t.k.waiter !== null ? "B" : "P") : "R";
  return (t.k.suspended ? "S" : "") + waiting;
}

/** FNV-1a of a string, 32 bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Collects the state signatures of every step of a run (a
 * {@linkcode Monitor}; it reads, never mutates): after each step, the
 * step's call outcome paired with each live pager VMO's abstract state,
 * with the program threads' states, and with the ports and mappings.
 * `seen` holds their 32-bit hashes.
 */
export class StateSignatures implements Monitor {
  readonly name = "state-signatures";
  readonly seen = new Set<number>();
  #lastCall = "start";

  /** @param program tids of the program threads (the janitor is left out). */
  constructor(readonly program: ReadonlySet<number>) {}

  onEvent(event: KernelEvent): void {
    if (event.k === "ret") this.#lastCall = `${event.name}:${statusName(event.status)}`;
    else if (event.k === "page-fault") this.#lastCall = `fault:${statusName(event.synth)}`;
  }

  afterStep(world: World): void {
    // Features, AFL-style: the step's call outcome paired with each part of the state on its own.
    const call = this.#lastCall;
    for (const v of world.kernel.pagerVmos) {
      if (!v.dead) this.seen.add(hash32(`${call}|v${vmoState(v)}`));
    }
    // Each thread state on its own with its bucketed count, not the whole multiset: the
    // multiset's combinations (every mix of exited, killed and faulted-with-status threads)
    // are novel without end and pull guidance away from pager states.
    const threads = new Map<string, number>();
    for (const t of world.threads) {
      if (!this.program.has(t.tid)) continue;
      const s = threadState(t);
      threads.set(s, (threads.get(s) ?? 0) + 1);
    }
    for (const [s, n] of threads) this.seen.add(hash32(`${call}|t${s}x${bucket(n)}`));
    const ports = world.kernel.ports.filter((p) => !p.dead).map((p) => bucket(p.depth)).sort();
    this.seen.add(
      hash32(`${call}|p${ports.join("")}|m${bucket(world.kernel.rootVmar.mappings.length)}`),
    );
  }
}
