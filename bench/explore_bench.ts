/**
 * What each pruning of exhaustive exploration buys in wall time, side by
 * side in one process: the reduced default scenario
 * (`explore/testdata/default_small.json`) explored to 2 preemptions with all
 * prunings (the baseline: DPOR with sleep sets, state hashing, private steps),
 * then sleep sets alone instead of DPOR, then with one switched off at a time. Deno's
 * "x times slower than" column is the saving; the executions each needs are
 * printed by `deno test -A explore/`.
 *
 * Run: `deno task bench` (or `deno bench --allow-read bench/explore_bench.ts`).
 *
 * @module
 */

import { explore, type ExploreOptions } from "../explore/explore.ts";
import { parseScenario } from "../scenario/schema.ts";

const scenario = parseScenario(
  JSON.parse(
    Deno.readTextFileSync(new URL("../explore/testdata/default_small.json", import.meta.url)),
  ),
  "default_small",
);

const group = "explore default_small, 2 preemptions";

const CASES: [string, Partial<ExploreOptions>][] = [
  ["all prunings", {}],
  ["sleep sets instead of DPOR", { reduction: "sleep-sets" }],
  ["no private steps", { privateSteps: false }],
  ["no DPOR, no sleep sets", { reduction: false }],
  ["no state hash", { stateHash: false }],
];

for (const [name, options] of CASES) {
  Deno.bench({
    name,
    group,
    baseline: name === "all prunings",
    fn: () => {
      const r = explore(scenario, { preemptions: 2, ...options });
      if (r.outcome !== "pass") throw new Error(`${name}: ${r.summary}`);
    },
  });
}
