/**
 * The two hooks of the commands that load a user's service or run campaigns
 * (sim, fuzz, explore, repro): the determinism lint wherever a service module
 * is loaded (findings on stderr with file:line and the sanctioned alternative;
 * they stop the command unless downgraded), and `--coverage DIR`.
 *
 * @module
 */

import type { FlagSpec } from "./args.ts";
import { InputError } from "./args.ts";
import {
  CATEGORIES,
  formatFinding,
  lintServiceModule,
  summarizeFindings,
} from "../quality/determinism_lint.ts";
import { CoverageError, runUnderCoverage } from "../quality/campaign_coverage.ts";

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

/** What the lint found on a service module that ran anyway (`--lint-warn`). */
export interface LintWarnings {
  /** How many findings were printed. */
  readonly count: number;
  /** The findings counted by kind: `1 dropped generator call, 2 host timers`. */
  readonly summary: string;
  /** Whether any of them may keep a run from replaying (not so for a dropped generator call). */
  readonly breaksReplay: boolean;
}

/**
 * Lints `path` and its imports; throws an InputError on findings in "error" mode, naming the
 * kinds found (a dropped generator call is a bug, not nondeterminism). Returns what was printed
 * as warnings ("warn" mode): with `breaksReplay`, a run may then not replay.
 */
export async function lintService(path: string, mode: ServiceLint): Promise<LintWarnings> {
  const { findings } = await lintServiceModule(path);
  for (const f of findings) console.error(formatFinding(f, mode === "warn" ? "warning" : "error"));
  const summary = summarizeFindings(findings);
  const breaksReplay = findings.some((f) => CATEGORIES[f.category].breaksReplay);
  if (findings.length > 0 && mode === "error") {
    throw new InputError(
      `--service ${path}: determinism lint: ${summary}, listed above${
        breaksReplay ? ": a run would not replay" : ""
      }. Fix ${findings.length === 1 ? "it" : "them"}, or pass --lint-warn to run anyway.`,
    );
  }
  return { count: findings.length, summary, breaksReplay };
}

/** `--coverage DIR`, for the commands that run campaigns. */
export const COVERAGE_FLAG: Record<string, FlagSpec> = {
  coverage: {
    type: "string",
    value: "DIR",
    help: "V8 coverage of the kernel and the service (workers too), by c8: DIR/index.html",
  },
};

/**
 * The hook of a command's main: with `--coverage DIR` among its parsed flags,
 * the command reruns under coverage (quality/campaign_coverage.ts) and this returns its
 * exit status; without, null.
 */
export function rerunWithCoverage(
  values: Record<string, string | boolean | undefined>,
  module: string,
  denoFlags: readonly string[] = [],
): Promise<number> | null {
  if (typeof values.coverage !== "string") return null;
  return runUnderCoverage({
    dir: values.coverage,
    module,
    args: Deno.args,
    servicePath: typeof values.service === "string" ? values.service : null,
    denoFlags,
  }).catch((e) => {
    throw e instanceof CoverageError ? new InputError(e.message) : e;
  });
}
