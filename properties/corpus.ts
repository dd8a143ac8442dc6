/**
 * The corpus: failing (and passing) cases as JSON, each its own regression
 * test. A case holds the scenario, the decision list, the seed, the
 * strategy, the expected verdict, the trace hash and a description; its
 * format tag changes when the meaning of a field does.
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import { formatIssues, type Scenario, ScenarioSchema } from "../sim/scenario.ts";
import type { Monitor } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import { type CaseResult, checkCase, verdictLabel } from "./check_case.ts";
import { kernelInvariants } from "./kernel_invariants.ts";
import { serviceObligations } from "./service_obligations.ts";
import { ZOO_IDS, zooContext } from "../zoo/registry.ts";

/** The corpus case format tag. */
export const CASE_FORMAT = "pagersim/case@1";

/** The checker sets a case can be replayed under. */
export const CHECKER_SETS = ["kernel", "kernel+service"] as const;
/** A checker set name. */
export type CheckerSet = typeof CHECKER_SETS[number];

/** The checkers of a set, service obligations first (they name a hang's cause more precisely). */
export function checkersOf(set: CheckerSet): () => Monitor[] {
  return set === "kernel"
    ? kernelInvariants
    : () => [...serviceObligations(), ...kernelInvariants()];
}

/** One corpus case: the schema a corpus file is validated against. */
export const CaseSchema = z.object({
  format: z.literal(CASE_FORMAT),
  description: z.string().min(1).max(2000),
  scenario: ScenarioSchema,
  decisions: z.array(z.number().int().min(0)).max(1_000_000),
  seed: z.number().int().min(0),
  strategy: z.literal("replay"),
  checkers: z.enum(CHECKER_SETS),
  expected: z.string().regex(
    /^(pass|hang|step-budget|kernel-assertion|thread-fault|invariant:[a-z0-9.-]+)$/,
    "pass, a verdict kind, or invariant:<name>",
  ),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, "16 hex digits"),
  /** Campaign dedupe key (fuzz/signature.ts), for cases a campaign found. */
  signature: z.string().max(400).optional(),
  /** Where a campaign found it. */
  found: z.object({
    campaignSeed: z.number().int().min(0),
    run: z.number().int().min(0),
    service: z.string().nullable(),
    shrunkFrom: z.number().int().min(0),
  }).strict().optional(),
  /** The zoo bug (zoo/registry.ts) the case runs against: its kernel variant or service. */
  zoo: z.string().refine((id) => ZOO_IDS.includes(id), "not a zoo bug id").optional(),
}).strict();
/** One corpus case: a regression test as stored in the corpus (the output of {@linkcode CaseSchema}). */
export interface CorpusCase {
  /** Format tag, {@linkcode CASE_FORMAT}. */
  format: typeof CASE_FORMAT;
  /** What the case exercises, for people. */
  description: string;
  /** The scenario to run. */
  scenario: Scenario;
  /** Scheduling and draw decisions, replayed in order. */
  decisions: number[];
  /** Seeds the replay fallback past the end of `decisions`. */
  seed: number;
  /** Always `replay`: a case runs from its decision list. */
  strategy: "replay";
  /** Checker set the case is judged by. */
  checkers: CheckerSet;
  /** Expected verdict label: `pass`, a verdict kind, or `invariant:<name>`. */
  expected: string;
  /** Recorded trace hash, 16 hex digits. */
  traceHash: string;
  /** Campaign dedupe key (fuzz/signature.ts), for cases a campaign found. */
  signature?: string;
  /** Where a campaign found it: campaign seed, run index, user service, decisions before shrinking. */
  found?: {
    campaignSeed: number;
    run: number;
    service: string | null;
    shrunkFrom: number;
  };
  /** The zoo bug (zoo/registry.ts) the case runs against: its kernel variant or service. */
  zoo?: string;
}

/** True when A and B are the same type (modifiers included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
// Fails to type-check if CaseSchema and CorpusCase drift apart.
type _CaseSchemaIsCorpusCase = Assert<Same<z.infer<typeof CaseSchema>, CorpusCase>>;
type Assert<T extends true> = T;

/** A corpus file that could not be used, with the field that is wrong. */
export interface CorpusError {
  /** Path of the corpus file. */
  readonly file: string;
  /** The path of the bad field (`scenario.vmos.0.pages`), or `(json)` / `(file)`. */
  readonly field: string;
  /** What is wrong with the field. */
  readonly message: string;
}

