/**
 * Per-file scores of a mutation run's results: a stopped run's journal
 * (`judged.jsonl`, first line its fingerprint) or `deno task mutate --json`'s
 * document. Prints, per file and in all, the mutants, the equivalent ones,
 * what each judge kills (killed or timeout), what both kill, the blind spots
 * (the tests kill, the campaign does not) and the judges' own seconds — the
 * figures `docs/mutation.md` gives for a partial nightly run. With `--blind`,
 * lists the blind spots instead, one key a line (what `tools/campaign_kills.ts
 * --keys` takes; a key whose replacement spans lines as a JSON string).
 *
 * @example
 * ```sh
 * deno run --allow-read tools/journal_scores.ts docs/mutation-sample-e9efc33.jsonl
 * deno run --allow-read tools/journal_scores.ts --blind docs/mutation-sample-e9efc33.jsonl
 * ```
 *
 * @module
 */

import type { MutantResult } from "../mutate/report.ts";
import { HELP_FLAG, InputError, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";

/** The results in a journal (JSON lines) or a `--json` document. */
export function readResults(text: string): MutantResult[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{"by"')) {
    return (JSON.parse(trimmed) as { results: MutantResult[] }).results;
  }
  const out: MutantResult[] = [];
  for (const line of text.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as MutantResult);
    } catch {
      // a line a stop cut short
    }
  }
  return out;
}

/** One file's (or all files') counts. */
export interface Row {
  n: number;
  equivalent: number;
  tests: number;
  campaign: number;
  both: number;
  blind: number;
  seconds: number;
}

/** The per-file rows and the total of `results`. */
export function scores(results: readonly MutantResult[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  const kills = (s: string | undefined) => s === "killed" || s === "timeout";
  for (const m of results) {
    let r = rows.get(m.fileName);
    if (!r) {
      r = { n: 0, equivalent: 0, tests: 0, campaign: 0, both: 0, blind: 0, seconds: 0 };
      rows.set(m.fileName, r);
    }
    r.n++;
    for (const j of Object.values(m.judges)) r.seconds += (j?.ms ?? 0) / 1000;
    const t = m.judges.tests?.status;
    const c = m.judges.campaign?.status;
    if (t === "equivalent" || c === "equivalent") {
      r.equivalent++;
      continue;
    }
    if (kills(t)) r.tests++;
    if (kills(c)) r.campaign++;
    if (kills(t) && kills(c)) r.both++;
    if (kills(t) && !kills(c)) r.blind++;
  }
  return rows;
}

/** The keys of the blind spots of `results`: the tests kill (or time out), the campaign does not. */
export function blindSpots(results: readonly MutantResult[]): string[] {
  const kills = (s: string | undefined) => s === "killed" || s === "timeout";
  return results.filter((m) => kills(m.judges.tests?.status) && !kills(m.judges.campaign?.status))
    .map((m) => m.key);
}

/** The counts of all files of `results` together. */
export function totals(results: readonly MutantResult[]): Row {
  const total: Row = { n: 0, equivalent: 0, tests: 0, campaign: 0, both: 0, blind: 0, seconds: 0 };
  for (const r of scores(results).values()) {
    for (const k of Object.keys(total) as (keyof Row)[]) total[k] += r[k];
  }
  return total;
}

const FLAGS = {
  help: HELP_FLAG,
  blind: {
    type: "boolean" as const,
    help: "list the blind spots' keys, one a line, not the table",
  },
};

const USAGE =
  usage("deno run --allow-read tools/journal_scores.ts", "[--blind] JOURNAL_OR_JSON", FLAGS) +
  "\n\nJOURNAL_OR_JSON: a mutation run's journal (JSON lines) or its --json document.";

function main(): number {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("one journal or --json document, please");
  const path = positionals[0];
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new InputError(`${path}: cannot read: ${(e as Error).message}`);
  }
  if (values.blind) {
    // A key whose replacement spans lines is printed as a JSON string, one line still.
    for (const key of blindSpots(readResults(text))) {
      console.log(key.includes("\n") ? JSON.stringify(key) : key);
    }
    return 0;
  }
  const rows = scores(readResults(text));
  const total: Row = { n: 0, equivalent: 0, tests: 0, campaign: 0, both: 0, blind: 0, seconds: 0 };
  const pct = (a: number, b: number) => `${(100 * a / Math.max(1, b)).toFixed(1)}%`;
  const line = (name: string, r: Row) =>
    console.log(
      [
        name.padEnd(28),
        r.n,
        r.equivalent,
        r.tests,
        r.campaign,
        r.both,
        r.blind,
        pct(r.both, r.tests),
        pct(r.tests, r.n - r.equivalent),
        Math.round(r.seconds),
      ].join("\t"),
    );
  console.log(
    "file\tmutants\tequiv\ttests kill\tcampaign kills\tboth\tblind\tcampaign/tests\ttests\tjudge s",
  );
  for (const [file, r] of [...rows].sort((a, b) => a[0].localeCompare(b[0]))) {
    line(file, r);
    for (const k of Object.keys(total) as (keyof Row)[]) total[k] += r[k];
  }
  line("all", total);
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
