/**
 * Cases on disk (host side: the only file I/O of `case/`): one reader for
 * every case format, one atomic writer, the module references a case records
 * (path relative to the case file, SHA-256 of the bytes; only modules
 * inside the project tree, the working directory's deno.json project), and the public
 * replay, which resolves a case's seeded bug and modules by itself.
 *
 * The writer's rule for a name already taken: a case never overwrites a
 * different case. A case of the same finding (same kind, same context — seeded
 * bug, service and kernel module by path and content hash, checkers — and the
 * same signature) is replaced only by a smaller one (`replaces` in
 * `envelope.ts`; an unshrunk case is always replaced by its shrunk form); any
 * other file keeps its name and the new case takes the next free
 * `<name>-2.json`, `-3`, ... So two services (even byte-identical copies at two
 * paths) failing with one signature get two files (their names differ already:
 * `caseFileName` names a case's modules), and a later finding of either goes to
 * the file its own context holds (under its older name, `legacyCaseFileName`, or a
 * name with a double dash that slugs cut at a dash once made, `olderCaseFileNames`, if
 * it was stored there). A writer that must keep exactly its
 * case (explore's counterexample) asks for `{ keep: "exact" }`: then only a file
 * holding the same replay counts as written. Temporary files are unique per
 * write (pid and a counter), and a new file appears by a hard link, which fails
 * instead of overwriting.
 *
 * @module
 */

import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL } from "node:url";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import {
  type CloseEntry,
  ContractSchemaError,
  type OpenEntry,
  parseContract,
  type ServiceContract,
  setServiceOrigin,
  withContract,
  type WritebackEntry,
} from "../scenario/service_contract.ts";
import { bug, BUG_IDS, NAMED_SERVICES } from "../zoo/registry.ts";
import { ContractError, contractsOf, contractViolations } from "../scenario/contract.ts";
import type { Scenario } from "../scenario/schema.ts";
import {
  type CaseEnvelope,
  type CaseError,
  caseFileName,
  type ModuleRef,
  olderCaseFileNames,
  parseCase,
  recordedSignature,
  replaces,
  type UnshrunkWhy,
  USER_SERVICE,
} from "./envelope.ts";
import type { RunContext } from "./kind.ts";
import { jsonErrorOffset, lineColumn } from "./json_position.ts";
import { KINDS } from "./kinds.ts";
import { nearest } from "../scenario/nearest.ts";
import { type Replay, replayWith } from "./replay.ts";
import { signatureOf } from "../properties/signature.ts";
import { localSpecifiers } from "../properties/service_source.ts";
import { signProgramVerdict } from "../program/signature.ts";
import { PAGERSIM_PARTS } from "../sim/variant_crash.ts";
import { loadFailure as sharedLoadFailure } from "../sim/load_failure.ts";

/**
 * A case file or module that cannot be used: one clear message, no stack trace needed.
 *
 * @example
 * ```ts
 * import { CaseFileError, readCaseFile } from "./store.ts";
 * try {
 *   await readCaseFile("no/such/case.json");
 * } catch (e) {
 *   console.assert(e instanceof CaseFileError && e.message.includes("cannot read"));
 * }
 * ```
 */
export class CaseFileError extends Error {
  /** Error name shown in reports: "CaseFileError". */
  override name = "CaseFileError";
}

/**
 * A `JSON.parse` error's message on one line: the text it quotes may hold a raw newline, tab or
 * other control character (trial35: `Unexpected token 'o', "not json {` and `" is not valid
 * JSON` on two lines, in repro's error and in fuzz's corpus warning), written as JSON writes it.
 *
 * @example
 * ```ts
 * import { jsonErrorText } from "./store.ts";
 * let message = "";
 * try {
 *   JSON.parse("not json {\n");
 * } catch (e) {
 *   message = jsonErrorText(e);
 * }
 * console.assert(!message.includes("\n") && message.includes("{\\n"));
 * ```
 *
 * With the `text` given, a message that names no place gets `(line L column C)` at its end.
 */
export function jsonErrorText(e: unknown, text?: string): string {
  let message = e instanceof Error ? e.message : String(e);
  // V8 names no position for an unexpected token or an early end (trial37: a truncated scenario
  // file said `Unexpected token ']', ..."es": 1 }, ] " is not valid JSON`, a truncated case
  // `(line 6 column 8)`): the place is found in the text, in V8's words.
  if (text !== undefined && !/\(line \d+ column \d+\)$/.test(message)) {
    const offset = jsonErrorOffset(text);
    if (offset !== null) message += ` (${lineColumn(text, offset)})`;
  }
  // deno-lint-ignore no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * Reads a JSON file; a file that cannot be read or parsed throws `error`
 * with one line naming the file (the reader of cases and of scenario files).
 *
 * @example
 * ```ts
 * import { CaseFileError, readJsonFile } from "./store.ts";
 * const doc = await readJsonFile("deno.json", CaseFileError);
 * console.assert(typeof doc === "object" && doc !== null);
 * ```
 */
export async function readJsonFile(
  file: string,
  error: new (message: string) => Error,
): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const where = e instanceof Deno.errors.NotFound ? lookedIn(file) : "";
    throw new error(`${file}: cannot read: ${(e as Error).message}${where}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new error(`${file}: not valid JSON: ${jsonErrorText(e, text)}`);
  }
}

/**
 * Reads and validates one case file of any format; the error names the file and each bad field.
 *
 * @example
 * ```ts
 * import { readCaseFile } from "./store.ts";
 * const c = await readCaseFile("corpus/programs/regress-k14-clone-fault-after-pager-close.json");
 * console.assert(c.format === "pagersim/case@2" && c.kind === "program"); // upgraded from program@1
 * ```
 */
export async function readCaseFile(file: string): Promise<CaseEnvelope> {
  const json = await readJsonFile(file, CaseFileError);
  const r = parseCase(json, file);
  if ("case" in r) return r.case;
  if (looksLikeScenario(json)) {
    throw new CaseFileError(
      `${file}: a scenario, not a case (no "format": "pagersim/case@2"): run it with ` +
        `\`deno task sim --scenario ${file} --seed N\`, or replay one of its runs with ` +
        `\`deno task repro --scenario ${file} --seed N\``,
    );
  }
  throw new CaseFileError(
    `${file}: invalid case:\n${r.errors.map((e) => `  - ${e.message}`).join("\n")}`,
  );
}

/** A scenario file given where a case belongs: threads or VMOs at the top, no case format. */
function looksLikeScenario(json: unknown): boolean {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  return o.format === undefined && o.kind === undefined && ("threads" in o || "vmos" in o);
}

/** What {@linkcode readCorpus} found. */
export interface LoadedCorpus {
  /** Valid cases with the file each came from, sorted by file name. */
  readonly cases: { readonly file: string; readonly case: CaseEnvelope }[];
  /** Files that could not be read or validated, naming the file and the field. */
  readonly errors: readonly CaseError[];
}

/**
 * Reads every `*.json` case in `dir` (not its subdirectories), sorted by name:
 * the good cases, and errors naming the file and the bad field for the rest.
 *
 * @example
 * ```ts
 * import { readCorpus } from "./store.ts";
 * const { cases, errors } = await readCorpus("corpus");
 * console.assert(cases.length > 0 && errors.length === 0);
 * ```
 */
