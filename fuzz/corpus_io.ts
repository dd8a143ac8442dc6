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
