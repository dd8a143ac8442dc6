/**
 * The watchdog's flags, shared by campaigns, `sim` and `repro`: the
 * wall-clock limit of one run and the heap limit of the worker running it.
 *
 * @module
 */

import { type FlagSpec, intFlag } from "./args.ts";
import { DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "../fuzz/engine.ts";

/** --run-timeout and --memory: the watchdog's limits of one run (campaigns, sim, repro). */
export const RUN_LIMIT_FLAGS: Record<string, FlagSpec> = {
  "run-timeout": {
    type: "string",
    value: "S",
    help: `wall-clock limit of one run; past it: service-hang (default ${DEFAULT_RUN_TIMEOUT})`,
  },
  memory: {
    type: "string",
    value: "MIB",
    help: `heap limit of a worker; past it: out-of-memory (default ${DEFAULT_MEMORY_MB})`,
  },
};

/** The run limits: seconds per run and worker heap MiB. */
export function campaignLimits(
  values: Record<string, string | boolean | undefined>,
): { runTimeout: number; memoryMb: number } {
  return {
    runTimeout: intFlag(values, "run-timeout", DEFAULT_RUN_TIMEOUT, 1, 3600),
    memoryMb: intFlag(values, "memory", DEFAULT_MEMORY_MB, 32, 65536),
  };
}
