/**
 * Program campaign findings as cases: the `pagersim/case@2` envelope
 * (`case/`), kind `program`, recording the checker set and the mutant (a
 * seeded bug) the finding was made against; written by the one writer
 * (`case/store.ts`).
 *
 * @module
 */

import { CASE_FORMAT, type CaseEnvelope } from "../../case/envelope.ts";
import { verdictLabel } from "../../properties/check_case.ts";
import type { ProgramChecks, ProgramFinding } from "./campaign.ts";

/** The case of a finding. */
export function programFindingToCase(
  f: ProgramFinding,
  origin: { campaignSeed: number; checks: ProgramChecks; mutant?: string | null },
): CaseEnvelope {
  return {
    format: CASE_FORMAT,
    kind: "program",
    description: `found by program campaign ${origin.campaignSeed}, run ${f.run}: ${f.signature}`,
    input: f.program,
    decisions: [...f.decisions],
    seed: f.seed,
    checkers: origin.checks,
    ...(origin.mutant ? { bug: origin.mutant } : {}),
    expected: verdictLabel(f.verdict),
    traceHash: f.traceHash,
    signature: f.signature,
    found: {
      by: "fuzz",
      campaignSeed: origin.campaignSeed,
      run: f.run,
      shrunkFrom: f.originalCalls,
    },
  };
}
