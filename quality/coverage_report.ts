/**
 * Coverage rendered by c8: Deno's raw V8 coverage (converted by v8_coverage.ts) goes
 * through c8's Report — v8-to-istanbul onto the TypeScript sources, then the
 * istanbul reporters (text summary, HTML, lcov) — and the resulting coverage
 * map is summed per folder, gated with c8 `check-coverage`-style thresholds,
 * and asked which lines and branches of a file no run reached.
 *
 * @example
 * ```ts
 * import { formatPct, lineRanges } from "./coverage_report.ts";
 * console.assert(formatPct(1, 2) === "50.0" && lineRanges([3, 4, 5, 9]) === "3-5, 9");
 * ```
 *
 * @module
 */

import { relative } from "node:path";

/** Covered and total counts of one metric. */
export interface Counts {
  covered: number;
  total: number;
}

/** Lines, branches and functions of a file or folder. */
export interface Summary {
  lines: Counts;
  branches: Counts;
  functions: Counts;
}

/** The part of an istanbul FileCoverage this module reads. */
export interface FileCoverage {
  toSummary(): { data: Record<"lines" | "branches" | "functions", Counts> };
  getUncoveredLines(): string[];
  readonly data: {
    path: string;
    b: Record<string, number[]>;
    branchMap: Record<string, { locations: { start: { line: number } }[]; line?: number }>;
  };
}

/** The part of an istanbul CoverageMap this module reads. */
export interface CoverageMap {
  files(): string[];
  fileCoverageFor(file: string): FileCoverage;
}

/** Options of {@linkcode renderWithC8}. */
export interface RenderOptions {
  /** Folder of c8 process coverages (from convertRaw). */
  readonly tempDirectory: string;
  /** Where the reports go (index.html, lcov.info). */
  readonly reportsDirectory: string;
  /** istanbul reporters, e.g. ["html", "lcovonly", "text-summary"]. */
  readonly reporters: readonly string[];
  /** Project root: the HTML and lcov name files relative to it. */
  readonly root: string;
}

/**
 * Renders the converted coverage with c8 and returns its coverage map. c8's
 * reporters print to stdout (text, text-summary) and write files.
 */
export async function renderWithC8(opts: RenderOptions): Promise<CoverageMap> {
  // Loaded here, not at the top: the commands that import this module only
  // render in a child, and c8's dependencies read the environment when loaded.
  const { default: Report } = await import("npm:c8@12.0.0/lib/report.js");
  const report = Report({
    tempDirectory: opts.tempDirectory,
    reportsDirectory: opts.reportsDirectory,
    reporter: [...opts.reporters],
    // convertRaw already chose the files: c8 keeps every one it is given.
    include: [],
    exclude: [],
    excludeNodeModules: true,
    allowExternal: true,
    omitRelative: true,
    wrapperLength: 0,
    resolve: "",
    src: [opts.root],
  });
  await report.run();
  return await report.getCoverageMapFromAllCoverageFiles() as CoverageMap;
}

/** A percentage with one decimal; 100 when there is nothing to cover. */
export function formatPct(covered: number, total: number): string {
  return (total === 0 ? 100 : (100 * covered) / total).toFixed(1);
}

function emptySummary(): Summary {
  return {
    lines: { covered: 0, total: 0 },
    branches: { covered: 0, total: 0 },
    functions: { covered: 0, total: 0 },
  };
}

function add(into: Summary, from: Summary): void {
  for (const k of ["lines", "branches", "functions"] as const) {
    into[k].covered += from[k].covered;
    into[k].total += from[k].total;
  }
}

/** One file's summary. */
export function fileSummary(map: CoverageMap, file: string): Summary {
  const d = map.fileCoverageFor(file).toSummary().data;
  return {
    lines: { covered: d.lines.covered, total: d.lines.total },
    branches: { covered: d.branches.covered, total: d.branches.total },
    functions: { covered: d.functions.covered, total: d.functions.total },
  };
}

/** Sums the map's files by top-level folder relative to `root` ("(root)" for files at the root). */
export function folderSummaries(map: CoverageMap, root: string): Map<string, Summary> {
  const out = new Map<string, Summary>();
  for (const file of map.files()) {
    const rel = relative(root, file);
    const folder = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : "(root)";
    const s = out.get(folder) ?? emptySummary();
    add(s, fileSummary(map, file));
    out.set(folder, s);
  }
  return new Map([...out].sort(([a], [b]) => a < b ? -1 : 1));
}

/** Sums the summaries of the files `pick` selects. */
export function sumFiles(map: CoverageMap, pick: (file: string) => boolean): Summary {
  const s = emptySummary();
  for (const file of map.files()) if (pick(file)) add(s, fileSummary(map, file));
  return s;
}

/** A folder under its threshold, in c8 check-coverage's words; null when it passes. */
export function checkThreshold(
  folder: string,
  s: Summary | undefined,
  minLines: number,
): string | null {
  if (s === undefined) return `ERROR: no coverage data for ${folder}/`;
  const pct = Number(formatPct(s.lines.covered, s.lines.total));
  return pct < minLines
    ? `ERROR: Coverage for lines (${pct}%) does not meet threshold (${minLines}%) for ${folder}/`
    : null;
}

/** The lines and branches of one file that no run reached. */
export interface Unreached {
  /** Line numbers never executed. */
  readonly lines: number[];
  /** Start lines of branches (V8 blocks) never taken, on lines that did run. */
  readonly branches: number[];
}

/** What of `file` no run reached. */
export function unreached(map: CoverageMap, file: string): Unreached {
  const fc = map.fileCoverageFor(file);
  const lines = fc.getUncoveredLines().map(Number).sort((a, b) => a - b);
  const dead = new Set(lines);
  const branches = new Set<number>();
  for (const [id, counts] of Object.entries(fc.data.b)) {
    const locs = fc.data.branchMap[id]?.locations ?? [];
    counts.forEach((n, i) => {
      const line = locs[i]?.start.line ?? fc.data.branchMap[id]?.line;
      if (n === 0 && line !== undefined && !dead.has(line)) branches.add(line);
    });
  }
  return { lines, branches: [...branches].sort((a, b) => a - b) };
}

/** Compresses sorted line numbers to ranges: [3,4,5,9] → "3-5, 9". */
export function lineRanges(lines: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    parts.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}
