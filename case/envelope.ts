/**
 * The case envelope, `pagersim/case@2`: one format for every case, whatever
 * its kind of input. A case records everything its replay needs: the kind and
 * input, the decision list and seed, the checker set, the seeded bug or the
 * kernel and service modules (path relative to the case file and a content
 * hash), the expected verdict and trace hash, and the signature. The reader
 * accepts every older format (`pagersim/case@1`, `pagersim/program@1`).
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import { formatIssues } from "../scenario/schema.ts";
import { nearest } from "../scenario/nearest.ts";
import { BUG_IDS } from "../zoo/registry.ts";
import { KIND_NAMES, type KindName } from "./kind.ts";
import { CheckerSetSchema, KINDS } from "./kinds.ts";
import { CONTRACT, LIFETIME } from "../program/run.ts";
import { rawSlug, signatureId, slug } from "./names.ts";
import { type ServiceContract, ServiceContractSchema } from "../scenario/service_contract.ts";

/** The case format tag. */
export const CASE_FORMAT = "pagersim/case@2";
/** The case format of scenario cases before the envelope. */
export const CASE_FORMAT_V1 = "pagersim/case@1";
/** The program case format before the envelope. */
export const PROGRAM_CASE_FORMAT_V1 = "pagersim/program@1";

/** A module a case runs (a user's service or kernel variant): where it is and what it held. */
export interface ModuleRef {
  /** Path relative to the case file's directory (`/`-separated). */
  readonly path: string;
  /** SHA-256 of the module's bytes when the case was written; null: not recorded (old cases). */
  readonly sha256: string | null;
  /**
   * The user's modules it imports (relative specifiers, followed; pagersim's
   * own modules left out), each with its SHA-256 when the case was written:
   * a bug fixed in an imported file is a changed module too. Absent: none, or
   * an older case that recorded only the module itself.
   */
  readonly imports?: readonly { readonly path: string; readonly sha256: string }[];
}

/** Why an unshrunk case stayed unshrunk ({@linkcode CaseOrigin.unshrunkWhy}). */
export type UnshrunkWhy = "written-before-shrinking" | "run-limit" | "heap-limit";

/** The `unshrunkWhy` an unshrunk case is first written with, before its shrinking starts. */
export const UNSHRUNK_WRITTEN: UnshrunkWhy = "written-before-shrinking";

/**
 * Why a case is unshrunk, by its `found.unshrunkWhy`, as ` (…)` to follow "not shrunk" (session
 * 33, userS33a: `corpus list` said of every unshrunk case "its campaign was killed while shrinking
 * it", of one whose campaign had finished and given its shrinking up at the run limit too); ""
 * for a case written before the reason was recorded: no guess at why.
 *
 * @example
 * ```ts
 * import { unshrunkWords } from "./envelope.ts";
 * console.assert(unshrunkWords({ unshrunkWhy: "run-limit" }).includes("past the run limit"));
 * console.assert(unshrunkWords({}) === "");
 * ```
 */
export function unshrunkWords(found: { readonly unshrunkWhy?: UnshrunkWhy } | undefined): string {
  switch (found?.unshrunkWhy) {
    case "written-before-shrinking":
      return " (written as it ran, before shrinking it; its campaign was killed while shrinking it)";
    case "run-limit":
      return " (its campaign gave the shrinking up: a shrinking replay went past the run limit)";
    case "heap-limit":
      return " (its campaign gave the shrinking up: a shrinking replay reached the heap limit)";
    default:
      return "";
  }
}