export async function readCorpus(dir: string): Promise<LoadedCorpus> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
  }
  names.sort();
  const cases: { file: string; case: CaseEnvelope }[] = [];
  const errors: CaseError[] = [];
  for (const name of names) {
    const file = `${dir}/${name}`;
    let doc: unknown;
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(file);
      doc = JSON.parse(text);
    } catch (e) {
      // In readJsonFile's words (repro's, `corpus list`'s).
      const message = `not valid JSON: ${jsonErrorText(e, text)}`;
      errors.push({ file, field: "(json)", message });
      continue;
    }
    const r = parseCase(doc, file);
    if ("case" in r) cases.push({ file, case: r.case });
    else errors.push(...r.errors);
  }
  return { cases, errors };
}

/**
 * The context a case was found in, beyond the kernel model and its signature: its seeded bug,
 * its service module and its kernel module (each by the path the case records, relative to the
 * case's directory, and by content hash), and its checkers. Two cases with one signature but
 * different contexts are different findings: service B failing like service A is still news
 * about B, even when B is a byte-identical copy of A at another path.
 */
export interface CodeUnderTest {
  /** The seeded bug (zoo/registry.ts id), or none. */
  readonly bug?: string | null;
  /** The service module (its recorded path and content hash), or none. */
  readonly service?: ModuleRef | null;
  /** The kernel module (its recorded path and content hash), or none. */
  readonly kernel?: ModuleRef | null;
  /** The checker set; left out, {@linkcode knownSignatures} matches any. */
  readonly checkers?: string | null;
}

function moduleIdentity(m: ModuleRef | null | undefined): string {
  if (m === null || m === undefined) return "-";
  const imports = (m.imports ?? []).map((i) => `+${i.sha256}`).join("");
  return `${posix.normalize(m.path)}@${m.sha256 ?? "-"}${imports}`;
}

/**
 * The identity of a case's context, as compared by {@linkcode knownSignatures}, the corpus's
 * dedupe and `deno task corpus merge`: bug id, service and kernel module (recorded path and
 * content hash), checkers ("-" for none).
 *
 * @example
 * ```ts
 * import { codeIdentity } from "./store.ts";
 * console.assert(codeIdentity({}) === "bug:- service:- kernel:- checkers:-");
 * const a = codeIdentity({ service: { path: "../a.ts", sha256: "0".repeat(64) } });
 * const b = codeIdentity({ service: { path: "../b.ts", sha256: "0".repeat(64) } });
 * console.assert(a !== b); // same bytes, another module
 * ```
 */
export function codeIdentity(c: CodeUnderTest): string {
  return `bug:${c.bug ?? "-"} service:${moduleIdentity(c.service)} kernel:${
    moduleIdentity(c.kernel)
  } checkers:${c.checkers ?? "-"}`;
}

/**
 * The dedupe key of a found case: its kind, its context ({@linkcode codeIdentity}) and its
 * signature (unsigned: its verdict and trace hash). One key, one finding; the file name is only
 * where it is stored.
 *
 * @example
 * ```ts
 * import { findingKey, readCaseFile } from "./store.ts";
 * const c = await readCaseFile("corpus/zoo-duplicate-read.json");
 * console.assert(findingKey(c) !== findingKey({ ...c, checkers: "kernel+service" }));
 * ```
 */
export function findingKey(
  c: Pick<CaseEnvelope, "kind" | "signature" | "expected" | "traceHash"> & CodeUnderTest,
): string {
  const signed = failureSignature(c);
  return `${c.kind} ${codeIdentity(c)} ${signed ?? `${c.expected}#${c.traceHash}`}`;
}

/**
 * The failure a case stands for: its signature, none for a case that expects pass whatever
 * signature it still records (`corpus accept` kept the fixed failure's before userS31a: a campaign
 * that met that failure again called it known, wrote nothing and shrank nothing, a lost finding).
 * What `findingKey`, `knownCases` and `sameFinding` go by.
 */
function failureSignature(c: Pick<CaseEnvelope, "signature" | "expected">): string | undefined {
  return c.expected === "pass" ? undefined : c.signature;
}

/**
 * The distinct signatures of the cases already in a corpus directory (none if it does not
 * exist; one signature may have several cases: explore's counterexample beside a campaign's). With
 * `code`, only the cases of that same context (see {@linkcode codeIdentity}; its checkers, if
 * given) count: a signature known for one service is new for another.
 *
 * @example
 * ```ts
 * import { knownSignatures } from "./store.ts";
 * console.assert((await knownSignatures("no/such/corpus")).length === 0);
 * ```
 */
export async function knownSignatures(dir: string, code?: CodeUnderTest): Promise<string[]> {
  return [...(await knownCases(dir, code)).keys()].sort();
}

/**
 * {@linkcode knownSignatures} with the case file of each (the first by name where a signature has
 * several), so a campaign that meets a known failure can say which file already holds it.
 *
 * @example
 * ```ts
 * import { knownCases } from "./store.ts";
 * const known = await knownCases("corpus", { bug: "duplicate-read" });
 * console.assert(known.get("invariant:packet-discipline:K4") === "corpus/zoo-duplicate-read.json");
 * ```
 */
export async function knownCases(
  dir: string,
  code?: CodeUnderTest,
  /** Receives each file of `dir` that is not a valid case (it is no known finding). */
  skipped?: CaseError[],
): Promise<Map<string, string>> {
  try {
    const { cases, errors } = await readCorpus(dir);
    skipped?.push(...errors);
    const id = code === undefined ? null : codeIdentity(code);
    const anyCheckers = code?.checkers === undefined || code.checkers === null;
    const out = new Map<string, string>();
    for (const c of [...cases].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      const sig = failureSignature(c.case);
      // A case whose shrinking was cut short, or that is still the unshrunk run (its campaign
      // was killed while shrinking it), is not known: the next campaign that meets its
      // signature investigates it again, and the smaller of the two cases stays.
      // A hang written unconfirmed (the budget cut its confirmation run) is not known either.
      const unfinished = c.case.found?.shrinkCut === true || c.case.found?.unshrunk === true ||
        c.case.found?.unconfirmed === true;
      if (sig === undefined || out.has(sig) || unfinished) continue;
      if (
        id === null || codeIdentity(anyCheckers ? { ...c.case, checkers: null } : c.case) === id
      ) out.set(sig, c.file);
    }
    return out;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return new Map();
    throw e;
  }
}

let writes = 0;

/**
 * Same finding: the same kind, context and signature (unsigned, or expecting pass: the same
 * verdict and trace).
 */
function sameFinding(a: CaseEnvelope, b: CaseEnvelope): boolean {
  if ((failureSignature(a) === undefined) !== (failureSignature(b) === undefined)) return false;
  return findingKey(a) === findingKey(b);
}

/** Same replay: the same finding, input, decisions, seed, verdict and trace hash. */
function sameReplay(a: CaseEnvelope, b: CaseEnvelope): boolean {
  return sameFinding(a, b) && a.seed === b.seed && a.expected === b.expected &&
    a.traceHash === b.traceHash && JSON.stringify(a.decisions) === JSON.stringify(b.decisions) &&
    JSON.stringify(a.input) === JSON.stringify(b.input);
}

