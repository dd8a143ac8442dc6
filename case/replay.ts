/**
 * Replaying a case against its recorded verdict and trace hash, and finding
 * where two runs of one case diverge (the report of a nondeterministic run).
 * Pure: the caller resolves the case's modules (`case/store.ts`).
 *
 * @module
 */

import { verdictLabel } from "../properties/check_case.ts";
import type { TraceEntry } from "../sim/trace.ts";
import type { CaseEnvelope } from "./envelope.ts";
import type { KindRun, RunContext } from "./kind.ts";
import { KINDS } from "./kinds.ts";

/** What replaying a case gave, against what it recorded. */
export interface Replay {
  /** True when both the verdict label and the trace hash match the recorded ones. */
  readonly ok: boolean;
  /** Verdict label of the replay (`pass`, a verdict kind, or `invariant:<name>`). */
  readonly verdict: string;
  /** Trace hash of the replay. */
  readonly traceHash: string;
  /** The replay's settled run, with its trace. */
  readonly run: KindRun;
}

/**
 * Replays a case with resolved modules and compares it with what it recorded.
 *
 * @example
 * ```ts
 * import { replayWith } from "./replay.ts";
 * import { resolveContext, readCaseFile } from "./store.ts";
 * const c = await readCaseFile("corpus/pass-28f7bc306edc7624.json");
 * console.assert(replayWith(c, await resolveContext(c)).ok);
 * ```
 */
export function replayWith(c: CaseEnvelope, ctx: RunContext): Replay {
  const run = KINDS[c.kind].run(c.input, { seed: c.seed, decisions: c.decisions }, ctx);
  const verdict = verdictLabel(run.verdict);
  return {
    ok: verdict === c.expected && run.traceHash === c.traceHash,
    verdict,
    traceHash: run.traceHash,
    run,
  };
}

/** The first step where two runs of one case did different things. */
export interface Divergence {
  /** Scheduler step of the first differing event. */
  readonly step: number;
  /** Index of the first differing trace entry. */
  readonly index: number;
  /** The thread, syscall and arguments the first run was in (or its event), as text. */
  readonly first: string;
  /** The same for the second run. */
  readonly second: string;
}

function describe(entries: readonly TraceEntry[], i: number): string {
  const e = entries[i];
  if (e === undefined) return "(run ended)";
  // The syscall the event's thread was in: the nearest call of that thread at or before it.
  const tid = "tid" in e.event ? (e.event as { tid: number }).tid : undefined;
  for (let j = i; j >= 0 && tid !== undefined; j--) {
    const c = entries[j].event;
    if (c.k === "call" && c.tid === tid) {
      const what = c === e.event ? "" : ` (then ${e.event.k})`;
      return `thread ${tid} in ${c.name}(${
        c.args.map((a) => JSON.stringify(a)).join(", ")
      })${what}`;
    }
  }
  return `${e.event.k} ${JSON.stringify(e.event)}`;
}

/**
 * The first trace entry at which two runs differ (thread, call and
 * arguments), or null if their traces are the same.
 *
 * @example
 * ```ts
 * import { firstDivergence } from "./replay.ts";
 * const call = (tid: number) => ({ step: 1, event: { k: "call" as const, tid, name: "zx_vmo_read", args: [1] } });
 * const d = firstDivergence([call(1)], [call(2)]);
 * console.assert(d !== null && d.step === 1 && d.first.startsWith("thread 1 in zx_vmo_read"));
 * ```
 */
export function firstDivergence(
  a: readonly TraceEntry[],
  b: readonly TraceEntry[],
): Divergence | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    if (
      x !== undefined && y !== undefined && x.step === y.step &&
      JSON.stringify(x.event) === JSON.stringify(y.event)
    ) continue;
    return { step: (x ?? y).step, index: i, first: describe(a, i), second: describe(b, i) };
  }
  return null;
}
