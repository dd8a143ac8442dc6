// The campaign judge's detacher_shared_port scenario (mutate/scenarios/, helper mut29,
// docs/mutation.md): the detacher closes its pager (closePager) while a second pager of the
// service's own delivers to the same port, so a READ reaches the thread after its close. A pager
// handle cannot be duplicated, so with one pager the close detached every VMO and withdrew their
// packets: no READ came again, and `services/detacher.ts:44:21` true and `:50:9` true (it still
// supplies through the handle it closed) survived. Two levers make them killable: P17
// (uses-no-closed-handle) judges the call through the closed handle from the trace, and the judge
// exempts a run from the obligation it breaks by design (P11: the detacher closes its pager), not
// from every obligation.
import { strict as assert } from "node:assert";
import { checkCase } from "../properties/check_case.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";
import { judgeScenario } from "./_judge_scenario.ts";
import { type Probe, probeCheckers } from "./judges.ts";
import { coverageRun, type ProbeSets } from "./probe_run.ts";
import { sharedMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const NAME = "detacher_shared_port";
const P11 = "keeps-pager-open";
const MUTANTS = [
  "services/detacher.ts:44:21:BooleanLiteral:true",
  "services/detacher.ts:50:9:ConditionalExpression:true",
];
/** The judge's first seed that kills both (12 of seeds 0-99 do). */
const SEED = 9;
const mirror = sharedMirror("services/detacher.ts");

function run(seed: number, exempt: string[]): Any {
  const id = `scenario:${NAME}:${seed}`;
  const ctx = {
    serviceMutant: true,
    serviceExempt: new Set(exempt.map((e) => e.replace("ID", id))),
  };
  return checkCase({ scenario: judgeScenario(NAME), decisions: [], seed }, {
    monitors: probeCheckers(ctx, id),
    services: SCENARIO_SERVICES,
  }).verdict;
}

Deno.test(`${NAME}: unmutated, every seed breaks only P11 (by design) and passes P17`, () => {
  let p11 = 0;
  for (let seed = 0; seed < 100; seed++) {
    const full = run(seed, []);
    if (full.kind !== "pass") {
      assert.equal(full.invariant, P11, `seed ${seed}: ${JSON.stringify(full)}`);
      p11++;
    }
    const v = run(seed, [`ID#${P11}`]);
    assert.equal(v.kind, "pass", `seed ${seed}: ${JSON.stringify(v)}`);
  }
  assert.ok(p11 > 0, "the detacher's close must break P11 in some seed");
});

for (const key of MUTANTS) {
  Deno.test(`${NAME}: seed ${SEED} fails P17 with ${key}, judged per obligation`, async () => {
    const m = await mirror();
    const { campaignProbes: probes } = await m.load("mutate/judges.ts") as Any;
    const probe: Probe = probes(new URL(`file://${m.dir}/`)).find((p: Probe) =>
      p.id === `scenario:${NAME}:${SEED}`
    );
    const id = probe.id;
    const perObligation = { serviceMutant: true, serviceExempt: new Set([`${id}#${P11}`]) };
    const wholeRun = { serviceMutant: true, serviceExempt: new Set([id]) };
    assert.equal(await probe.run(perObligation), null);
    assert.equal(
      await m.withMutant(key, () => probe.run(perObligation)),
      "invariant:uses-no-closed-handle",
    );
    // Exempt from every obligation, as the judge exempted such a run before: it survives.
    assert.equal(await m.withMutant(key, () => probe.run(wholeRun)), null);
  });
}

Deno.test("the P17 failure names the call and the handle its own thread closed", async () => {
  const m = await mirror();
  const { checkCase: check } = await m.load("properties/check_case.ts") as Any;
  const { probeCheckers: checkers } = await m.load("mutate/judges.ts") as Any;
  const { SCENARIO_SERVICES: services } = await m.load("mutate/scenario_services.ts") as Any;
  const id = `scenario:${NAME}:${SEED}`;
  const ctx = { serviceMutant: true, serviceExempt: new Set([`${id}#${P11}`]) };
  const v: Any = m.withMutant(
    MUTANTS[1],
    () =>
      check({ scenario: judgeScenario(NAME), decisions: [], seed: SEED }, {
        monitors: checkers(ctx, id),
        services,
      }).verdict,
  );
  assert.equal(v.invariant, "uses-no-closed-handle");
  assert.match(
    v.message,
    /^P17: service t1 zx_pager_supply_pages\(0x30, .* names handle 0x30, which t1 closed itself/,
  );
});

Deno.test("coverageRun exempts a campaign probe per obligation, or whole when not an obligation", async () => {
  const byObligation: Probe = {
    id: "run:1",
    // Breaks P11 unless exempted from it; passes the others.
    run: (ctx) => ctx.serviceExempt.has(`run:1#${P11}`) ? null : `invariant:${P11}`,
  };
  const twoObligations: Probe = {
    id: "run:2",
    run: (ctx) =>
      !ctx.serviceExempt.has(`run:2#${P11}`)
        ? `invariant:${P11}`
        : !ctx.serviceExempt.has("run:2#supplies-valid-ranges")
        ? "invariant:supplies-valid-ranges"
        : null,
  };
  const notObligation: Probe = { id: "run:3", run: () => "thread-fault" };
  const probes = {
    campaign: new Map([byObligation, twoObligations, notObligation].map((p) => [p.id, p])),
    tests: new Map(),
  } as unknown as ProbeSets;
  const r = await coverageRun(probes, "campaign", ["run:1", "run:2", "run:3"], 1);
  assert.deepEqual(r.exemptions, {
    "run:1": [`run:1#${P11}`],
    "run:2": [`run:2#${P11}`, "run:2#supplies-valid-ranges"],
    "run:3": ["run:3"],
  });
});