/** Where a case came from. */
export interface CaseOrigin {
  /** What found it: `fuzz`, `explore`, `property`, `zoo`, ... */
  readonly by: string;
  /** The campaign seed, for campaign findings. */
  readonly campaignSeed?: number;
  /** The run index in its campaign. */
  readonly run?: number;
  /** Decisions of the run before shrinking. */
  readonly shrunkFrom?: number;
  /** True while the case is the unshrunk run (replaced by its shrunk form when shrinking ends). */
  readonly unshrunk?: boolean;
  /**
   * Why an `unshrunk` case is still the unshrunk run (session 33, userS33a: `corpus list` said
   * "its campaign was killed while shrinking it" of a case whose campaign had finished and given
   * its shrinking up at the run limit): {@linkcode UNSHRUNK_WRITTEN} as written before shrinking
   * (still there: the process that shrank it was killed, SIGKILL, before it could say more);
   * `run-limit` or `heap-limit`: a shrinking replay went past that limit and the campaign gave
   * the shrink up. (SIGINT cuts a shrink short instead: `shrinkCut`.) Absent: an older case.
   */
  readonly unshrunkWhy?: UnshrunkWhy;
  /**
   * True when shrinking was cut short (the campaign ended or was interrupted while shrinking it):
   * the case fails as recorded but may shrink further, so a later campaign that meets its
   * signature investigates it again instead of counting it as known.
   */
  readonly shrinkCut?: boolean;
  /**
   * True for a run stopped at the run limit whose confirmation run the campaign's budget cut
   * short (past the run limit twice, not to the confirmation limit): a suspected hang, so a later
   * campaign that meets its signature confirms it again instead of counting it as known.
   */
  readonly unconfirmed?: boolean;
}

/**
 * The limits the run that found a case ran under, which its replay keeps: the step limit, the
 * wall-clock limit of one run, the worker's heap limit and the confirmation limit
 * (`--run-timeout`, `--memory`, `--confirm-timeout`). A case written before limits were
 * recorded has none and replays under the defaults.
 */
export interface CaseLimits {
  /** Steps after which the run ends with a step-budget verdict (a scenario's `maxSteps`). */
  readonly maxSteps: number;
  /** Seconds one run may take before it is stopped as `service-hang`. */
  readonly runTimeout: number;
  /**
   * MiB of JavaScript heap a worker may use: one that reports reaching it is `out-of-memory`,
   * one gone silent there is stopped at `runTimeout` as a `service-hang`.
   */
  readonly memoryMb: number;
  /**
   * Seconds a run stopped at `runTimeout` is given when run again before it is a `service-hang`
   * (`--confirm-timeout`); absent in cases written before it was recorded (their replay uses the
   * default, `CONFIRM_FACTOR` (fuzz/engine.ts) times `runTimeout`).
   */
  readonly confirmTimeout?: number;
}

/** One case, any kind: the `pagersim/case@2` envelope. */
export interface CaseEnvelope<I = unknown> {
  /** Format tag, {@linkcode CASE_FORMAT}. */
  readonly format: typeof CASE_FORMAT;
  /** The kind of input. */
  readonly kind: KindName;
  /** What the case exercises, for people. */
  readonly description: string;
  /** The input: a scenario or a syscall program. */
  readonly input: I;
  /** Scheduling and draw decisions, replayed in order. */
  readonly decisions: readonly number[];
  /** Seeds the replay fallback past the end of `decisions`. */
  readonly seed: number;
  /** The checker set that judges it (one of its kind's sets). */
  readonly checkers: string;
  /** A seeded bug (zoo/registry.ts `bug(id)`) the case runs against. */
  readonly bug?: string;
  /** A kernel variant module exporting `makeKernel(options)`. */
  readonly kernel?: ModuleRef;
  /** A service module (default export or `service`), bound to the `custom` name `user`. */
  readonly service?: ModuleRef;
  /**
   * The contract the service module was held to when the case was found
   * (`scenario/service_contract.ts`, defaults filled in); absent: no contract (and in
   * cases written before contracts existed).
   */
  readonly contract?: ServiceContract;
  /** The limits the run ran under; absent in older cases (their replay uses the defaults). */
  readonly limits?: CaseLimits;
  /** Expected verdict label: `pass`, a verdict kind, or `invariant:<name>`. */
  readonly expected: string;
  /** Recorded trace hash, 16 hex digits. */
  readonly traceHash: string;
  /** Dedupe key of the failure (its signature), for found cases. */
  readonly signature?: string;
  /** Where it was found. */
  readonly found?: CaseOrigin;
}

