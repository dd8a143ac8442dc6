/**
 * Runs to a scenario campaign's first failure, in one process: the campaign's own plans
 * (`planRun`), scenarios under the service's contract (`campaignScenario`) and checkers
 * (`kernel+service`), run by `executePlan` as a `--workers 1` campaign runs them, minus the
 * worker. Also counts the runs reaching `resupply-after-writeback-evict` and
 * `page-supplied-again` (docs/performance.md, session 22, helper fxB22).
 *
 * `deno run -A [--config USER/deno.json] tools/runs_to_first_find.ts SERVICE SEEDS RUNS [stop] [--want TEXT]`
 * SEEDS: comma-separated campaign seeds; `stop`: end a seed at its first failure; `--want TEXT`:
 * count only failures whose verdict mentions TEXT (e.g. data-integrity).
 *
 * @module
 */

import { executePlan, planRun } from "../fuzz/campaign.ts";
import { campaignScenario } from "../fuzz/engine.ts";
import { SometimesMonitor } from "../fuzz/sometimes.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadServiceModule } from "../case/store.ts";
import { contractOf } from "../scenario/service_contract.ts";

if (import.meta.main) {
  const args = [...Deno.args];
  const wi = args.indexOf("--want");
  const want = wi >= 0 ? args.splice(wi, 2)[1] : "";
  const [path, seeds, runs, stop] = args;
  const svc = await loadServiceModule(path);
  const contract = contractOf(svc)?.contract;
  const checkers = scenarioCheckers("kernel+service");
  for (const seed of seeds.split(",").map(Number)) {
    let first = -1, fails = 0, resupply = 0, again = 0, k = 0;
    for (; k < Number(runs); k++) {
      const plan = planRun(seed, k);
      const counter = new SometimesMonitor();
      const r = executePlan(
        plan,
        campaignScenario(plan, "user", contract),
        {
          monitors: () => [...checkers(), counter],
          services: { user: svc },
        },
        undefined,
        false,
      );
      if (counter.hit.has("resupply-after-writeback-evict")) resupply++;
      if (counter.hit.has("page-supplied-again")) again++;
      if (r.verdict.kind !== "pass" && JSON.stringify(r.verdict).includes(want)) {
        fails++;
        if (first < 0) first = k;
        if (stop === "stop") {
          k++;
          break;
        }
      }
    }
    console.log(
      `seed ${seed}: runs ${k}, first failing run ${first}, failing ${fails}, ` +
        `resupply-after-writeback-evict ${resupply}, page-supplied-again ${again}`,
    );
  }
}
