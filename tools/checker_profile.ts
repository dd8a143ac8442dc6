/**
 * Where a checked run's CPU time goes (issue 17): `run SECONDS` runs the default scenario's batch
 * of 10,000 steps (seeds 1, 2, ...) under all kernel checkers for about SECONDS, to be profiled
 * with `deno run --cpu-prof`; `tools/profile_self.ts` sums the `.cpuprofile`'s self time per
 * function (name, file and line), the largest first, with each one's share of the sampled time.
 * `plain SECONDS` runs the same batch with no checkers: where a step of the model goes (the
 * per-step cost's workload).
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env --allow-sys --cpu-prof --cpu-prof-dir=/tmp/prof \
 *   tools/checker_profile.ts run 20
 * deno run --allow-read tools/profile_self.ts /tmp/prof/PROFILE.cpuprofile 40
 * ```
 *
 * @module
 */

import { DEFAULT } from "../bench/_loops.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";

const USAGE = "usage: deno run --allow-read [--allow-env --allow-sys --cpu-prof] " +
  "tools/checker_profile.ts run|plain SECONDS (then tools/profile_self.ts FILE.cpuprofile)\n" +
  "run: the batch under all kernel checkers; plain: the same batch with none (the per-step " +
  "cost's workload)";

if (import.meta.main) {
  const [mode, arg] = Deno.args;
  if ((mode === "run" || mode === "plain") && /^\d+$/.test(arg ?? "")) {
    const until = performance.now() + Number(arg) * 1000;
    let steps = 0;
    while (performance.now() < until) {
      for (let s = 1, n = 0; n < 10_000; s++) {
        const monitors = mode === "run" ? kernelInvariants() : [];
        const r = runScenario(DEFAULT, { seed: s, keepTrace: false, monitors });
        n += r.steps;
        steps += r.steps;
      }
    }
    console.log(`${steps} ${mode === "run" ? "checked" : "plain"} steps`);
  } else {
    console.error(USAGE);
    Deno.exit(2);
  }
}
