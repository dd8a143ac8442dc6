/**
 * Which mutants of one file the tests of some test files kill: the project is mirrored with
 * `FILE` instrumented (`mutate/mutant_mirror.ts`), the test files are loaded from the mirror under
 * the tests judge's `Deno.test` shim, and each chosen mutant is switched on in turn while the
 * tests run (each with the judge's hit limit, so a mutant that loops is "timeout"). For writing a
 * test that kills a surviving mutant: the loop is seconds, not a `deno task mutate` run. A static
 * mutant (its code runs while the modules load: a constant, a table, a class's static block) is
 * judged as `deno task mutate` judges it, in a fresh mirror loaded with the mutant already on;
 * switched on after the load it would change nothing and always "survive".
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

import type { Probe, ProbeResult } from "../mutate/judges.ts";
import { type MutantMirror, mutantMirror } from "../mutate/mutant_mirror.ts";
import { armHitLimit, disarmHitLimit, HIT_LIMIT, strykerNs } from "../mutate/ns.ts";
import { hitIds } from "../mutate/probe_run.ts";
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
    const ns = strykerNs();
    const statics = await staticMutants(file, tests);
    const probes = await loadTests(m, tests);
    const ctx = { serviceMutant: file.startsWith("services/"), serviceExempt: new Set<string>() };
    for (const p of probes) {
      const r = await p.run(ctx);
      if (r !== null) {
        console.error(`${p.id} fails unmutated: ${r}`);
        return 1;
      }
    }
    let killed = 0;
    for (const k of chosen) {
      let by: string | null = null;
      const isStatic = statics.has(String(m.idOf(k)));
      // A static mutant: a fresh mirror (fresh module URLs) whose modules load with it on.
      const fresh = isStatic ? await mutantMirror(file) : m;
      let judged = probes;
      if (isStatic) {
        ns.activeMutant = fresh.idOf(k);
        try {
          judged = await loadTests(fresh, tests);
        } catch (e) {
          by = `module load: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
          judged = [];
        }
      } else m.activate(k);
      try {
        for (const p of judged) {
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
        if (isStatic) fresh.dispose();
      }
      if (by !== null) killed++;
      console.log(
        `${by === null ? "survived" : "killed  "} ${k}${isStatic ? " (static)" : ""}\n    ${
          text[lineOf(k) - 1]?.trim()
        }${by === null ? "" : `\n    by ${by}`}`,
      );
    }
    for (const k of gone) console.log(`gone     ${k} (the file changed above it)`);
    console.log(`${killed} of ${chosen.length} killed by ${tests.join(" ")}`);
    return 0;
  } finally {
    m.dispose();
  }
}

/**
 * The ids of `file`'s mutants whose code runs while the test files load (static mutants), from a
 * mirror with coverage marks; the judging mirror has none (the marks alone slow a run down).
 */
async function staticMutants(file: string, tests: readonly string[]): Promise<Set<string>> {
  const cov = await mutantMirror(file, { coverage: true });
  const ns = strykerNs();
  const loading = new Uint8Array(cov.idSpace);
  ns.hits = loading;
  try {
    await loadTests(cov, tests);
  } finally {
    ns.hits = undefined;
    cov.dispose();
  }
  return new Set(hitIds(loading));
}

/** The test files' probes, loaded from the mirror `m` under the tests judge's shim. */
async function loadTests(m: MutantMirror, tests: readonly string[]): Promise<Probe[]> {
  const { testFileProbes } = await m.load("mutate/judges.ts") as {
    testFileProbes: typeof import("../mutate/judges.ts").testFileProbes;
  };
  return await testFileProbes(new URL(`file://${m.dir}/`), [...tests]);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
