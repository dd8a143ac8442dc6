/**
 * The command line of the tools that judge named mutants of one file (`tools/test_kills.ts`,
 * `tools/campaign_kills.ts`): `FILE`, then which of its mutants:
 *
 * ```
 *   --keys K,K,...     these mutant keys (file:line:column:mutator:replacement; a comma inside a
 *                      replacement is kept: only a comma before `path.ts:LINE:` separates)
 *   --lines A-B        every mutant on lines A to B of FILE (1-based)
 *   --journal J        the judge's survivors of FILE in a mutate journal (docs/mutation-sample-*.jsonl)
 *   --was OLD          FILE as the journal's commit had it (git show C:FILE > OLD): keys
 *                      whose lines moved are found again by their line's text
 *   --list             print the chosen mutants with their line's text; run nothing
 * ```
 *
 * With none of `--keys`, `--lines`, `--journal`, every mutant of FILE is chosen; `--lines`
 * narrows the others. A key of a journal written at another commit names a mutant only while
 * the lines above it are unchanged; with `--was` a key is found again on the line of the same
 * text nearest its old line (the same column, mutator and replacement); the keys found nowhere
 * are listed as gone.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { helpHint } from "../cli/args.ts";

/** The options every such tool takes, as `node:util` `parseArgs` reads them. */
export const MUTANT_OPTIONS = {
  keys: { type: "string" },
  lines: { type: "string" },
  journal: { type: "string" },
  was: { type: "string" },
  list: { type: "boolean" },
  help: { type: "boolean" },
} as const;

/** What {@linkcode parseMutantArgs} read. */
export interface MutantArgs {
  readonly keys?: string;
  readonly lines?: string;
  readonly journal?: string;
  readonly was?: string;
  readonly list?: boolean;
  readonly help?: boolean;
  /** The positionals: `FILE` first. */
  readonly positionals: readonly string[];
}

/**
 * Reads `args`; an unknown flag is one error line and where the usage is on stderr, and the exit status 2
 * is returned instead. `--help` is left to the caller (it prints its own usage).
 */
export function parseMutantArgs(args: readonly string[], usage: string): MutantArgs | number {
  const flag = args.find((a) =>
    a.startsWith("--") && !Object.keys(MUTANT_OPTIONS).includes(a.slice(2))
  );
  if (flag !== undefined) {
    console.error(`error: unknown flag ${flag}`);
    console.error(helpHint(usage));
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: MUTANT_OPTIONS,
  });
  return { ...values, positionals };
}

/**
 * The common start of a mutant tool's `main`: its arguments read ({@linkcode parseMutantArgs}),
 * `--help` printed (exit 0), and `FILE` (the first positional) required to be a file, the rest of
 * the positionals accepted by `restOk`; otherwise the exit status to return (2, the reason on
 * stderr).
 */
export function mutantCommand(
  args: readonly string[],
  usage: string,
  restOk: (rest: readonly string[], a: MutantArgs) => boolean,
): { a: MutantArgs; file: string; rest: readonly string[] } | number {
  const a = parseMutantArgs(args, usage);
  if (typeof a === "number") return a;
  if (a.help) {
    console.log(usage);
    return 0;
  }
  const [file, ...rest] = a.positionals;
  if (file === undefined || !restOk(rest, a)) {
    console.error(usage);
    return 2;
  }
  if (!isFile(file)) {
    console.error(`${file}: no such file`);
    return 2;
  }
  return { a, file, rest };
}

/** The key's 1-based line. */
export const lineOf = (key: string): number => Number(key.split(":")[1]);

/**
 * The keys of a `--keys` list: split at the commas that begin another key (a comma followed by
 * a path, `dir/file.ts:`), so a replacement holding a comma stays whole.
 */
export function splitKeys(list: string): string[] {
  return list.split(/,(?=\s*[\w./-]+\.ts:\d+:)/).map((k) => k.trim()).filter((k) => k !== "");
}

/** A key's parts: line, and the rest past the file (column, mutator, replacement). */
function parts(key: string): { line: number; rest: string } {
  const [, line, ...rest] = key.split(":");
  return { line: Number(line), rest: rest.join(":") };
}

/** The key without its end (`KEY @end+L:C`, mutate/mutant_mirror.ts `spanKey`). */
export const bareKey = (key: string): string => key.replace(/ @end\+\d+:\d+$/, "");

