/**
 * Program cases in the corpus: format `pagersim/program@1`, written
 * atomically as `<signature-slug>-<signature-id>.json` like scenario cases,
 * and replayed exactly (program, seed, decisions) with their verdict and
 * trace hash checked.
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import type { Kernel, KernelOptions } from "../../kernel/kernel.ts";
import { formatIssues } from "../../sim/scenario.ts";
import { signatureId, slug } from "../signature.ts";
import { checksMonitors, type ProgramChecks, type ProgramFinding } from "./campaign.ts";
import { parseProgram, type Program, PROGRAM_FORMAT } from "./program.ts";
import { type ProgramRun, runProgram } from "./run_program.ts";

/** A program case as written by campaigns. */
export interface ProgramCaseJson {
  readonly format: typeof PROGRAM_FORMAT;
  readonly description: string;
  readonly signature: string;
  readonly expected: { readonly verdict: string; readonly invariant?: string };
  /** Which checkers the case was found (and is replayed) under. */
  readonly checks: ProgramChecks;
  readonly seed: number;
  readonly program: Program;
  readonly decisions: readonly number[];
  readonly traceHash: string;
  readonly found: {
    readonly campaignSeed: number;
    readonly run: number;
    readonly shrunkFrom: number;
  };
}

/** The corpus case of a finding. */
export function programFindingToCase(
  f: ProgramFinding,
  origin: { campaignSeed: number; checks: ProgramChecks },
): ProgramCaseJson {
  return {
    format: PROGRAM_FORMAT,
    description: `found by program campaign ${origin.campaignSeed}, run ${f.run}: ${f.signature}`,
    signature: f.signature,
    expected: f.verdict.kind === "invariant"
      ? { verdict: "invariant", invariant: f.verdict.invariant }
      : { verdict: f.verdict.kind },
    checks: origin.checks,
    seed: f.seed,
    program: f.program,
    decisions: f.decisions,
    traceHash: f.traceHash,
    found: { campaignSeed: origin.campaignSeed, run: f.run, shrunkFrom: f.originalCalls },
  };
}

/** Writes a case as `<dir>/<slug>-<id>.json`, atomically (temp file, then rename). */
export async function writeProgramCase(dir: string, c: ProgramCaseJson): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${slug(c.signature)}-${signatureId(c.signature)}.json`;
  const tmp = `${path}.tmp-${c.traceHash}`;
  await Deno.writeTextFile(tmp, JSON.stringify(c, null, 2) + "\n");
  await Deno.rename(tmp, path);
  return path;
}

const CaseSchema = z.object({
  format: z.literal(PROGRAM_FORMAT),
  description: z.string(),
  signature: z.string(),
  expected: z.object({ verdict: z.string(), invariant: z.string().optional() }),
  checks: z.enum(["kernel", "contract"]),
  seed: z.number().int(),
  program: z.unknown(),
  decisions: z.array(z.number().int().min(0)),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, "16 hex digits"),
  found: z.object({ campaignSeed: z.number(), run: z.number(), shrunkFrom: z.number() }),
}).passthrough();

/** True if a parsed JSON document is a program case (by its format tag). */
export function isProgramCase(doc: unknown): boolean {
  return typeof doc === "object" && doc !== null &&
    (doc as { format?: unknown }).format === PROGRAM_FORMAT;
}

/** Validates a program case document; the error names the file and every bad field. */
export function parseProgramCase(doc: unknown, file: string): ProgramCaseJson {
  const r = CaseSchema.safeParse(doc);
  if (!r.success) {
    throw new Error(
      `${file}: invalid program case:\n  - ${formatIssues(r.error.issues).join("\n  - ")}`,
    );
  }
  return {
    ...r.data,
    program: parseProgram(r.data.program, `${file}: program`),
  } as ProgramCaseJson;
}

/** The outcome of replaying a case. */
export interface ProgramReplay {
  readonly run: ProgramRun;
  /** The recorded verdict (and invariant) came back. */
  readonly reproduced: boolean;
  /** The trace hash is the recorded one. */
  readonly hashMatches: boolean;
}

/**
 * Replays a program case exactly, with its trace kept (for printing).
 * `makeKernel` replays it against a kernel variant.
 */
export function replayProgramCase(
  c: ProgramCaseJson,
  makeKernel?: (options: KernelOptions) => Kernel,
): ProgramReplay {
  const run = runProgram(c.program, {
    seed: c.seed,
    decisions: c.decisions,
    monitors: checksMonitors(c.checks),
    makeKernel,
    keepTrace: true,
  });
  const v = run.verdict;
  const reproduced = v.kind === c.expected.verdict &&
    (c.expected.invariant === undefined ||
      (v.kind === "invariant" && v.invariant === c.expected.invariant));
  return { run, reproduced, hashMatches: run.traceHash === c.traceHash };
}
