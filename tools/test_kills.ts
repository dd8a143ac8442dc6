/**
 * Which mutants of one file the tests of some test files kill: the project is mirrored with
 * `FILE` instrumented (`mutate/mutant_mirror.ts`), the test files are loaded from the mirror under
 * the tests judge's `Deno.test` shim, and each chosen mutant is switched on in turn while the
 * tests run (each with the judge's hit limit, so a mutant that loops is "timeout"). For writing a
 * test that kills a surviving mutant: the loop is seconds, not a `deno task mutate` run.
 *
 * ```
 * deno run --allow-read --allow-write=/tmp --allow-env tools/test_kills.ts FILE TEST_FILE... [options]
 *   --keys K,K,...     these mutant keys (file:line:column:mutator:replacement; a comma inside a
 *                      replacement is kept: only a comma before `path.ts:LINE:` separates)
 *   --lines A-B        every mutant on lines A to B of FILE (1-based)
 *   --journal J        the tests judge's survivors of FILE in a mutate journal (docs/mutation-sample-*.jsonl)
 *   --was OLD          FILE as the journal's commit had it (git show C:FILE > OLD): keys
 *                      whose lines moved are found again by their line's text
 *   --list             print the chosen mutants with their line's text; run nothing
 * ```
 *
 * With none of `--keys`, `--lines`, `--journal`, every mutant of FILE is chosen. A key of a
 * journal written at another commit names a mutant only while the lines above it are unchanged;
 * with `--was` a key is found again on the line of the same text nearest its old line (the same
column, mutator and replacement); the keys found nowhere are listed as gone.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { ProbeResult } from "../mutate/judges.ts";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { armHitLimit, disarmHitLimit, HIT_LIMIT, strykerNs } from "../mutate/ns.ts";

const USAGE =
  "usage: deno run --allow-read --allow-write=/tmp --allow-env tools/test_kills.ts FILE TEST_FILE... " +
  "[--keys K,K] [--lines A-B] [--journal J] [--list]";

/** The key's 1-based line. */
const lineOf = (key: string) => Number(key.split(":")[1]);

/**
 * The keys of a `--keys` list: split at the commas that begin another key (a comma followed by
 * a path, `dir/file.ts:`), so a replacement holding a comma stays whole.
 */
export function splitKeys(list: string): string[] {
  return list.split(/,(?=\s*[\w./-]+\.ts:\d+:)/).map((k) => k.trim()).filter((k) => k !== "");
}

/** A key's parts: line, and the rest past the file (column, mutator, replacement). */
function parts(key: string): { line: number; rest: string } {
  const [, line, ...rest] = key.split(":");
  return { line: Number(line), rest: rest.join(":") };
}

/**
 * `key` (of `was`, FILE's text at the key's commit) as a key of the mutants `known` of FILE's
 * text `now`: itself when its line did not change, else the mutant with the same column, mutator
 * and replacement on the line of the same text nearest the old line; undefined if none.
 */
export function relocate(
  key: string,
  was: readonly string[],
  now: readonly string[],
  known: ReadonlySet<string>,
): string | undefined {
  const { line, rest } = parts(key);
  const text = was[line - 1]?.trim();
  if (text === undefined) return undefined;
  if (known.has(key) && now[line - 1]?.trim() === text) return key;
  const file = key.split(":")[0];
  let best: string | undefined, distance = Infinity;
  for (let i = 0; i < now.length; i++) {
    if (now[i].trim() !== text) continue;
    const k = `${file}:${i + 1}:${rest}`;
    if (known.has(k) && Math.abs(i + 1 - line) < distance) {
      best = k;
      distance = Math.abs(i + 1 - line);
    }
  }
  return best;
}