/** What {@linkcode loadCorpus} found. */
export interface LoadedCorpus {
  /** Valid cases with the file each came from, sorted by file name. */
  readonly cases: { readonly file: string; readonly case: CorpusCase }[];
  /** Files that could not be read or validated. */
  readonly errors: readonly CorpusError[];
}

/** Validates one parsed JSON document as a case; errors name the field. */
export function parseCase(
  json: unknown,
  file: string,
): { case: CorpusCase } | { errors: CorpusError[] } {
  const r = CaseSchema.safeParse(json);
  if (r.success) return { case: r.data };
  return {
    errors: r.error.issues.map((i, n) => ({
      file,
      field: i.path.length ? i.path.map(String).join(".") : "(root)",
      message: formatIssues(r.error.issues)[n],
    })),
  };
}

/**
 * Reads every `*.json` in `dir` (sorted by name): the good cases, and for the
 * rest errors naming the file and the bad field.
 *
 * @example
 * ```ts
 * import { loadCorpus } from "./corpus.ts";
 * const { cases, errors } = await loadCorpus("corpus");
 * console.assert(Array.isArray(cases) && Array.isArray(errors));
 * ```
 */
export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
  }
  names.sort();
  const cases: { file: string; case: CorpusCase }[] = [];
  const errors: CorpusError[] = [];
  for (const name of names) {
    const file = `${dir}/${name}`;
    let json: unknown;
    try {
      json = JSON.parse(await Deno.readTextFile(file));
    } catch (e) {
      errors.push({ file, field: "(json)", message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const r = parseCase(json, file);
    if ("case" in r) cases.push({ file, case: r.case });
    else errors.push(...r.errors);
  }
  return { cases, errors };
}

/** The file name a case gets by default: its expected verdict and trace hash. */
export function defaultCaseFile(kase: CorpusCase): string {
  return `${kase.expected.replace(":", "-")}-${kase.traceHash}.json`;
}

/**
 * Writes a case atomically: to a temporary file in the same directory, then
 * renamed over `dir/<file>`, so a reader never sees half a case. Returns the path.
 */
export async function writeCase(
  dir: string,
  kase: CorpusCase,
  file: string = defaultCaseFile(kase),
): Promise<string> {
  const checked = CaseSchema.parse(kase);
  if (!/^[A-Za-z0-9_.-]+\.json$/.test(file)) throw new Error(`bad corpus file name "${file}"`);
  const path = `${dir}/${file}`;
  const tmp = `${dir}/.${file}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(checked, null, 2) + "\n");
  await Deno.rename(tmp, path);
  return path;
}

/** The corpus case that records a settled run. */
export function toCorpusCase(
  result: CaseResult,
  checkers: CheckerSet,
  description: string,
): CorpusCase {
  return {
    format: CASE_FORMAT,
    description,
    scenario: result.input.scenario,
    decisions: [...result.input.decisions],
    seed: result.input.seed,
    strategy: "replay",
    checkers,
    expected: verdictLabel(result.verdict),
    traceHash: result.run.traceHash,
  };
}

/** What replaying a case gave, against what it recorded. */
export interface Replay {
  /** True when both the verdict label and the trace hash match the recorded ones. */
  readonly ok: boolean;
  /** Verdict label of the replay (`pass`, a verdict kind, or `invariant:<name>`). */
  readonly verdict: string;
  /** Trace hash of the replay. */
  readonly traceHash: string;
  /** The replayed case with its settled run. */
  readonly result: CaseResult;
}

/** Replays a case and compares its verdict and trace hash with the recorded ones. */
export function replayCase(
  kase: CorpusCase,
  services: Readonly<Record<string, PagerService>> = {},
): Replay {
  const zoo = kase.zoo === undefined ? undefined : zooContext(kase.zoo);
  const result = checkCase(
    { scenario: kase.scenario as Scenario, decisions: kase.decisions, seed: kase.seed },
    {
      monitors: checkersOf(kase.checkers),
      services: { ...services, ...zoo?.services },
      makeKernel: zoo?.makeKernel,
    },
  );
  const verdict = verdictLabel(result.verdict);
  const traceHash = result.run.traceHash;
  return {
    ok: verdict === kase.expected && traceHash === kase.traceHash,
    verdict,
    traceHash,
    result,
  };
}
