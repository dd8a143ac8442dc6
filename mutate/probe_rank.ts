/**
 * The order in which a mutant meets its probes under `--order ranked`: the probes that killed
 * most mutants of the same file in past runs first, then those that killed most mutants of any
 * file, then the judges' own fixed order. A killed mutant stops at its first failing probe, so
 * a killer met early saves every passing probe before it; a survivor runs every probe whatever
 * the order. The ranking is a committed file (`mutate/probe_rank.json`, made by
 * `tools/probe_rank.ts` from committed sample journals), never anything measured during the run:
 * which probe kills stays reproducible. `deno task mutate --order ranked` ranks the campaign
 * judge's probes only: ranked by past kills alone (blind to a probe's cost), the tests judge's
 * kills on the seed-17 sample took about twice the time (docs/mutation.md).
 *
 * What may differ from the fixed order is the killing probe a report names, and, where one probe
 * kills and another reaches the hit limit or the time limit first, `killed` against `timeout`
 * (both count as detected).
 *
 * @module
 */

import type { JudgeName } from "./judges.ts";
import type { MutantResult } from "./report.ts";

/** Past kills per judge: per mutated file, probe id (a test's id for the tests judge) to kills. */
export interface ProbeRank {
  /** The sample journals it was counted from. */
  readonly from: readonly string[];
  readonly judges: Record<JudgeName, Record<string, Record<string, number>>>;
}

/** Where the committed ranking lives, relative to the project root. */
export const RANK_FILE = "mutate/probe_rank.json";

/** The file key under which a judge's kills of every file are summed. */
export const ANY_FILE = "*";

/** The probe a ranking counts: a test's id for a test step (`file::test::step`), else itself. */
export function rankedId(judge: JudgeName, probe: string): string {
  return judge === "tests" ? probe.split("::").slice(0, 2).join("::") : probe;
}

/**
 * Counts the killing probes of `results` (`killed` and `timeout` verdicts whose killer is a probe,
 * not a module load or a limit) per judge, per file and over all files. `skip` names mutant keys
 * to leave out (a sample the ranking is measured on).
 *
 * @example
 * ```ts
 * import { countKills } from "./probe_rank.ts";
 * const r = countKills([{
 *   key: "kernel/a.ts:1:1:M:x", fileName: "kernel/a.ts",
 *   judges: { campaign: { status: "killed", killedBy: { probe: "run:3", reason: "" }, ran: 4, ms: 1 } },
 * }], ["s.jsonl"]);
 * console.assert(r.judges.campaign["kernel/a.ts"]["run:3"] === 1);
 * ```
 */
export function countKills(
  results: Iterable<Pick<MutantResult, "key" | "fileName" | "judges">>,
  from: readonly string[],
  skip: ReadonlySet<string> = new Set(),
): ProbeRank {
  const judges: ProbeRank["judges"] = { tests: {}, campaign: {} };
  // The latest verdict of each key (later journals are of later trees).
  const last = new Map<string, Pick<MutantResult, "key" | "fileName" | "judges">>();
  for (const r of results) if (!skip.has(r.key)) last.set(r.key, r);
  for (const r of last.values()) {
    for (const judge of ["tests", "campaign"] as const) {
      const j = r.judges[judge];
      const probe = j?.killedBy?.probe;
      if (j === undefined || probe === undefined || j.status === "equivalent") continue;
      if (probe === "module load" || probe.endsWith(" limit")) continue;
      const id = rankedId(judge, probe);
      for (const file of [r.fileName, ANY_FILE]) {
        const counts = judges[judge][file] ??= {};
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
  }
  return { from, judges };
}

/**
 * Campaign probes written for one file's survivors that every mutant of that file meets before
 * the ranking (in this order): past kills cannot rank a new probe, and a survivor that reaches
 * thousands of probes pays all of them before a killer ranked last. Each is cheap (a program of
 * a few calls, or two seeds of a scenario), so the file's other mutants pay little for it
 * (docs/mutation.md, "The CI sample at 200 under two minutes").
 */
export const FIRST: Readonly<Record<string, readonly string[]>> = {
  "kernel/kernel.ts": ["program:user-buffer-u64"],
  "kernel/objects.ts": ["touch-memo:first-step", "touch-memo:run:1"],
};

/**
 * `ids` (in the judge's fixed order) reordered for a mutant of `fileName`: the campaign probes
 * {@linkcode FIRST} names for the file, then by kills of that file's mutants, then by kills over
 * all files, both most first; ties keep the fixed order (a stable sort). A test's steps move
 * with their test.
 *
 * @example
 * ```ts
 * import { rankProbes } from "./probe_rank.ts";
 * const rank = {
 *   from: [],
 *   judges: { tests: {}, campaign: { "kernel/a.ts": { "run:9": 2 }, "*": { "run:5": 7, "run:9": 2 } } },
 * };
 * const order = rankProbes(rank, "campaign", "kernel/a.ts", ["run:1", "run:5", "run:9"]);
 * console.assert(order.join() === "run:9,run:5,run:1");
 * ```
 */
export function rankProbes(
  rank: ProbeRank,
  judge: JudgeName,
  fileName: string,
  ids: readonly string[],
): string[] {
  const own = rank.judges[judge][fileName] ?? {};
  const any = rank.judges[judge][ANY_FILE] ?? {};
  const first = judge === "campaign" ? FIRST[fileName] ?? [] : [];
  const keyed = ids.map((id, i) => {
    const r = rankedId(judge, id);
    const f = first.indexOf(id);
    return { id, i, first: f < 0 ? first.length : f, own: own[r] ?? 0, any: any[r] ?? 0 };
  });
  keyed.sort((a, b) => a.first - b.first || b.own - a.own || b.any - a.any || a.i - b.i);
  return keyed.map((k) => k.id);
}

/** Reads the committed ranking under `root` (a project root path). */
export function loadRank(root: string): ProbeRank {
  return JSON.parse(Deno.readTextFileSync(`${root}/${RANK_FILE}`)) as ProbeRank;
}
