/**
 * The journal of a mutation run: every mutant's result is appended to
 * `judged.jsonl` in the output directory the moment it is judged, so a run that
 * is stopped (a nightly job killed at its time limit, a machine that reboots)
 * keeps what it judged. The next run of the same tree with the same judges
 * takes those results up instead of judging them again; a run that finishes
 * removes its journal (the report holds the results).
 *
 * The first line names the run: the fingerprint of everything the judges load
 * ({@linkcode treeFingerprint}) and the judges run. A journal of another tree or
 * of other judges is replaced, never reused: a result stands only for the code
 * it was judged on. A named journal (`--journal FILE`) outlives its run: it can be
 * committed and taken up on another machine or a later commit while the files the
 * judges load are unchanged (one of another tree is refused, not replaced), and the
 * journals of a run's shards (`--shard K/N`) merge into one report (`--merge`).
 *
 * @module
 */

import { basename, dirname, join, normalize, relative, resolve } from "node:path";
import type { JudgeName } from "./judges.ts";
import type { MutantResult } from "./report.ts";

/** The journal's file name inside the output directory. */
export const JOURNAL = "judged.jsonl";

/** Directories and files the judges never read: left out of the fingerprint. */
const UNREAD = new Set([".git", "coverage", "node_modules", "scratch", ".ci", "docs"]);