/** The `custom` service name a case's service module is bound to. */
export const USER_SERVICE = "user";

const RefPath = z.string().min(1).max(1000).refine((p) => !p.includes("\0"), "no NUL in a path");
const ModuleRefSchema = z.object({
  path: RefPath,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 hex digits").nullable(),
  imports: z.array(
    z.object({ path: RefPath, sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 hex digits") })
      .strict(),
  ).max(1000).optional(),
}).strict();

const Expected = z.string().regex(
  /^(pass|hang|liveness-budget|step-budget|kernel-assertion|thread-fault|service-hang|kernel-hang|out-of-memory|invariant:[a-z0-9.-]+)$/,
  "pass, a verdict kind, or invariant:<name>",
);
const TraceHash = z.string().regex(/^[0-9a-f]{16}$/, "16 hex digits");
const Decisions = z.array(z.number().int().min(0)).max(1_000_000);
const BugId = z.string().refine(
  (id) => BUG_IDS.includes(id),
  "not a seeded bug id (zoo/registry.ts)",
);

/** The schema of {@linkcode CaseLimits} (the same ranges as the flags and the scenario's field). */
const LimitsSchema = z.object({
  maxSteps: z.number().int().min(1).max(10_000_000),
  runTimeout: z.number().int().min(1).max(3600),
  memoryMb: z.number().int().min(32).max(65536),
  confirmTimeout: z.number().int().min(1).max(36000).optional(),
}).strict().refine(
  (l) => l.confirmTimeout === undefined || l.confirmTimeout >= l.runTimeout,
  {
    path: ["confirmTimeout"],
    message: "below runTimeout: a run past the run limit is confirmed with a larger one",
  },
);

const OriginSchema = z.object({
  by: z.string().min(1).max(40),
  campaignSeed: z.number().int().min(0).optional(),
  run: z.number().int().min(0).optional(),
  shrunkFrom: z.number().int().min(0).optional(),
  unshrunk: z.boolean().optional(),
  unshrunkWhy: z.enum(["written-before-shrinking", "run-limit", "heap-limit"]).optional(),
  shrinkCut: z.boolean().optional(),
  unconfirmed: z.boolean().optional(),
}).strict();

/** The envelope's schema; the input is checked by its kind's schema. */
export const EnvelopeSchema = z.object({
  format: z.literal(CASE_FORMAT),
  kind: z.enum(KIND_NAMES),
  description: z.string().min(1).max(2000),
  input: z.unknown(),
  decisions: Decisions,
  seed: z.number().int().min(0),
  checkers: CheckerSetSchema,
  bug: BugId.optional(),
  kernel: ModuleRefSchema.optional(),
  service: ModuleRefSchema.optional(),
  contract: ServiceContractSchema.optional(),
  limits: LimitsSchema.optional(),
  expected: Expected,
  traceHash: TraceHash,
  signature: z.string().max(400).optional(),
  found: OriginSchema.optional(),
}).strict().superRefine((c, ctx) => {
  const kind = KINDS[c.kind];
  if (!kind.checkerSets.includes(c.checkers)) {
    ctx.addIssue({
      code: "custom",
      path: ["checkers"],
      message: `a ${c.kind} case's checkers are ${kind.checkerSets.join(" or ")}`,
    });
  }
  if (c.bug !== undefined && c.kernel !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["kernel"],
      message: "a case names a bug or a kernel module, not both",
    });
  }
  const r = kind.schema.safeParse(c.input);
  if (!r.success) {
    for (const i of r.error.issues) {
      ctx.addIssue({ code: "custom", path: ["input", ...i.path.map(String)], message: i.message });
    }
  }
});

