/**
 * `deno task conformance`: runs the Zircon pager conformance cases against the
 * kernel model and prints one line per case, grouped by area, a summary per
 * area, and a final `conformance: N passed, N failed, N skipped` line.
 *
 * Usage: `deno run --allow-read conformance/run.ts [--filter <substring>] [--verbose]`
 *
 * @module
 */

import { ALL_CASES } from "./cases.ts";
import { AREAS, type ConformanceCase, ConformanceFailure, isSkipped, SEEDS } from "./harness.ts";

const USAGE = `usage: deno task conformance [--filter <substring>] [--verbose] [--help]
  --filter <s>  run only cases whose "id name" contains <s> (case-sensitive)
  --verbose     print the trace tail of each failure
  --help        print this help`;

/** Parsed command line. */
interface Options {
  filter: string;
  verbose: boolean;
}

/** The outcome of one case. */
type Outcome = { kind: "pass" } | { kind: "fail"; message: string; trace: string } | {
  kind: "skip";
  reason: string;
};

function parseArgs(args: readonly string[]): Options | { exit: number } {
  const options: Options = { filter: "", verbose: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return { exit: 0 };
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

/** Runs the selected cases and prints the report; returns the exit code. */
export function main(args: readonly string[]): number {
  const parsed = parseArgs(args);
  if ("exit" in parsed) return parsed.exit;
  const selected = ALL_CASES.filter((c) => `${c.id} ${c.name}`.includes(parsed.filter));
  const areas: string[] = [...AREAS];
  for (const c of ALL_CASES) if (!areas.includes(c.area)) areas.push(c.area);
  const total = { pass: 0, fail: 0, skip: 0 };
  console.log(`conformance: ${selected.length} cases, each run under seeds ${SEEDS.join(",")}`);
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

if (import.meta.main) Deno.exit(main(Deno.args));
