/**
 * Which mutants are equivalent (left out of the score), from two sources:
 *
 * - **the triage list** `mutate/equivalent.json`: `{key, line, reason}` entries, each found by
 *   its file, column, mutator and replacement on a line whose text (trimmed) is `line`. The key's
 *   line number only breaks a tie between identical lines: an edit above the line moves it, and
 *   a key matched by line number alone went stale with it (10 of 84 entries had, silently
 *   judged again); an edit of the line itself means the triage is due again, and
 *   `mutate/equivalents_test.ts` fails until every entry finds its mutant. An entry names one
 *   mutant: where two mutants share a start (the same key), its key carries the end of the one
 *   it means (`KEY @end+L:C`, as `mutate/mutant_mirror.ts` `spanKey` writes it), and an entry
 *   that would name several is an error naming it (a bare shared key once marked every mutant
 *   of its start equivalent, triaged or not).
 * - **a rule**: a mutant inside the message argument of `assert(condition, message)` or
 *   `present(value, what)` (kernel/assert.ts) changes only the text of a failure the unmutated
 *   model never has: it decides nothing. Found in the syntax tree (TypeScript's parser), so no
 *   entry is written per message.
 *
 * @module
 */

import type TS from "npm:typescript@6.0.3";
import { loadTypeScript } from "../quality/determinism_lint.ts";
import type { Mutant } from "./instrument.ts";
import { mutantKey } from "./report.ts";

/** One triaged equivalent mutant of `mutate/equivalent.json`. */
export interface Equivalent {
  /** `file:line:column:mutator:replacement` (line and column 1-based), as `mutantKey` writes it. */
  readonly key: string;
  /** The mutated line's text, trimmed: what finds the mutant when lines move. */
  readonly line: string;
  /** Why no judge can kill it. */
  readonly reason: string;
}

/** The reason the assertion-message rule gives. */
export const ASSERTION_MESSAGE =
  "Assertion message (rule): text of a failure the unmutated model never has; decides nothing.";

/** Reads and checks `mutate/equivalent.json` under `root`; a malformed entry is an error naming it. */
export function loadEquivalents(root: string): Equivalent[] {
  const path = `${root}/mutate/equivalent.json`;
  const list: unknown = JSON.parse(Deno.readTextFileSync(path));
  if (!Array.isArray(list)) throw new Error(`${path}: expected an array of {key, line, reason}`);
  for (const [i, e] of list.entries()) {
    const ok = typeof e === "object" && e !== null && typeof e.key === "string" &&
      typeof e.line === "string" && typeof e.reason === "string" &&
      /^[^:]+:\d+:\d+:[A-Za-z]+:/.test(e.key);
    if (!ok) {
      throw new Error(`${path}: entry ${i} is not {key, line, reason}: ${JSON.stringify(e)}`);
    }
  }
  return list as Equivalent[];
}

/** The key's parts: file, 1-based line and column, and `mutator:replacement`. */
function parts(key: string): { file: string; line: number; column: number; rest: string } {
  const [file, line, column, ...rest] = key.split(":");
  return { file, line: Number(line), column: Number(column), rest: rest.join(":") };
}

