/**
 * The budget flags both campaign kinds take (scenario and program campaigns),
 * defined and parsed once.
 *
 * @module
 */

import { wallMs } from "../fuzz/clock.ts";
import { type FlagSpec, intFlag } from "./args.ts";
import { RUN_LIMIT_FLAGS } from "./_run_limits.ts";

/**
 * The host's logical cores (at least 1). `navigator.hardwareConcurrency` needs no `--allow-sys`
 * (node:os `cpus()` did), so a test that imports a campaign command runs under `deno task test`'s
 * permissions.
 */
function cores(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

/** --seconds, --workers, --seed, --max-shrink, the run limits, --json, --help (each campaign adds --runs). */
export const CAMPAIGN_FLAGS: Record<string, FlagSpec> = {
  seconds: {
    type: "string",
    value: "S",
    help: "wall-clock budget (default 20 when --runs is not given)",
  },
  workers: {
    type: "string",
    value: "N",
    help: `parallel workers (default: all cores, ${cores()} here)`,
  },
  seed: { type: "string", value: "N", help: "campaign seed (default: from the clock, printed)" },
  "max-shrink": { type: "string", value: "N", help: "shrink attempts per failure (default 2000)" },
  ...RUN_LIMIT_FLAGS,
  json: { type: "boolean", help: "print the summary as JSON" },
  help: { type: "boolean", help: "show this help" },
};

/** A campaign's budget and seed. */
export interface CampaignBudget {
  /** Wall-clock budget; null when only --runs bounds the campaign. */
  readonly seconds: number | null;
  /** Run budget; null when only the clock does. */
  readonly runs: number | null;
  readonly workers: number;
  readonly seed: number;
  readonly maxShrink: number;
}

/** Reads the budget flags; with neither --seconds nor --runs, 20 seconds. */
export function campaignBudget(
  values: Record<string, string | boolean | undefined>,
): CampaignBudget {
  const runs = values.runs !== undefined ? intFlag(values, "runs", 0, 1) : null;
  const seconds = values.seconds !== undefined
    ? intFlag(values, "seconds", 0, 1)
    : runs === null
    ? 20
    : null;
  return {
    seconds,
    runs,
    workers: intFlag(values, "workers", cores(), 1, 256),
    // The clock only picks a seed the user did not give; it is printed so the run can be repeated.
    seed: intFlag(values, "seed", Math.floor(wallMs() * 1000) % 2 ** 31, 0, 2 ** 31 - 1),
    maxShrink: intFlag(values, "max-shrink", 2000, 0, 1_000_000),
  };
}

export { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