/** A relative module specifier in a string literal (`from "./x.ts"`, `new URL("../y.ts", ...)`). */
const RELATIVE_TS = /["'`](\.{1,2}\/[^"'`\s]+\.ts)["'`]/g;

/**
 * The `.ts` files of `root` reachable from `roots` (paths relative to `root`) through relative
 * specifiers: every string literal naming a relative `.ts` path counts (imports, dynamic imports,
 * worker URLs, and those in comments too: a file counted that no judge loads only makes the
 * fingerprint stricter). Non-relative imports (`npm:`) are pinned by `deno.lock`.
 *
 * @example
 * ```ts
 * import { moduleClosure } from "./journal.ts";
 * console.assert(moduleClosure(".", ["mutate/journal.ts"]).includes("mutate/report.ts"));
 * ```
 */
export function moduleClosure(root: string, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const path = todo.pop() as string;
    if (seen.has(path)) continue;
    let text: string;
    try {
      text = Deno.readTextFileSync(`${root}/${path}`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue; // a name in a comment or an example
      throw e;
    }
    seen.add(path);
    for (const m of text.matchAll(RELATIVE_TS)) {
      const target = normalize(join(dirname(path), m[1]));
      if (!target.startsWith("..")) todo.push(target);
    }
  }
  return [...seen].sort();
}

/** What a fingerprint covers and leaves out, beyond the instrumented copies. */
export interface FingerprintScope {
  /**
   * The modules the judges start from (relative paths): the worker, the judges' test files,
   * the command. Only `.ts` files reachable from them count; every `.ts` file whose contents are
   * given (the instrumented ones) counts too. Absent: every `.ts` file counts.
   */
  readonly roots?: readonly string[];
  /** Paths to leave out: the run's output directory and its journal, when inside the project. */
  readonly exclude?: readonly string[];
}

/**
 * SHA-256 (hex) over every file of the project the judges can load — the
 * instrumented copies in place of their sources — by sorted path, and the judges
 * run. The `.ts` files are those reachable from `scope.roots` ({@linkcode moduleClosure}) and the
 * instrumented ones, so a commit to `tools/`, `bench/` or a command the judges never load keeps
 * the fingerprint, and a journal can be carried to the next commit. Every other file counts
 * (data the judges read at run time: the corpus, scenarios, test data, `deno.json`,
 * `deno.lock`) but the docs and Markdown files (no probe reads them) and `scope.exclude`. The
 * corpus counts: the tests judge replays it (case/corpus_replay_test.ts), so a case written
 * meanwhile makes another tree.
 *
 * @example
 * ```ts
 * import { treeFingerprint } from "./journal.ts";
 * const fp = await treeFingerprint(".", new Map(), ["campaign"]);
 * console.assert(/^[0-9a-f]{64}$/.test(fp));
 * ```
 */
export async function treeFingerprint(
  root: string,
  contents: ReadonlyMap<string, string>,
  judges: readonly JudgeName[],
  scope: FingerprintScope = {},
): Promise<string> {
  return (await treeDigests(root, contents, judges, scope)).fingerprint;
}

/**
 * What a journal's first line says of the code it was judged on: the fingerprint
 * ({@linkcode treeFingerprint}), the judges, and a digest of each file the fingerprint covers,
 * so a journal refused as stale can name what changed ({@linkcode treeChanges}).
 */
export interface TreeDigests {
  readonly fingerprint: string;
  readonly judges: readonly JudgeName[];
  /** Each covered file (path under the root) to the first 16 hex digits of its SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * {@linkcode treeFingerprint} with the per-file digests of the same files (the instrumented
 * copies in place of their sources).
 *
 * @example
 * ```ts
 * import { treeDigests } from "./journal.ts";
 * const d = await treeDigests(".", new Map(), ["campaign"], { roots: ["mutate/shard.ts"] });
 * console.assert(/^[0-9a-f]{16}$/.test(d.files["mutate/shard.ts"]));
 * ```
 */
export async function treeDigests(
  root: string,
  contents: ReadonlyMap<string, string>,
  judges: readonly JudgeName[],
  scope: FingerprintScope = {},
): Promise<TreeDigests> {
  const real = Deno.realPathSync(root);
  // The output directory or the journal may lie inside the project (`--out results`): they grow.
  const excluded = new Set(
    (scope.exclude ?? []).map((p) => {
      let at = p;
      try {
        at = Deno.realPathSync(p);
      } catch {
        at = resolve(p); // a journal not written yet
      }
      return relative(real, at);
    }),
  );
  const modules = scope.roots === undefined
    ? undefined
    : new Set([...moduleClosure(root, scope.roots), ...contents.keys()]);
  const paths: string[] = [];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(rel === "" ? root : `${root}/${rel}`)) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (UNREAD.has(e.name) || e.name.endsWith(".md") || excluded.has(path)) continue;
      if (e.isDirectory) walk(path);
      else if (e.isFile && (modules === undefined || !path.endsWith(".ts") || modules.has(path))) {
        paths.push(path);
      }
    }
  };
  walk("");
  paths.sort();
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(`judges ${judges.join(",")}\n`)];
  const files: Record<string, string> = {};
  for (const path of paths) {
    const text = contents.get(path);
    const bytes: Uint8Array<ArrayBuffer> = text !== undefined
      ? enc.encode(text)
      : Deno.readFileSync(`${root}/${path}`);
    parts.push(enc.encode(`${path} ${bytes.length}\n`), bytes);
    files[path] = (await sha256Hex(bytes)).slice(0, 16);
  }
  let size = 0;
  for (const p of parts) size += p.length;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return { fingerprint: await sha256Hex(all), judges: [...judges], files };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * What differs between the code a journal was judged on (its first line, `was`) and `now`:
 * `changed: a.ts, b.ts; added: c.json; removed: d.ts; judges: tests,campaign (was campaign)`,
 * at most `max` names per kind. A journal written before per-file digests names nothing.
 *
 * @example
 * ```ts
 * import { treeChanges } from "./journal.ts";
 * const was = { fingerprint: "1", judges: ["campaign" as const], files: { "kernel/a.ts": "0" } };
 * const now = { fingerprint: "2", judges: ["campaign" as const], files: { "kernel/a.ts": "1" } };
 * console.assert(treeChanges(was, now) === "changed: kernel/a.ts");
 * ```
 */
export function treeChanges(
  was: { readonly judges?: readonly string[]; readonly files?: Readonly<Record<string, string>> },
  now: TreeDigests,
  max = 5,
): string {
  if (was.files === undefined) return "the journal predates per-file digests: it cannot say";
  const names = (list: string[]) =>
    list.slice(0, max).join(", ") + (list.length > max ? ` and ${list.length - max} more` : "");
  const changed: string[] = [];
  const added: string[] = [];
  for (const [path, digest] of Object.entries(now.files)) {
    const before = was.files[path];
    if (before === undefined) added.push(path);
    else if (before !== digest) changed.push(path);
  }
  const removed = Object.keys(was.files).filter((p) => !(p in now.files));
  const parts: string[] = [];
  if (changed.length > 0) parts.push(`changed: ${names(changed)}`);
  if (added.length > 0) parts.push(`added: ${names(added)}`);
  if (removed.length > 0) parts.push(`removed: ${names(removed)}`);
  const judgesWas = (was.judges ?? []).join(",");
  if (was.judges !== undefined && judgesWas !== now.judges.join(",")) {
    parts.push(`judges: ${now.judges.join(",")} (was ${judgesWas})`);
  }
  return parts.length > 0 ? parts.join("; ") : "no file differs (the fingerprint's scope did)";
}

/**
 * A named journal (`--journal FILE`) judged on another tree or by other judges: taking it up
 * would report results of other code, and replacing it would lose a record someone kept.
 * `changes` names what differs ({@linkcode treeChanges}), when known.
 */
export class StaleJournalError extends Error {
  constructor(readonly path: string, readonly changes?: string) {
    super(
      `${path}: judged on another tree or by other judges (a file the judges load, under ` +
        `kernel/, services/ or the judges' own code, or the judges run, changed since` +
        (changes === undefined ? "" : `: ${changes}`) +
        `), so it cannot be taken up; name another --journal, or pass --fresh to judge afresh ` +
        `into it`,
    );
    this.name = "StaleJournalError";
  }
}

