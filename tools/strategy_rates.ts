/**
 * How often each scheduling strategy finds a failure in one scenario with a service module: seeds
 * 0..N-1 under the random strategy and PCT of depth 1, 2 and 3, judged as `deno task sim --service`
 * judges a run (kernel invariants and service obligations, the verdict settled by the checkers).
 * For a bug a campaign misses: is it the schedules or the scenarios the generator draws? And which
 * strategy is the stronger one for a scenario (PCT is not always: README "Exhaustive exploration").
 * SERVICE `-` runs the services the scenario names (a zoo case's, say) instead of a module.
 *
 *     deno run --allow-read tools/strategy_rates.ts SCENARIO.json SERVICE.ts|- [N]
 *
 * @module
 */

import { scenarioCheckers } from "../case/kinds.ts";
import { loadServiceModule } from "../case/store.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { withService } from "../scenario/bind.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";

const [scenarioPath, servicePath, count] = Deno.args;
if (scenarioPath === undefined || servicePath === undefined) {
  console.error(
    "usage: deno run --allow-read tools/strategy_rates.ts SCENARIO.json SERVICE.ts|- [N]",
  );
  Deno.exit(2);
}
const n = Number(count ?? 2000);
const own = servicePath !== "-";
const loaded = await loadScenarioFile(scenarioPath);
const scenario = own ? withService(loaded, "user") : loaded;
const services = own
  ? { ...NAMED_SERVICES, user: await loadServiceModule(servicePath) }
  : NAMED_SERVICES;
const strategies = [
  ["random", "random", 2],
  ["pct d=1", "pct", 1],
  ["pct d=2", "pct", 2],
  ["pct d=3", "pct", 3],
] as const;
for (const [label, strategy, pctDepth] of strategies) {
  let failing = 0, first = -1;
  for (let seed = 0; seed < n; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const run = runScenario(scenario, { seed, strategy, pctDepth, services, monitors });
    if (settleVerdict(run, monitors).kind !== "pass") {
      failing++;
      if (first < 0) first = seed;
    }
  }
  console.log(
    `${label}: ${failing} of ${n} seeds fail${first >= 0 ? ` (first: seed ${first})` : ""}`,
  );
}
