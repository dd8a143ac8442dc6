import { campaignRunsPerSecond } from "./_campaign.ts";

// The same 4000 runs on one and on two workers; Deno prints the ratio.
Deno.bench({
  name: "campaign, 1 worker (4000 runs)",
  group: "campaign",
  baseline: true,
  n: 3,
  warmup: 1,
}, async () => {
  await campaignRunsPerSecond(1, 4000);
});
Deno.bench(
  { name: "campaign, 2 workers (4000 runs)", group: "campaign", n: 3, warmup: 1 },
  async () => {
    await campaignRunsPerSecond(2, 4000);
  },
);

// Dedupe before shrinking: a service failing ~73% of runs under one signature against a clean one,
// the same 1500 runs on two workers; the failing one must keep at least 70% of the clean throughput.
import { campaignThroughput } from "./_campaign.ts";
Deno.bench({
  name: "campaign, clean service (1500 runs)",
  group: "failing service",
  baseline: true,
  n: 2,
  warmup: 0,
}, async () => {
  await campaignThroughput(2, 1500, "fuzz/testdata/clean_service.ts");
});
Deno.bench(
  {
    name: "campaign, service failing ~73% of runs (1500 runs)",
    group: "failing service",
    n: 2,
    warmup: 0,
  },
  async () => {
    const r = await campaignThroughput(2, 1500, "fuzz/testdata/mostly_failing_service.ts");
    if (r.failingRuns < 0.6 * r.runs) {
      throw new Error(`only ${r.failingRuns} of ${r.runs} runs failed`);
    }
  },
);
