/**
 * The two hooks of the commands that load a user's service or kernel variant or run campaigns
 * (sim, fuzz, explore, repro): the determinism lint wherever a user's module is loaded, a
 * `--service` or a `--kernel` (findings on stderr with file:line and the sanctioned alternative;
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

/**
 * The module that runs a command under coverage, loaded only when `--coverage` is given. Named by
 * a variable, so the commands' module graph (`deno info`) does not hold it nor what it loads: c8
 * and its istanbul packages were part of every graph (a dynamic import of a literal is in the
 * graph), and the first `deno task sim` of a user's project downloaded them (userS29a, session
 * 29) although the tasks need no network without `--coverage`.
 */
const COVERAGE_MODULE = "../quality/campaign_coverage.ts";

/**
 * What {@linkcode COVERAGE_MODULE} exports, written out: even a `typeof import(...)` of it puts it
 * in the graph (cli/coverage_imports_test.ts checks that the module matches).
 */
export interface CoverageModule {
  /** Bad input for a coverage run. */
  readonly CoverageError: new (message?: string) => Error;
  /** Runs the command again under coverage; its exit status. */
  runUnderCoverage(run: {
    readonly dir: string;
    readonly module: string;
    readonly args: readonly string[];
    readonly servicePath: string | null;
    readonly denoFlags?: readonly string[];
  }): Promise<number>;
}

/** How the lint's findings on a user's module are treated. */
export type ServiceLint = "error" | "warn";

/** `--lint-warn`, for the commands that take `--service` and `--kernel`. */
export const LINT_FLAG: Record<string, FlagSpec> = {
  "lint-warn": {
    type: "boolean",
    help: "determinism lint findings on --service or --kernel are warnings (default: errors)",
  },
};

/** The mode the parsed flags ask for. */
export function lintMode(values: Record<string, string | boolean | undefined>): ServiceLint {
  return values["lint-warn"] === true ? "warn" : "error";
}

/** What the lint found on the modules that ran anyway (`--lint-warn`). */
export interface LintWarnings {
  /** The modules linted, as the flags name them: `svc.ts`, `svc.ts and variants/k.ts`. */
  readonly modules: string;
  /** How many findings were printed. */
  readonly count: number;
  /** The findings counted by kind: `1 dropped generator call, 2 host timers`. */
  readonly summary: string;
  /** Whether any of them may keep a run from replaying (not so for a dropped generator call). */
  readonly breaksReplay: boolean;
}

/**
 * The user's modules the flags name, each with its flag: `--service` and `--kernel`, the code a
 * run executes besides pagersim's own.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { userModules } from "./_quality_hooks.ts";
 * assert.deepEqual(userModules({ kernel: "k.ts", seed: "1" }), [{ flag: "--kernel", path: "k.ts" }]);
 * ```
 */
export function userModules(
  values: Record<string, unknown>,
): { readonly flag: string; readonly path: string }[] {
  return (["service", "kernel"] as const).flatMap((name) => {
    const path = values[name];
    return typeof path === "string" ? [{ flag: `--${name}`, path }] : [];
  });
}

/**
 * Lints the user's modules the flags name ({@linkcode userModules}: a `--service`, a `--kernel`
 * variant, whose module state outlives a run in a campaign worker as a service's does) and their
 * imports, in one program; throws an InputError on findings in "error" mode, naming the kinds
 * found (a dropped generator call is a bug, not nondeterminism). Returns what was printed as
 * warnings ("warn" mode): with `breaksReplay`, a run may then not replay. No module: nothing is
 * read (count 0).
 */
export async function lintModules(
  values: Record<string, unknown>,
  mode: ServiceLint,
): Promise<LintWarnings> {
  const given = userModules(values);
  const modules = given.map((m) => m.path).join(" and ");
  if (given.length === 0) return { modules, count: 0, summary: "", breaksReplay: false };
  const { findings } = await lintServiceModule(given.map((m) => m.path));
  for (const f of findings) console.error(formatFinding(f, mode === "warn" ? "warning" : "error"));
  const summary = summarizeFindings(findings);
  const breaksReplay = findings.some((f) => CATEGORIES[f.category].breaksReplay);
  if (findings.length > 0 && mode === "error") {
    throw new InputError(
      `${given.map((m) => `${m.flag} ${m.path}`).join(" and ")}: determinism lint: ${summary}, ` +
        `listed above${breaksReplay ? ": a run would not replay" : ""}. Fix ` +
        `${findings.length === 1 ? "it" : "them"}, or pass --lint-warn to run anyway.`,
    );
  }
  return { modules, count: findings.length, summary, breaksReplay };
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
  const dir = values.coverage;
  return (import(new URL(COVERAGE_MODULE, import.meta.url).href) as Promise<CoverageModule>)
    .then(({ CoverageError, runUnderCoverage }) =>
      runUnderCoverage({
        dir,
        module,
        args: Deno.args,
        servicePath: typeof values.service === "string" ? values.service : null,
        denoFlags,
      }).catch((e) => {
        throw e instanceof CoverageError ? new InputError(e.message) : e;
      })
    );
}
