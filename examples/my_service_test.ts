// The README's "In your own tests" example, run as written, and the promise behind it: a property
// and a campaign judge a service on the same scenarios, so they agree on it.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf, guardedPagerProperty } from "../mod.ts";
import { pagerProperty } from "../mod.ts"; // for the tests below the README's
import type { PagerService } from "../mod.ts";
import myService from "./my_service.ts";
import skipsDirty from "./testdata/skips_dirty_service.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { withService } from "../scenario/bind.ts";

Deno.test("my service keeps every pager invariant", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      // A module that also exports a `contract`: import it and pass withContract(myService, contract).
      services: { mine: myService },
      serviceModule: new URL("./my_service.ts", import.meta.url), // run from here, and replayed
    }),
    { numRuns: 200, seed: 1 }, // seed: the same scenarios on every run of the suite
  );
});

/** The first of `runs` campaign runs (seed 1) the service fails, as `fuzz --service` runs them. */
function campaignFails(service: PagerService, runs: number): number | null {
  const monitors = checkersOf("kernel+service");
  for (let k = 0; k < runs; k++) {
    const plan = planRun(1, k);
    const scenario = withService(generateScenario(plan), "user");
    const outcome = executePlan(plan, scenario, { monitors, services: { user: service } });
    if (outcome.verdict.kind !== "pass") return k;
  }
  return null;
}

/** Whether the README's property (200 runs, seed 1) fails the service. */
function propertyFails(service: PagerService): boolean {
  const property = pagerProperty(checkersOf("kernel+service"), {
    scenario: { services: [], customServices: ["mine"] },
    services: { mine: service },
  });
  return fc.check(property, { numRuns: 200, seed: 1, endOnFailure: true }).failed;
}

// Regression (issue 12): the README's service skipped DIRTY packets; a campaign failed it within
// seconds while the README's property, which never drew a trap-dirty VMO for a custom service,
// passed it.
Deno.test("the README property and a campaign agree: both fail a service that skips DIRTY", () => {
  const k = campaignFails(skipsDirty, 2000);
  assert.notEqual(k, null, "the campaign misses the skipped DIRTY packets");
  assert.ok(propertyFails(skipsDirty), "the property misses what campaign run " + k + " found");
});

Deno.test("the README property and a campaign agree: both pass the example service", () => {
  assert.equal(campaignFails(myService, 1000), null);
  assert.ok(!propertyFails(myService));
});

// trial35: the example's shape over a module that exports a contract the service is not held to
// drew scenarios the contract excludes, and printed replay lines repro refused; the property now
// refuses at once and says what to pass (cli/userS35_property_contract_test.ts: held to it, the
// replay line runs as printed).
Deno.test("the README property over a module that exports a contract needs the service held to it", () => {
  assert.throws(
    () =>
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: myService },
        serviceModule: new URL("../case/testdata/userS35/chunkstore.ts", import.meta.url),
      }),
    /exports a contract, but services\.mine is not held to it.*withContract\(svc, contract\)/,
  );
});
