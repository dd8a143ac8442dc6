/**
 * Guided vs unguided program fuzzing, head to head: for each seed, the same
 * wall-clock budget in this one thread, once with the novelty queue and once
 * with fresh random programs only; prints the distinct kernel-state
 * signatures each reached. Run:
 * `deno run --allow-read tools/guidance_compare.ts [SECONDS] [SEEDS]`.
 *
 * @module
 */

import { wallMs } from "../fuzz/clock.ts";
import { type ProgramChecks, ProgramFuzzer } from "../fuzz/programs/campaign.ts";
import { numberArg, runCommand, scriptArgs } from "../cli/args.ts";

/** One side of the comparison. */
export interface GuidanceResult {
  readonly guided: boolean;
  readonly seed: number;
  readonly runs: number;
  readonly signatures: number;
}

/** Runs one fuzzer for `seconds` of wall-clock time and counts what it reached. */
export function fuzzFor(
  guided: boolean,
  seed: number,
  seconds: number,
  checks: ProgramChecks = "contract",
): GuidanceResult {
  const fuzzer = new ProgramFuzzer({ seed, guided, checks });
  const end = wallMs() + seconds * 1000;
  while (wallMs() < end) fuzzer.step();
  return { guided, seed, runs: fuzzer.runs, signatures: fuzzer.seen.size };
}

const USAGE = `usage: deno run --allow-read tools/guidance_compare.ts [SECONDS] [SEEDS]

Guided vs unguided program fuzzing, SECONDS (default 10) per side for each of SEEDS (default 3).

options:
  --help    print this help and exit (nothing is run)`;

function main(): number {
  const args = scriptArgs(Deno.args, USAGE, 2);
  if (args === null) return 0;
  const seconds = numberArg(args, 0, "SECONDS", 10);
  const seeds = numberArg(args, 1, "SEEDS", 3);
  let g = 0, u = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const a = fuzzFor(true, seed, seconds);
    const b = fuzzFor(false, seed, seconds);
    g += a.signatures;
    u += b.signatures;
    console.log(
      `seed ${seed}: guided ${a.signatures} signatures (${a.runs} runs), unguided ${b.signatures} (${b.runs} runs)`,
    );
  }
  console.log(
    `mean over ${seeds} seeds, ${seconds}s each: guided ${(g / seeds).toFixed(0)}, unguided ${
      (u / seeds).toFixed(0)
    } (x${(g / u).toFixed(2)})`,
  );
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
