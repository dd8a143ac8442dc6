/**
 * Which mutant of a file's new text is which mutant of its old text (`tools/rekey.ts`): the
 * lines the two texts share (a longest common subsequence of lines) carry their mutants across
 * exactly; a mutant on a changed line is found again only by the same mutator, replacement and
 * mutated source text inside the same changed region.
 *
 * @module
 */

import type { Mutant } from "../mutate/instrument.ts";

/** Above this many cells (changed old lines times changed new lines) no line is paired inside. */
const MAX_DIFF_CELLS = 64_000_000;

/**
 * For each line of `was`, the index of the same line in `now` where the longest common
 * subsequence of the two pairs them, else -1. Lines the two share at the start and at the end
 * are paired first; a middle too large to compare ({@linkcode MAX_DIFF_CELLS}) stays unpaired.
 */
export function lineMap(was: readonly string[], now: readonly string[]): Int32Array {
  const map = new Int32Array(was.length).fill(-1);
  let head = 0;
  while (head < was.length && head < now.length && was[head] === now[head]) {
    map[head] = head;
    head++;
  }
  let tail = 0;
  while (
    tail < was.length - head && tail < now.length - head &&
    was[was.length - 1 - tail] === now[now.length - 1 - tail]
  ) {
    map[was.length - 1 - tail] = now.length - 1 - tail;
    tail++;
  }
  const n = was.length - head - tail, m = now.length - head - tail;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_DIFF_CELLS) return map;
  // lcs[i * (m + 1) + j]: the longest common subsequence of was[head + i..] and now[head + j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = was[head + i] === now[head + j]
        ? lcs[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (was[head + i] === now[head + j]) {
      map[head + i] = head + j;
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) i++;
    else j++;
  }
  return map;
}

/** The source text a mutant replaces (its span of `lines`). */
export function mutatedText(lines: readonly string[], m: Mutant): string {
  const { start, end } = m.location;
  if (start.line === end.line) return lines[start.line].slice(start.column, end.column);
  return [
    lines[start.line].slice(start.column),
    ...lines.slice(start.line + 1, end.line),
    lines[end.line].slice(0, end.column),
  ].join("\n");
}

/** How the mutants of a file's old text were found in its new text. */
export interface MutantMatch {
  /** Each old mutant found again, and its new mutant. */
  readonly found: Map<Mutant, Mutant>;
  /** How many of `found` sit on unchanged lines at the same columns (the rest moved). */
  readonly exact: number;
  /** Old mutants with no new mutant (their code changed or went). */
  readonly lost: Mutant[];
  /** Old mutants with two new mutants equally likely (same code, equally near). */
  readonly ambiguous: Mutant[];
  /** New mutants no old one became. */
  readonly added: Mutant[];
}

const byPlace = (a: Mutant, b: Mutant) =>
  a.location.start.line - b.location.start.line ||
  a.location.start.column - b.location.start.column ||
  a.location.end.line - b.location.end.line || a.location.end.column - b.location.end.column;

/**
 * Pairs the mutants `wasMutants` of the text `was` with the mutants `nowMutants` of the text
 * `now` (both of one file). A mutant whose first and last line are unchanged (paired by
 * {@linkcode lineMap}) is the new mutant at the same columns of the paired lines with the same
 * mutator, replacement and mutated text: an unchanged function's mutants always match so. Any
 * other old mutant starts on a changed line; it is matched only to a new mutant starting in the
 * same changed region (between the same unchanged lines) with the same mutator, replacement and
 * mutated text: the k-th of k such old and new mutants in file order, or else the one nearest
 * the old line shifted as the region is (ambiguous when two are equally near).
 */