/** The old scenario case format, read and upgraded. */
const CaseV1Schema = z.object({
  format: z.literal(CASE_FORMAT_V1),
  description: z.string().min(1).max(2000),
  scenario: z.unknown(),
  decisions: Decisions,
  seed: z.number().int().min(0),
  strategy: z.literal("replay"),
  checkers: z.enum(["kernel", "kernel+service"]),
  expected: Expected,
  traceHash: TraceHash,
  signature: z.string().max(400).optional(),
  found: z.object({
    campaignSeed: z.number().int().min(0),
    run: z.number().int().min(0),
    service: z.string().nullable(),
    shrunkFrom: z.number().int().min(0),
  }).strict().optional(),
  zoo: BugId.optional(),
}).strict();

/** The old program case format, read and upgraded. */
const ProgramV1Schema = z.object({
  format: z.literal(PROGRAM_CASE_FORMAT_V1),
  description: z.string(),
  signature: z.string(),
  expected: z.object({ verdict: z.string(), invariant: z.string().optional() }),
  checks: z.enum(["kernel", "contract"]),
  seed: z.number().int().min(0),
  program: z.unknown(),
  decisions: Decisions,
  traceHash: TraceHash,
  found: z.object({ campaignSeed: z.number(), run: z.number(), shrunkFrom: z.number() }),
  mutant: BugId.optional(),
}).strict();

/** A case document that could not be used, with the field that is wrong. */
export interface CaseError {
  /** Where the document came from (a file path). */
  readonly file: string;
  /** The path of the bad field (`input.vmos.0.pages`), or `(root)`, `(json)`, `(file)`. */
  readonly field: string;
  /** What is wrong, naming the field. */
  readonly message: string;
}

function issues(
  file: string,
  list: readonly { path: readonly PropertyKey[]; message: string }[],
): { errors: CaseError[] } {
  const text = formatIssues(list);
  return {
    errors: list.map((i, n) => ({
      file,
      field: i.path.length ? i.path.map(String).join(".") : "(root)",
      message: text[n],
    })),
  };
}

/** The verdicts a case may expect, besides `invariant:<name>` (a typo of one gets a suggestion). */
const EXPECTED_KINDS = [
  "pass",
  "hang",
  "liveness-budget",
  "step-budget",
  "kernel-assertion",
  "thread-fault",
  "service-hang",
  "kernel-hang",
  "out-of-memory",
] as const;

/**
 * An envelope issue in a hand editor's words: a missing field says so (zod: "expected
 * nonoptional, received undefined"), an unknown field names the envelope field it is nearest,
 * and a bad `expected` shows the value and the verdict it is nearest.
 */
function withEnvelopeHint(
  doc: unknown,
  i: { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] },
): { path: readonly PropertyKey[]; message: string } {
  const top = typeof doc === "object" && doc !== null ? doc as Record<string, unknown> : {};
  const fields = Object.keys(EnvelopeSchema.shape);
  if (i.path.length === 1 && top[String(i.path[0])] === undefined && i.code === "invalid_type") {
    return { path: i.path, message: "missing: every case has this field" };
  }
  if (i.path.length === 0 && i.code === "unrecognized_keys") {
    const hints = (i.keys ?? []).flatMap((k) => {
      const near = nearest(k, fields.filter((f) => top[f] === undefined));
      return near === null ? [] : [`"${k}": did you mean "${near}"?`];
    });
    if (hints.length > 0) return { path: i.path, message: `${i.message}; ${hints.join("; ")}` };
  }
  if (i.path.length === 1 && i.path[0] === "expected" && typeof top.expected === "string") {
    const near = nearest(top.expected, EXPECTED_KINDS);
    return {
      path: i.path,
      message: `${JSON.stringify(top.expected)} is not ${i.message}` +
        (near === null ? "" : `; did you mean "${near}"?`),
    };
  }
  return i;
}

/**
 * The invariant names a case of `kind` can expect: those of its kind's checker sets, and for
 * programs the program's own oracles.
 */
export function knownInvariants(kind: KindName): string[] {
  const k = KINDS[kind];
  const names = new Set(k.checkerSets.flatMap((set) => k.checkers(set)().map((m) => m.name)));
  if (kind === "program") { for (const n of [CONTRACT, LIFETIME]) names.add(n); }
  return [...names].sort();
}

