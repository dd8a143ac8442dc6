/**
 * What the kernel checkers cost, side by side in one process: the default
 * scenario with no checkers (baseline) and with every kernel checker, the
 * same seeds and at least {@linkcode STEPS} steps each, so Deno's "x times
 * slower" column is the checker overhead (issue 17: at most 2.5x). With
 * `--paranoid` checkers (every page, every step) for comparison.
 *
 * Run: `deno task bench` (or `deno bench --allow-read bench/checker_bench.ts`).
 *
 * @module
 */

import { checkedWorkloadLoop } from "./_checkers.ts";
import { STEPS, workloadLoop } from "./_loops.ts";

const group = `default scenario, ${STEPS} steps`;

Deno.bench({
  name: "no checkers",
  group,
  baseline: true,
  fn: () => void workloadLoop(STEPS),
});

Deno.bench({
  name: "every kernel checker",
  group,
  fn: () => void checkedWorkloadLoop(STEPS),
});

Deno.bench({
  name: "every kernel checker, --paranoid",
  group,
  fn: () => void checkedWorkloadLoop(STEPS, 1, { paranoid: true }),
});
