/**
 * The step that ends the run (session 35, helper expl35b): its `*` races only with the steps of
 * threads that are not the workload's (service, env); with the other workload threads, all of
 * them finished before it, it races by its own tokens (`dpor.ts`, `RaceLog.step`). The oracle:
 * on scenarios where workload threads exit before the last one ends the run, DPOR reaches exactly
 * the final states of a search with no pruning and no state cache, in fewer executions than with
 * the old rule (`endByTokens: false`).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { finals } from "./_final_states.ts";

const dir = new URL("./testdata/", import.meta.url);

function load(name: string): Scenario {
  return parseScenario(JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, dir))), name);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

// Two or more workload threads each (one exits while another still runs) and the pager's
// service thread; disjoint_pages also writes through a clone at the end.
const CASES: readonly (readonly [string, number])[] = [
  ["supply_disjoint", 0],
  ["supply_disjoint", 1],
  ["coalesce_two_readers", 1],
  ["disjoint_pages", 0],
  ["default_small", 1],
];

for (const [name, k] of CASES) {
  Deno.test(`end races: on ${name}, bound ${k}, the run-ending step racing other workload threads by its tokens reaches the final states of no pruning`, () => {
    const scenario = load(name);
    assert.ok(scenario.threads.length >= 2, "a thread exits before the workload ends");
    const now = finals(scenario, {}, k);
    const old = finals(scenario, { endByTokens: false }, k);
    const all = finals(scenario, { reduction: false, stateHash: false }, k);
    console.log(
      `  ${name}, K=${k}: ${now.result.executions} executions, ${old.result.executions} with ` +
        `\`*\` against every thread, ${all.result.executions} with no pruning; ` +
        `${all.states.size} final states`,
    );
    assert.equal(now.result.outcome, all.result.outcome);
    assert.ok(sameSet(now.states, all.states), "the same final states as no pruning at all");
    assert.ok(sameSet(old.states, all.states));
    assert.ok(
      now.result.executions <= old.result.executions,
      `${now.result.executions} <= ${old.result.executions}`,
    );
  });
}

Deno.test("end races: the narrower rule runs fewer executions on supply_disjoint at bound 1", () => {
  const scenario = load("supply_disjoint");
  const now = finals(scenario, {}, 1).result.executions;
  const old = finals(scenario, { endByTokens: false }, 1).result.executions;
  assert.ok(now < old, `${now} < ${old}`);
});