/**
 * Why `expected` names no invariant a case of `kind` can report (with the nearest name), or
 * null: a typo in it ("invariant:answers-every-raed") made every replay "NOT reproduced".
 */
function unknownInvariant(kind: KindName, expected: string): string | null {
  if (!expected.startsWith("invariant:")) return null;
  const name = expected.slice("invariant:".length);
  const known = knownInvariants(kind);
  if (known.includes(name)) return null;
  const near = nearest(name, known);
  return `${JSON.stringify(expected)} names no invariant of a ${kind} case's checkers` +
    (near === null ? ` (${known.join(", ")})` : `; did you mean "invariant:${near}"?`);
}

/** The format tag of a document, if it has one. */
function formatOf(doc: unknown): unknown {
  const format = typeof doc === "object" && doc !== null
    ? (doc as { format?: unknown }).format
    : undefined;
  return format;
}

/**
 * Validates one parsed case document of any format (`pagersim/case@2`, or the
 * older `pagersim/case@1` and `pagersim/program@1`, upgraded) as an envelope;
 * errors name the file and the bad field.
 *
 * @example
 * ```ts
 * import { parseCase } from "./envelope.ts";
 * const r = parseCase({ format: "pagersim/case@9" }, "x.json");
 * console.assert("errors" in r && r.errors[0].field === "format");
 * ```
 */
export function parseCase(
  doc: unknown,
  file: string,
): { case: CaseEnvelope } | { errors: CaseError[] } {
  const format = formatOf(doc);
  if (format === CASE_FORMAT_V1) {
    const r = CaseV1Schema.safeParse(doc);
    if (!r.success) return issues(file, r.error.issues);
    const c = r.data;
    const input = KINDS.scenario.schema.safeParse(c.scenario);
    if (!input.success) {
      return issues(file, input.error.issues.map((i) => ({ ...i, path: ["scenario", ...i.path] })));
    }
    return {
      case: {
        format: CASE_FORMAT,
        kind: "scenario",
        description: c.description,
        input: input.data,
        decisions: c.decisions,
        seed: c.seed,
        checkers: c.checkers,
        ...(c.zoo !== undefined ? { bug: c.zoo } : {}),
        // Old cases kept the service path as given on the command line (relative to where the
        // campaign ran) and no hash: the replay reports that it cannot check the module.
        ...(c.found?.service ? { service: { path: c.found.service, sha256: null } } : {}),
        expected: c.expected,
        traceHash: c.traceHash,
        ...(c.signature !== undefined ? { signature: c.signature } : {}),
        ...(c.found !== undefined
          ? {
            found: {
              by: "fuzz",
              campaignSeed: c.found.campaignSeed,
              run: c.found.run,
              shrunkFrom: c.found.shrunkFrom,
            },
          }
          : {}),
      },
    };
  }
  if (format === PROGRAM_CASE_FORMAT_V1) {
    const r = ProgramV1Schema.safeParse(doc);
    if (!r.success) return issues(file, r.error.issues);
    const c = r.data;
    const input = KINDS.program.schema.safeParse(c.program);
    if (!input.success) {
      return issues(file, input.error.issues.map((i) => ({ ...i, path: ["program", ...i.path] })));
    }
    const expected = c.expected.verdict === "invariant"
      ? `invariant:${c.expected.invariant ?? ""}`
      : c.expected.verdict;
    const e = Expected.safeParse(expected);
    if (!e.success) return issues(file, e.error.issues.map((i) => ({ ...i, path: ["expected"] })));
    return {
      case: {
        format: CASE_FORMAT,
        kind: "program",
        description: c.description,
        input: input.data,
        decisions: c.decisions,
        seed: c.seed,
        checkers: c.checks,
        ...(c.mutant !== undefined ? { bug: c.mutant } : {}),
        expected,
        traceHash: c.traceHash,
        signature: c.signature,
        found: {
          by: "fuzz",
          campaignSeed: c.found.campaignSeed,
          run: c.found.run,
          shrunkFrom: c.found.shrunkFrom,
        },
      },
    };
  }
  const r = EnvelopeSchema.safeParse(doc);
  if (!r.success) return issues(file, r.error.issues.map((i) => withEnvelopeHint(doc, i)));
  const unknown = unknownInvariant(r.data.kind, r.data.expected);
  if (unknown !== null) return issues(file, [{ path: ["expected"], message: unknown }]);
  // The input with its kind's defaults filled in.
  const input = KINDS[r.data.kind].schema.parse(r.data.input);
  return { case: { ...r.data, input } as CaseEnvelope };
}

