/**
 * Campaign findings as corpus cases (the one format, `properties/corpus.ts`):
 * named by signature, written atomically, and read back with errors that
 * name the file and the bad field.
 *
 * @module
 */

import { InputError } from "../cli/args.ts";
import {
  CASE_FORMAT,
  type CheckerSet,
  type CorpusCase,
  loadCorpus,
  parseCase,
  writeCase,
} from "../properties/corpus.ts";
import { verdictLabel } from "../properties/check_case.ts";
import type { Finding } from "./campaign.ts";
import { signatureId, slug } from "./signature.ts";
import type { CampaignFinding } from "./orchestrate.ts";
import type { ProgramChecks } from "./programs/campaign.ts";
import { type ProgramCaseJson, programFindingToCase, writeProgramCase } from "./programs/corpus.ts";
import { PROGRAM_FORMAT } from "./programs/program.ts";

/** The corpus case for a finding. */
export function findingToCase(
  f: Finding,
  origin: {
    campaignSeed: number;
    servicePath: string | null;
    checkers: CheckerSet;
    zoo?: string | null;
  },
): CorpusCase {
  return {
    format: CASE_FORMAT,
    description: `found by campaign ${origin.campaignSeed}, run ${f.k}: ${f.signature}`,
    scenario: f.shrunk.scenario,
    decisions: [...f.shrunk.decisions],
    seed: f.plan.runSeed,
    strategy: "replay",
    checkers: origin.checkers,
    expected: verdictLabel(f.verdict),
    traceHash: f.traceHash,
    signature: f.signature,
    found: {
      campaignSeed: origin.campaignSeed,
      run: f.k,
      service: origin.servicePath,
      shrunkFrom: f.original.decisions,
    },
    ...(origin.zoo ? { zoo: origin.zoo } : {}),
  };
}

/** The file a signature's case lives in: a better case for the same signature replaces it. */
export function caseFileFor(signature: string): string {
  return `${slug(signature)}-${signatureId(signature)}.json`;
}

/** Writes a campaign case atomically under its signature's file name. */
export function writeCaseFile(dir: string, c: CorpusCase): Promise<string> {
  return writeCase(dir, c, caseFileFor(c.signature ?? c.traceHash));
}

/** Signatures of the campaign cases already in a corpus directory. */
export async function knownSignatures(dir: string): Promise<string[]> {
  try {
    const { cases } = await loadCorpus(dir);
    return cases.flatMap((c) => (c.case.signature ? [c.case.signature] : [])).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Reads and validates one corpus case file; errors name the file and each bad field. */
export async function loadCaseFile(file: string): Promise<CorpusCase> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const r = parseCase(doc, file);
  if ("case" in r) return r.case;
  throw new InputError(
    `${file}: invalid corpus case:\n${r.errors.map((e) => `  - ${e.message}`).join("\n")}`,
  );
}

/** Where a campaign's findings come from: recorded in the cases it writes. */
export interface FindingOrigin {
  readonly campaignSeed: number;
  readonly servicePath: string | null;
  readonly kernelPath: string | null;
  readonly checkers: CheckerSet;
  readonly checks: ProgramChecks;
  readonly zoo: string | null;
  readonly mutant: string | null;
}

/**
 * The one seam between the campaign engine and the corpus: writes a finding
 * of either kind, or a stopped run, as a case under `dir` (program cases in
 * `dir/programs`) and returns the file.
 */
export function persistFinding(
  dir: string,
  f: CampaignFinding,
  origin: FindingOrigin,
): Promise<string> {
  switch (f.kind) {
    case "scenarios":
      return writeCaseFile(dir, findingToCase(f.finding, origin));
    case "programs":
      return writeProgramCase(
        `${dir}/programs`,
        programFindingToCase(f.finding, {
          campaignSeed: origin.campaignSeed,
          checks: origin.checks,
        }),
      );
    case "stopped": {
      const description = `found by campaign ${origin.campaignSeed}, run ${f.k}: ${f.signature}` +
        (f.complete ? "" : " (schedule record truncated)");
      if (f.input === "scenarios") {
        return writeCaseFile(dir, {
          format: CASE_FORMAT,
          description,
          scenario: f.scenario!,
          decisions: [...f.decisions],
          seed: f.runSeed!,
          strategy: "replay",
          checkers: origin.checkers,
          expected: f.signature === "out-of-memory" ? "out-of-memory" : "service-hang",
          traceHash: "0000000000000000",
          signature: f.signature,
          found: {
            campaignSeed: origin.campaignSeed,
            run: f.k,
            service: origin.servicePath,
            shrunkFrom: f.decisions.length,
          },
          ...(origin.zoo ? { zoo: origin.zoo } : {}),
        });
      }
      if (f.program === null || f.program === undefined) {
        return Promise.reject(new Error(`run ${f.k}: its program was too large to record`));
      }
      const c: ProgramCaseJson = {
        format: PROGRAM_FORMAT,
        description,
        signature: f.signature,
        expected: { verdict: f.signature === "out-of-memory" ? "out-of-memory" : "service-hang" },
        checks: origin.checks,
        seed: f.program.seed,
        program: f.program.program,
        decisions: f.decisions,
        traceHash: "0000000000000000",
        found: { campaignSeed: origin.campaignSeed, run: f.k, shrunkFrom: 0 },
      };
      return writeProgramCase(`${dir}/programs`, c);
    }
  }
}