/** A journal read whole: its first line (the tree it was judged on) and its results, by mutant id. */
export interface JournalContents {
  readonly fingerprint: string | undefined;
  /** The judges and per-file digests of its first line (absent in journals older than them). */
  readonly head: { readonly judges?: readonly string[]; readonly files?: Record<string, string> };
  readonly results: ReadonlyMap<string, MutantResult>;
}

/**
 * Reads the journal at `path` (a missing or empty file is an empty journal with no fingerprint).
 * A line cut short by a stop is left out: that mutant is judged again. Lines after the first that
 * are no result (a second run's head line, appended to a journal it found empty) are skipped.
 */
export function readJournal(path: string): JournalContents {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const lines = text.split("\n").filter((l) => l.length > 0);
  const first = parseLine(lines[0]) as
    | { fingerprint?: unknown; judges?: unknown; files?: unknown }
    | undefined;
  const results = new Map<string, MutantResult>();
  for (const l of lines.slice(1)) {
    const r = parseLine(l) as MutantResult | undefined;
    if (r !== undefined && r !== null && typeof r.id === "string") results.set(r.id, r);
  }
  const fingerprint = typeof first?.fingerprint === "string" ? first.fingerprint : undefined;
  const head = {
    judges: Array.isArray(first?.judges) ? first.judges as string[] : undefined,
    files: typeof first?.files === "object" && first.files !== null
      ? first.files as Record<string, string>
      : undefined,
  };
  return { fingerprint, head, results };
}

/** An open journal: the results an earlier, stopped run of the same tree left, and the appender. */
export interface Journal {
  /** Results taken up from a stopped run, by mutant id. */
  readonly prior: ReadonlyMap<string, MutantResult>;
  /** What was found at the path and what was done with it, for the log (or `undefined`). */
  readonly note?: string;
  /** Appends one judged mutant (synchronously: it is on disk when this returns). */
  record(r: MutantResult): void;
  /** The run finished and its report is written: the journal goes. */
  finish(): void;
}

/** How {@linkcode openJournal} treats what it finds. */
export interface JournalOptions {
  /** Judge every mutant again: what the journal holds is not taken up (and is replaced). */
  readonly fresh?: boolean;
  /**
   * A journal named by `--journal FILE`: one of another tree is refused
   * ({@linkcode StaleJournalError}), not replaced, and a finished run keeps it (it is the
   * record to commit, carry forward or merge).
   */
  readonly named?: boolean;
}

