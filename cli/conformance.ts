/**
 * `deno task conformance`: the Zircon pager conformance cases against the kernel model, or
 * against a kernel variant (`--kernel PATH`), per area (`conformance/run.ts` runs them). Its
 * command line goes through the parser every command shares.
 *
 * @module
 */

import { ALL_CASES } from "../conformance/cases.ts";
import { listRows, runConformance } from "../conformance/run.ts";
import { editDistance } from "../scenario/nearest.ts";
import { type FlagSpec, HELP_FLAG, InputError, parseFlags, runCommand, usage } from "./args.ts";
import { loadKernelFlag, moduleFlags } from "./_module_flags.ts";
import { LINT_FLAG, lintMode, lintModules } from "./_quality_hooks.ts";
import { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
import { runConformanceGuarded } from "./_conformance_guard.ts";

const FLAGS: Record<string, FlagSpec> = {
  filter: { type: "string", value: "S", help: 'run only cases whose "id name" holds S' },
  // The flag spec and loader sim, fuzz, explore and repro use: a module inside the project
  // tree only, a path found from where deno task ran, the same errors (userS24k).
  kernel: moduleFlags({
    service: "",
    kernel: "a kernel variant module exporting makeKernel(options)",
  }).kernel,
  verbose: { type: "boolean", help: "print the trace tail of each failure" },
  list: {
    type: "boolean",
    help: "list the rows (area, id, name) --filter selects, one a line, and run none",
  },
  ...LINT_FLAG,
  // A variant's rows run in a watched worker: a loop inside a kernel call fails its row.
  ...RUN_LIMIT_FLAGS,
  help: HELP_FLAG,
};

/** The usage text. */
export const USAGE: string = usage("deno task conformance", "[options]", FLAGS) +
  "\n\n--filter is case-sensitive; --kernel runs the cases against a kernel variant, in a " +
  "worker under the watchdog: a row that runs past --run-timeout, and again past " +
  "--confirm-timeout, fails as a kernel-hang (or service-hang) and the run goes on; once one " +
  "row's hang is confirmed, a later row past --run-timeout is a hang not run again. The " +
  "worker runs in a process of its own (--allow-run=deno), ended when its row is stopped." +
  `\n\nHow long (all ${ALL_CASES.length} rows, each under 5 seeds): on the model about 2.5 s of CPU (5 s ` +
  "wall); with --kernel about 12.5 s of CPU, as its rows run in a watched worker process, and " +
  "25-50 s wall on a busy 2-core machine (measured: 25.6 s, and a user's 48.6 s). " +
  "--filter runs fewer; --list shows the rows and their ids and names without running any." +
  "\nEach failing row prints the checker that blames its cause, when one does (its failing seed run " +
  "again under the kernel's checkers), and the command that reruns it alone." +
  "\nExit status: 0 if no case failed, 1 otherwise, 2 bad input (or, with --kernel, the row " +
  "runner failed to load: one error line, no rows).";

/** The command: parses `args` (`-h` is `--help`), loads a `--kernel` module, runs the cases. */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseFlags(args.map((a) => a === "-h" ? "--help" : a), FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const filter = (values.filter as string | undefined) ?? "";
  checkFilter(filter);
  if (values.list) {
    for (const line of listRows(filter)) console.log(line);
    return 0;
  }
  const kernel = (values.kernel as string | undefined) ?? null;
  // The rows run one after another on one instance of the variant: its module state would make
  // a row's verdict depend on the rows before it.
  await lintModules(values, lintMode(values));
  // A bad module is a CaseFileError: one error line, exit 2 (runCommand).
  const makeKernel = kernel === null ? undefined : await loadKernelFlag(kernel);
  const limits = campaignLimits(values);
  if (makeKernel !== undefined) probe(makeKernel);
  if (kernel !== null) {
    return await runConformanceGuarded(
      { filter, verbose: values.verbose === true, kernel },
      kernel,
      limits,
    );
  }
  return runConformance(
    {
      filter,
      verbose: values.verbose === true,
      kernel,
    },
    makeKernel,
  );
}

/**
 * A `--filter` that selects no case is bad input, not a run of none (userS24k: `--filter NOPE`
 * printed "0 cases" and exited 0, a typo that read as a pass): the error names the filter and
 * the rows it may have meant.
 */
function checkFilter(filter: string): void {
  const rows = ALL_CASES.map((c) => `${c.id} ${c.name}`);
  if (rows.some((r) => r.includes(filter))) return;
  const lower = filter.toLowerCase();
  const folded = rows.filter((r) => r.toLowerCase().includes(lower));
  const near = nearRows(filter, rows);
  const list = (r: string[]) => r.slice(0, 3).join(", ") + (r.length > 3 ? ", ..." : "");
  const meant = folded.length > 0
    ? `; --filter is case-sensitive, and ${folded.length} row(s) hold it in another case: ` +
      list(folded)
    : near.length > 0
    ? `; the nearest rows: ${list(near)}`
    : '; a filter is part of a row\'s id and name, as in P1, SinglePage or "P1 SinglePage"';
  throw new InputError(`--filter ${JSON.stringify(filter)}: no conformance case matches${meant}`);
}

/**
 * The rows holding a misspelling of `filter`: a stretch of the row within `nearest`'s distance
 * of it (1 for 3 to 5 characters, 2 for longer, none for shorter), closest first.
 */
function nearRows(filter: string, rows: readonly string[]): string[] {
  const limit = filter.length <= 2 ? 0 : filter.length <= 5 ? 1 : 2;
  const scored: [string, number][] = [];
  for (const row of rows) {
    let best = Infinity;
    for (let len = filter.length - limit; len <= filter.length + limit; len++) {
      for (let i = 0; len > 0 && i + len <= row.length; i++) {
        best = Math.min(best, editDistance(filter, row.slice(i, i + len)));
      }
    }
    if (best <= limit) scored.push([row, best]);
  }
  return scored.sort((a, b) => a[1] - b[1]).map(([row]) => row);
}

/**
 * Builds one kernel of the variant before any case runs: a makeKernel that returns no Kernel is
 * one error line and exit 2, not a failure of every row. Other throws are left to the rows.
 */
function probe(makeKernel: Parameters<typeof runConformance>[1] & object): void {
  try {
    makeKernel({});
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
}

if (import.meta.main) await runCommand(USAGE, () => main(Deno.args));
