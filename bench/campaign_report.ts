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

const runs = Number(Deno.args[0] ?? 6000);
const rounds = Number(Deno.args[1] ?? 3);
let one = 0, two = 0;
for (let r = 0; r < rounds; r++) {
  one = Math.max(one, await campaignRunsPerSecond(1, runs, 7 + r));
  two = Math.max(two, await campaignRunsPerSecond(2, runs, 7 + r));
}
console.log(`campaign, 1 worker:  ${one.toFixed(0)} runs/s (best of ${rounds}, ${runs} runs each)`);
console.log(`campaign, 2 workers: ${two.toFixed(0)} runs/s`);
console.log(
  `ratio 2/1 workers: ${(two / one).toFixed(2)}x (target >= 1.7x: ${
    two / one >= 1.7 ? "met" : "MISSED"
  })`,
);
