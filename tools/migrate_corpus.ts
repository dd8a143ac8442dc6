/**
 * Migrates a corpus to `pagersim/case@2` with the campaign engine's
 * signatures: each case is replayed (its verdict and trace hash must
 * reproduce, and are kept), signed as a campaign signs a run of its kind
 * (`invariant:<name>:<rule>`, `thread-fault:…`; a passing case has none) and
 * rewritten in place. Old `…@<syscall>` signatures and unsigned failing cases
 * otherwise make a campaign write each finding again.
 *
 * Run once: `deno run --allow-read --allow-write=corpus tools/migrate_corpus.ts [DIR...]`
 * (default `corpus corpus/programs`).
 *
 * `--rehash` re-records trace hashes after a deliberate change of the traces
 * (the kernel's or the simulator's behaviour): a case whose replay reaches its
 * recorded verdict gets the new hash, each printed; a case whose verdict moved
 * is never rewritten but listed, and the tool exits 1 (review it: re-find or
 * retire it).
 *
 * @module
 */

import { CASE_FORMAT, type CaseEnvelope } from "../case/envelope.ts";
import { readCorpus, replayCase } from "../case/store.ts";
import { signProgramRun, signScenarioRun } from "../fuzz/engine.ts";
import { runCommand, scriptArgs } from "../cli/args.ts";
import type { KindRun } from "../case/kind.ts";

/** The signature the campaign engine gives a replay of `c` (null: it passes). */
export function campaignSignature(c: CaseEnvelope, run: KindRun): string | null {
  return c.kind === "program" ? signProgramRun(run) : signScenarioRun(run);
}

/**
 * `c` as case@2 signed from its replay; throws if the replay differs from
 * what the case records (a migration never changes a verdict or trace hash).
 */
export async function migrateCase(
  c: CaseEnvelope,
  file: string,
  rehash = false,
): Promise<CaseEnvelope> {
  const r = await replayCase(c, file);
  if (rehash && !r.ok && r.verdict === c.expected) c = { ...c, traceHash: r.traceHash };
  else if (!r.ok) {
    throw new Error(
      `${file}: replay gives ${r.verdict} ${r.traceHash}, the case records ` +
        `${c.expected} ${c.traceHash}`,
    );
  }
  const signature = campaignSignature(c, r.run);
  const { signature: _old, ...rest } = c;
  return { ...rest, format: CASE_FORMAT, ...(signature === null ? {} : { signature }) };
}

const USAGE = `usage: deno run --allow-read --allow-write=corpus tools/migrate_corpus.ts [DIR...]

Rewrites every case in each DIR (default: corpus corpus/programs) as pagersim/case@2 with the
signature the campaign engine computes for its replay. Verdicts and trace hashes stay.

options:
  --rehash  re-record the trace hash of each case whose replay keeps its verdict (after a
            deliberate change of traces); cases whose verdict moved are listed, not written
  --help    print this help and exit (nothing is written)`;

async function main(): Promise<number> {
  const rehash = Deno.args.includes("--rehash");
  const args = scriptArgs(Deno.args.filter((a) => a !== "--rehash"), USAGE, 8);
  if (args === null) return 0;
  const dirs = args.length > 0 ? args : ["corpus", "corpus/programs"];
  let changed = 0, total = 0;
  const moved: string[] = [];
  for (const dir of dirs) {
    const { cases, errors } = await readCorpus(dir);
    if (errors.length > 0) {
      for (const e of errors) console.error(`error: ${JSON.stringify(e)}`);
      return 1;
    }
    for (const { file, case: c } of cases) {
      total++;
      let migrated: CaseEnvelope;
      try {
        migrated = await migrateCase(c, file, rehash);
      } catch (e) {
        if (!rehash) throw e;
        moved.push((e as Error).message);
        continue;
      }
      const text = JSON.stringify(migrated, null, 2) + "\n";
      if (text === await Deno.readTextFile(file)) continue;
      await Deno.writeTextFile(file, text);
      changed++;
      console.log(`${(migrated.signature ?? "(passes)").padEnd(60)} ${file}`);
    }
  }
  console.log(`${changed} of ${total} cases rewritten`);
  for (const m of moved) console.error(`verdict moved, not rewritten: ${m}`);
  return moved.length > 0 ? 1 : 0;
}

if (import.meta.main) await runCommand(USAGE, main);
