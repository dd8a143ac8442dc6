/**
 * TouchMemo's false-alarm sweep (session 34, fast200): the unmutated model's campaign runs
 * (`runs`, campaign seed 1) or the judge's programs (`programs`) K in [FROM, TO), each checked by
 * the touch memo's oracle alone (properties/touch_memo.ts); prints each run that fails it and a
 * summary line. docs/mutation.md's figures: `runs 0 1000` and `programs 0 1000`, 0 failures.
 *
 * Usage: `deno run --allow-read --allow-env tools/touch_memo_sweep.ts runs|programs FROM TO`
 *
 * @module
 */

import { executePlan, planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { judgeProgram } from "../mutate/judges.ts";
import { runProgram } from "../program/run.ts";
import { TouchMemo } from "../properties/touch_memo.ts";

const [mode, from, to] = [Deno.args[0], Number(Deno.args[1]), Number(Deno.args[2])];
if ((mode !== "runs" && mode !== "programs") || !(from >= 0) || !(to > from)) {
  console.error(
    "usage: deno run --allow-read --allow-env tools/touch_memo_sweep.ts runs|programs FROM TO",
  );
  Deno.exit(2);
}
let fails = 0, steps = 0, pages = 0;
for (let k = from; k < to; k++) {
  const memo = new TouchMemo();
  let v;
  if (mode === "runs") {
    const plan = planRun(1, k);
    const scenario = generateScenario(plan, undefined, { joinedReaders: false });
    v = executePlan(plan, scenario, { monitors: () => [memo] }).verdict;
  } else {
    const { program, ...how } = judgeProgram(k);
    v = runProgram(program, { ...how, monitors: () => [memo] }).verdict;
  }
  steps += memo.steps;
  pages += memo.pages;
  if ((v.kind === "invariant" && v.invariant === "touch-memo") || v.kind === "kernel-assertion") {
    fails++;
    console.log(k, JSON.stringify(v).slice(0, 300));
  }
}
console.log(
  `${mode} ${from}..${to}: ${to - from} runs, ${fails} touch-memo failures, ${steps} steps, ` +
    `${pages} page comparisons`,
);
