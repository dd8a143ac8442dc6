/**
 * Page footprints (`footprint.ts`, session 21): a store or copy of one page of a VMO whose pages
 * are its own takes that page's token, not the whole VMO's; since session 35 a supply, a request,
 * a resolve and a COMMIT of present pages take page tokens too, and requests and waiters their
 * own token (`w`). The checks: on every scenario of
 * `testdata/`, DPOR with page footprints reaches the same final states as DPOR with whole-VMO
 * footprints at bound 1, in no more executions, with the same verdict; on `disjoint_pages` (writes of
 * different pages of one VMO, by syscall and through a mapping) and on `supply_disjoint` (supplies
 * of different pages of one VMO racing with requests) it runs fewer executions and reaches exactly
 * the final states of a search with no pruning and no state cache at all.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { finals } from "./_final_states.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const dir = new URL("./testdata/", import.meta.url);

function load(name: string): Scenario {
  return parseScenario(JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, dir))), name);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

const SCENARIOS = [
  "bug_detach",
  "bug_supply",
  "close_pager_blocked",
  "coalesce_two_readers",
  "default_small",
  "detach_read",
  "disjoint_pages",
  "fault_resumed",
  "flaky_fail",
  "supply_disjoint",
  "suspend_blocked",
  "zero_slots",
];

Deno.test("page footprints: every scenario of testdata/ is listed here", () => {
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length)).sort();
  assert.deepEqual(files, SCENARIOS);
});

for (const name of SCENARIOS) {
  // disjoint_pages at bound 1 is ~18,000 executions (minutes under the suite's load): nightly;
  // CI compares it at bound 0 here and against no pruning below.
  const k = name === "disjoint_pages" && !NIGHTLY ? 0 : 1;
  Deno.test(`page footprints: on ${name}, bound ${k} reaches the same final states as whole-VMO footprints in no more executions`, () => {
    const scenario = load(name);
    const pages = finals(scenario, {}, k);
    const whole = finals(scenario, { pageFootprints: false }, k);
    console.log(
      `  ${name}, K=${k}: ${pages.result.executions} executions with page footprints, ` +
        `${whole.result.executions} without; ${pages.states.size} final states`,
    );
    assert.equal(pages.result.outcome, whole.result.outcome);
    assert.equal(
      pages.result.counterexample?.verdict.kind,
      whole.result.counterexample?.verdict.kind,
    );
    assert.ok(sameSet(pages.states, whole.states), "the same final states");
    assert.ok(
      pages.result.executions <= whole.result.executions,
      `${pages.result.executions} <= ${whole.result.executions}`,
    );
  });
}

// The scenarios the refinements are for, with no pruning at all as the oracle (it shares nothing
// with the footprints): disjoint_pages (stores and copies of different pages, session 21) at
// bound 0 always and at bound 1 nightly (~40,000 executions); supply_disjoint (supplies of
// different pages racing with requests and copies, session 35) at bounds 0 and 1 (4,476
// executions with no pruning at bound 1).
const ORACLE: readonly (readonly [string, readonly number[]])[] = [
  ["disjoint_pages", NIGHTLY ? [0, 1] : [0]],
  ["supply_disjoint", [0, 1]],
];
for (const [name, ks] of ORACLE) {
  for (const k of ks) {
    Deno.test(`page footprints: on ${name}, bound ${k} reaches the final states of no pruning at all, in fewer executions than whole-VMO footprints`, () => {
      const scenario = load(name);
      const pages = finals(scenario, {}, k);
      const whole = finals(scenario, { pageFootprints: false }, k);
      const all = finals(scenario, { reduction: false, stateHash: false }, k);
      console.log(
        `  ${name}, K=${k}: ${pages.result.executions} executions with page footprints, ` +
          `${whole.result.executions} without, ${all.result.executions} with no pruning; ` +
          `${all.states.size} final states`,
      );
      assert.equal(pages.result.outcome, "pass");
      assert.ok(sameSet(pages.states, all.states), "the same final states as no pruning at all");
      assert.ok(sameSet(whole.states, all.states));
      assert.ok(
        pages.result.executions < whole.result.executions,
        `${pages.result.executions} < ${whole.result.executions}`,
      );
    });
  }
}
