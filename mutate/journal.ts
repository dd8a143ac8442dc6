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
 * it was judged on.
 *
 * @module
 */

import { relative } from "node:path";
import type { JudgeName } from "./judges.ts";
import type { MutantResult } from "./report.ts";

/** The journal's file name inside the output directory. */
export const JOURNAL = "judged.jsonl";

/** Directories and files the judges never read: left out of the fingerprint. */
const UNREAD = new Set([".git", "coverage", "node_modules", "scratch", ".ci", "docs"]);

/**
 * SHA-256 (hex) over every file of the project the judges can load — the
 * instrumented copies in place of their sources — by sorted path, and the judges
 * run. The docs and Markdown files are left out: no probe reads them; so is `out`, the run's
 * output directory, when it lies inside the project. The corpus counts: the tests judge replays
 * it (case/corpus_replay_test.ts), so a case written meanwhile makes another tree.
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
  out?: string,
): Promise<string> {
  // The output directory may lie inside the project (`--out results`): its journal grows.
  const outRel = out === undefined
    ? undefined
    : relative(Deno.realPathSync(root), Deno.realPathSync(out));
  const paths: string[] = [];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(rel === "" ? root : `${root}/${rel}`)) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (UNREAD.has(e.name) || e.name.endsWith(".md") || path === outRel) continue;
      if (e.isDirectory) walk(path);
      else if (e.isFile) paths.push(path);
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
 * openJournal(path, "f1", false).record(r); // then the run is stopped
 * console.assert(openJournal(path, "f1", false).prior.get("0")?.key === r.key);
 * console.assert(openJournal(path, "f2", false).prior.size === 0); // another tree
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function openJournal(path: string, fingerprint: string, fresh: boolean): Journal {
  const prior = new Map<string, MutantResult>();
  let note: string | undefined;
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (text !== undefined) {
    const lines = text.split("\n").filter((l) => l.length > 0);
    const head = parseLine(lines[0]) as { fingerprint?: unknown } | undefined;
    if (head?.fingerprint !== fingerprint) {
      note = `${path}: a stopped run of another tree or other judges; judging afresh`;
    } else if (fresh) {
      note = `${path}: a stopped run of this tree, not taken up (--fresh)`;
    } else {
      // A line cut short by the stop (the last one) is judged again.
      for (const l of lines.slice(1)) {
        const r = parseLine(l) as MutantResult | undefined;
        if (r !== undefined && typeof r.id === "string") prior.set(r.id, r);
      }
      note = `${path}: taking up ${prior.size} mutants judged by a stopped run of this tree ` +
        `(--fresh judges them again)`;
    }
  }
  // Written anew: a line the stop cut short must not run into the next record.
  Deno.writeTextFileSync(
    path,
    [{ fingerprint }, ...prior.values()].map((r) => JSON.stringify(r) + "\n").join(""),
  );
  return {
    prior,
    note,
    record(r) {
      Deno.writeTextFileSync(path, JSON.stringify(r) + "\n", { append: true });
    },
    finish() {
      Deno.removeSync(path);
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