/** Where each `assert`/`present` message argument of `sf` lies, as [start, end) offsets. */
export function assertionMessageSpans(ts: typeof TS, sf: TS.SourceFile): [number, number][] {
  const spans: [number, number][] = [];
  const visit = (n: TS.Node): void => {
    if (
      ts.isCallExpression(n) && ts.isIdentifier(n.expression) &&
      (n.expression.text === "assert" || n.expression.text === "present") &&
      n.arguments.length === 2
    ) {
      spans.push([n.arguments[1].getStart(sf), n.arguments[1].getEnd()]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return spans;
}

/** What {@linkcode equivalentMutants} found: each equivalent mutant's key and reason, and the entries that found none. */
export interface Equivalents {
  /** Reason of each equivalent mutant, by its {@linkcode Equivalents.keyOf} key. */
  readonly reasons: Map<string, string>;
  /** Entries that found no mutant (their line changed: triage them again). */
  readonly unmatched: Equivalent[];
  /**
   * A mutant's key in `reasons`: `mutantKey`, or where mutants share it, with the mutant's end
   * (`KEY @end+L:C`), so that one mutant's reason is never another's.
   */
  readonly keyOf: (m: Mutant) => string;
}

/** A mutant's key with its end: `KEY @end+L:C` (L: lines from start to end; C: 1-based end column). */
export function endKey(m: Mutant): string {
  const { start, end } = m.location;
  return `${mutantKey(m)} @end+${end.line - start.line}:${end.column + 1}`;
}

/** An entry's key and end, if written: `KEY @end+L:C`. */
function splitEnd(key: string): { bare: string; end: string | undefined } {
  const at = / @end\+\d+:\d+$/.exec(key);
  return at === null
    ? { bare: key, end: undefined }
    : { bare: key.slice(0, at.index), end: at[0].slice(1) };
}

/**
 * The equivalent mutants among `mutants` (whose files' texts `sources` holds): the list's
 * entries found by line text, then the assertion-message rule.
 *
 * @example
 * ```ts
 * import { equivalentMutants } from "./equivalents.ts";
 * const text = 'assert(x > 0, () => "x is " + x);\n';
 * const m = (column: number, mutatorName: string, replacement: string) => ({
 *   id: "1", fileName: "k.ts", mutatorName, replacement,
 *   location: { start: { line: 0, column }, end: { line: 0, column: column + 5 } },
 * });
 * const found = await equivalentMutants(
 *   [m(20, "StringLiteral", '""'), m(7, "EqualityOperator", "x >= 0")],
 *   new Map([["k.ts", text]]),
 *   [],
 * );
 * console.assert(found.reasons.size === 1); // the message's literal; the condition is judged
 * ```
 *
 * @throws Error naming an entry that names several mutants (a key that mutants share, written
 * without the end of the one it means).
 */
export async function equivalentMutants(
  mutants: readonly Mutant[],
  sources: ReadonlyMap<string, string>,
  list: readonly Equivalent[],
): Promise<Equivalents> {
  const ts = await loadTypeScript();
  const lines = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    let l = lines.get(file);
    if (l === undefined) lines.set(file, l = (sources.get(file) ?? "").split("\n"));
    return l;
  };
  // Candidates of each entry: same file, column, mutator and replacement, on a line of its text.
  const byShape = new Map<string, Mutant[]>();
  const sharing = new Map<string, number>();
  for (const m of mutants) {
    const key = mutantKey(m);
    sharing.set(key, (sharing.get(key) ?? 0) + 1);
    const p = parts(key);
    const shape = `${p.file}:${p.column}:${p.rest}`;
    const got = byShape.get(shape);
    if (got === undefined) byShape.set(shape, [m]);
    else got.push(m);
  }
  const keyOf = (m: Mutant): string =>
    (sharing.get(mutantKey(m)) ?? 0) > 1 ? endKey(m) : mutantKey(m);
  const reasons = new Map<string, string>();
  const unmatched: Equivalent[] = [];
  for (const e of list) {
    const { bare, end } = splitEnd(e.key);
    const p = parts(bare);
    const fits = (byShape.get(`${p.file}:${p.column}:${p.rest}`) ?? []).filter((m) =>
      linesOf(m.fileName)[m.location.start.line]?.trim() === e.line &&
      (end === undefined || endKey(m).endsWith(` ${end}`))
    );
    if (fits.length === 0) {
      unmatched.push(e);
      continue;
    }
    // Identical lines: the one nearest the key's line number.
    const near = (m: Mutant) => Math.abs(m.location.start.line + 1 - p.line);
    const best = fits.reduce((a, b) => near(b) < near(a) ? b : a);
    const named = fits.filter((m) => m.location.start.line === best.location.start.line);
    if (named.length > 1) {
      throw new Error(
        `mutate/equivalent.json: entry ${e.key} names ${named.length} mutants ` +
          `(${named.map(endKey).join(", ")}): write the key of the one it means with its end`,
      );
    }
    reasons.set(keyOf(best), e.reason);
  }
  for (const [file, text] of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const spans = assertionMessageSpans(ts, sf);
    if (spans.length === 0) continue;
    const at = (p: { line: number; column: number }) =>
      ts.getPositionOfLineAndCharacter(sf, p.line, p.column);
    for (const m of mutants) {
      if (m.fileName !== file) continue;
      const s = at(m.location.start);
      const end = at(m.location.end);
      if (spans.some(([a, b]) => s >= a && end <= b) && !reasons.has(keyOf(m))) {
        reasons.set(keyOf(m), ASSERTION_MESSAGE);
      }
    }
  }
  return { reasons, unmatched, keyOf };
}
