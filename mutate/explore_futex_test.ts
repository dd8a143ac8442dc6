// The campaign judge's exploration of a service that takes a contended futex mutex
// (`explore:locked_pool_small`, mutate/explore_scenarios/, helper mut29, docs/mutation.md): no
// exploration of explore/testdata holds a futex waiter (their built-in services take no lock), so
// `kernel/futex.ts:242:14` (`stateKey`'s assertion always fires) had no campaign coverage.
import { strict as assert } from "node:assert";
import { sharedMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const MUTANT = "kernel/futex.ts:259:14:EqualityOperator:f === undefined";
const mirror = sharedMirror("kernel/futex.ts");

Deno.test("explore:locked_pool_small hashes a state holding a futex record: the mutant throws", async () => {
  const m = await mirror();
  const { explore } = await m.load("explore/explore.ts") as Any;
  const { parseScenario } = await m.load("scenario/schema.ts") as Any;
  const { checkersOf } = await m.load("case/kinds.ts") as Any;
  const { SCENARIO_SERVICES } = await m.load("mutate/scenario_services.ts") as Any;
  const url = new URL("./explore_scenarios/locked_pool_small.json", import.meta.url);
  const scenario = parseScenario(JSON.parse(Deno.readTextFileSync(url)));
  // A few schedules, as the judge's probe starts (it explores up to 20,000 at one preemption).
  const go = () =>
    explore(scenario, {
      preemptions: 1,
      maxSchedules: 30,
      monitors: checkersOf("kernel"),
      services: SCENARIO_SERVICES,
    });
  assert.notEqual(go().outcome, "fail");
  assert.throws(() => m.withMutant(MUTANT, go), /futex 0x[0-9a-f]+ vanished/);
});

Deno.test("the campaign judge has the probe, its scenario served by the seeded scenarios' services", async () => {
  const m = await mirror();
  const { campaignProbes } = await m.load("mutate/judges.ts") as Any;
  const probe = campaignProbes(new URL(`file://${m.dir}/`)).find((p: Any) =>
    p.id === "explore:locked_pool_small"
  );
  assert.ok(probe !== undefined);
  const ctx = { serviceMutant: false, serviceExempt: new Set() };
  assert.equal(await probe.run(ctx), null);
  assert.match(
    String(
      await m.withMutant(MUTANT, async () => {
        try {
          return await probe.run(ctx);
        } catch (e) {
          return String(e);
        }
      }),
    ),
    /futex 0x[0-9a-f]+ vanished/,
  );
});
