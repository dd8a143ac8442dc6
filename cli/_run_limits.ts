/**
 * The watchdog's flags, shared by campaigns, `sim` and `repro`: the
 * wall-clock limit of one run and the heap limit of the worker running it.
 *
 * @module
 */

import { type FlagSpec, intFlag, UsageError } from "./args.ts";
import { CONFIRM_FACTOR, DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "../fuzz/engine.ts";

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
    help: `JavaScript heap limit of a worker; one there goes silent and the run limit stops it ` +
      `(out-of-memory when its heap was at half the limit or more) (default ${DEFAULT_MEMORY_MB})`,
  },
  "confirm-timeout": {
    type: "string",
    value: "S",
    help:
      `a run past --run-timeout is run again (its own worker) with this limit; only past it too is it ` +
      `a service-hang, else a slow run (default ${CONFIRM_FACTOR} x --run-timeout)`,
  },
};

/**
 * The run limits: seconds per run, worker heap MiB, and the confirmation limit (seconds) a run
 * past the run limit is run again with before it is a hang.
 */
export function campaignLimits(
  values: Record<string, string | boolean | undefined>,
  /**
   * Refuse a confirmation limit below the run limit. `repro` of a case passes false: the case's
   * recorded run limit, not the flag's default, is the one applied (a lower confirmation limit is
   * then raised to it).
   */
  strict = true,
): { runTimeout: number; memoryMb: number; confirmTimeout: number } {
  const runTimeout = intFlag(values, "run-timeout", DEFAULT_RUN_TIMEOUT, 1, 3600);
  const confirmTimeout = intFlag(
    values,
    "confirm-timeout",
    CONFIRM_FACTOR * runTimeout,
    1,
    36000,
  );
  if (strict && confirmTimeout < runTimeout) {
    throw new UsageError(
      `--confirm-timeout ${confirmTimeout} is below --run-timeout ${runTimeout}: a run past the ` +
        `run limit is confirmed with a larger one`,
    );
  }
  return {
    runTimeout,
    memoryMb: intFlag(values, "memory", DEFAULT_MEMORY_MB, 32, 65536),
    confirmTimeout,
  };
}
