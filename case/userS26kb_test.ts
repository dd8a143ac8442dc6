// userS26k's kernel variants (case/testdata/userS26kb, a kernel engineer's README-only trial of
// `--kernel MODULE`), the ones the scenario checkers passed or caught only as a late hang:
// v1b_batch_absent_only.ts widens a READ over further absent, unrequested pages (up to 4 past
// the access): sim, explore and scenario fuzz passed it, `fuzz --mode programs` failed it as
// read-content R3, conformance as hangs. Upstream asks only for pages the access touches
// (pager.cc VmarRemapTest: `length == 1` per fault; properties/_request_bounds.ts), so R3 was
// right and packet-discipline's `sizing` now holds scenarios to the same bound.
// v2_wake_first_only.ts completes a request but wakes only its primary: a hang at the run's end
// until syscall-contract's `complete-wakes` judged the completing step.
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { explore } from "../explore/explore.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { makeKernel as v1b } from "./testdata/userS26kb/v1b_batch_absent_only.ts";
import { makeKernel as v2 } from "./testdata/userS26kb/v2_wake_first_only.ts";

const OVERLAP = await loadScenarioFile(
  new URL("./testdata/userS26kb/overlap.json", import.meta.url).pathname,
);
const DEFAULT = parseScenario(DEFAULT_SCENARIO, "default scenario");

type Make = typeof v1b;

function verdict(scenario: typeof OVERLAP, seed: number, make?: Make) {
  return runScenario(scenario, { seed, monitors: kernelInvariants(), makeKernel: make }).verdict;
}

const SIZING =
  /^sizing: t\d+ zx_vmo_(read|write|op_range) of pages \[\d+,\d+\) of vmo\d+ asked READ #\d+ \[\d+,\d+\) of vmo\d+, outside the pages it touches there/;

Deno.test("sim: v1b's widened READ is packet-discipline's sizing at its request; the model passes", () => {
  for (const [name, s] of [["overlap", OVERLAP], ["default", DEFAULT]] as const) {
    for (const seed of [1, 2, 3]) {
      assert.equal(verdict(s, seed).kind, "pass", `${name} seed ${seed} on the model`);
      const v = verdict(s, seed, v1b);
      assert.ok(v.kind === "invariant", `${name} seed ${seed}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "packet-discipline", v.message);
      assert.match(v.message, SIZING);
    }
  }
  // The default scenario's writer: zx_vmo_write of pages [1,3) asked READ [1,4).
  const v = verdict(DEFAULT, 1, v1b);
  assert.ok(v.kind === "invariant");
  assert.match(v.message, /zx_vmo_write of pages \[1,3\) of vmo\d+ asked READ #1 \[1,4\)/);
});

Deno.test("explore finds v1b's sizing at 0 preemptions; the model passes there", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(OVERLAP, { preemptions: 0, monitors }).outcome, "pass");
  const r = explore(OVERLAP, { preemptions: 0, monitors, makeKernel: v1b });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "packet-discipline", v.message);
  assert.match(v.message, SIZING);
});

const COMPLETE_WAKES =
  /^complete-wakes: request #\d+ of vmo\d+ \[\d+,\d+\) completed at step \d+ and t\d+, parked on it \(joined it at step \d+\), was not woken in that step/;

Deno.test("sim: v2's completion that wakes only the primary is complete-wakes at that step", () => {
  for (const [name, s, seed] of [["overlap", OVERLAP, 3], ["default", DEFAULT, 1]] as const) {
    assert.equal(verdict(s, seed).kind, "pass", `${name} seed ${seed} on the model`);
    const v = verdict(s, seed, v2);
    assert.ok(v.kind === "invariant", `${name} seed ${seed}: ${JSON.stringify(v)}`);
    assert.equal(v.invariant, "syscall-contract", v.message);
    assert.match(v.message, COMPLETE_WAKES);
  }
});

Deno.test("explore finds v2's forgotten overlap waiter as complete-wakes, not a hang", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(OVERLAP, { preemptions: 1, monitors }).outcome, "pass");
  const r = explore(OVERLAP, { preemptions: 1, monitors, makeKernel: v2 });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", v.message);
  assert.match(v.message, COMPLETE_WAKES);
});
