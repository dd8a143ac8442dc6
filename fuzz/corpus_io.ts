/**
 * Campaign findings as cases: the `pagersim/case@2` envelope (`case/`),
 * named by signature and written by the one writer (`case/store.ts`).
 *
 * @module
 */

import { CASE_FORMAT, type CaseEnvelope, type ModuleRef } from "../case/envelope.ts";
import { writeCase } from "../case/store.ts";
import { verdictLabel } from "../properties/check_case.ts";
import type { Finding } from "./campaign.ts";

export { knownSignatures, readCaseFile as loadCaseFile } from "../case/store.ts";

/** The case for a finding: everything its replay needs, its service module and bug included. */
export function findingToCase(
  f: Finding,
  origin: {
    campaignSeed: number;
    /** The service module as the case in the corpus directory names it (`case/store.ts` moduleRef). */
    service?: ModuleRef | null;
    /** The kernel variant module, likewise. */
    kernel?: ModuleRef | null;
    checkers: string;
    zoo?: string | null;
  },
): CaseEnvelope {
  return {
    format: CASE_FORMAT,
    kind: "scenario",
    description: `found by campaign ${origin.campaignSeed}, run ${f.k}: ${f.signature}`,
    input: f.shrunk.scenario,
    decisions: [...f.shrunk.decisions],
    seed: f.plan.runSeed,
    checkers: origin.checkers,
    ...(origin.zoo ? { bug: origin.zoo } : {}),
    ...(origin.kernel ? { kernel: origin.kernel } : {}),
    ...(origin.service ? { service: origin.service } : {}),
    expected: verdictLabel(f.verdict),
    traceHash: f.traceHash,
    signature: f.signature,
    found: {
      by: "fuzz",
      campaignSeed: origin.campaignSeed,
      run: f.k,
      shrunkFrom: f.original.decisions,
    },
  };
}

/** Writes a campaign case under its signature's file name (`case/store.ts` writeCase). */
export function writeCaseFile(dir: string, c: CaseEnvelope): Promise<string> {
  return writeCase(dir, c);
}
