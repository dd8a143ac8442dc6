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
