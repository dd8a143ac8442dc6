/**
 * Turning campaign findings into corpus cases and writing them atomically:
 * a temp file in the same directory, then a rename, so an interrupted
 * campaign never leaves a partial file.
 *
 * @module
 */

import { z } from "zod";
import { InputError } from "../cli/args.ts";
import { formatIssues, parseScenario, type Scenario, ScenarioError } from "../sim/scenario.ts";
import type { Finding } from "./campaign.ts";
import { signatureId, slug } from "./signature.ts";

/** The corpus case format tag. */
export const CASE_FORMAT = "pagersim/case@1";

/** A corpus case as written by campaigns. */
export interface CorpusCaseJson {
  readonly format: typeof CASE_FORMAT;
  readonly description: string;
  readonly signature: string;
  readonly expected: { readonly verdict: string; readonly invariant?: string };
  readonly seed: number;
  readonly strategy: string;
  readonly scenario: unknown;
  readonly decisions: readonly number[];
  readonly traceHash: string;
  readonly found: {
    readonly campaignSeed: number;
    readonly run: number;
    readonly service: string | null;
    readonly shrunkFrom: number;
  };
}

/** The corpus case for a finding. */
export function findingToCase(
  f: Finding,
  origin: { campaignSeed: number; servicePath: string | null },
): CorpusCaseJson {
  return {
    format: CASE_FORMAT,
    description: `found by campaign ${origin.campaignSeed}, run ${f.k}: ${f.signature}`,
    signature: f.signature,
    expected: f.verdict.kind === "invariant"
      ? { verdict: "invariant", invariant: f.verdict.invariant }
      : { verdict: f.verdict.kind },
    seed: f.plan.runSeed,
    strategy: "replay",
    scenario: f.shrunk.scenario,
    decisions: f.shrunk.decisions,
    traceHash: f.traceHash,
    found: {
      campaignSeed: origin.campaignSeed,
      run: f.k,
      service: origin.servicePath,
      shrunkFrom: f.original.decisions,
    },
  };
}

/**
 * Writes a case as `<dir>/<signature-slug>-<signature-id>.json`, atomically;
 * a better case for the same signature replaces the file in place.
 */
export async function writeCaseFile(dir: string, c: CorpusCaseJson): Promise<string> {
  const path = `${dir}/${slug(c.signature)}-${signatureId(c.signature)}.json`;
  const tmp = `${path}.tmp-${c.traceHash}`;
  await Deno.writeTextFile(tmp, JSON.stringify(c, null, 2) + "\n");
  await Deno.rename(tmp, path);
  return path;
}

/** Signatures of the cases already in a corpus directory (unreadable files are skipped). */
export async function knownSignatures(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      try {
        const doc = JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`));
        if (typeof doc?.signature === "string") out.push(doc.signature);
      } catch {
        // A malformed case is reported by the corpus replay test, not here.
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/** The schema of a corpus case file (the scenario is checked by its own schema). */
export const CaseSchema = z.object({
  format: z.literal(CASE_FORMAT),
  description: z.string(),
  signature: z.string().optional(),
  expected: z.object({ verdict: z.string(), invariant: z.string().optional() }),
  seed: z.number().int(),
  strategy: z.string().optional(),
  scenario: z.unknown(),
  decisions: z.array(z.number().int().min(0)),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, "16 hex digits"),
}).passthrough();

/** A loaded, validated corpus case. */
export interface LoadedCase {
  readonly description: string;
  readonly expected: { readonly verdict: string; readonly invariant?: string };
  readonly seed: number;
  readonly scenario: Scenario;
  readonly decisions: readonly number[];
  readonly traceHash: string;
}

/** Validates a parsed case document; errors name the file and the bad field. */
export function parseCase(doc: unknown, file: string): LoadedCase {
  const r = CaseSchema.safeParse(doc);
  if (!r.success) {
    throw new InputError(
      `${file}: invalid corpus case:\n  - ${formatIssues(r.error.issues).join("\n  - ")}`,
    );
  }
  let scenario: Scenario;
  try {
    scenario = parseScenario(r.data.scenario, `${file}: scenario`);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(e.message);
    throw e;
  }
  return { ...r.data, scenario };
}

/** Reads and validates one corpus case file. */
export async function loadCaseFile(file: string): Promise<LoadedCase> {
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
  return parseCase(doc, file);
}
