/**
 * The control of a program-contract change: programs FROM..TO-1 drawn as the mutate judge draws
 * its programs (`judgeProgram`, the judge's call weights), run unmutated under the program
 * monitors; prints each failure and the count. A prediction that fails a passing model is a
 * false alarm, whatever it kills. With `--child-reads` it also counts the `zx_vmo_read` calls of
 * a child VMO (made by `zx_vmo_create_child` in the program) that returned ZX_OK: the reads
 * read-content judges through slices, references and clones.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env tools/judge_programs.ts 0 10000
 * deno run --allow-read --allow-env tools/judge_programs.ts 0 300 --child-reads
 * ```
 *
 * @module
 */

import { judgeProgram } from "../mutate/judges.ts";
import { ZX_OK } from "../kernel/constants.ts";
import type { Program } from "../program/program.ts";
import { type CallResult, programMonitors, runProgram } from "../program/run.ts";
import { numericArgs } from "./_numeric_args.ts";

const USAGE =
  "usage: deno run --allow-read --allow-env tools/judge_programs.ts [FROM] [TO] [--child-reads]";

/** The successful `zx_vmo_read` calls of `program` whose handle is a child it made. */
function childReads(
  program: Program,
  results: readonly (readonly (CallResult | undefined)[])[],
): number {
  let n = 0;
  program.threads.forEach((t, ti) =>
    t.calls.forEach((c, ci) => {
      const h = c.args[0];
      if (c.call !== "zx_vmo_read" || typeof h !== "object" || !("h" in h)) return;
      const made = program.threads[h.h[0]]?.calls[h.h[1]];
      if (made?.call === "zx_vmo_create_child" && results[ti][ci]?.status === ZX_OK) n++;
    })
  );
  return n;
}

if (import.meta.main) {
  const { numbers, given } = numericArgs(USAGE, Deno.args, ["--child-reads"]);
  const [from, to] = [numbers[0] ?? 0, numbers[1] ?? 10_000];
  let failures = 0, reads = 0;
  for (let k = from; k < to; k++) {
    const { program, ...how } = judgeProgram(k);
    const run = runProgram(program, { ...how, monitors: programMonitors });
    if (given.has("--child-reads")) reads += childReads(program, run.results);
    const v = run.verdict;
    if (v.kind !== "pass") {
      failures++;
      console.log(`program:${k} ${JSON.stringify(v).slice(0, 300)}`);
    }
  }
  if (given.has("--child-reads")) console.log(`successful reads of a child VMO: ${reads}`);
  console.log(`judge programs ${from}..${to - 1}: ${failures} failures`);
  if (failures > 0) Deno.exit(1);
}
