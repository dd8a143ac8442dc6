/**
 * The runner of `deno task conformance` (its command line is `cli/conformance.ts`): runs the
 * Zircon pager conformance cases against the kernel model and prints one line per case, grouped
 * by area, a summary per area, and a final `conformance: N passed, N failed, N skipped` line.
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
import { assert } from "../kernel/assert.ts";

/** What to run: the command line, parsed (`cli/conformance.ts`). */
export interface ConformanceOptions {
  /** Only the cases whose "id name" holds this (case-sensitive); "" for all. */
  readonly filter: string;
  /** Print the trace tail of each failure. */
  readonly verbose: boolean;
  /** The `--kernel` module's path, shown in the header (null: the model). */
  readonly kernel: string | null;
}

/** The outcome of one case. */
type Outcome = { kind: "pass" } | { kind: "fail"; message: string; trace: string } | {
  kind: "skip";
  reason: string;
};

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
 * Runs conformance case `c` once against the kernel `makeKernel` gives (undefined: the model);
 * the failure message, or null when it passes. The kernel the cases use is restored after.
 * A skipped case is refused (an assertion), and an error that is not a case's failure is thrown.
 *
 * @example
 * ```ts
 * import { caseFailure } from "./run.ts";
 * import { ALL_CASES } from "./cases.ts";
 * const c = ALL_CASES.find((x) => x.id === "P1")!;
 * console.assert(caseFailure(c) === null);
 * ```
 */
export function caseFailure(
  c: ConformanceCase,
  makeKernel?: (options: KernelOptions) => Kernel,
): string | null {
  assert(!isSkipped(c), () => `${c.id} ${c.name} is a skipped case`);
  useKernel(makeKernel);
  try {
    c.run();
    return null;
  } catch (e) {
    if (e instanceof ConformanceFailure) return e.message;
    throw e;
  } finally {
    useKernel(undefined);
  }
}

/**
 * Runs the selected cases and prints the report; returns the exit code.
 * `makeKernel` is the variant a `--kernel` module gave (loaded by the caller).
 *
 * @example
 * ```ts
 * import { runConformance } from "./run.ts";
 * const log = console.log;
 * console.log = () => {};
 * const code = runConformance({ filter: "P1 SinglePage", verbose: false, kernel: null });
 * console.log = log;
 * console.assert(code === 0);
 * ```
 */
export function runConformance(
  parsed: ConformanceOptions,
  makeKernel?: (options: KernelOptions) => Kernel,
): number {
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
