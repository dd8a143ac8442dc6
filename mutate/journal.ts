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
  for (const path of paths) {
    const text = contents.get(path);
    const bytes = text !== undefined ? enc.encode(text) : Deno.readFileSync(`${root}/${path}`);
    parts.push(enc.encode(`${path} ${bytes.length}\n`), bytes);
  }
  let size = 0;
  for (const p of parts) size += p.length;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A named journal (`--journal FILE`) judged on another tree or by other judges: taking it up
 * would report results of other code, and replacing it would lose a record someone kept.
 */
export class StaleJournalError extends Error {
  constructor(readonly path: string) {
    super(
      `${path}: judged on another tree or by other judges (a file the judges load, under ` +
        `kernel/, services/ or the judges' own code, or the judges run, changed since), so it ` +
        `cannot be taken up; name another --journal, or pass --fresh to judge afresh into it`,
    );
    this.name = "StaleJournalError";
  }
}

/** A journal read whole: its fingerprint and its results, by mutant id. */
export interface JournalContents {
  readonly fingerprint: string | undefined;
  readonly results: ReadonlyMap<string, MutantResult>;
}

/**
 * Reads the journal at `path` (a missing or empty file is an empty journal with no fingerprint).
 * A line cut short by a stop is left out: that mutant is judged again.
 */
export function readJournal(path: string): JournalContents {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const lines = text.split("\n").filter((l) => l.length > 0);
  const head = parseLine(lines[0]) as { fingerprint?: unknown } | undefined;
  const results = new Map<string, MutantResult>();
  for (const l of lines.slice(1)) {
    const r = parseLine(l) as MutantResult | undefined;
    if (r !== undefined && typeof r.id === "string") results.set(r.id, r);
  }
  const fingerprint = typeof head?.fingerprint === "string" ? head.fingerprint : undefined;
  return { fingerprint, results };
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
 * same fingerprint (unless `fresh`), otherwise starts a new journal.
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
  fingerprint: string,
  options: JournalOptions = {},
): Journal {
  const prior = new Map<string, MutantResult>();
  let note: string | undefined;
  const found = readJournal(path);
  if (found.fingerprint !== undefined || found.results.size > 0) {
    if (found.fingerprint !== fingerprint) {
      if (options.named && !options.fresh) throw new StaleJournalError(path);
      note = `${path}: a stopped run of another tree or other judges; judging afresh`;
    } else if (options.fresh) {
      note = `${path}: a stopped run of this tree, not taken up (--fresh)`;
    } else {
      for (const [id, r] of found.results) prior.set(id, r);
      note = `${path}: taking up ${prior.size} mutants judged by a stopped run of this tree ` +
        `(--fresh judges them again)`;
    }
  }
  // Written anew: a line the stop cut short must not run into the next record. Written beside
  // and renamed over it (as cli/corpus.ts rewrites a case): a stop mid-write must not truncate a
  // named journal, the only record of a long run.
  const tmp = Deno.makeTempFileSync({ dir: dirname(resolve(path)), prefix: `.${basename(path)}.` });
  Deno.writeTextFileSync(
    tmp,
    [{ fingerprint }, ...prior.values()].map((r) => JSON.stringify(r) + "\n").join(""),
  );
  Deno.renameSync(tmp, path);
  return {
    prior,
    note,
    record(r) {
      Deno.writeTextFileSync(path, JSON.stringify(r) + "\n", { append: true });
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
