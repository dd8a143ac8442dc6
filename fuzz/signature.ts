/**
 * Failure signatures: what makes two failures "the same bug" for dedupe —
 * the verdict kind, the invariant, and the site (the syscall that was running
 * when it broke), with numbers that vary between runs (koids, handles, steps,
 * ids) taken out.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import type { RunResult, Verdict } from "../sim/world.ts";

/** Liveness invariants: signed by name alone. */
export const LIVENESS: ReadonlySet<string> = new Set(["no-lost-requests", "answers-every-read"]);

/** Numbers and hex out, so the text names a kind of failure, not one run of it. */
export function generalize(text: string): string {
  return text.replace(/0x[0-9a-f]+/gi, "#").replace(/\d+/g, "#").replace(/\s+/g, " ").trim().slice(
    0,
    160,
  );
}

/** The syscall the failing thread was in at the failing step, from the trace. */
export function failingSite(run: Pick<RunResult, "trace">, tid: number): string {
  const entries = run.trace.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e: KernelEvent = entries[i].event;
    if (e.k === "call" && e.tid === tid) return e.name;
  }
  return "start";
}

/** The dedupe signature of a failing verdict; `null` for a pass. */
export function signatureOf(verdict: Verdict, run: Pick<RunResult, "trace">): string | null {
  switch (verdict.kind) {
    case "pass":
      return null;
    case "invariant":
      // A lost request surfaces wherever a wait happens to hang or time out: the site says nothing.
      if (verdict.tid === 0 || LIVENESS.has(verdict.invariant)) {
        return `invariant:${verdict.invariant}`;
      }
      return `invariant:${verdict.invariant}@${failingSite(run, verdict.tid)}`;
    case "kernel-assertion":
      return `kernel-assertion:${generalize(verdict.message)}`;
    case "thread-fault":
      return `thread-fault:${generalize(verdict.message)}`;
    case "hang": {
      // What the stuck workload waits for names the bug; which service threads idle does not.
      const waits = verdict.blocked.filter((b) => b.role === "workload")
        .map((b) =>
          b.on.replace(/#\d+ pages \[\d+,\d+\)( at page \d+)?/, "").replace(/^vmo \d+: /, "")
        );
      return `hang:${
        [...new Set(waits.map(generalize))].sort().join("|") || "no workload thread blocked"
      }`;
    }
    case "step-budget":
      return "step-budget";
  }
}

export { signatureId, slug } from "../case/names.ts";
