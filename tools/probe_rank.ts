/**
 * Writes `mutate/probe_rank.json`, the committed probe order of `deno task mutate --order
 * ranked` (mutate/probe_rank.ts): the killing probes of the given sample journals (or `--json`
 * documents), counted per judge and mutated file. `--skip-sample N:S` leaves out the mutants of
 * `deno task mutate --sample N --seed S` on this tree, so that sample can measure the order on
 * mutants it was not learned from.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-write=mutate/probe_rank.json tools/probe_rank.ts --skip-sample 60:17 docs/mutation-sample-*.json*
 * ```
 *
 * @module
 */

import { HELP_FLAG, InputError, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";
import { readResults } from "./journal_scores.ts";
import { countKills, RANK_FILE } from "../mutate/probe_rank.ts";
import { instrumentFiles, mutableFiles } from "../mutate/instrument.ts";
import { mutantKey } from "../mutate/report.ts";
import { shuffled } from "../mutate/shard.ts";

const FLAGS = {
  help: HELP_FLAG,
  "skip-sample": {
    type: "string" as const,
    value: "N:S",
    help: "leave out the mutants of --sample N --seed S on this tree",
  },
  out: { type: "string" as const, value: "FILE", help: `where to write (default ${RANK_FILE})` },
};

const USAGE = usage(
  "deno run --allow-read --allow-write=mutate/probe_rank.json tools/probe_rank.ts",
  "[--skip-sample N:S] JOURNAL...",
  FLAGS,
);

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("name at least one journal");
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const skip = new Set<string>();
  if (values["skip-sample"] !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(values["skip-sample"] as string);
    if (m === null) {
      throw new UsageError(`--skip-sample must be N:S, got "${values["skip-sample"]}"`);
    }
    const { mutants } = await instrumentFiles(root, mutableFiles(root));
    // As cli/mutate.ts draws a sample.
    for (const x of shuffled(mutants, Number(m[1]), Number(m[2]), "mutate/sample")) {
      skip.add(mutantKey(x));
    }
  }
  const results = positionals.flatMap((f) => {
    try {
      return readResults(Deno.readTextFileSync(f));
    } catch (e) {
      throw new InputError(`${f}: ${e instanceof Error ? e.message : e}`);
    }
  });
  const rank = countKills(results, positionals, skip);
  const out = (values.out as string | undefined) ?? `${root}/${RANK_FILE}`;
  Deno.writeTextFileSync(out, JSON.stringify(rank, null, 2) + "\n");
  const n = (j: "tests" | "campaign") =>
    Object.values(rank.judges[j]["*"] ?? {}).reduce((a, b) => a + b, 0);
  console.log(
    `${out}: ${n("tests")} tests kills, ${n("campaign")} campaign kills from ` +
      `${positionals.length} journals (${skip.size} sample mutants left out)`,
  );
  return 0;
}

if (import.meta.main) await runCommand(USAGE, () => main(Deno.args));
