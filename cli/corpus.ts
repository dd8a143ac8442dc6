/**
 * `deno task corpus`: work with corpora. `merge` combines the corpora of
 * shards (or machines) into one, deduped by signature; `list` shows what a
 * corpus holds and validates every case.
 *
 * @module
 */

import { loadCaseFile } from "../fuzz/corpus_io.ts";
import type { CorpusCase } from "../properties/corpus.ts";
import { type FlagSpec, InputError, parseFlags, runCommand, usage, UsageError } from "./args.ts";

const FLAGS: Record<string, FlagSpec> = {
  into: { type: "string", value: "DIR", help: "merge target (default corpus)" },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage("deno task corpus", "merge DIR... [--into DIR] | list [DIR]", FLAGS) + `

merge: copy every case of the given corpora into --into, one per signature
(a signature already in the target is kept; between sources, the case with
the shortest decision list wins, then the first file name).
list: validate and list the cases of a corpus (default corpus).`;

interface Entry {
  readonly file: string;
  readonly name: string;
  readonly text: string;
  readonly c: CorpusCase;
  readonly signature: string;
}

async function readCorpus(dir: string, errors: string[]): Promise<Entry[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
    }
  } catch (e) {
    throw new InputError(`${dir}: cannot read corpus directory: ${(e as Error).message}`);
  }
  names.sort();
  const out: Entry[] = [];
  for (const name of names) {
    const file = `${dir}/${name}`;
    try {
      const c = await loadCaseFile(file);
      const text = await Deno.readTextFile(file);
      const signature = c.signature ?? `${c.expected}:${c.traceHash}`;
      out.push({ file, name, text, c, signature });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return out;
}

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [verb, ...dirs] = positionals;
  const errors: string[] = [];
  if (verb === "list") {
    if (dirs.length > 1) throw new UsageError("list takes one directory");
    const entries = await readCorpus(dirs[0] ?? "corpus", errors);
    for (const e of entries) {
      console.log(`${e.name}: expects ${e.c.expected}, ${e.c.decisions.length} decisions`);
    }
    for (const err of errors) console.error(`error: ${err}`);
    console.log(`corpus: ${entries.length} valid, ${errors.length} invalid`);
    return errors.length === 0 ? 0 : 1;
  }
  if (verb !== "merge") {
    throw new UsageError(
      verb === undefined ? "missing command: merge or list" : `unknown command "${verb}"`,
    );
  }
  if (dirs.length === 0) throw new UsageError("merge needs at least one source directory");
  const into = (values.into as string | undefined) ?? "corpus";
  await Deno.mkdir(into, { recursive: true });
  const have = new Set((await readCorpus(into, errors)).map((e) => e.signature));
  const best = new Map<string, Entry>();
  for (const dir of dirs) {
    for (const e of await readCorpus(dir, errors)) {
      if (have.has(e.signature)) continue;
      const prev = best.get(e.signature);
      if (
        prev === undefined || e.c.decisions.length < prev.c.decisions.length ||
        (e.c.decisions.length === prev.c.decisions.length && e.name < prev.name)
      ) best.set(e.signature, e);
    }
  }
  let written = 0;
  for (const e of [...best.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const target = `${into}/${e.name}`;
    const tmp = `${target}.tmp-merge`;
    await Deno.writeTextFile(tmp, e.text);
    await Deno.rename(tmp, target);
    written++;
    console.log(`added ${target} (${e.signature})`);
  }
  for (const err of errors) console.error(`skipped: ${err}`);
  console.log(
    `merge: ${written} added, ${have.size} already present, ${errors.length} invalid skipped`,
  );
  return errors.length === 0 ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
