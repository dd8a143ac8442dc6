/**
 * How often each scheduling strategy finds a failure in one scenario with a service module: seeds
 * 0..N-1 under the random strategy and PCT of depth 1, 2 and 3, judged as `deno task sim --service`
 * judges a run (kernel invariants and service obligations, the verdict settled by the checkers).
 * For a bug a campaign misses: is it the schedules or the scenarios the generator draws? And which
 * strategy is the stronger one for a scenario (PCT is not always: README "Fuzz campaigns").
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
import type { Scenario } from "../scenario/schema.ts";
import type { PagerService } from "../services/service.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import { runCommand, scriptArgs, UsageError } from "../cli/args.ts";

/** The strategies compared: label, strategy, PCT depth. */
export const STRATEGIES = [
  ["random", "random", 2],
  ["pct d=1", "pct", 1],
  ["pct d=2", "pct", 2],
  ["pct d=3", "pct", 3],
] as const;

/** One strategy's count: failing seeds of `of`, and the first failing seed (-1: none). */
export interface StrategyRate {
  readonly label: string;
  readonly failing: number;
  readonly of: number;
  readonly first: number;
}

/** Runs seeds 0..n-1 of `scenario` under each of {@linkcode STRATEGIES}; counts the failing ones. */
export function strategyRates(
  scenario: Scenario,
  services: Readonly<Record<string, PagerService>>,
  n: number,
): StrategyRate[] {
  return STRATEGIES.map(([label, strategy, pctDepth]) => {
    let failing = 0, first = -1;
    for (let seed = 0; seed < n; seed++) {
      const monitors = scenarioCheckers("kernel+service")();
      const run = runScenario(scenario, { seed, strategy, pctDepth, services, monitors });
      if (settleVerdict(run, monitors).kind !== "pass") {
        failing++;
        if (first < 0) first = seed;
      }
    }
    return { label, failing, of: n, first };
  });
}

/** One printed line of a rate. */
export function rateLine(r: StrategyRate): string {
  return `${r.label}: ${r.failing} of ${r.of} seeds fail${
    r.first >= 0 ? ` (first: seed ${r.first})` : ""
  }`;
}

const USAGE = "usage: deno run --allow-read tools/strategy_rates.ts SCENARIO.json SERVICE.ts|- [N]";

if (import.meta.main) {
  await runCommand(USAGE, async () => {
    const args = scriptArgs(Deno.args, USAGE, 3);
    if (args === null) return 0;
    const [scenarioPath, servicePath, count] = args;
    if (scenarioPath === undefined || servicePath === undefined) {
      throw new UsageError("give a scenario file and a service module (or - for none)");
    }
    const n = Number(count ?? 2000);
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`N must be a positive integer, got "${count}"`);
    }
    const own = servicePath !== "-";
    const loaded = await loadScenarioFile(scenarioPath);
    const scenario = own ? withService(loaded, "user") : loaded;
    const services = own
      ? { ...NAMED_SERVICES, user: await loadServiceModule(servicePath) }
      : NAMED_SERVICES;
    for (const r of strategyRates(scenario, services, n)) console.log(rateLine(r));
    return 0;
  });
}
