/**
 * The report of a failing case, which is its own regression case: the
 * invariant, the step, the shrunk scenario and decision list, the seed, the
 * trace around the failing step and the command that replays it.
 *
 * @module
 */

import { describeVerdict } from "../sim/world.ts";
import type { CaseResult } from "./check_case.ts";

/** Options of {@linkcode formatFailure}. */
export interface ReportOptions {
  /** Where the case would be (or was) written, for the replay command. Default `corpus/<name>.json`. */
  readonly file?: string;
  /** Steps of trace shown before the failing step. Default 12. */
  readonly before?: number;
}

/** The corpus file name a failing case gets: invariant, then its trace hash. */
export function caseFileName(result: CaseResult): string {
  const v = result.verdict;
  const what = v.kind === "invariant" ? v.invariant : v.kind;
  return `${what}-${result.run.traceHash}.json`;
}

/**
 * Formats a failure for people; the same data goes to the corpus as JSON
 * (see `toCorpusCase`).
 *
 * @example
 * ```ts
 * import { checkCase } from "./check_case.ts";
 * import { formatFailure } from "./failure_report.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const r = checkCase({ scenario, decisions: [0], seed: 0 }, { monitors: kernelInvariants });
 * console.assert(formatFailure(r).includes("deno task repro"));
 * ```
 */
export function formatFailure(result: CaseResult, options: ReportOptions = {}): string {
  const v = result.verdict;
  const file = options.file ?? `corpus/${caseFileName(result)}`;
  const step = v.step;
  const from = Math.max(0, step - (options.before ?? 12));
  const { scenario, decisions, seed } = result.input;
  const trace = result.run.trace.text(from, step);
  return [
    `pagersim: ${describeVerdict(v)}`,
    v.kind === "invariant" ? `invariant: ${v.invariant}` : `verdict: ${v.kind}`,
    `step: ${step}`,
    `seed: ${seed}`,
    `decisions (${decisions.length}): [${decisions.join(",")}]`,
    `trace hash: ${result.run.traceHash}`,
    `scenario: ${JSON.stringify(scenario)}`,
    `trace, steps ${from}..${step}:`,
    trace === "" ? "  (trace not kept)" : trace,
    `replay: deno task repro ${file}`,
    `    or: deno task sim --scenario <scenario.json> --decisions ${
      decisions.join(",") || "''"
    } --seed ${seed}`,
  ].join("\n");
}