/** The keys of the tests judge's survivors of `file` in a journal's lines. */
export function journalSurvivors(text: string, file: string): string[] {
  const keys: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith('{"id"')) continue;
    const m = JSON.parse(line) as {
      fileName: string;
      key: string;
      judges?: { tests?: { status: string } };
    };
    if (m.fileName === file && m.judges?.tests?.status === "survived") keys.push(m.key);
  }
  return keys;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function main(args: string[]): Promise<number> {
  const flag = args.find((a) =>
    a.startsWith("--") &&
    !["--keys", "--lines", "--journal", "--was", "--list", "--help"].includes(a)
  );
  if (flag !== undefined) {
    console.error(`error: unknown flag ${flag}`);
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      lines: { type: "string" },
      journal: { type: "string" },
      was: { type: "string" },
      list: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...tests] = positionals;
  if (file === undefined || (tests.length === 0 && !values.list)) {
    console.error(USAGE);
    return 2;
  }
  if (!exists(file)) {
    console.error(`${file}: no such file`);
    return 2;
  }
  const m = await mutantMirror(file);
  try {
    const known = new Set(m.keys);
    let chosen: string[] = [...m.keys];
    if (values.keys !== undefined) chosen = splitKeys(values.keys);
    if (values.journal !== undefined) {
      chosen = journalSurvivors(Deno.readTextFileSync(values.journal), file);
    }
    if (values.lines !== undefined) {
      const r = /^(\d+)-(\d+)$/.exec(values.lines);
      if (r === null) {
        console.error(`--lines ${values.lines}: expected A-B`);
        return 2;
      }
      chosen = chosen.filter((k) => lineOf(k) >= Number(r[1]) && lineOf(k) <= Number(r[2]));
    }
    const text = Deno.readTextFileSync(file).split("\n");
    if (values.was !== undefined) {
      const was = Deno.readTextFileSync(values.was).split("\n");
      chosen = chosen.map((k) => relocate(k, was, text, known) ?? k);
    }
    const gone = chosen.filter((k) => !known.has(k));
    chosen = [...new Set(chosen.filter((k) => known.has(k)))];
    if (values.list) {
      for (const k of chosen) console.log(`${k}\n    ${text[lineOf(k) - 1]?.trim()}`);
      for (const k of gone) console.log(`gone (the file changed above it): ${k}`);
      return 0;
    }
    const missing = tests.find((t) => !exists(t));
    if (missing !== undefined) {
      console.error(`${missing}: no such test file`);
      return 2;
    }
    const { testFileProbes } = await m.load("mutate/judges.ts") as {
      testFileProbes: typeof import("../mutate/judges.ts").testFileProbes;
    };
    const probes = await testFileProbes(new URL(`file://${m.dir}/`), tests);
    const ctx = { serviceMutant: file.startsWith("services/"), serviceExempt: new Set<string>() };
    for (const p of probes) {
      const r = await p.run(ctx);
      if (r !== null) {
        console.error(`${p.id} fails unmutated: ${r}`);
        return 1;
      }
    }
    const ns = strykerNs();
    let killed = 0;
    for (const k of chosen) {
      let by: string | null = null;
      m.activate(k);
      try {
        for (const p of probes) {
          armHitLimit(new Int32Array(new SharedArrayBuffer(4)));
          let r: ProbeResult;
          try {
            r = await p.run(ctx);
          } catch (e) {
            r = e instanceof Error ? e.message : String(e);
          }
          if ((ns.hitCount ?? 0) > HIT_LIMIT) r = `timeout (hit limit)`;
          disarmHitLimit();
          if (r !== null) {
            by = `${p.id}: ${r.split("\n")[0].slice(0, 160)}`;
            break;
          }
        }
      } finally {
        m.deactivate();
      }
      if (by !== null) killed++;
      console.log(
        `${by === null ? "survived" : "killed  "} ${k}\n    ${text[lineOf(k) - 1]?.trim()}${
          by === null ? "" : `\n    by ${by}`
        }`,
      );
    }
    for (const k of gone) console.log(`gone     ${k} (the file changed above it)`);
    console.log(`${killed} of ${chosen.length} killed by ${tests.join(" ")}`);
    return 0;
  } finally {
    m.dispose();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
