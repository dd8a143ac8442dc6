/**
 * The determinism lint at every place a user's service module is loaded
 * (sim, fuzz, explore, repro): findings are printed to stderr with file:line
 * and the sanctioned alternative, and stop the command unless downgraded.
 *
 * @module
 */

import type { FlagSpec } from "./args.ts";
import { InputError } from "./args.ts";
import { formatFinding, lintServiceModule } from "../tools/determinism/lint.ts";

/** How the lint's findings on a service module are treated. */
export type ServiceLint = "error" | "warn";

/** `--lint-warn`, for the commands that take `--service`. */
export const LINT_FLAG: Record<string, FlagSpec> = {
  "lint-warn": {
    type: "boolean",
    help: "determinism lint findings on --service are warnings (default: errors)",
  },
};

/** The mode the parsed flags ask for. */
export function lintMode(values: Record<string, string | boolean | undefined>): ServiceLint {
  return values["lint-warn"] === true ? "warn" : "error";
}

/** Lints `path` and its imports; throws an InputError on findings in "error" mode. */
export async function lintService(path: string, mode: ServiceLint): Promise<void> {
  const { findings } = await lintServiceModule(path);
  for (const f of findings) console.error(formatFinding(f, mode === "warn" ? "warning" : "error"));
  if (findings.length > 0 && mode === "error") {
    throw new InputError(
      `--service ${path}: ${findings.length} nondeterministic use(s), listed above: a run ` +
        `would not replay. Fix them, or pass --lint-warn to run anyway.`,
    );
  }
}