/** How {@linkcode writeCase} treats a name already taken. */
export interface WriteOptions {
  /**
   * `"finding"` (the default, the corpus's dedupe): a file holding the same finding counts as
   * written; the smaller case of the two stays. `"exact"`: only a file holding the same replay
   * (input, decisions, verdict and trace hash) counts; otherwise the case gets the next free
   * name. A writer that prints the file as the replay of what it found uses `"exact"`.
   */
  readonly keep?: "finding" | "exact";
}

async function readExisting(path: string): Promise<CaseEnvelope | null> {
  try {
    const r = parseCase(JSON.parse(await Deno.readTextFile(path)), path);
    return "case" in r ? r.case : null;
  } catch {
    return null;
  }
}

/**
 * Writes a case atomically as `dir/<file>` (default: by its signature,
 * `caseFileName`), creating `dir`; never overwrites a different case (see the
 * module doc for the rule). Returns the path that holds the finding: the new
 * file, or the existing smaller case of the same finding; with
 * `{ keep: "exact" }`, the path that holds exactly this case's replay.
 *
 * @example
 * ```ts
 * import { readCaseFile, writeCase } from "./store.ts";
 * const dir = await Deno.makeTempDir();
 * const kase = await readCaseFile("corpus/pass-28f7bc306edc7624.json");
 * const path = await writeCase(dir, kase);
 * console.assert((await readCaseFile(path)).traceHash === kase.traceHash);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeCase(
  dir: string,
  c: CaseEnvelope,
  file: string = caseFileName(c),
  options: WriteOptions = {},
): Promise<string> {
  return (await writeCaseOutcome(dir, c, file, options)).path;
}

/**
 * {@linkcode writeCase}, also saying whether the file was written: false when the corpus already
 * held the case (`exact`: the same replay) or a case of the finding that it does not replace. With
 * `exact`, `sameFindingAt` names the first file passed over that holds another case of the same
 * finding (a campaign's case of the bug an exploration found again), for the writer to say so.
 *
 * @example
 * ```ts
 * import { readCaseFile, writeCaseOutcome } from "./store.ts";
 * const c = await readCaseFile("corpus/zoo-duplicate-read.json");
 * const dir = await Deno.makeTempDir();
 * const first = await writeCaseOutcome(dir, c, undefined, { keep: "exact" });
 * const again = await writeCaseOutcome(dir, c, undefined, { keep: "exact" });
 * console.assert(first.written && !again.written && again.path === first.path);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeCaseOutcome(
  dir: string,
  c: CaseEnvelope,
  file: string = caseFileName(c),
  options: WriteOptions = {},
): Promise<{ path: string; written: boolean; sameFindingAt?: string }> {
  const exact = options.keep === "exact";
  let sameFindingAt: string | undefined;
  const checked = parseCase(c, file);
  if (!("case" in checked)) {
    throw new CaseFileError(
      `refusing to write an invalid case ${file}:\n${
        checked.errors.map((e) => `  - ${e.message}`).join("\n")
      }`,
    );
  }
  if (!/^[A-Za-z0-9_.-]+\.json$/.test(file) || file.startsWith(".")) {
    throw new CaseFileError(`bad case file name "${file}"`);
  }
  await Deno.mkdir(dir, { recursive: true });
  // A finding already stored under the name cases had before names told contexts apart stays
  // there (it is replaced there, or found there), not copied to a second file.
  // So does one stored under a name with a double dash (userS27k), which slugs no longer make.
  if (file === caseFileName(c)) {
    older: for (const olderName of olderCaseFileNames(c)) {
      const old = olderName.slice(0, -".json".length);
      for (let n = 1;; n++) {
        const name = n === 1 ? `${old}.json` : `${old}-${n}.json`;
        const there = await Deno.stat(join(dir, name)).then(() => true, () => false);
        if (!there) break;
        const existing = await readExisting(join(dir, name));
        if (existing === null) continue;
        if (exact ? sameReplay(c, existing) : sameFinding(c, existing)) {
          if (exact) return { path: join(dir, name), written: false };
          file = name;
          break older;
        }
      }
    }
  }
  const text = JSON.stringify(c, null, 2) + "\n";
  const base = file.slice(0, -".json".length);
  for (let n = 1;; n++) {
    const name = n === 1 ? file : `${base}-${n}.json`;
    const path = join(dir, name);
    const tmp = join(dir, `.${name}.${Deno.pid}.${++writes}.tmp`);
    await writeDurably(tmp, text);
    try {
      try {
        await Deno.link(tmp, path); // creates `path` only if it does not exist
        await syncFolder(dir);
        return { path, written: true, ...(sameFindingAt !== undefined ? { sameFindingAt } : {}) };
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      }
      const existing = await readExisting(path);
      if (exact) {
        if (existing !== null && sameReplay(c, existing)) {
          return {
            path,
            written: false,
            ...(sameFindingAt !== undefined ? { sameFindingAt } : {}),
          };
        }
        if (existing !== null && sameFinding(c, existing)) sameFindingAt ??= path;
        continue;
      }
      if (existing !== null && sameFinding(c, existing)) {
        const shrunkReplacesUnshrunk = existing.found?.unshrunk === true &&
          c.found?.unshrunk !== true;
        // A finished shrink replaces a cut-short one it is no larger than (the same case, too):
        // else the cut mark stays, and every campaign investigates the finding again.
        const finishedReplacesCut = existing.found?.shrinkCut === true &&
          c.found?.shrinkCut !== true && c.found?.unshrunk !== true && !replaces(existing, c);
        const confirmedReplacesUnconfirmed = existing.found?.unconfirmed === true &&
          c.found?.unconfirmed !== true;
        if (
          shrunkReplacesUnshrunk || finishedReplacesCut || confirmedReplacesUnconfirmed ||
          replaces(c, existing)
        ) {
          await Deno.rename(tmp, path);
          await syncFolder(dir);
          return { path, written: true };
        }
        // A finished shrink that came out larger than a cut-short case: the smaller one stays,
        // and it is investigated now, so its cut mark goes (else every campaign that meets the
        // finding would shrink it again and come back to the same place).
        if (
          existing.found?.shrinkCut === true && c.found?.shrinkCut !== true &&
          c.found?.unshrunk !== true
        ) await dropCutMark(path, tmp);
        return { path, written: false };
      }
    } finally {
      await Deno.remove(tmp).catch(() => {});
    }
  }
}

/**
 * Why no case can be written to `dir`, in words for a user, or null when one can: `dir` is
 * created if missing (with its parents, as {@linkcode writeCaseOutcome} does) and a probe file is
 * written there and removed, the way a case is written (temporary name, then a link). A campaign
 * or an exploration asks this before it starts, so a read-only folder, a path that is a file or
 * a write the process may not make is said at once, not after the search it would have lost.
 *
 * @example
 * ```ts
 * import { corpusWriteProblem } from "./store.ts";
 * const dir = await Deno.makeTempDir();
 * console.assert((await corpusWriteProblem(`${dir}/new/corpus`)) === null);
 * await Deno.writeTextFile(`${dir}/file`, "");
 * console.assert((await corpusWriteProblem(`${dir}/file`))?.notAFolder === true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function corpusWriteProblem(
  dir: string,
): Promise<{ readonly message: string; readonly notAFolder: boolean } | null> {
  const isFile = (p: string) => Deno.stat(p).then((s) => !s.isDirectory, () => false);
  if (await isFile(dir)) return { message: `${dir} is a file, not a folder`, notAFolder: true };
  const exists = await Deno.stat(dir).then(() => true, () => false);
  try {
    if (!exists) await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    // A parent that is a file: name it, not mkdir's "File exists".
    for (let p = dirname(resolve(dir)); p !== dirname(p); p = dirname(p)) {
      if (await isFile(p)) {
        return { message: `cannot create ${dir}: ${p} is a file, not a folder`, notAFolder: true };
      }
    }
    return { message: `cannot create ${dir}: ${(e as Error).message}`, notAFolder: false };
  }
  const tmp = join(dir, `.pagersim-probe.${Deno.pid}.${++writes}.tmp`);
  try {
    await Deno.writeTextFile(tmp, "");
    await Deno.link(tmp, `${tmp}.link`);
    await Deno.remove(`${tmp}.link`);
    return null;
  } catch (e) {
    // The folder, not the probe's name, in the system's words.
    const why = (e as Error).message.replaceAll(tmp, dir);
    return { message: `cannot write in ${dir}: ${why}`, notAFolder: false };
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Writes `text` to `path` (created or truncated) and forces its bytes to disk before returning:
 * a case is linked or renamed into its name only once it is durable, so a power loss leaves the
 * old case or the whole new one, never a torn file under a case's name.
 *
 * @example
 * ```ts
 * import { writeDurably } from "./store.ts";
 * const dir = await Deno.makeTempDir();
 * await writeDurably(`${dir}/case.json`, "{}\n");
 * console.assert((await Deno.readTextFile(`${dir}/case.json`)) === "{}\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeDurably(path: string, text: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(text);
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    await file.sync();
  } finally {
    file.close();
  }
}

/**
 * Forces the folder `dir`'s entries (a name just linked or renamed into it) to disk. A platform
 * that cannot open a folder (Windows) keeps the file's own durability and skips this.
 */