/** What names a case's context in its file name: the seeded bug, the service and kernel modules. */
export type NamedContext = Partial<Pick<CaseEnvelope, "bug" | "service" | "kernel">>;

/** A module's stem (`examples/my_service.ts` -> `my_service`). */
function stem(m: ModuleRef): string {
  const base = m.path.slice(m.path.lastIndexOf("/") + 1);
  return base.replace(/\.[^.]*$/, "");
}

/**
 * The file a case gets: its signature's slug and id, or (no signature) its
 * expected verdict and trace hash. A case of a seeded bug, a service or a
 * kernel module also names them: their names, and in the id the modules'
 * recorded paths and content hashes, so the cases of two services (even two
 * versions of one) never share a name, in one corpus or copied between two.
 * The built-in services' cases keep the names they always had.
 *
 * @example
 * ```ts
 * import { caseFileName } from "./envelope.ts";
 * console.assert(caseFileName({ expected: "pass", traceHash: "0123456789abcdef" }) ===
 *   "pass-0123456789abcdef.json");
 * console.assert(caseFileName({ signature: "hang:x", expected: "hang", traceHash: "0" })
 *   .startsWith("hang-x-"));
 * const a = caseFileName({
 *   signature: "hang:x", expected: "hang", traceHash: "0",
 *   service: { path: "../a/blob.ts", sha256: "1".repeat(64) },
 * });
 * const b = caseFileName({
 *   signature: "hang:x", expected: "hang", traceHash: "0",
 *   service: { path: "../b/blob.ts", sha256: "1".repeat(64) },
 * });
 * console.assert(a.startsWith("hang-x-blob-") && a !== b);
 * ```
 */
export function caseFileName(
  c: Pick<CaseEnvelope, "signature" | "expected" | "traceHash"> & NamedContext,
): string {
  return contextualName(c, slug);
}

/** {@linkcode caseFileName} with the slug function given (the current one, or {@linkcode rawSlug}). */
function contextualName(
  c: Pick<CaseEnvelope, "signature" | "expected" | "traceHash"> & NamedContext,
  slugOf: (text: string, max?: number) => string,
): string {
  const parts = [
    c.bug,
    c.service !== undefined ? stem(c.service) : undefined,
    c.kernel !== undefined ? stem(c.kernel) : undefined,
  ].filter((x) => x !== undefined);
  if (parts.length === 0) return legacyName(c, slugOf);
  const context = [
    c.bug ?? "-",
    ...[c.service, c.kernel].map((m) => m === undefined ? "-" : `${m.path}@${m.sha256 ?? "-"}`),
  ].join(" ");
  const what = c.signature ?? `${c.expected}#${c.traceHash}`;
  // The old cut (`rawSlug`) took 40 characters of the 60-character slug, as names had them.
  const tag = slugOf === slug ? slug(parts.join("-"), 40) : rawSlug(parts.join("-")).slice(0, 40);
  return c.signature !== undefined
    ? `${slugOf(c.signature)}-${tag}-${signatureId(`${what}\n${context}`)}.json`
    : `${c.expected.replace(":", "-")}-${tag}-${c.traceHash}-${
      signatureId(`${what}\n${context}`)
    }.json`;
}

