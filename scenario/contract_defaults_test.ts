// README "A service's contract": the port and pager are private, and no writeback is asked, only
// once a service has a contract (`{}` too); a service with none is given every event (a user
// trial read the defaults as applying to every service).
import { strict as assert } from "node:assert";
import { planRun } from "../fuzz/campaign.ts";
import { campaignScenario } from "../fuzz/engine.ts";
import { parseContract } from "./service_contract.ts";

/** The event kinds the first `runs` runs of campaign 1 aim at the user's service. */
function drawn(contract: ReturnType<typeof parseContract> | undefined, runs = 300): Set<string> {
  const kinds = new Set<string>();
  for (let k = 0; k < runs; k++) {
    for (const e of campaignScenario(planRun(1, k), "user", contract).events) kinds.add(e.do);
  }
  return kinds;
}

Deno.test("no contract: closePort, closePager and writeback events are drawn", () => {
  const kinds = drawn(undefined);
  for (const k of ["closePort", "closePager", "writeback"]) assert.ok(kinds.has(k), k);
});

Deno.test("an empty contract: the port and pager are private and no writeback is asked", () => {
  const kinds = drawn(parseContract({}));
  for (const k of ["closePort", "closePager", "writeback"]) assert.ok(!kinds.has(k), k);
  assert.ok(kinds.has("detach") && kinds.has("kill"), [...kinds].join(","));
});
