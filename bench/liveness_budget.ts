/**
 * How many fair steps a generated workload needs, per unit of work, so the generator's liveness
 * bound fits what it generates (scenario/generate.ts `livenessBound`). Runs campaign scenarios
 * with the liveness bound and step limit lifted, from the liveness phase's start to the pass, for
 * the reference services (no --service) or a service module, and prints the largest ratio of
 * fair steps to work units (and to the bound the generator draws) among passing runs.
 *
 *   deno run -A bench/liveness_budget.ts [SEED] [RUNS] [SERVICE_MODULE] [FIRST_RUN]
 *
 * @module
 */
import { planRun } from "../fuzz/campaign.ts";
import { executePlan } from "../fuzz/campaign.ts";
import { campaignScenario, campaignServiceName } from "../fuzz/engine.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadServiceModule } from "../case/store.ts";
import { contractOf } from "../scenario/service_contract.ts";
import { LIVENESS_AFTER, livenessBound, workloadUnits } from "../scenario/generate.ts";
import { parseBuiltScenario } from "../scenario/schema.ts";

const seed = Number(Deno.args[0] ?? 1);
const runs = Number(Deno.args[1] ?? 300);
const path = Deno.args[2] || undefined;
const first = Number(Deno.args[3] ?? 0);
const service = path === undefined ? undefined : await loadServiceModule(path);
const contract = contractOf(service)?.contract;
const name = campaignServiceName(path ?? null, null);
const ctx = {
  monitors: scenarioCheckers("kernel+service"),
  services: service === undefined ? undefined : { user: service },
};
let worst = 0, worstRun = -1, worstOfBound = 0, unfinished = 0, passed = 0;
for (let k = first; k < first + runs; k++) {
  const plan = planRun(seed, k);
  const drawn = campaignScenario(plan, name, contract);
  const lifted = parseBuiltScenario({
    ...drawn,
    maxSteps: 1_000_000,
    liveness: { afterSteps: LIVENESS_AFTER, bound: 1_000_000 },
  }, `run ${k}`);
  const o = executePlan(plan, lifted, ctx, undefined, false);
  if (o.signature !== null) continue;
  passed++;
  const fair = Math.max(0, o.steps - LIVENESS_AFTER);
  const units = workloadUnits(drawn);
  const bound = livenessBound(drawn);
  if (fair > bound) unfinished++;
  if (fair / units > worst) [worst, worstRun] = [fair / units, k];
  if (Deno.env.get("VERBOSE")) console.log(`run ${k}: ${units} units, ${fair} fair steps`);
  worstOfBound = Math.max(worstOfBound, fair / bound);
}
console.log(
  `${path ?? "reference services"}: seed ${seed}, ${passed}/${runs} passing runs; ` +
    `fair steps per work unit at most ${worst.toFixed(1)} (run ${worstRun}); ` +
    `at most ${(100 * worstOfBound).toFixed(0)}% of the generated bound; ` +
    `${unfinished} would not finish within it`,
);
