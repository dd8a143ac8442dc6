/**
 * `deno task conformance`: runs the Zircon pager conformance cases against the
 * kernel model and prints one line per case, grouped by area, a summary per
 * area, and a final `conformance: N passed, N failed, N skipped` line.
 *
 * Usage: `deno task conformance [--filter S] [--kernel PATH] [--verbose]`
 *
 * @module
 */

import { ALL_CASES } from "./cases.ts";
import {
  AREAS,
  type ConformanceCase,
  ConformanceFailure,
  isSkipped,
  SEEDS,
  useKernel,
} from "./harness.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import { CaseFileError, loadKernelModule } from "../case/store.ts";
import { badInputStatus, type FlagSpec, HELP_FLAG, parseFlags, usage } from "../cli/args.ts";

/** Parsed command line. */
interface Options {
  filter: string;
  verbose: boolean;
  kernel: string | null;
}

/** The outcome of one case. */
type Outcome = { kind: "pass" } | { kind: "fail"; message: string; trace: string } | {
  kind: "skip";
  reason: string;
};

const FLAGS: Record<string, FlagSpec> = {
  filter: { type: "string", value: "S", help: 'run only cases whose "id name" holds S' },
  kernel: {
    type: "string",
    value: "PATH",
    help: "a kernel variant module exporting makeKernel(options)",
  },
  verbose: { type: "boolean", help: "print the trace tail of each failure" },
  help: HELP_FLAG,
};

const USAGE: string = usage("deno task conformance", "[options]", FLAGS) +
  "\n\n--filter is case-sensitive; --kernel runs the cases against a kernel variant.";

/**
 * The command line, through the parser every command shares (one line of ours for an unknown
 * flag, then the usage, exit 2); `-h` is `--help`, as before.
 */
function parseArgs(args: readonly string[]): Options | { exit: number } {
  let values;
  try {
    values = parseFlags(args.map((a) => a === "-h" ? "--help" : a), FLAGS).values;
  } catch (e) {
    return { exit: badInputStatus(e, USAGE) };
  }
  if (values.help) {
    console.log(USAGE);
    return { exit: 0 };
  }
  return {
    filter: (values.filter as string | undefined) ?? "",
    verbose: values.verbose === true,
    kernel: (values.kernel as string | undefined) ?? null,
  };
}

function runCase(c: ConformanceCase): Outcome {
  if (isSkipped(c)) return { kind: "skip", reason: c.skip };
  try {
    c.run();
    return { kind: "pass" };
  } catch (e) {
    if (e instanceof ConformanceFailure) {
      return { kind: "fail", message: e.message, trace: e.trace };
    }
    const err = e instanceof Error ? e : new Error(String(e));
    return { kind: "fail", message: `${err.name}: ${err.message}`, trace: err.stack ?? "" };
  }
}

/**
 * Runs the selected cases and prints the report; returns the exit code.
 * `makeKernel` is the variant a `--kernel` module gave (loaded by the caller).
 */
export function main(
  args: readonly string[],
  makeKernel?: (options: KernelOptions) => Kernel,
): number {
  const parsed = parseArgs(args);
  if ("exit" in parsed) return parsed.exit;
  useKernel(makeKernel);
  const selected = ALL_CASES.filter((c) => `${c.id} ${c.name}`.includes(parsed.filter));
  const areas: string[] = [...AREAS];
  for (const c of ALL_CASES) if (!areas.includes(c.area)) areas.push(c.area);
  const total = { pass: 0, fail: 0, skip: 0 };
  console.log(
    `conformance: ${selected.length} cases, each run under seeds ${SEEDS.join(",")}` +
      (parsed.kernel !== null ? `, kernel ${parsed.kernel}` : ""),
  );
  for (const area of areas) {
    const inArea = selected.filter((c) => c.area === area);
    if (inArea.length === 0) {
      if (parsed.filter === "" && ALL_CASES.every((c) => c.area !== area)) {
        console.log(`\n${area}: no rows in the inventory`);
      }
      continue;
    }
    console.log(`\n${area}`);
    const count = { pass: 0, fail: 0, skip: 0 };
    for (const c of inArea) {
      const o = runCase(c);
      count[o.kind]++;
      total[o.kind]++;
      const head = `${o.kind.toUpperCase()} ${c.id} ${c.name}`;
      if (o.kind === "pass") console.log(`  ${head}`);
      else if (o.kind === "skip") console.log(`  ${head} [${o.reason}]`);
      else {
        console.log(`  ${head} [${o.message}]`);
        if (parsed.verbose && o.trace !== "") console.log(o.trace.replace(/^/gm, "      "));
      }
    }
    console.log(`  -- ${area}: ${count.pass} passed, ${count.fail} failed, ${count.skip} skipped`);
  }
  console.log(`\nconformance: ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped`);
  return total.fail > 0 ? 1 : 0;
}

/** Loads the `--kernel` module named in `args`, if any; a bad module is one error line. */
async function kernelOf(args: readonly string[]): Promise<
  { make?: (options: KernelOptions) => Kernel } | { exit: number }
> {
  // A bad command line is main's to report (once).
  let kernel;
  try {
    kernel = parseFlags(args.map((a) => a === "-h" ? "--help" : a), FLAGS).values.kernel;
  } catch {
    return {};
  }
  if (typeof kernel !== "string" || args.includes("--help") || args.includes("-h")) return {};
  try {
    return { make: await loadKernelModule(kernel) };
  } catch (e) {
    if (!(e instanceof CaseFileError)) throw e;
    console.error(`conformance: ${e.message}`);
    return { exit: 2 };
  }
}

if (import.meta.main) {
  const k = await kernelOf(Deno.args);
  Deno.exit("exit" in k ? k.exit : main(Deno.args, k.make));
}
