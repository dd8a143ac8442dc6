import { strict as assert } from "node:assert";
import { runCampaign } from "./orchestrate.ts";
import type { CampaignSummary } from "./orchestrate.ts";
import { contractExcludes } from "./sometimes.ts";
import { parseContract } from "../scenario/service_contract.ts";

// Trial friction 1: a service that reads the VMO's size, then supplies a whole chunk after the
// VMO shrank, has the supply refused (OUT_OF_RANGE) and leaves a read of a page still in range
// unanswered. Campaigns never raced a shrink with a supply (0 failing runs in 3,400); a short
// seeded one must now find it, reach the window, and find nothing once the bug is fixed.
const SEED = 1;
const RUNS = 60;

function campaign(servicePath: string): Promise<CampaignSummary> {
  return runCampaign({
    seed: SEED,
    workers: 1,
    seconds: null,
    runs: RUNS,
    servicePath,
    known: [],
    maxShrink: 20,
    checkers: "kernel+service",
    modules: {},
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
}

Deno.test("a short seeded campaign finds a service that drops a supply a shrink cut short", async () => {
  const s = await campaign("fuzz/testdata/shrink_race_service.ts");
  assert.equal(s.kind, "scenarios");
  assert.ok(
    s.findings.some((f) => f.signature === "invariant:answers-every-read"),
    `findings: ${s.findings.map((f) => f.signature).join(", ") || "none"}`,
  );
  assert.ok(s.kind === "scenarios" && (s.sometimes["shrink-races-supply"] ?? 0) > 0);
});

Deno.test("the same campaign reaches the shrink window in the fixed service and finds nothing", async () => {
  const s = await campaign("fuzz/testdata/shrink_race_fixed_service.ts");
  assert.deepEqual(s.findings.map((f) => f.signature), []);
  assert.ok(s.kind === "scenarios" && (s.sometimes["shrink-races-supply"] ?? 0) > 0);
});

Deno.test("shrink-races-supply is ruled out by a contract without resizes, and only by one", () => {
  assert.equal(
    contractExcludes(parseContract({ vmoOptions: { resizable: false } })).get(
      "shrink-races-supply",
    ),
    "no resize",
  );
  assert.equal(
    contractExcludes(parseContract({ events: ["detach"] })).get("shrink-races-supply"),
    "no resize",
  );
  assert.equal(contractExcludes(parseContract({})).has("shrink-races-supply"), false);
});
