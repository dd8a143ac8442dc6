/**
 * Shards of a mutation run (`deno task mutate --shard K/N`): the mutants of a run split into N
 * parts by a seeded shuffle, so each shard is a uniform share of every file (and of the static
 * mutants, which cost most) and the same K/N names the same mutants on every machine. Each
 * shard's named journal holds its results; `--merge` makes the one report of them all.
 *
 * @module
 */

import { makeRng } from "../sim/rng.ts";

/** One shard of N: `index` counts from 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The most shards a run is split into. */
export const MAX_SHARDS = 1000;

/**
 * Parses `K/N` (1 <= K <= N <= {@linkcode MAX_SHARDS}); `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { parseShard } from "./shard.ts";
 * console.assert(parseShard("2/4")?.index === 2);
 * console.assert(parseShard("5/4") === undefined);
 * ```
 */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return undefined;
  return { index, count };
}

/** The first `n` of a seeded Fisher-Yates shuffle of `items` (all of them: `n = items.length`). */
export function shuffled<T>(items: readonly T[], n: number, seed: number, label: string): T[] {
  const rng = makeRng(seed, label);
  const a = [...items];
  for (let i = 0; i < Math.min(n, a.length); i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/**
 * The mutants of shard `shard`, by id: every N-th of a seeded shuffle, from the K-th. The N
 * shards of a set are disjoint and together are the set; their sizes differ by at most one.
 *
 * @example
 * ```ts
 * import { shardOf } from "./shard.ts";
 * const all = Array.from({ length: 10 }, (_, i) => ({ id: String(i) }));
 * const parts = [1, 2, 3].map((index) => shardOf(all, { index, count: 3 }));
 * console.assert(parts.flat().length === 10);
 * ```
 */
export function shardOf<T extends { id: string }>(items: readonly T[], shard: Shard): T[] {
  return shuffled(items, items.length, 0, "mutate/shard")
    .filter((_, i) => i % shard.count === shard.index - 1)
    .sort((x, y) => Number(x.id) - Number(y.id));
}
