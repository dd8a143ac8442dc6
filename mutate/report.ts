/**
 * Mutation results: the per-file and per-mutator tables, the score line, and
 * the report in Stryker's `mutation-testing-elements` format (schema JSON and
 * an HTML page with the viewer's web component inlined, so it opens offline).
 *
 * @module
 */

import { createRequire } from "node:module";
import type * as schema from "npm:mutation-testing-report-schema@3.8.4/api";
import type { Mutant } from "./instrument.ts";
import type { JudgeName } from "./judges.ts";

/** A mutant's status under one judge. */
export type Status = "killed" | "survived" | "timeout" | "no-coverage" | "equivalent";

/** One judge's result for a mutant. */
export interface JudgeResult {
  readonly status: Status;
  /** The probe that killed it and why (killed), or what timed out. */
  readonly killedBy?: { readonly probe: string; readonly reason: string };
  /** Probes run. */
  readonly ran: number;
  /** Wall milliseconds. */
  readonly ms: number;
}

/** A judged mutant. */
export interface MutantResult extends Mutant {
  /** Stable key: file, 1-based line and column, mutator, replacement. */
  readonly key: string;
  /** The mutant is active during module load (run in a fresh worker). */
  readonly static: boolean;
  /** Why it is equivalent (from `mutate/equivalent.json`), if it is. */
  readonly equivalent?: string;
  /** Per judge run (both, unless `--only`). */
  readonly judges: Partial<Record<JudgeName, JudgeResult>>;
}

/** Counts of one row. */
export interface Counts {
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  equivalent: number;
}

/** The stable key of a mutant: survives re-instrumentation (ids do not). */
export function mutantKey(m: Mutant): string {
  const { line, column } = m.location.start;
  return `${m.fileName}:${line + 1}:${column + 1}:${m.mutatorName}:${m.replacement}`;
}

/** Empty counts. */
export function zero(): Counts {
  return { killed: 0, survived: 0, timeout: 0, noCoverage: 0, equivalent: 0 };
}

/** Adds a status to counts. */
export function count(c: Counts, s: Status): void {
  if (s === "killed") c.killed++;
  else if (s === "survived") c.survived++;
  else if (s === "timeout") c.timeout++;
  else if (s === "no-coverage") c.noCoverage++;
  else c.equivalent++;
}

/**
 * The score line. Timeouts count as killed (as Stryker counts them: a mutant
 * that makes the judged code loop is detected); mutants without coverage count
 * as survived; equivalent mutants are left out of N.
 */
export function scoreLine(c: Counts): string {
  const k = c.killed + c.timeout;
  const n = k + c.survived + c.noCoverage;
  const p = n === 0 ? 100 : (100 * k) / n;
  return `mutation score: ${k} of ${n} killed (${p.toFixed(1)}%), ${
    c.survived + c.noCoverage
  } survived, ${c.equivalent} equivalent`;
}

/** Score percentage of counts. */
export function scorePercent(c: Counts): number {
  const k = c.killed + c.timeout;
  const n = k + c.survived + c.noCoverage;
  return n === 0 ? 100 : (100 * k) / n;
}

function cells(c: Counts): string {
  return [c.killed, c.survived, c.timeout, c.noCoverage, c.equivalent]
    .map((n) => String(n).padStart(5)).join(" ");
}

