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
import { checkerBlame } from "./blame.ts";

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
export type Outcome =
  | { kind: "pass" }
  | {
    kind: "fail";
    message: string;
    trace: string;
    /** What a checker blames in the failing run (`conformance/blame.ts`), when one does. */
    blame?: string;
  }
  | { kind: "skip"; reason: string };

/** Runs row `c` against the kernel in use (`useKernel`); its outcome. */
export function runCase(c: ConformanceCase): Outcome {
  if (isSkipped(c)) return { kind: "skip", reason: c.skip };
  try {
    c.run();
    return { kind: "pass" };
  } catch (e) {
    if (e instanceof ConformanceFailure) {
      const blame = checkerBlame(c, e.message);
      return {
        kind: "fail",
        message: e.message,
        trace: e.trace,
        ...(blame !== null ? { blame } : {}),
      };
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
  const report = new Report(parsed);
  for (const [area, inArea] of report.areas()) {
    for (const c of inArea) report.row(c, runCase(c));
    report.endArea(area);
  }
  return report.end();
}

/**
 * The report of a run of the selected rows, printed as they are judged: the header, per area its
 * rows and a summary, then the final line. The rows' outcomes come from the caller (in this
 * thread, {@linkcode runConformance}; in a watched worker, `cli/_conformance_guard.ts`).
 */
export class Report {
  /** The selected rows. */
  readonly selected: readonly ConformanceCase[];
  #total = { pass: 0, fail: 0, skip: 0 };
  #count = { pass: 0, fail: 0, skip: 0 };
  /** Prints the header of a run of the rows `parsed` selects. */
  constructor(readonly parsed: ConformanceOptions) {
    this.selected = ALL_CASES.filter((c) => `${c.id} ${c.name}`.includes(parsed.filter));
    console.log(
      `conformance: ${this.selected.length} cases, each run under seeds ${SEEDS.join(",")}` +
        (parsed.kernel !== null ? `, kernel ${parsed.kernel}` : ""),
    );
  }
  /** The areas with selected rows, in order, each with its rows; prints each area's heading. */
  *areas(): Generator<[string, ConformanceCase[]]> {
    const areas: string[] = [...AREAS];
    for (const c of ALL_CASES) if (!areas.includes(c.area)) areas.push(c.area);
    for (const area of areas) {
      const inArea = this.selected.filter((c) => c.area === area);
      if (inArea.length === 0) {
        if (this.parsed.filter === "" && ALL_CASES.every((c) => c.area !== area)) {
          console.log(`\n${area}: no rows in the inventory`);
        }
        continue;
      }
      console.log(`\n${area}`);
      this.#count = { pass: 0, fail: 0, skip: 0 };
      yield [area, inArea];
    }
  }
  /** Prints row `c`'s outcome. */
  row(c: ConformanceCase, o: Outcome): void {
    this.#count[o.kind]++;
    this.#total[o.kind]++;
    const head = `${o.kind.toUpperCase()} ${c.id} ${c.name}`;
    if (o.kind === "pass") console.log(`  ${head}`);
    else if (o.kind === "skip") console.log(`  ${head} [${o.reason}]`);
    else {
      console.log(`  ${head} [${o.message}]`);
      // trial32b #5: the checker that names the cause, and the command that reruns this row.
      if (o.blame !== undefined) console.log(`      checker: ${o.blame}`);
      console.log(`      rerun: ${rerunCommand(c, this.parsed.kernel)}`);
      if (this.parsed.verbose && o.trace !== "") console.log(o.trace.replace(/^/gm, "      "));
    }
  }
  /** Prints the summary of `area`. */
  endArea(area: string): void {
    const n = this.#count;
    console.log(`  -- ${area}: ${n.pass} passed, ${n.fail} failed, ${n.skip} skipped`);
  }
  /** Prints the final line; the exit code. */
  end(): number {
    const t = this.#total;
    console.log(`\nconformance: ${t.pass} passed, ${t.fail} failed, ${t.skip} skipped`);
    return t.fail > 0 ? 1 : 0;
  }
}

/**
 * The command that reruns row `c` alone (its "id name" as `--filter`, which only it holds),
 * against the `--kernel` variant if one was given.
 *
 * @example
 * ```ts
 * import { rerunCommand } from "./run.ts";
 * const c = { id: "P9", name: "BulkSingleSupplyVmo", area: "supply", skip: "" };
 * console.assert(
 *   rerunCommand(c, "v/x.ts") ===
 *     "deno task conformance --filter 'P9 BulkSingleSupplyVmo' --kernel v/x.ts",
 * );
 * ```
 */
export function rerunCommand(c: ConformanceCase, kernel: string | null): string {
  const quote = (s: string) => /^[\w./:=@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
  return `deno task conformance --filter ${quote(`${c.id} ${c.name}`)}` +
    (kernel !== null ? ` --kernel ${quote(kernel)}` : "");
}

/**
 * `deno task conformance --list`: the rows `filter` selects (as a run selects them: their
 * "id name" holds it), one a line, area first, in the order a run prints them, a skipped row
 * marked; the first line counts them and says how to select. Runs nothing (userS29b guessed
 * `--filter Supply` with no way to see the names).
 *
 * @example
 * ```ts
 * import { listRows } from "./run.ts";
 * const lines = listRows("P1 ");
 * console.assert(lines[0].startsWith("conformance: "));
 * console.assert(lines.some((l) => /^read-fault +P1 SinglePageTestVmar$/.test(l)));
 * ```
 */
export function listRows(filter: string): string[] {
  const areas: string[] = [...AREAS];
  for (const c of ALL_CASES) if (!areas.includes(c.area)) areas.push(c.area);
  const selected = ALL_CASES.filter((c) => `${c.id} ${c.name}`.includes(filter));
  const ordered = areas.flatMap((a) => selected.filter((c) => c.area === a));
  const width = Math.max(0, ...ordered.map((c) => c.area.length));
  const skipped = ordered.filter(isSkipped).length;
  return [
    `conformance: ${ordered.length} row${ordered.length === 1 ? "" : "s"}${
      filter === "" ? "" : ` whose "id name" holds ${JSON.stringify(filter)}`
    } (${skipped} skipped), by area; --filter S runs the rows whose "id name" holds S ` +
    '(case-sensitive: an id, P7, a name or part of one, SinglePage, or both, "P1 SinglePage")',
    ...ordered.map((c) =>
      `${c.area.padEnd(width)}  ${c.id} ${c.name}${isSkipped(c) ? "  (skipped)" : ""}`
    ),
  ];
}
