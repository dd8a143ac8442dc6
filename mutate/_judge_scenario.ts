/**
 * For the tests of the campaign judge's seeded scenarios (`mutate/scenarios/`, served by
 * `mutate/scenario_services.ts`): the scenario by name, and the check each such test starts with,
 * that every seed passes unmutated under the kernel and service checkers.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { checkCase } from "../properties/check_case.ts";
import { probeCheckers } from "./judges.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";

/**
 * The judge's scenario `mutate/scenarios/NAME.json`, parsed.
 *
 * @example
 * ```ts
 * import { judgeScenario } from "./_judge_scenario.ts";
 * const scenario = judgeScenario("locked_pool");
 * console.assert(scenario.threads.length > 0);
 * ```
 */
export function judgeScenario(name: string): Scenario {
  const url = new URL(`./scenarios/${name}.json`, import.meta.url);
  return parseScenario(JSON.parse(Deno.readTextFileSync(url)), url.pathname);
}

/**
 * Asserts that seeds 0 to `seeds - 1` of `scenario` pass the kernel and service checkers with no
 * recorded decisions, as the campaign judge runs it, calling `each(seed)` after each seed's
 * verdict for the test's own checks of that seed. `exempt` names the service obligations the
 * scenario's service breaks by design, which the judge exempts it from (`probeCheckers`: the
 * futex_garbage service passes closed handles on purpose, so P17 `uses-no-closed-handle`).
 *
 * @example
 * ```ts
 * import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
 * assertEverySeedPasses(judgeScenario("futex_garbage"), 2, undefined, ["uses-no-closed-handle"]);
 * ```
 */
export function assertEverySeedPasses(
  scenario: Scenario,
  seeds: number,
  each: (seed: number) => void = () => {},
  exempt: readonly string[] = [],
): void {
  const monitors = probeCheckers({
    serviceMutant: true,
    serviceExempt: new Set(exempt.map((name) => `probe#${name}`)),
  }, "probe");
  for (let seed = 0; seed < seeds; seed++) {
    const v = checkCase({ scenario, decisions: [], seed }, {
      monitors,
      services: SCENARIO_SERVICES,
    }).verdict;
    assert.equal(v.kind, "pass", `seed ${seed}: ${JSON.stringify(v)}`);
    each(seed);
  }
}
