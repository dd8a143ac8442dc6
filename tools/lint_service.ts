/**
 * The determinism lint's command line.
 *
 * - `deno task lint-service PATH [--warn]`: lints a user's service module and
 *   the modules it imports; exit 1 on any finding (0 with --warn).
 * - `deno task lint-determinism`: lints the project's deciding folders
 *   (quality/deciding.ts); part of `deno task check`.
 *
 * @module
 */

import { parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";
import { lookedIn } from "../cli/_user_path.ts";
import { DECIDING_DIRS } from "../quality/deciding.ts";
import {
  formatFinding,
  lintDecidingFolders,
  type LintResult,
  lintServiceModule,
} from "../quality/determinism_lint.ts";

const FLAGS = {
  deciding: {
    type: "boolean" as const,
    help: `lint the project's deciding folders (${DECIDING_DIRS.join(", ")}) instead of PATH`,
  },
  warn: { type: "boolean" as const, help: "report findings as warnings and exit 0" },
  help: { type: "boolean" as const, help: "show this help" },
};

const USAGE = usage("deno task lint-service", "PATH [--warn] | --deciding", FLAGS) + `

Finds what in a pager service (and every module it imports) reads something the
run's seeded decision source does not control: Math.random, Date, performance,
timers, crypto randomness, Deno host queries and I/O, workers, host iteration
order, locale, WeakRef; and module-level mutable state the service's functions
use (a top-level let, or a top-level Map/Set/array/object changed inside a
function), which survives from one run to the next in a campaign worker. Each finding names file:line:column and the sanctioned
alternative (sys.random, virtual ticks). The type checker resolves aliases,
re-exports, globalThis["..."] and imported wrappers.
Exit status: 0 clean (or --warn), 1 findings, 2 bad input.`;

/** Prints a result; returns the exit status. */
function report(what: string, r: LintResult, warn: boolean): number {
  for (const f of r.findings) console.error(formatFinding(f, warn ? "warning" : "error"));
  console.log(
    `determinism lint: ${r.findings.length} finding(s) in ${r.files.length} module(s) of ${what} ` +
      `(${(r.ms / 1000).toFixed(1)}s)`,
  );
  return r.findings.length > 0 && !warn ? 1 : 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true, 0);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const warn = values.warn === true;
  if (values.deciding) {
    if (positionals.length > 0) throw new UsageError("--deciding takes no PATH");
    return report("the deciding folders", await lintDecidingFolders(), warn);
  }
  if (positionals.length !== 1) throw new UsageError("give one service module PATH");
  const path = positionals[0];
  try {
    if (!Deno.statSync(path).isFile) throw new UsageError(`${path}: not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const where = e instanceof Deno.errors.NotFound ? lookedIn(path) : "";
    throw new UsageError(`${path}: cannot read: ${(e as Error).message}${where}`);
  }
  return report(path, await lintServiceModule(path), warn);
}

if (import.meta.main) await runCommand(USAGE, main);
