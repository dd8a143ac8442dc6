/**
 * Why DPOR adds the alternatives it adds: explores a scenario (one search, this thread) at one
 * bound for the first N executions and sorts the direct races it reversed by what made the two
 * steps dependent: the tokens they conflict on (`explore/footprint.ts`), with koids and page
 * numbers kept, or `*` when one of them ended the run (it depends on every step, `dpor.ts`).
 * Counts only (deterministic): races, and the alternatives they added. `--pairs CAUSE` lists
 * instead the footprints of the two steps (earlier first) of the races filed under one cause.
 *
 * @example
 * ```sh
 * deno run --allow-read tools/explore_race_causes.ts --scenario bench/testdata/default_4page.json --preemptions 0 --executions 3000
 * ```
 *
 * @module
 */

import { explore } from "../explore/explore.ts";
import { raceObserver } from "../explore/dpor.ts";
import { type Footprint, isRead, plainOf } from "../explore/footprint.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { type FlagSpec, intFlag, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  scenario: { type: "string", value: "FILE", help: "the scenario (default: the built-in one)" },
  preemptions: { type: "string", value: "K", help: "the bound searched (required, 0-8)" },
  executions: { type: "string", value: "N", help: "executions to explore (default 3000)" },
  rows: { type: "string", value: "N", help: "causes listed (default 20)" },
  pairs: {
    type: "string",
    value: "CAUSE",
    help: "list the two steps' footprints of the races of this cause (as printed), not causes",
  },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage(
  "deno run --allow-read tools/explore_race_causes.ts",
  "--preemptions K [options]",
  FLAGS,
);

/** The tokens two footprints conflict on (plain forms, sorted), or `*` if either ends the run. */
export function cause(a: Footprint, b: Footprint): string {
  if (a.has("*") || b.has("*")) return "*";
  const out = new Set<string>();
  for (const t of a) {
    const plain = plainOf(t);
    if (b.has(plain) || (!isRead(t) && b.has(`r${t}`))) out.add(plain);
  }
  return [...out].sort().join(",");
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.preemptions === undefined) throw new UsageError("--preemptions K is required");
  const k = intFlag(values, "preemptions", 0, 0, 8);
  const n = intFlag(values, "executions", 3000, 1);
  const rows = intFlag(values, "rows", 20, 1, 1000);
  const scenario: Scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  const byCause = new Map<string, { races: number; added: number }>();
  const only = values.pairs as string | undefined;
  raceObserver.fn = (a, b, added) => {
    let c = cause(a, b);
    if (only !== undefined) {
      if (c !== only) return;
      c = `${[...a].sort().join(" ")}  ||  ${[...b].sort().join(" ")}`;
    }
    const row = byCause.get(c) ?? { races: 0, added: 0 };
    row.races++;
    row.added += added;
    byCause.set(c, row);
  };
  let executions = 0;
  try {
    executions = explore(scenario, { preemptions: k, firstBound: k, maxSchedules: n }).executions;
  } finally {
    raceObserver.fn = null;
  }
  const total = [...byCause.values()].reduce((s, r) => s + r.added, 0);
  const races = [...byCause.values()].reduce((s, r) => s + r.races, 0);
  console.log(
    `race causes: ${
      values.scenario ?? "the default scenario"
    }, bound ${k}, ${executions} executions: ` +
      `${races} races reversed, ${total} alternatives added` +
      (only === undefined ? "" : ` by races of cause ${only}, by the two steps' footprints`),
  );
  const sorted = [...byCause].sort((x, y) => y[1].added - x[1].added || y[1].races - x[1].races);
  for (const [c, r] of sorted.slice(0, rows)) {
    const share = total === 0 ? 0 : (100 * r.added) / total;
    console.log(
      `${String(r.added).padStart(7)} added (${share.toFixed(1)}%) ${
        String(r.races).padStart(7)
      } races  ${c}`,
    );
  }
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
