/**
 * Prints campaign runs/s on 1 and 2 workers and their ratio, measured side by
 * side (alternating, best of `rounds`), for quoting in notes.
 * Run: deno run -A --v8-flags=--single-threaded-gc bench/campaign_report.ts [runs] [rounds]
 * (campaigns run with single-threaded GC: on 2 cores, V8's concurrent GC
 * threads compete with the workers; `deno task fuzz` sets the same flag)
 *
 * @module
 */

import { campaignRunsPerSecond } from "./_campaign.ts";
import { numberArg, runCommand, scriptArgs } from "../cli/args.ts";

const USAGE =
  `usage: deno run -A --v8-flags=--single-threaded-gc bench/campaign_report.ts [RUNS] [ROUNDS]

Campaign runs/s on 1 and 2 workers, best of ROUNDS (default 3) of RUNS runs (default 6000).

options:
  --help    print this help and exit (nothing is run)`;

async function main(): Promise<number> {
  const args = scriptArgs(Deno.args, USAGE, 2);
  if (args === null) return 0;
  const runs = numberArg(args, 0, "RUNS", 6000);
  const rounds = numberArg(args, 1, "ROUNDS", 3);
  let one = 0, two = 0;
  for (let r = 0; r < rounds; r++) {
    one = Math.max(one, await campaignRunsPerSecond(1, runs, 7 + r));
    two = Math.max(two, await campaignRunsPerSecond(2, runs, 7 + r));
  }
  console.log(
    `campaign, 1 worker:  ${one.toFixed(0)} runs/s (best of ${rounds}, ${runs} runs each)`,
  );
  console.log(`campaign, 2 workers: ${two.toFixed(0)} runs/s`);
  console.log(
    `ratio 2/1 workers: ${(two / one).toFixed(2)}x (target >= 1.7x: ${
      two / one >= 1.7 ? "met" : "MISSED"
    })`,
  );
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
