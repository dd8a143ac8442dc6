/**
 * `deno task fuzz`: a campaign over generated scenarios and schedules, on all
 * cores, for a time or run budget. Shows progress, writes each new failure,
 * shrunk, to the corpus, prints a summary, and exits 1 if any run failed.
 *
 * @module
 */

import { CAMPAIGN_FLAGS, campaignBudget } from "./_campaign_flags.ts";
import type { Finding } from "../fuzz/campaign.ts";
import { type CampaignSummary, runCampaign } from "../fuzz/orchestrate.ts";
import { SOMETIMES } from "../fuzz/sometimes.ts";
import { CHECKER_SETS, type CheckerSet } from "../case/kinds.ts";
import { findingToCase, knownSignatures, writeCaseFile } from "../fuzz/corpus_io.ts";
import { type FlagSpec, InputError, parseFlags, runCommand, usage, UsageError } from "./args.ts";
import { CaseFileError, loadServiceModule, moduleRef } from "../case/store.ts";
import { ZOO_IDS, zooContext } from "../zoo/registry.ts";

const FLAGS: Record<string, FlagSpec> = {
  mode: {
    type: "string",
    value: "MODE",
    help: "scenarios (default) | programs (syscall programs; see --mode programs --help)",
  },
  runs: { type: "string", value: "N", help: "run budget of this shard (exact and reproducible)" },
  shard: {
    type: "string",
    value: "I/N",
    help: "run only shard I of N of the seed space (e.g. 0/4)",
  },
  service: { type: "string", value: "PATH", help: "test your own pager service module" },
  zoo: { type: "string", value: "ID", help: "run against a zoo bug (zoo/registry.ts)" },
  corpus: { type: "string", value: "DIR", help: "where new failures are written (default corpus)" },
  checkers: {
    type: "string",
    value: "SET",
    help: "kernel | kernel+service (default: kernel; kernel+service with --service)",
  },
  ...CAMPAIGN_FLAGS,
};

const USAGE = usage("deno task fuzz", "[options]", FLAGS) + `

Explores scenarios and schedules (random and PCT at depths 1-3, swarm-selected
fault families), dedupes failures by signature, shrinks each new one and writes
it to the corpus. Replay a case with: deno task repro FILE.
Exit status: 0 no failure, 1 a failure was found, 2 bad input, 130 interrupted.`;