/** Per-file and per-mutator tables, both judges side by side. */
export function tables(results: readonly MutantResult[], judges: readonly JudgeName[]): string {
  const group = (keyOf: (m: MutantResult) => string) => {
    const rows = new Map<string, Record<JudgeName, Counts>>();
    for (const m of results) {
      const k = keyOf(m);
      let r = rows.get(k);
      if (!r) rows.set(k, r = { tests: zero(), campaign: zero() });
      for (const j of judges) count(r[j], m.judges[j]?.status ?? "no-coverage");
    }
    return [...rows.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  };
  const head = (title: string) => {
    const judgeHead = judges.map((j) => `${j.padEnd(29)}`).join(" | ");
    const cols = judges.map(() => " kill surv time nocov equiv  score").join(" | ");
    return `${title.padEnd(32)} ${"n".padStart(5)} | ${judgeHead}\n${"".padEnd(38)} | ${cols}`;
  };
  const line = (name: string, r: Record<JudgeName, Counts>) => {
    const n = Object.values(r[judges[0]]).reduce((a, b) => a + b, 0);
    return `${name.padEnd(32)} ${String(n).padStart(5)} | ${
      judges.map((j) => `${cells(r[j])} ${scorePercent(r[j]).toFixed(1).padStart(5)}%`).join(" | ")
    }`;
  };
  const out: string[] = [];
  out.push(head("file"));
  for (const [k, r] of group((m) => m.fileName)) out.push(line(k, r));
  out.push("");
  out.push(head("mutator"));
  for (const [k, r] of group((m) => m.mutatorName)) out.push(line(k, r));
  return out.join("\n");
}

const SCHEMA_STATUS: Record<Status, schema.MutantStatus> = {
  killed: "Killed",
  survived: "Survived",
  timeout: "Timeout",
  "no-coverage": "NoCoverage",
  equivalent: "Ignored",
};

/** The report in the mutation-testing-report-schema format, for one judge. */
export function schemaReport(
  root: string,
  results: readonly MutantResult[],
  judge: JudgeName,
): schema.MutationTestResult {
  const files: schema.FileResultDictionary = {};
  for (const m of results) {
    const f = files[m.fileName] ??= {
      language: "typescript",
      source: Deno.readTextFileSync(`${root}/${m.fileName}`),
      mutants: [],
    };
    const r = m.judges[judge];
    if (r === undefined) continue;
    const other = judge === "tests" ? "campaign" : "tests";
    const o = m.judges[other];
    const said = (j: string, x: JudgeResult | undefined) =>
      x === undefined
        ? `${j}: not run`
        : x.killedBy
        ? `${j}: ${x.status}: ${x.killedBy.probe}: ${x.killedBy.reason}`
        : `${j}: ${x.status}`;
    const reason = m.equivalent ?? `${said(judge, r)}\n${said(other, o)}`;
    f.mutants.push({
      id: m.id,
      mutatorName: m.mutatorName,
      replacement: m.replacement,
      location: {
        start: { line: m.location.start.line + 1, column: m.location.start.column + 1 },
        end: { line: m.location.end.line + 1, column: m.location.end.column + 1 },
      },
      status: SCHEMA_STATUS[r.status],
      statusReason: reason,
      static: m.static,
      killedBy: r.killedBy ? [r.killedBy.probe] : undefined,
      testsCompleted: r.ran,
      duration: Math.round(r.ms),
    });
  }
  return {
    schemaVersion: "2",
    thresholds: { high: 90, low: 70 },
    projectRoot: ".",
    files,
    framework: { name: "pagersim mutate", branding: { homepageUrl: "https://stryker-mutator.io" } },
  };
}

/** The viewer's web component (from the `mutation-testing-elements` package). */
export function viewerScript(): string {
  const require = createRequire(import.meta.url);
  return Deno.readTextFileSync(
    require.resolve("mutation-testing-elements/dist/mutation-test-elements.js"),
  );
}

/** A self-contained HTML page showing `report` with the standard viewer. */
export function reportHtml(
  report: schema.MutationTestResult,
  title: string,
  script: string,
): string {
  // Inline scripts end at the first "</script": escape it in both the code and the data.
  const safe = (s: string) => s.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title.replace(/[<&]/g, (c) => c === "<" ? "&lt;" : "&amp;")}</title>
<script>${safe(script)}</script>
</head>
<body>
<mutation-test-report-app title-postfix="pagersim"></mutation-test-report-app>
<script>
document.querySelector("mutation-test-report-app").report = ${safe(JSON.stringify(report))};
</script>
</body>
</html>
`;
}
