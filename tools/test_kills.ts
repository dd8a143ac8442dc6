/**
 * Which mutants of one file the tests of some test files kill: the project is mirrored with
 * `FILE` instrumented (`mutate/mutant_mirror.ts`), the test files are loaded from the mirror under
 * the tests judge's `Deno.test` shim, and each chosen mutant is switched on in turn while the
 * tests run (each with the judge's hit limit, so a mutant that loops is "timeout"). For writing a
 * test that kills a surviving mutant: the loop is seconds, not a `deno task mutate` run.
 *
 * ```
 * deno run --allow-read --allow-write=/tmp --allow-env tools/test_kills.ts FILE TEST_FILE... [options]
 * ```
 *
 * The options choose the mutants (`--keys`, `--lines`, `--journal` (the tests judge's
 * survivors), `--was`, `--list`), as every tool that judges named mutants reads them
 * (`tools/_mutant_args.ts`).
 *
 * @module
 */

import type { ProbeResult } from "../mutate/judges.ts";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { armHitLimit, disarmHitLimit, HIT_LIMIT, strykerNs } from "../mutate/ns.ts";
import { chooseMutants, isFile, journalSurvivors, lineOf, mutantCommand } from "./_mutant_args.ts";

const USAGE =
  "usage: deno run --allow-read --allow-write=/tmp --allow-env tools/test_kills.ts FILE TEST_FILE... " +
  "[--keys K,K] [--lines A-B] [--journal J] [--was OLD] [--list]";

async function main(args: string[]): Promise<number> {
  const cmd = mutantCommand(args, USAGE, (tests, a) => tests.length > 0 || a.list === true);
  if (typeof cmd === "number") return cmd;
  const { a: values, file, rest: tests } = cmd;
  const m = await mutantMirror(file);
  try {
    const choice = chooseMutants(file, m.keys, values, (t) => journalSurvivors(t, file));
    if (typeof choice === "string") {
      console.error(choice);
      return 2;
    }
    const { chosen, gone } = choice;
    const text = Deno.readTextFileSync(file).split("\n");
    if (values.list) {
      for (const k of chosen) console.log(`${k}\n    ${text[lineOf(k) - 1]?.trim()}`);
      for (const k of gone) console.log(`gone (the file changed above it): ${k}`);
      return 0;
    }
    const missing = tests.find((t) => !isFile(t));
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