/** Parses "I/N". */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shard must look like I/N (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard ${text}: need 0 <= I < N`);
  return { index, count };
}

/** The summary as plain text lines. */
export function summaryText(s: CampaignSummary): string {
  const lines = [
    `campaign seed ${s.seed}, shard ${s.shard}, ${s.workers} workers${
      s.interrupted ? " (interrupted)" : ""
    }`,
    `runs ${s.runs} in ${s.seconds.toFixed(1)}s (${s.runsPerSecond.toFixed(0)} runs/s; ` +
    `${s.steadyRunsPerSecond.toFixed(0)} once every worker ran), ${s.steps} steps`,
    `failing runs ${s.failingRuns}, new distinct failures ${s.findings.length}`,
    `memory (rss) ${s.rssMiB.first.toFixed(0)} MiB at start, ${s.rssMiB.max.toFixed(0)} max, ` +
    `${s.rssMiB.last.toFixed(0)} at end (${s.rssMiB.samples} samples)`,
  ];
  for (const f of s.findings) {
    lines.push(`  ${f.signature}`);
    lines.push(
      `    run ${f.k}, shrunk to size ${f.size.to} (from ${f.size.from}; ${f.decisions} decisions ` +
        `from ${f.shrunkFrom}): ${f.file}`,
    );
    lines.push(`    replay: ${f.replay}`);
  }
  lines.push("sometimes (runs that reached each interleaving):");
  for (const k of Object.keys(SOMETIMES)) {
    lines.push(`  ${String(s.sometimes[k] ?? 0).padStart(7)}  ${k}`);
  }
  if (s.neverReached.length > 0) lines.push(`never reached: ${s.neverReached.join(", ")}`);
  for (const e of s.errors) lines.push(`error: ${e}`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  // Syscall-program fuzzing of the kernel has its own flags (cli/fuzz_programs.ts).
  if (Deno.args.some((a) => a === "--mode" || a.startsWith("--mode="))) {
    const i = Deno.args.indexOf("--mode");
    const mode = i >= 0
      ? Deno.args[i + 1]
      : Deno.args.find((a) => a.startsWith("--mode="))!.slice(7);
    if (mode === "programs") {
      const { fuzzPrograms } = await import("./fuzz_programs.ts");
      return await fuzzPrograms(Deno.args);
    }
    if (mode !== "scenarios") {
      throw new UsageError(`--mode must be scenarios or programs, got "${mode}"`);
    }
  }
  const { values } = parseFlags(
    Deno.args.filter((a, i, all) =>
      a !== "--mode" && all[i - 1] !== "--mode" && !a.startsWith("--mode=")
    ),
    FLAGS,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const { seconds, runs, workers, seed, maxShrink } = campaignBudget(values);
  const shard = values.shard !== undefined
    ? parseShard(values.shard as string)
    : { index: 0, count: 1 };
  const corpus = (values.corpus as string | undefined) ?? "corpus";
  const servicePath = (values.service as string | undefined) ?? null;
  const zoo = (values.zoo as string | undefined) ?? null;
  if (zoo !== null && !ZOO_IDS.includes(zoo)) {
    throw new UsageError(`--zoo must be one of ${ZOO_IDS.join(", ")}; got "${zoo}"`);
  }
  if (zoo !== null && servicePath !== null) {
    throw new UsageError("--zoo and --service exclude each other");
  }
  const checkers = (values.checkers ??
    (zoo !== null
      ? zooContext(zoo).checkers
      : servicePath !== null
      ? "kernel+service"
      : "kernel")) as string;
  if (!(CHECKER_SETS as readonly string[]).includes(checkers)) {
    throw new UsageError(`--checkers must be ${CHECKER_SETS.join(" or ")}, got "${checkers}"`);
  }
  if (servicePath !== null) await loadServiceModule(servicePath); // fail fast, in one line, before workers start
  // An existing corpus is used as it is: if it cannot be written, each finding says so and
  // prints its --campaign/--run replay instead.
  const exists = await Deno.stat(corpus).then((s) => s.isDirectory, () => false);
  if (!exists) {
    try {
      await Deno.mkdir(corpus, { recursive: true });
    } catch (e) {
      throw new InputError(`--corpus ${corpus}: cannot create: ${(e as Error).message}`);
    }
  }
  // The case names the service module relative to the corpus, with its content hash.
  let service = null;
  try {
    service = servicePath !== null ? await moduleRef(servicePath, corpus) : null;
  } catch (e) {
    if (e instanceof CaseFileError) throw new InputError(`--service ${e.message}`);
    throw e;
  }
  const known = await knownSignatures(corpus);
  const tty = Deno.stdout.isTerminal() && !values.json;
  const encoder = new TextEncoder();
  if (!values.json) {
    console.log(
      `fuzz: seed ${seed}, shard ${shard.index}/${shard.count}, ${workers} workers, ` +
        `budget ${seconds !== null ? `${seconds}s` : ""}${
          seconds !== null && runs !== null ? " or " : ""
        }${runs !== null ? `${runs} runs` : ""}` +
        `${
          servicePath ? `, service ${servicePath}` : ""
        }, corpus ${corpus} (${known.length} known)`,
    );
  }
  const summary = await runCampaign({
    seed,
    shard,
    workers,
    seconds,
    runs,
    servicePath,
    known,
    maxShrink,
    checkers: checkers as CheckerSet,
    zoo,
    persist: (f: Finding) =>
      writeCaseFile(
        corpus,
        findingToCase(f, {
          campaignSeed: seed,
          service,
          checkers: checkers as CheckerSet,
          zoo,
        }),
      ),
    progressEvery: tty ? 0.5 : 5,
    progress: (line, final) => {
      if (values.json) return;
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${line}${final ? "\n" : ""}`));
      else console.log(line);
    },
  });
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else console.log(summaryText(summary));
  if (summary.failingRuns > 0) return 1;
  return summary.interrupted ? 130 : 0;
}

if (import.meta.main) await runCommand(USAGE, main);