export async function syncFolder(dir: string): Promise<void> {
  let folder: Deno.FsFile;
  try {
    folder = await Deno.open(dir, { read: true });
  } catch {
    return;
  }
  try {
    await folder.sync();
  } catch {
    // A file system that cannot sync a folder: the file's bytes are on disk already.
  } finally {
    folder.close();
  }
}

/**
 * Records in the unshrunk case at `path` why its shrinking was given up (`found.unshrunkWhy`),
 * atomically: only while the file still holds that unshrunk run (`campaignSeed` and `run`), so a
 * case another campaign wrote there meanwhile is left alone. True if the file was rewritten.
 *
 * @example
 * ```ts
 * import { markUnshrunk } from "./store.ts";
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/x.json`;
 * await Deno.writeTextFile(path, JSON.stringify({ found: { by: "fuzz", campaignSeed: 1, run: 3, unshrunk: true } }));
 * console.assert(await markUnshrunk(path, { campaignSeed: 1, run: 3 }, "run-limit"));
 * console.assert(JSON.parse(await Deno.readTextFile(path)).found.unshrunkWhy === "run-limit");
 * console.assert(!(await markUnshrunk(path, { campaignSeed: 1, run: 4 }, "run-limit")));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function markUnshrunk(
  path: string,
  run: { readonly campaignSeed?: number; readonly run?: number },
  why: UnshrunkWhy,
): Promise<boolean> {
  const doc = JSON.parse(await Deno.readTextFile(path));
  const f = doc?.found;
  if (f?.unshrunk !== true || f.campaignSeed !== run.campaignSeed || f.run !== run.run) {
    return false;
  }
  f.unshrunkWhy = why;
  const tmp = join(dirname(path), `.${basename(path)}.${Deno.pid}.${++writes}.tmp`);
  try {
    await writeDurably(tmp, JSON.stringify(doc, null, 2) + "\n");
    await Deno.rename(tmp, path);
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  await syncFolder(dirname(path));
  return true;
}

/** Rewrites the case at `path` without its `found.shrinkCut` mark, atomically through `tmp`. */
async function dropCutMark(path: string, tmp: string): Promise<void> {
  const doc = JSON.parse(await Deno.readTextFile(path));
  delete doc.found.shrinkCut;
  await writeDurably(tmp, JSON.stringify(doc, null, 2) + "\n");
  await Deno.rename(tmp, path);
  await syncFolder(dirname(path));
}

/**
 * The deno.json(c) of the project tree that holds `from` (default: the working directory, where
 * `deno task` runs): the nearest at or above it, or null if none.
 */