/**
 * Every name a case of this finding may be stored under besides {@linkcode caseFileName}'s,
 * oldest rule first: {@linkcode legacyCaseFileName} (before names told contexts apart), and the
 * names both rules gave before slugs were trimmed of a dash left by their cut (userS27k's
 * `...pending-requests--vc2-...`). Files of these names stay valid cases, and a writer looks for
 * its finding under them too.
 *
 * @example
 * ```ts
 * import { caseFileName, olderCaseFileNames } from "./envelope.ts";
 * const c = { signature: "x".repeat(59) + " y", expected: "hang", traceHash: "0" };
 * console.assert(olderCaseFileNames(c)[0].startsWith("x".repeat(59) + "--"));
 * console.assert(!olderCaseFileNames(c).includes(caseFileName(c)));
 * ```
 */
export function olderCaseFileNames(
  c: Pick<CaseEnvelope, "signature" | "expected" | "traceHash"> & NamedContext,
): string[] {
  const now = caseFileName(c);
  const names = [
    legacyCaseFileName(c),
    legacyName(c, rawSlug),
    contextualName(c, rawSlug),
  ];
  return [...new Set(names)].filter((n) => n !== now);
}

/**
 * The name {@linkcode caseFileName} gave every case before it named the context: the signature's
 * slug and id, or the expected verdict and trace hash. Files of that name stay valid cases, and
 * a writer looks for the finding under it too.
 *
 * @example
 * ```ts
 * import { legacyCaseFileName } from "./envelope.ts";
 * console.assert(legacyCaseFileName({ expected: "pass", traceHash: "01" }) === "pass-01.json");
 * ```
 */
export function legacyCaseFileName(
  c: Pick<CaseEnvelope, "signature" | "expected" | "traceHash">,
): string {
  return legacyName(c, slug);
}

function legacyName(
  c: Pick<CaseEnvelope, "signature" | "expected" | "traceHash">,
  slugOf: (text: string) => string,
): string {
  return c.signature !== undefined
    ? `${slugOf(c.signature)}-${signatureId(c.signature)}.json`
    : `${c.expected.replace(":", "-")}-${c.traceHash}.json`;
}

/** The size of a case: its input's size (by its kind) plus its decisions. */
export function caseSize(c: Pick<CaseEnvelope, "kind" | "input" | "decisions">): number {
  return KINDS[c.kind].size(c.input) + c.decisions.length;
}

/**
 * The stated rule when two cases of one signature compete for one file (two
 * campaigns on one corpus, a shrunk case replacing its unshrunk form, a
 * merge): the smaller case wins (input size plus decisions); on a tie, the
 * smaller trace hash; on equal hashes, the one already there. True if
 * `candidate` should replace `existing`.
 *
 * @example
 * ```ts
 * import { replaces } from "./envelope.ts";
 * import { readCaseFile } from "./store.ts";
 * const c = await readCaseFile("corpus/zoo-duplicate-read.json");
 * const longer = { ...c, decisions: [...c.decisions, 0] };
 * console.assert(replaces(c, longer) && !replaces(longer, c));
 * ```
 */
export function replaces(candidate: CaseEnvelope, existing: CaseEnvelope): boolean {
  const a = caseSize(candidate), b = caseSize(existing);
  if (a !== b) return a < b;
  return candidate.traceHash < existing.traceHash;
}

/**
 * The command that replays a case file: a case names everything else it needs.
 *
 * @example
 * ```ts
 * import { replayCommand } from "./envelope.ts";
 * console.assert(replayCommand("corpus/x.json") === "deno task repro corpus/x.json");
 * ```
 */
export function replayCommand(file: string): string {
  return `deno task repro ${file}`;
}

/**
 * The command that replays run `k` of campaign `seed` from scratch, with
 * everything the campaign ran it with: what to print when its case could not
 * be written.
 *
 * @example
 * ```ts
 * import { campaignReplayCommand } from "./envelope.ts";
 * console.assert(
 *   campaignReplayCommand({ seed: 7, run: 3, service: "my.ts" }) ===
 *     "deno task repro --campaign 7 --run 3 --service my.ts",
 * );
 * ```
 */
