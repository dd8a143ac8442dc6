// userS24k's kernel variants (case/testdata/userS24k, a kernel developer's README-only trial):
// k_m1_opfail_io.ts wakes every OP_FAIL waiter with ZX_ERR_IO whatever code the pager passed;
// conformance passed it 242/0 until PX9 FailErrorCode restated upstream's test that each accepted
// code reaches the blocked threads. k_m2b_detach_no_complete.ts (M2b) detaches a VMO with no READ or
// DIRTY outstanding without queueing its COMPLETE (and still emits the `detach` event);
// k_m2_detach_no_complete.ts (M2) forgets the event too. sim and explore passed M2b: no checker
// held a detach to its COMPLETE, until packet-discipline's `complete`.
import { strict as assert } from "node:assert";
import { ALL_CASES } from "../conformance/cases.ts";
import { caseFailure } from "../conformance/run.ts";
import { makeKernel as m1 } from "./testdata/userS24k/k_m1_opfail_io.ts";
import { makeKernel as m2 } from "./testdata/userS24k/k_m2_detach_no_complete.ts";
import { makeKernel as m2b } from "./testdata/userS24k/k_m2b_detach_no_complete.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { explore } from "../explore/explore.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";

const TWO_READERS = await loadScenarioFile(
  new URL("./testdata/userS24k/s_two_readers_detach.json", import.meta.url).pathname,
);

/** What packet-discipline's `complete` says of the user's detach, at its step. */
const MISSING_COMPLETE =
  /^complete: vmo\d+ \(key 1\) was detached at step \d+ \(zx_pager_detach_vmo returned ZX_OK\), but no COMPLETE packet for key 1 was queued on port\d+/;

/** Runs conformance case `id` on `make` (undefined: the model); the failure message, or null. */
function conformance(id: string, make?: typeof m1): string | null {
  const c = ALL_CASES.find((x) => x.id === id);
  assert.ok(c !== undefined, id);
  return caseFailure(c, make);
}

Deno.test("conformance PX9 FailErrorCode: the model passes, M1 (OP_FAIL always IO) fails", () => {
  assert.equal(conformance("PX9"), null);
  const m = conformance("PX9", m1);
  assert.ok(m !== null, "PX9 passes on k_m1_opfail_io.ts");
  assert.match(m, /got ZX_ERR_IO, want ZX_ERR_IO_DATA_INTEGRITY/);
});

Deno.test("sim: the detach with nothing outstanding that queues no COMPLETE is packet-discipline's complete, event or not", () => {
  assert.equal(
    runScenario(TWO_READERS, { seed: 1, monitors: kernelInvariants() }).verdict.kind,
    "pass",
  );
  for (const [name, make] of [["M2b", m2b], ["M2", m2]] as const) {
    const v = runScenario(TWO_READERS, { seed: 1, monitors: kernelInvariants(), makeKernel: make })
      .verdict;
    assert.equal(v.kind, "invariant", `${name}: ${JSON.stringify(v)}`);
    assert.ok(v.kind === "invariant");
    assert.equal(v.invariant, "packet-discipline", `${name}: ${v.message}`);
    assert.match(v.message, MISSING_COMPLETE, name);
  }
});

Deno.test("explore finds M2b's missing COMPLETE at 0 preemptions; the model passes there", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(TWO_READERS, { preemptions: 0, monitors }).outcome, "pass");
  const r = explore(TWO_READERS, { preemptions: 0, monitors, makeKernel: m2b });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.equal(r.counterexample?.preemptions, 0);
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "packet-discipline", v.message);
  assert.match(v.message, MISSING_COMPLETE);
});