export async function projectConfig(from: string = Deno.cwd()): Promise<string | null> {
  for (let dir = resolve(from);; dir = dirname(dir)) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      try {
        await Deno.stat(join(dir, name));
        return join(dir, name);
      } catch {
        // keep looking
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The project tree: the nearest directory at or above `from` (default: the
 * working directory, where `deno task` runs) holding a deno.json(c). A case
 * may name modules inside it only.
 */
export async function projectRoot(from: string = Deno.cwd()): Promise<string> {
  const config = await projectConfig(from);
  if (config === null) {
    throw new CaseFileError(`${from}: no project tree (no deno.json in any directory above it)`);
  }
  return await Deno.realPath(dirname(config));
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

const ELSEWHERE = "to run it on a module of another project, run the command from that project " +
  '(its deno.json tasks run pagersim\'s commands: README, "In another project")';

/**
 * Why a module named on the command line must be inside the project tree: the rule and its
 * reason, for the refusal of one outside it.
 */
const OUTSIDE_RULE = "the commands load a --service or --kernel module only from inside the " +
  "project tree (the folder of the nearest deno.json), so that a replay line or case they print " +
  "names it by its place in the tree and a replay never loads code from elsewhere";

/** For the error of a file not found: " (looked in DIR)", the folder it was looked for in. */
function lookedIn(file: string): string {
  return ` (looked in ${resolve(file, "..")})`;
}

/** The real path of a module named on the command line, refused if outside the project tree. */
export async function insideProject(path: string, flag: string): Promise<string> {
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CaseFileError(`${flag} ${path}: cannot load: no such file${lookedIn(path)}`);
    }
    throw new CaseFileError(`${flag} ${path}: cannot read: ${(e as Error).message}`);
  }
  const root = await projectRoot();
  if (!inside(root, real)) {
    throw new CaseFileError(
      `${flag} ${path}: outside the project tree ${root}: ${OUTSIDE_RULE}; ${ELSEWHERE}, or ` +
        `move the module into this tree`,
    );
  }
  return real;
}

async function sha256(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The reference a case in `caseDir` records for a module: its path relative
 * to `caseDir` and the SHA-256 of its bytes. Refuses a module outside the
 * project tree of `caseDir` (a replay would refuse to load it).
 */
export async function moduleRef(modulePath: string, caseDir: string): Promise<ModuleRef> {
  let real: string;
  try {
    real = await Deno.realPath(modulePath);
  } catch (e) {
    throw new CaseFileError(`${modulePath}: cannot read: ${(e as Error).message}`);
  }
  const root = await projectRoot();
  if (!inside(root, real)) {
    throw new CaseFileError(
      `${modulePath} is outside the project tree ${root}: a case may only name modules inside ` +
        `it; ${ELSEWHERE}`,
    );
  }
  const dir = await Deno.realPath(caseDir).catch(() => resolve(caseDir));
  const relTo = (p: string) => relative(dir, p).split(sep).join("/");
  const imports = [];
  for (const p of await userImports(real, root)) {
    imports.push({ path: relTo(p), sha256: await sha256(p) });
  }
  return {
    path: relTo(real),
    sha256: await sha256(real),
    ...(imports.length > 0 ? { imports } : {}),
  };
}

/**
 * pagersim's own folders and files: a user's module that imports them is
 * judged by its own code, not ours (a pagersim change is caught by the trace
 * hash, and must not make every user case "changed").
 */
const OWN = PAGERSIM_PARTS;

/** The package root of pagersim itself (this module is `case/store.ts` in it). */
const PAGERSIM = resolve(dirname(fromFileUrl(import.meta.url)), "..");

/**
 * The user's modules `entry` imports, followed through relative specifiers
 * inside the project tree `root`, leaving out pagersim's own modules (and
 * what they import): real paths, sorted, without `entry` itself.
 */
async function userImports(entry: string, root: string): Promise<string[]> {
  const own = (p: string) =>
    OWN.some((o) => inside(join(PAGERSIM, o), p)) || inside(join(PAGERSIM, "node_modules"), p);
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const at = queue.pop() as string;
    let text: string;
    try {
      text = await Deno.readTextFile(at);
    } catch {
      continue;
    }
    for (const spec of localSpecifiers(text)) {
      const target = spec.startsWith("file:") ? fromFileUrl(spec) : resolve(dirname(at), spec);
      const real = await Deno.realPath(target).catch(() => null);
      if (real === null || seen.has(real) || !inside(root, real) || own(real)) continue;
      seen.add(real);
      queue.push(real);
    }
  }
  seen.delete(entry);
  return [...seen].sort();
}

/**
 * Finds the module a case names, refusing a path outside the case's project
 * tree or a module whose bytes changed since the case was written.
 */
async function resolveModule(
  ref: ModuleRef,
  caseFile: string,
  what: string,
  current?: CurrentCode,
  tree?: string,
  expectsPass = false,
): Promise<string> {
  const root = tree ?? await projectRoot();
  // Old cases (no hash) kept the path as given to the campaign, relative to the project root.
  const candidate = ref.sha256 === null
    ? resolve(root, ref.path)
    : resolve(dirname(caseFile), ref.path);
  const refuse = () =>
    new CaseFileError(
      `${caseFile}: refusing its ${what} module ${ref.path}: outside the project tree ${root}`,
    );
  if (!inside(root, candidate)) throw refuse();
  let real: string;
  try {
    real = await Deno.realPath(candidate);
  } catch {
    // The path it was looked for at: the case's ref is relative to the case's folder (or, in an
    // old case, to the project root), which the user may not have in mind.
    throw new CaseFileError(
      `${caseFile}: its ${what} module ${ref.path} does not exist (looked for ${candidate})`,
    );
  }
  if (!inside(root, real)) {
    throw new CaseFileError(
      `${caseFile}: refusing its ${what} module ${ref.path}: outside the project tree ${root}`,
    );
  }
  if (ref.sha256 !== null) {
    let change: string | null = null;
    const now = await sha256(real);
    if (now !== ref.sha256) {
      change = `its ${what} module ${ref.path} changed since the case was written ` +
        `(sha256 ${now.slice(0, 12)}…, recorded ${ref.sha256.slice(0, 12)}…)`;
    }
    for (const imp of ref.imports ?? []) {
      if (change !== null) break;
      const path = resolve(dirname(caseFile), imp.path);
      const then = imp.sha256.slice(0, 12);
      const was = inside(root, path) ? await sha256(path).catch(() => null) : null;
      if (was !== imp.sha256) {
        change = `its ${what} module ${ref.path} imports ${imp.path}, which ` +
          (was === null ? "is gone or unreadable" : `changed since the case was written ` +
            `(sha256 ${was.slice(0, 12)}…, recorded ${then}…)`);
      }
    }
    if (change !== null && expectsPass) {
      change = change.replace("since the case was written", "since the fix was accepted");
    }
    if (change !== null) {
      if (current !== undefined) {
        current.notice(`${caseFile}: ${change}${REPLAYING_NOW}`);
        return real;
      }
      // A case expecting pass is a fix corpus accept recorded: a change since may undo it.
      throw new CaseFileError(
        expectsPass
          ? `${caseFile}: ${change}; the case records the fix (expected: pass): not replaying it against different ` +
            `code. To check the code as it is now for a regression (does it still pass?): ` +
            `deno task repro ${caseFile} --current-code`
          : `${caseFile}: ${change}; not replaying it against different code. To check the case ` +
            `against the code as it is now (does your fix make it pass?): ` +
            `deno task repro ${caseFile} --current-code`,
      );
    }
  }
  return real;
}

async function importModule(
  path: string,
  what: string,
  instance?: string,
  label: string = path,
): Promise<Record<string, unknown>> {
  if (/\.jsonc?$/i.test(path)) {
    // Deno's own words ("Attempted to load JSON module without ... type") name no mistake of ours.
    throw new CaseFileError(
      `${what} ${label}: a JSON file, not a module: a ${what.replace(/^--/, "")} is a ` +
        `TypeScript or JavaScript module (a scenario goes to --scenario, a case to repro)`,
    );
  }
  const url = pathToFileURL(resolve(path)).href;
  try {
    return await import(instance === undefined ? url : `${url}?instance=${instance}`);
  } catch (e) {
    throw new CaseFileError(`${what} ${label}: cannot load: ${loadFailure(e)}`);
  }
}

/**
 * Why a module did not load, in one line that says where (`sim/load_failure.ts`, the wording the
 * guarded property shares), with paths relative to the working directory.
 *
 * @example
 * ```ts ignore
 * loadFailure(await import("./m3b.ts").catch((e) => e));
 * // "the module threw while loading, at bad/m3b.ts:3:9: Error: blob index missing"
 * ```
 */
export function loadFailure(e: unknown): string {
  return sharedLoadFailure(e, Deno.cwd());
}

/**
 * Loads a user's service module: its default export or its `service` export,
 * a generator function, held to the module's `contract` export if it has one
 * (`scenario/service_contract.ts`; a bad contract is one line naming the field).
 * With `instance`, a new instance of the module (its own module-level state,
 * none of what earlier runs left there), under that name: a campaign replays a
 * failing run with one before it keeps it as a case. (Only the module itself
 * is new; what it imports is shared.) With `contract` (a `--contract-json`,
 * already checked), the service is held to it instead of the module's export.
 */
export async function loadServiceModule(
  path: string,
  instance?: string,
  label: string = path,
  contract?: ServiceContract,
): Promise<PagerService> {
  const mod = await importModule(path, "--service", instance);
  const fn = mod.default ?? mod.service;
  if (typeof fn !== "function") {
    throw new CaseFileError(
      `--service ${path}: exports no service${exportHint(mod, ["service"], false)} (need a ` +
        `default export or "service")`,
    );
  }
  if (fn.constructor.name === "AsyncFunction" || fn.constructor.name === "AsyncGeneratorFunction") {
    throw new CaseFileError(
      `--service ${path}: the service is an async function; a service is a generator function ` +
        `(function*) that yields the syscalls it makes`,
    );
  }
  if (fn.constructor.name !== "GeneratorFunction") {
    throw new CaseFileError(
      `--service ${path}: the service is a plain function; a service is a generator function ` +
        `(function*) that yields the syscalls it makes`,
    );
  }
  const origin = functionOrigin(path, fn);
  const located = (service: PagerService): PagerService => {
    setServiceOrigin(service, origin);
    return service;
  };
  const fromFlag = contract !== undefined;
  if (contract === undefined) {
    if (mod.contract === undefined) return located(fn as PagerService);
    // A contract: checked, its writeback entry point found, the service held to it.
    try {
      contract = parseContract(mod.contract, `--service ${path}`);
    } catch (e) {
      if (e instanceof ContractSchemaError) throw new CaseFileError(e.message);
      throw e;
    }
  }
  const wb = contract.writeback;
  // An entry point the contract names and the module lacks: the contract's mistake when it came
  // from --contract-json (userS27t's `"opne"` was blamed on --service), with the nearest of the
  // module's generator functions.
  const generators = Object.keys(mod).filter((k) => {
    const v = mod[k];
    return typeof v === "function" && v.constructor.name === "GeneratorFunction";
  });
  const entryOf = (name: string, clause: string, what: string) => {
    const entry = mod[name];
    if (typeof entry !== "function" || entry.constructor.name !== "GeneratorFunction") {
      const near = nearest(name, generators);
      throw new CaseFileError(
        `${
          fromFlag ? `--contract-json` : `--service ${path}`
        }: contract.${clause}: the module ${path} exports no generator function "${name}" (${what})${
          near !== null ? `; did you mean "${near}"?` : ""
        }`,
      );
    }
    return entry;
  };
  let writeback: WritebackEntry | undefined;
  if (wb !== false && "entry" in wb) {
    writeback = entryOf(
      wb.entry,
      "writeback.entry",
      "the writeback entry point the harness calls",
    ) as WritebackEntry;
  }
  // A service that opens its own VMOs: its open and close entry points.
  const opens = contract.opens === false ? {} : {
    open: entryOf(
      contract.opens.entry,
      "opens.entry",
      "the open entry point the harness calls",
    ) as OpenEntry,
    close: entryOf(
      contract.opens.close,
      "opens.close",
      "the close entry point the harness calls",
    ) as CloseEntry,
  };
  return located(
    withContract(fn as PagerService, contract, { writeback, ...opens, module: label }),
  );
}

/**
 * Where the module at `path` defines generator function `fn`, as a stack frame names it:
 * `svc (file:///me/fs.ts:28:16)` (the line and column of its `function*`, found by its name in
 * the source), or `svc (file:///me/fs.ts)` when the source cannot be read or the name is not
 * found (an anonymous default export is `default`).
 *
 * @example
 * ```ts ignore
 * functionOrigin("case/testdata/userS27t/hostile/yields_garbage.ts", yieldsGarbage);
 * ```
 */
function functionOrigin(path: string, fn: { name: string }): string {
  const url = pathToFileURL(resolve(path)).href;
  const name = fn.name === "" ? "default" : fn.name;
  let source: string;
  try {
    source = Deno.readTextFileSync(path);
  } catch {
    return `${name} (${url})`;
  }
  const escaped = name.replace(/[$]/g, "\\$");
  const m = new RegExp(
    `\\bfunction\\s*\\*\\s*${escaped}\\s*[<(]|\\b${escaped}\\s*=\\s*function\\s*\\*`,
  ).exec(source);
  if (m === null) return `${name} (${url})`;
  const before = source.slice(0, m.index).split("\n");
  return `${name} (${url}:${before.length}:${before[before.length - 1].length + 1})`;
}

/**
 * For a module that lacks the export a command needs: what it exports instead that looks meant
 * for it (` (it exports "makeKernal": did you mean "makeKernel"?)`, ` (it has a default export;
 * export it by name: export function makeKernel(...))`), or "". `defaultIsWrong`: a default
 * export does not count (a kernel variant's `makeKernel` must be named).
 *
 * @example
 * ```ts ignore
 * exportHint({ makeKernal: () => {} }, ["makeKernel"], true);
 * ```
 */
function exportHint(
  mod: Record<string, unknown>,
  wanted: readonly string[],
  defaultIsWrong: boolean,
): string {
  const named = Object.keys(mod).filter((k) => k !== "default");
  for (const name of named) {
    const near = nearest(name, wanted);
    if (near !== null && near !== name) {
      return ` (it exports "${name}": did you mean "${near}"?)`;
    }
  }
  if (defaultIsWrong && mod.default !== undefined) {
    return ` (it has a default export instead; export it by name: export function ` +
      `${wanted[0]}(...))`;
  }
  if (!defaultIsWrong && mod.default !== undefined) {
    return ` (its default export is a ${typeof mod.default}, not a function)`;
  }
  return named.length === 0 ? " (it exports nothing)" : "";
}

/**
 * Loads a kernel variant module: its `makeKernel(options)` export. Errors name it as `label`
 * (the path as the user gave it; `path` is where it was found). With `instance`, a new instance
 * of the module, as {@linkcode loadServiceModule} makes one: a campaign replays a failing run
 * with it, so module state earlier runs left in a variant is nondeterminism, never a case.
 */
export async function loadKernelModule(
  path: string,
  label: string = path,
  instance?: string,
): Promise<(options: KernelOptions) => Kernel> {
  const mod = await importModule(path, "--kernel", instance, label);
  if (typeof mod.makeKernel !== "function") {
    throw new CaseFileError(
      `--kernel ${label}: exports no makeKernel${exportHint(mod, ["makeKernel"], true)} (need ` +
        `export function makeKernel(options) returning a Kernel subclass)`,
    );
  }
  return mod.makeKernel as (options: KernelOptions) => Kernel;
}

/** The end of `--current-code`'s notice of a changed module (`corpus list` reads the change alone). */
const REPLAYING_NOW = "; replaying against the module as it is now";

/**
 * Asks {@linkcode resolveContext} to load a case's modules even when their content changed
 * since the case was written (`deno task repro FILE --current-code`): each change is reported
 * to `notice` instead of refused.
 */
export interface CurrentCode {
  /** Called once per changed module, with a one-line description. */
  readonly notice: (message: string) => void;
}

/**
 * Everything a case's runs need, resolved from the case alone: its checkers,
 * every named seeded-bug service, its bug's kernel or services, its service
 * module (bound to `user`) and its kernel module. `file` is where the case
 * lives (module paths are relative to it). A module whose content changed is
 * refused unless `current` is given.
 *
 * @example
 * ```ts
 * import { readCaseFile, resolveContext } from "./store.ts";
 * const c = await readCaseFile("corpus/zoo-duplicate-read.json");
 * const ctx = await resolveContext(c);
 * console.assert(ctx.makeKernel !== undefined); // the case's seeded bug
 * ```
 */
export async function resolveContext(
  c: CaseEnvelope,
  file?: string,
  current?: CurrentCode,
  tree?: string,
): Promise<RunContext> {
  const seeded = c.bug !== undefined ? bug(c.bug) : undefined;
  const services: Record<string, PagerService> = { ...NAMED_SERVICES, ...seeded?.services };
  let makeKernel = seeded?.kernel;
  const where = file ?? "(case)";
  if ((c.service !== undefined || c.kernel !== undefined) && file === undefined) {
    throw new CaseFileError("a case naming a module needs its file to find it");
  }
  if (c.service !== undefined) {
    // Contract errors name the module as the case does (`../blobby.ts`).
    services[USER_SERVICE] = await loadServiceModule(
      await resolveModule(c.service, where, "service", current, tree, c.expected === "pass"),
      undefined,
      c.service.path,
    );
  }
  if (c.kernel !== undefined) {
    makeKernel = await loadKernelModule(
      await resolveModule(c.kernel, where, "kernel", current, tree, c.expected === "pass"),
    );
  }
  const unserved = unservedPagers(c, new Set(Object.keys(services)));
  if (unserved !== null) throw new CaseFileError(`${where}: ${unserved}`);
  return { monitors: KINDS[c.kind].checkers(c.checkers), services, makeKernel };
}

/**
 * Why a scenario case's pagers cannot all be served by `services` (the named services, the case's
 * seeded bug's and its service module, if any), or null: a pager served by the case's service
 * module in a case that names none (its `service` field lost in an edit), or by an unknown name.
 */
function unservedPagers(c: CaseEnvelope, services: ReadonlySet<string>): string | null {
  if (c.kind !== "scenario") return null;
  const pagers =
    (c.input as { pagers?: { name: string; service?: { kind: string; name?: string } }[] })
      .pagers ?? [];
  for (const p of pagers) {
    if (p.service?.kind !== "custom" || p.service.name === undefined) continue;
    if (services.has(p.service.name)) continue;
    return p.service.name === USER_SERVICE
      ? `its input serves pager "${p.name}" with the case's service module, but the case names ` +
        `none (its "service" field is missing)`
      : `its input serves pager "${p.name}" with service "${p.service.name}", which is no named ` +
        `service, seeded bug's service or module of the case`;
  }
  return null;
}

/**
 * Of the case files `files`, those whose modules changed since they were written: what
 * `corpus list` calls stale and `deno task repro` refuses as it stands (a file that cannot be
 * read or replayed at all is left out: its reader says what is wrong).
 *
 * @example
 * ```ts
 * import { staleCaseFiles } from "./store.ts";
 * console.assert((await staleCaseFiles(["corpus/zoo-duplicate-read.json"])).length === 0);
 * ```
 */
export async function staleCaseFiles(files: Iterable<string>): Promise<string[]> {
  return (await caseFileStates(files)).stale;
}

/**
 * The case files of `files` that `corpus list` calls stale ({@linkcode staleCaseFiles}), and those
 * it calls invalid though they parse: a case repro cannot replay (a module it names is missing),
 * each as `FILE: cannot replay: ...`, in `corpus list`'s words (trial35: fuzz's corpus warning
 * named four invalid files and one stale one, and not the case whose service module was gone).
 * Unreadable files are in neither: readCorpus names them.
 *
 * @example
 * ```ts
 * import { caseFileStates } from "./store.ts";
 * const s = await caseFileStates(["corpus/zoo-duplicate-read.json"]);
 * console.assert(s.stale.length === 0 && s.unreplayable.length === 0);
 * ```
 */
export async function caseFileStates(
  files: Iterable<string>,
): Promise<{ stale: string[]; unreplayable: string[] }> {
  const stale: string[] = [];
  const unreplayable: string[] = [];
  for (const file of files) {
    try {
      const { problems, notices } = await caseProblems(await readCaseFile(file), file);
      if (problems.length > 0) unreplayable.push(`${file}: cannot replay: ${problems.join("; ")}`);
      else if (notices.length > 0) stale.push(file);
    } catch {
      // Unreadable: not stale, invalid (readCorpus and corpus list say so).
    }
  }
  return { stale, unreplayable };
}

/**
 * What keeps a case from replaying as recorded, found without running or loading any code: a
 * module it names outside the project tree or missing, a pager it serves with no service.
 * `problems` make it invalid; `notices` (a module changed since the case was written: it replays
 * only with `--current-code`) do not.
 *
 * @example
 * ```ts
 * import { caseProblems, readCaseFile } from "./store.ts";
 * const file = "corpus/zoo-duplicate-read.json";
 * const r = await caseProblems(await readCaseFile(file), file);
 * console.assert(r.problems.length === 0 && r.notices.length === 0);
 * ```
 */
export async function caseProblems(
  c: CaseEnvelope,
  file: string,
  tree?: string,
): Promise<{ problems: string[]; notices: string[] }> {
  const problems: string[] = [];
  const notices: string[] = [];
  // Only read, never replayed: the notice says what changed, not what a replay does.
  const current: CurrentCode = {
    notice: (m) => notices.push(m.replace(`${file}: `, "").replace(REPLAYING_NOW, "")),
  };
  const services = new Set(Object.keys(NAMED_SERVICES));
  if (c.bug !== undefined) {
    try {
      for (const name of Object.keys(bug(c.bug).services ?? {})) services.add(name);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  for (const [what, ref] of [["service", c.service], ["kernel", c.kernel]] as const) {
    if (ref === undefined) continue;
    try {
      await resolveModule(ref, file, what, current, tree, c.expected === "pass");
      if (what === "service") services.add(USER_SERVICE);
    } catch (e) {
      if (!(e instanceof CaseFileError)) throw e;
      problems.push(e.message.replace(`${file}: `, ""));
    }
  }
  // A service module that did not resolve is its own problem already.
  const unserved = c.service !== undefined && !services.has(USER_SERVICE)
    ? null
    : unservedPagers(c, services);
  if (unserved !== null) problems.push(unserved);
  // repro holds a scenario case's input to its service's contract before it runs (userS23: a
  // hand edit out of it was valid here, refused there). The module is not loaded here: the
  // contract the case records, which is the module's unless the module changed since.
  if (c.kind === "scenario" && c.service !== undefined && c.contract !== undefined) {
    const seeded = BUG_IDS.includes(c.bug ?? "") ? bug(c.bug ?? "").services : undefined;
    const others = contractsOf({ ...NAMED_SERVICES, ...seeded });
    const recorded = c.contract;
    const v = contractViolations(
      c.input as Scenario,
      (name) => name === USER_SERVICE ? recorded : others(name),
      (name) => name === USER_SERVICE ? c.service?.path : undefined,
    );
    if (v.length > 0) {
      problems.push(
        new ContractError(file, v[0], v.slice(1), "input.").message.replace(`${file}: `, ""),
      );
    }
  }
  return { problems, notices };
}

/**
 * Replays a case (any kind, any format) and compares its verdict and trace
 * hash with the recorded ones. Needs no registry: the case names its seeded
 * bug or its modules; `file` (where the case lives) locates modules, which must lie in `tree`
 * (default: the project tree that holds the working directory).
 *
 * @example
 * ```ts
 * import { readCaseFile, replayCase } from "./store.ts";
 * const file = "corpus/zoo-duplicate-read.json";
 * const r = await replayCase(await readCaseFile(file), file);
 * console.assert(r.ok && r.verdict === "invariant:packet-discipline");
 * ```
 */
export async function replayCase(c: CaseEnvelope, file?: string, tree?: string): Promise<Replay> {
  return replayWith(c, await resolveContext(c, file, undefined, tree));
}

/**
 * How {@linkcode replayProblem} replays a case. The default replays only the code the case was
 * recorded against (its modules' content hashes) and expects the recorded trace hash: the rule
 * for a corpus you did not write, or one pinned as it was accepted.
 */
export interface ReplayOptions {
  /**
   * Replay against the case's modules as they are now, even if changed since the case was
   * written (as `deno task repro FILE --current-code`), and judge the run by its verdict and
   * signature, not its trace hash: your own corpus as a regression test while you change your
   * service. The modules must still lie inside the project tree.
   */
  readonly currentCode?: boolean;
  /** The project tree the case's modules must lie in (default: the working directory's). */
  readonly tree?: string;
}

/**
 * Why case `c` (at `file`) no longer replays as recorded, in one line, or null when it does: a
 * corpus test's check, `assert.equal(await replayProblem(c, file), null)`, whose failure says
 * it (a module changed since the case was written, with the `--current-code` hint; a verdict or
 * trace hash that moved) rather than a stack through this module.
 *
 * With `{ currentCode: true }` (userS32a: after any edit of the service every case was refused as
 * "changed", so the test caught no regression without re-accepting every case) the case replays
 * the code as it is now and is judged by what it does: a case that expects pass must pass (else a
 * regression, named by its new signature); one that expects a failure must fail with its recorded
 * signature (else it passes now, a fix to accept, or fails differently). A string (the old third
 * parameter) is the project tree.
 *
 * @example
 * ```ts
 * import { readCaseFile, replayProblem } from "./store.ts";
 * const file = "corpus/zoo-duplicate-read.json";
 * const c = await readCaseFile(file);
 * console.assert((await replayProblem(c, file)) === null);
 * const moved = { ...c, expected: "pass" };
 * console.assert((await replayProblem(moved, file))?.endsWith("expected pass, got invariant:packet-discipline"));
 * const now = await replayProblem(moved, file, { currentCode: true });
 * console.assert(now?.includes("REGRESSION") === true);
 * ```
 */
export async function replayProblem(
  c: CaseEnvelope,
  file?: string,
  options?: string | ReplayOptions,
): Promise<string | null> {
  const { currentCode = false, tree } = typeof options === "string"
    ? { tree: options }
    : options ?? {};
  const changed: string[] = [];
  let r: Replay;
  try {
    r = currentCode
      ? replayWith(
        c,
        await resolveContext(c, file, { notice: (m) => changed.push(m) }, tree),
      )
      : await replayCase(c, file, tree);
  } catch (e) {
    if (e instanceof CaseFileError) return e.message;
    throw e;
  }
  const where = file ?? "the case";
  if (currentCode) return currentCodeProblem(c, r, where, changed.length > 0);
  if (r.ok) return null;
  return r.verdict !== c.expected
    ? `${where}: expected ${c.expected}, got ${r.verdict}`
    : `${where}: ${r.verdict} as recorded, but trace hash ${r.traceHash}, recorded ${c.traceHash}`;
}

/**
 * The signature replay `r` of a case of kind `kind` signs under (`pass` for a pass), as repro's
 * `now:` says it and a campaign signs it: a scenario run's (properties/signature.ts), a program run's with its broken
 * promise's words (program/signature.ts, the signer `--mode programs` campaigns use).
 *
 * @example
 * ```ts
 * import { readCaseFile, replayCase, replaySignature } from "./store.ts";
 * const file = "corpus/zoo-duplicate-read.json";
 * const r = await replayCase(await readCaseFile(file), file);
 * console.assert(replaySignature(r, "scenario") === "invariant:packet-discipline:K4");
 * ```
 */
export function replaySignature(r: Replay, kind: CaseEnvelope["kind"]): string {
  if (r.verdict === "pass") return "pass";
  const sign = kind === "program"
    ? signProgramVerdict(r.run.verdict)
    : signatureOf(r.run.verdict, r.run.raw);
  return sign ?? r.verdict;
}

/**
 * `replayProblem`'s judgement under `currentCode`: by verdict and signature, never the trace
 * hash (an edit that keeps the bug may well move the trace). A case recorded with no signature
 * (older cases) is held to its verdict label.
 */
function currentCodeProblem(
  c: CaseEnvelope,
  r: Replay,
  where: string,
  changed: boolean,
): string | null {
  const now = replaySignature(r, c.kind);
  const code = changed ? "the code as it is now (changed since the case was recorded)" : "the code";
  const replay = `deno task repro ${where} --current-code`;
  const message = "message" in r.run.verdict ? `: ${oneLine(r.run.verdict.message)}` : "";
  if (c.expected === "pass") {
    if (r.verdict === "pass") return null;
    return `${where}: REGRESSION: the case expects pass (a fixed bug or a passing run), but ${code} ` +
      `fails it: ${now}${message}. See it: ${replay}`;
  }
  const recorded = recordedSignature(c);
  if (r.verdict === "pass") {
    return `${where}: expected ${recorded}, but ${code} passes it: fixed? accept it with ` +
      `deno task corpus accept ${where} (the case then expects pass and guards the fix)`;
  }
  // A case recorded with no signature (older cases) is held to its verdict label; one with a
  // signature to it, a program case's with its promise's words as a campaign signs it.
  const same = c.signature !== undefined ? now === recorded : r.verdict === c.expected;
  if (same) return null;
  return `${where}: expected ${recorded}, but ${code} fails differently: ${now}${message}. See ` +
    `it: ${replay}; if that is the same bug, deno task corpus accept ${where} re-records it`;
}

/** A verdict message cut to one short line for a one-line problem. */
function oneLine(text: string, max = 160): string {
  const line = text.split("\n")[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `path` (relative to `from`) as a path relative to `to`, `/`-separated. */
function rebasePath(path: string, from: string, to: string): string {
  return relative(resolve(to), resolve(from, path)).split(sep).join("/");
}

function rebaseRef(ref: ModuleRef | undefined, from: string, to: string): ModuleRef | undefined {
  if (ref === undefined) return undefined;
  return {
    ...ref,
    path: rebasePath(ref.path, from, to),
    ...(ref.imports !== undefined
      ? { imports: ref.imports.map((i) => ({ ...i, path: rebasePath(i.path, from, to) })) }
      : {}),
  };
}

/**
 * The case as a file in `to`: the module paths a case records are relative to its own directory,
 * so a case copied to a corpus at another depth names its service and kernel modules from there
 * (the modules themselves, their hashes and imports, are the same).
 *
 * @example
 * ```ts
 * import { rebaseCase, readCaseFile } from "./store.ts";
 * const c = await readCaseFile("corpus/fxfs-no-page-in-barrier.json");
 * const moved = rebaseCase(c, "corpus", "corpus/sub");
 * console.assert(moved.service?.path === "../../examples/testdata/fxfs_no_barrier.ts");
 * ```
 */
export function rebaseCase(c: CaseEnvelope, from: string, to: string): CaseEnvelope {
  if (c.service === undefined && c.kernel === undefined) return c;
  const service = rebaseRef(c.service, from, to);
  const kernel = rebaseRef(c.kernel, from, to);
  return { ...c, ...(service ? { service } : {}), ...(kernel ? { kernel } : {}) };
}
