/**
 * The control of a program-contract change: programs FROM..TO-1 drawn as the mutate judge draws
 * its programs (`judgeProgram`, the judge's call weights), run unmutated under the program
 * monitors; prints each failure and the count. A prediction that fails a passing model is a
 * false alarm, whatever it kills.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env tools/judge_programs.ts 0 10000
 * ```
 *
 * @module
 */

import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "../program/run.ts";

const USAGE = "usage: deno run --allow-read --allow-env tools/judge_programs.ts [FROM] [TO]";

if (import.meta.main) {
  if (Deno.args.includes("--help")) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const wrong = Deno.args.find((a) => a.startsWith("-") || !/^\d+$/.test(a));
  if (wrong !== undefined) {
    console.error(
      wrong.startsWith("-") ? `error: unknown flag ${wrong}` : `error: ${wrong} is no number`,
    );
    console.error(USAGE);
    Deno.exit(2);
  }
  const [from, to] = [Number(Deno.args[0] ?? 0), Number(Deno.args[1] ?? 10_000)];
  let failures = 0;
  for (let k = from; k < to; k++) {
    const { program, seed, strategy } = judgeProgram(k);
    const v = runProgram(program, { seed, strategy, monitors: programMonitors }).verdict;
    if (v.kind !== "pass") {
      failures++;
      console.log(`program:${k} ${JSON.stringify(v).slice(0, 300)}`);
    }
  }
  console.log(`judge programs ${from}..${to - 1}: ${failures} failures`);
  if (failures > 0) Deno.exit(1);
}
