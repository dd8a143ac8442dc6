// The campaign judge's port_closed_under_service scenario (mutate/scenarios/
// port_closed_under_service.json): the pager's port is closed while its service serves a reader,
// so the service's next zx_port_wait returns ZX_ERR_BAD_HANDLE and `serveReads`
// (services/service.ts) must return. A service that goes on waiting spins on the dead port until
// the run's step budget, which passed (fresh shard 1 of 8 on db8cb50: `service.ts:246:9` false,
// docs/mutation.md, helper lever25); keeps-port-open's P16 now judges the repeated failed waits.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "port_closed_under_service";

Deno.test(`${NAME} passes every seed of the judge unmutated`, () => {
  assertEverySeedPasses(judgeScenario(NAME), 100);
});

Deno.test(`${NAME}: a service that waits again on its gone port fails keeps-port-open P16 at seed 0`, async () => {
  const m = await mutantMirror("services/service.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel+service");
    assert.equal((run(NAME, 0) as Any).kind, "pass");
    const v: Any = m.withMutant(
      "services/service.ts:246:9:ConditionalExpression:false",
      () => run(NAME, 0),
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "keeps-port-open", JSON.stringify(v));
    assert.match(v.message, /P16: .*ZX_ERR_BAD_HANDLE/);
  } finally {
    m.dispose();
  }
});