export function matchMutants(
  was: string,
  now: string,
  wasMutants: readonly Mutant[],
  nowMutants: readonly Mutant[],
): MutantMatch {
  const wasLines = was.split("\n"), nowLines = now.split("\n");
  const map = lineMap(wasLines, nowLines);
  const olds = [...wasMutants].sort(byPlace), news = [...nowMutants].sort(byPlace);
  const sig = (lines: readonly string[], m: Mutant) =>
    `${m.mutatorName}\0${m.replacement}\0${mutatedText(lines, m)}`;
  const at = (sl: number, sc: number, el: number, ec: number, s: string) =>
    `${sl}:${sc}:${el}:${ec}\0${s}`;
  const newAt = new Map<string, Mutant[]>();
  for (const m of news) {
    const { start, end } = m.location;
    const k = at(start.line, start.column, end.line, end.column, sig(nowLines, m));
    newAt.set(k, [...newAt.get(k) ?? [], m]);
  }
  const found = new Map<Mutant, Mutant>(), taken = new Set<Mutant>();
  const rest: Mutant[] = [];
  for (const m of olds) {
    const { start, end } = m.location;
    const [s, e] = [map[start.line], map[end.line]];
    const hit = s < 0 || e < 0
      ? undefined
      : newAt.get(at(s, start.column, e, end.column, sig(wasLines, m)))?.find((n) => !taken.has(n));
    if (hit === undefined) rest.push(m);
    else {
      found.set(m, hit);
      taken.add(hit);
    }
  }
  const exact = found.size;
  // A changed region is named by the last unchanged old line above it (-1: none).
  const oldAnchor = new Int32Array(wasLines.length), newAnchor = new Int32Array(nowLines.length);
  const newToOld = new Int32Array(nowLines.length).fill(-1);
  map.forEach((j, i) => j >= 0 && (newToOld[j] = i));
  for (let i = 0, a = -1; i < wasLines.length; i++) oldAnchor[i] = map[i] >= 0 ? (a = i) : a;
  for (let j = 0, a = -1; j < nowLines.length; j++) {
    newAnchor[j] = newToOld[j] >= 0 ? (a = newToOld[j]) : a;
  }
  const region = (anchor: number, s: string) => `${anchor}\0${s}`;
  const oldGroups = new Map<string, Mutant[]>(), newGroups = new Map<string, Mutant[]>();
  const lost: Mutant[] = [], ambiguous: Mutant[] = [];
  for (const m of rest) {
    const l = m.location.start.line;
    if (map[l] >= 0) lost.push(m); // its first line is unchanged, so its code changed
    else {
      const k = region(oldAnchor[l], sig(wasLines, m));
      oldGroups.set(k, [...oldGroups.get(k) ?? [], m]);
    }
  }
  for (const m of news) {
    const l = m.location.start.line;
    if (taken.has(m) || newToOld[l] >= 0) continue;
    const k = region(newAnchor[l], sig(nowLines, m));
    newGroups.set(k, [...newGroups.get(k) ?? [], m]);
  }
  for (const [k, sameCode] of oldGroups) {
    const candidates = newGroups.get(k) ?? [];
    if (candidates.length === sameCode.length) {
      sameCode.forEach((m, i) => {
        found.set(m, candidates[i]);
        taken.add(candidates[i]);
      });
      continue;
    }
    for (const m of sameCode) {
      const anchor = oldAnchor[m.location.start.line];
      const shift = anchor < 0 ? 0 : map[anchor] - anchor;
      const want = m.location.start.line + shift;
      const far = (n: Mutant) => Math.abs(n.location.start.line - want);
      const free = candidates.filter((n) => !taken.has(n)).sort((a, b) => far(a) - far(b));
      if (free.length === 0) lost.push(m);
      else if (free.length > 1 && far(free[0]) === far(free[1])) ambiguous.push(m);
      else {
        found.set(m, free[0]);
        taken.add(free[0]);
      }
    }
  }
  return {
    found,
    exact,
    lost: lost.sort(byPlace),
    ambiguous,
    added: news.filter((n) => !taken.has(n)),
  };
}