/**
 * Opens the journal at `path`: takes up the results of a stopped run with the
 * same fingerprint (unless `fresh`), otherwise starts a new journal. `tree` is the fingerprint,
 * or the {@linkcode TreeDigests} of the judged code (then the first line keeps the per-file
 * digests, and a stale journal is refused naming what changed).
 *
 * Taking a journal up only appends to it, never rewrites it: runs sharing one journal (shards
 * of one tree started with the same `--journal`) each append whole lines (one `write` each, to a
 * file opened for appending), so none loses another's. Only a journal of another tree, or one
 * judged afresh, is replaced (written beside it and renamed over it).
 *
 * @example
 * ```ts
 * import { openJournal } from "./journal.ts";
 * const dir = Deno.makeTempDirSync();
 * const path = `${dir}/judged.jsonl`;
 * const r = {
 *   id: "0", fileName: "kernel/a.ts", mutatorName: "BooleanLiteral", replacement: "false",
 *   location: { start: { line: 0, column: 0 }, end: { line: 0, column: 4 } },
 *   key: "kernel/a.ts:1:1:BooleanLiteral:false", static: false,
 *   judges: { campaign: { status: "killed" as const, ran: 1, ms: 2 } },
 * };
 * openJournal(path, "f1").record(r); // then the run is stopped
 * console.assert(openJournal(path, "f1").prior.get("0")?.key === r.key);
 * console.assert(openJournal(path, "f2").prior.size === 0); // another tree
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function openJournal(
  path: string,
  tree: string | TreeDigests,
  options: JournalOptions = {},
): Journal {
  const digests = typeof tree === "string" ? undefined : tree;
  const fingerprint = typeof tree === "string" ? tree : tree.fingerprint;
  const prior = new Map<string, MutantResult>();
  let note: string | undefined;
  const found = readJournal(path);
  const append = (text: string) => Deno.writeTextFileSync(path, text, { append: true });
  const headLine = JSON.stringify(
    digests === undefined
      ? { fingerprint }
      : { fingerprint, judges: digests.judges, files: digests.files },
  ) + "\n";
  const fresh = found.fingerprint === undefined && found.results.size === 0;
  if (!fresh && found.fingerprint === fingerprint && !options.fresh) {
    for (const [id, r] of found.results) prior.set(id, r);
    note = `${path}: taking up ${prior.size} mutants judged by a stopped run of this tree ` +
      `(--fresh judges them again)`;
    // A line the stop cut short must not run into the next record: it is ended here (and read
    // as no result).
    const size = Deno.statSync(path).size;
    if (size > 0) {
      const file = Deno.openSync(path, { read: true });
      const last = new Uint8Array(1);
      file.seekSync(size - 1, Deno.SeekMode.Start);
      file.readSync(last);
      file.close();
      if (last[0] !== 0x0a) append("\n");
    }
  } else if (fresh) {
    // A missing or empty file (made by the writability check before the run): its head line is
    // appended, so a second run starting on the same empty file only adds a line it skips.
    append(headLine);
  } else {
    if (found.fingerprint !== fingerprint && options.named && !options.fresh) {
      throw new StaleJournalError(
        path,
        digests === undefined ? undefined : treeChanges(found.head, digests),
      );
    }
    note = found.fingerprint !== fingerprint
      ? `${path}: a stopped run of another tree or other judges` +
        (digests === undefined ? "" : ` (${treeChanges(found.head, digests)})`) +
        `; judging afresh`
      : `${path}: a stopped run of this tree, not taken up (--fresh)`;
    // Replaced: written beside it and renamed over it (as cli/corpus.ts rewrites a case), so a
    // stop mid-write leaves the old journal whole.
    const tmp = Deno.makeTempFileSync({
      dir: dirname(resolve(path)),
      prefix: `.${basename(path)}.`,
    });
    Deno.writeTextFileSync(tmp, headLine);
    Deno.renameSync(tmp, path);
  }
  return {
    prior,
    note,
    record(r) {
      append(JSON.stringify(r) + "\n");
    },
    finish() {
      if (!options.named) Deno.removeSync(path);
    },
  };
}

function parseLine(line: string | undefined): unknown {
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
