/**
 * "Did you mean": the name closest to a misspelled one, by edit distance.
 * Used for a scenario's misspelled values and keys (`scenario/schema.ts`) and
 * for the commands' unknown flags (`cli/args.ts`).
 *
 * @module
 */

/**
 * The name closest to `typed`, or null: within edit distance 1 for a word of
 * 3 to 5 characters, 2 for a longer one (a swap of two neighbours counts
 * one), none for 1 or 2 characters (`"b"` is no typo of `"a"`); or `typed`
 * is a prefix of it, 3 characters or more; or it differs only in case. Ties
 * go to the earlier name, so the answer depends only on the list's order.
 *
 * @example
 * ```ts
 * import { nearest } from "./nearest.ts";
 * console.assert(nearest("raed", ["read", "write", "commit"]) === "read");
 * console.assert(nearest("seeed", ["seed", "scenario"]) === "seed");
 * console.assert(nearest("frobnicate", ["read", "write"]) === null);
 * ```
 */
export function nearest(typed: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = (typed.length <= 2 ? 0 : typed.length <= 5 ? 1 : 2) + 1;
  for (const name of names) {
    const d = name.toLowerCase() === typed.toLowerCase()
      ? 0
      : name.startsWith(typed) && typed.length >= 3
      ? 1
      : editDistance(typed, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * Edit distance: insertions, deletions, substitutions and swaps of two
 * neighbouring characters (optimal string alignment), each one.
 *
 * @example
 * ```ts
 * import { editDistance } from "./nearest.ts";
 * console.assert(editDistance("fiel", "file") === 1 && editDistance("eagr", "eager") === 1);
 * console.assert(editDistance("zz", "a") === 2);
 * ```
 */
export function editDistance(a: string, b: string): number {
  let prev: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        next[j] = Math.min(next[j], prev[j - 2] + 1);
      }
    }
    [prev, row] = [row, next];
  }
  return row[b.length];
}