/**
 * The keys of `known` that `key` names: itself, or without its end where the key alone names
 * one mutant, or (a key alone that two mutants share) each of them with its end.
 */
export function resolveKey(key: string, known: ReadonlySet<string>): string[] {
  if (known.has(key)) return [key];
  if (known.has(bareKey(key))) return [bareKey(key)];
  if (key !== bareKey(key)) return [];
  return [...known].filter((k) => k !== bareKey(k) && bareKey(k) === key);
}

/**
 * `key` (of `was`, FILE's text at the key's commit) as a key of the mutants `known` of FILE's
 * text `now`: itself when its line did not change, else the mutant with the same column, mutator
 * and replacement (and end, if the key has one) on the line of the same text nearest the old
 * line; undefined if none. As {@linkcode resolveKey} finds it (the first, for a shared key).
 */
export function relocate(
  key: string,
  was: readonly string[],
  now: readonly string[],
  known: ReadonlySet<string>,
): string | undefined {
  const { line, rest } = parts(key);
  const text = was[line - 1]?.trim();
  if (text === undefined) return undefined;
  if (resolveKey(key, known).length > 0 && now[line - 1]?.trim() === text) {
    return resolveKey(key, known)[0];
  }
  const file = key.split(":")[0];
  let best: string | undefined, distance = Infinity;
  for (let i = 0; i < now.length; i++) {
    if (now[i].trim() !== text) continue;
    const k = resolveKey(`${file}:${i + 1}:${rest}`, known)[0];
    if (k !== undefined && Math.abs(i + 1 - line) < distance) {
      best = k;
      distance = Math.abs(i + 1 - line);
    }
  }
  return best;
}

/**
 * The keys of the mutants of `file` in a journal's lines that `judge` did not kill: its status
 * is `survived` (and, with `noCoverage`, also `no-coverage`). Each with its end (`KEY @end+L:C`)
 * where the journal has it: two mutants can share a key.
 */
export function journalSurvivors(
  text: string,
  file: string,
  judge: "tests" | "campaign" = "tests",
  noCoverage = false,
): string[] {
  const keys: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith('{"id"')) continue;
    const m = JSON.parse(line) as {
      fileName: string;
      key: string;
      location?: { start: { line: number }; end: { line: number; column: number } };
      judges?: Record<string, { status: string } | undefined>;
    };
    const status = m.judges?.[judge]?.status;
    if (
      m.fileName === file && (status === "survived" || (noCoverage && status === "no-coverage"))
    ) {
      const l = m.location;
      keys.push(l ? `${m.key} @end+${l.end.line - l.start.line}:${l.end.column + 1}` : m.key);
    }
  }
  return keys;
}

/** Whether `path` is a file. */
export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The mutants of `file` the arguments choose, as keys of `known` (the mutants of FILE as it is
 * now), and the keys found nowhere (`gone`); a string says what is wrong with the arguments.
 * `fromJournal` reads `--journal`'s text for FILE's keys.
 */
export function chooseMutants(
  file: string,
  known: readonly string[],
  a: MutantArgs,
  fromJournal: (text: string) => string[],
): { chosen: string[]; gone: string[] } | string {
  const knownSet = new Set(known);
  let chosen: string[] = [...known];
  if (a.keys !== undefined) chosen = splitKeys(a.keys);
  if (a.journal !== undefined) chosen = fromJournal(Deno.readTextFileSync(a.journal));
  if (a.lines !== undefined) {
    const r = /^(\d+)-(\d+)$/.exec(a.lines);
    if (r === null) return `--lines ${a.lines}: expected A-B`;
    chosen = chosen.filter((k) => lineOf(k) >= Number(r[1]) && lineOf(k) <= Number(r[2]));
  }
  if (a.was !== undefined) {
    const was = Deno.readTextFileSync(a.was).split("\n");
    const text = Deno.readTextFileSync(file).split("\n");
    chosen = chosen.map((k) => relocate(k, was, text, knownSet) ?? k);
  }
  const gone = chosen.filter((k) => resolveKey(k, knownSet).length === 0);
  return { chosen: [...new Set(chosen.flatMap((k) => resolveKey(k, knownSet)))], gone };
}
