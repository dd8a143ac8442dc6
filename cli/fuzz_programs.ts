/**
 * `--mode programs` of `deno task fuzz`: parses the program-campaign flags,
 * runs the campaign on workers, writes findings to the corpus as
 * `pagersim/program@1` cases, and prints the summary. `cli/fuzz.ts` calls
 * {@linkcode fuzzPrograms}; it also runs on its own:
 * `deno run --allow-read --allow-write --allow-env --allow-sys cli/fuzz_programs.ts --seconds 60`.
 *
 * @module
 */

import { CAMPAIGN_FLAGS, campaignBudget } from "./_campaign_flags.ts";
import { type FlagSpec, InputError, parseFlags, runCommand, usage, UsageError } from "./args.ts";
import { knownSignatures, writeCase } from "../case/store.ts";
import type { ProgramChecks } from "../fuzz/programs/campaign.ts";
import { programFindingToCase } from "../fuzz/programs/corpus.ts";
import { MUTANTS } from "../zoo/mutants.ts";
import { programSummaryText, runProgramCampaign } from "../fuzz/programs/orchestrate.ts";

/** The flags of a program campaign. */
export const PROGRAM_FLAGS: Record<string, FlagSpec> = {
  mode: { type: "string", value: "MODE", help: "programs (syscall-program fuzzing of the kernel)" },
  runs: { type: "string", value: "N", help: "run budget per worker" },
  corpus: {
    type: "string",
    value: "DIR",
    help: "corpus directory (program cases go to DIR/programs; required with --mutant)",
  },
  unguided: { type: "boolean", help: "fresh random programs only (no novelty queue)" },
  checks: {
    type: "string",
    value: "SET",
    help: "kernel (properties/ invariants + contract, default) | contract",
  },
  mutant: {
    type: "string",
    value: "NAME",
    help: `fuzz a kernel mutant: ${Object.keys(MUTANTS).join(", ")}`,
  },
  ...CAMPAIGN_FLAGS,
};

const USAGE = usage("deno task fuzz --mode programs", "[options]", PROGRAM_FLAGS) + `

Fuzzes the kernel model with syscall programs (several threads of zx_* calls
with resource-typed arguments), guided by novel abstract kernel states; checks
statuses, kernel invariants and object lifetimes; shrinks each new failure and
writes it to DIR/programs. Exit status: 0 clean, 1 a failure, 2 bad input, 130 interrupted.`;

/** Runs a program campaign from command-line arguments; returns the exit status. */
export async function fuzzPrograms(args: readonly string[]): Promise<number> {
  const { values } = parseFlags(args, PROGRAM_FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.mode !== undefined && values.mode !== "programs") {
    throw new UsageError(`--mode must be programs here, got "${values.mode}"`);
  }
  const { seconds, runs, workers, seed, maxShrink } = campaignBudget(values);
  const checks = (values.checks ?? "kernel") as ProgramChecks;
  if (checks !== "kernel" && checks !== "contract") {
    throw new UsageError(`--checks must be kernel or contract, got "${checks}"`);
  }
  const mutant = (values.mutant as string | undefined) ?? null;
  if (mutant !== null && !(mutant in MUTANTS)) {
    throw new UsageError(
      `--mutant must be one of ${Object.keys(MUTANTS).join(", ")}, got "${mutant}"`,
    );
  }
  // Findings against a kernel variant are not regressions of the model: they go only where named.
  if (mutant !== null && values.corpus === undefined) {
    throw new UsageError(
      "--mutant needs --corpus DIR: findings against a kernel variant never go to the regression corpus",
    );
  }
  const dir = `${(values.corpus as string | undefined) ?? "corpus"}/programs`;
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`--corpus: cannot create ${dir}: ${(e as Error).message}`);
  }
  const known = await knownSignatures(dir);
  const tty = Deno.stdout.isTerminal() && !values.json;
  const encoder = new TextEncoder();
  if (!values.json) {
    console.log(
      `fuzz --mode programs: seed ${seed}, ${workers} workers, budget ${
        seconds !== null ? `${seconds}s` : `${runs} runs per worker`
      }, corpus ${dir} (${known.length} known)`,
    );
  }
  const summary = await runProgramCampaign({
    seed,
    workers,
    seconds,
    runs,
    known,
    maxShrink,
    guided: !values.unguided,
    checks,
    mutant,
    persist: (f) => writeCase(dir, programFindingToCase(f, { campaignSeed: seed, checks, mutant })),
    progressEvery: tty ? 0.5 : 5,
    progress: (line, final) => {
      if (values.json) return;
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${line}${final ? "\n" : ""}`));
      else console.log(line);
    },
  });
  console.log(values.json ? JSON.stringify(summary, null, 2) : programSummaryText(summary));
  if (summary.failingRuns > 0) return 1;
  return summary.interrupted ? 130 : 0;
}

if (import.meta.main) await runCommand(USAGE, () => fuzzPrograms(Deno.args));
