/**
 * `deno task conformance`: runs the Zircon pager conformance cases against the
 * kernel model and prints one line per case, grouped by area, a summary per
 * area, and a final `conformance: N passed, N failed, N skipped` line.
 *
 * Usage: `deno run --allow-read conformance/run.ts [--filter <substring>] [--kernel PATH] [--verbose]`
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

const USAGE =
  `usage: deno task conformance [--filter <substring>] [--kernel PATH] [--verbose] [--help]
  --filter <s>   run only cases whose "id name" contains <s> (case-sensitive)
  --kernel PATH  run the cases against a kernel variant: a module exporting makeKernel(options)
  --verbose      print the trace tail of each failure
  --help         print this help`;

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

function parseArgs(args: readonly string[]): Options | { exit: number } {
  const options: Options = { filter: "", verbose: false, kernel: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return { exit: 0 };
    } else if (a === "--kernel" || a.startsWith("--kernel=")) {
      const value = a === "--kernel" ? args[++i] : a.slice("--kernel=".length);
      if (value === undefined) {
        console.error("conformance: --kernel needs a module path");
        console.error(USAGE);
        return { exit: 2 };
      }
      options.kernel = value;
    } else if (a === "--verbose") {
      options.verbose = true;
    } else if (a === "--filter" || a.startsWith("--filter=")) {
      const value = a === "--filter" ? args[++i] : a.slice("--filter=".length);
      if (value === undefined) {
        console.error("conformance: --filter needs a value");
        console.error(USAGE);
        return { exit: 2 };
      }
      options.filter = value;
    } else {
      console.error(`conformance: unknown argument ${JSON.stringify(a)}`);
      console.error(USAGE);
      return { exit: 2 };
    }
  }
  return options;
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
  const parsed = parseArgs(args.filter((a) => a !== "--help" && a !== "-h"));
  if ("exit" in parsed || parsed.kernel === null) return {};
  try {
    return { make: await loadKernelModule(parsed.kernel) };
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
