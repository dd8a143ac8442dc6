/**
 * Campaign runs per second of a checkout: 1,500 fixed campaign runs on one
 * worker (`bench/_campaign.ts`, the figure `deno task bench` prints), best of
 * three. Run it for two checkouts in turn on an idle machine to compare them:
 *
 *     deno run -A tools/campaign_rate.ts /path/to/checkout
 *
 * It loads the checkout's own module by path (either checkout's API).
 *
 * @module
 */
const USAGE = "usage: deno run -A tools/campaign_rate.ts CHECKOUT";
const root = Deno.args[0];
if (root === "--help") {
  console.log(USAGE);
  Deno.exit(0);
}
if (root === undefined || root.startsWith("-") || Deno.args.length > 1) {
  console.error(
    `error: ${
      root === undefined ? "missing CHECKOUT" : `unexpected "${Deno.args.join(" ")}"`
    }\n${USAGE}`,
  );
  Deno.exit(2);
}
try {
  Deno.statSync(`${root}/bench/_campaign.ts`);
} catch {
  console.error(`error: ${root} is not a pagersim checkout (no bench/_campaign.ts)\n${USAGE}`);
  Deno.exit(2);
}
const { campaignRunsPerSecond } = await import(
  `file://${root.replace(/\/$/, "")}/bench/_campaign.ts`
);
let best = 0;
for (let i = 0; i < 3; i++) best = Math.max(best, await campaignRunsPerSecond(1, 1500));
console.log(`${root}: ${best.toFixed(0)} campaign runs/s (1 worker, 1,500 runs, best of 3)`);