export function campaignReplayCommand(o: {
  readonly seed: number;
  readonly run: number;
  readonly service?: string | null;
  readonly kernel?: string | null;
  readonly bug?: string | null;
  readonly checkers?: string | null;
}): string {
  return [
    `deno task repro --campaign ${o.seed} --run ${o.run}`,
    o.service ? ` --service ${o.service}` : "",
    o.kernel ? ` --kernel ${o.kernel}` : "",
    o.bug ? ` --zoo ${o.bug}` : "",
    o.checkers ? ` --checkers ${o.checkers}` : "",
  ].join("");
}

/**
 * A case's expected verdict as its signature shows it: the signature where it extends the label
 * with the checker's sub-code (`invariant:quiescent-end:Q2`), else the label (`pass`). What
 * `repro` and `corpus accept` print as recorded (userS23b saw `invariant:quiescent-end` there and
 * `invariant:quiescent-end:Q2` in corpus list).
 *
 * @example
 * ```ts
 * import { fullExpected } from "./envelope.ts";
 * const c = { expected: "invariant:quiescent-end", signature: "invariant:quiescent-end:Q2" };
 * console.assert(fullExpected(c) === "invariant:quiescent-end:Q2");
 * console.assert(fullExpected({ ...c, expected: "pass" }) === "pass");
 * ```
 */
export function fullExpected(
  c: { readonly expected: string; readonly signature?: string },
): string {
  const s = c.signature;
  return s?.startsWith(c.expected) === true ? s : c.expected;
}

/**
 * What a case recorded, as a signature: its failure's own signature (a lost wake-up reads
 * `lost-wakeup:...`, where {@linkcode fullExpected} gives the label a hook signs under), `pass`
 * for a case that expects pass (even one an older `corpus accept` left the fixed failure's
 * signature in). The `recorded` side `repro --current-code` and `corpus accept` print beside
 * what the run signs now (userS29a:
 * "recorded: invariant:answers-every-read; now: lost-wakeup:..." for the same failure).
 *
 * @example
 * ```ts
 * import { recordedSignature } from "./envelope.ts";
 * const c = { expected: "invariant:answers-every-read", signature: "lost-wakeup:condvar q" };
 * console.assert(recordedSignature(c) === "lost-wakeup:condvar q");
 * console.assert(recordedSignature({ ...c, expected: "pass" }) === "pass");
 * ```
 */
export function recordedSignature(
  c: { readonly expected: string; readonly signature?: string },
): string {
  return c.expected === "pass" ? "pass" : c.signature ?? fullExpected(c);
}

/**
 * What `corpus list` says a case expects: its recorded signature where it extends the expected
 * verdict (`invariant:answers-every-read:P1`, what repro prints), else the verdict and the
 * signature beside it. Two bugs of one invariant were both listed as
 * `expects invariant:answers-every-read`. repro's `expected:` line says the same (userS31a: it
 * read `expected: invariant:quiescent-end` for a case filed as `dropped-after-error:...`).
 *
 * A case that expects `pass` and carries a signature is a fix an older `corpus accept`
 * re-recorded: it kept the fixed failure's signature (since userS31a it drops it, and such a case
 * makes no failure known). It was listed as `pass (signature S)`, which read as a passing run
 * with a failure signature.
 *
 * @example
 * ```ts
 * import { expectsText } from "./envelope.ts";
 * const c = { expected: "invariant:quiescent-end", signature: "dropped-after-error:x" };
 * console.assert(expectsText(c) === "invariant:quiescent-end (signature dropped-after-error:x)");
 * console.assert(expectsText({ expected: "pass" }) === "pass");
 * ```
 */
export function expectsText(
  c: { readonly expected: string; readonly signature?: string },
): string {
  if (c.signature === undefined || c.signature === c.expected) return c.expected;
  if (c.expected === "pass") return `pass (an accepted fix of ${c.signature})`;
  return c.signature.startsWith(c.expected)
    ? c.signature
    : `${c.expected} (signature ${c.signature})`;
}
