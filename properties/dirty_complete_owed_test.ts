/**
 * single-supply K28 for DIRTY requests: an OP_DIRTY that returned ZX_OK over the whole of an
 * outstanding DIRTY request owes its completion in that op. userS30a's variant
 * (case/testdata/userS30a/first_page_dirty.ts, a kernel engineer's README-only trial) counts only
 * the first page of each dirtied run, so a two-page write's request is acknowledged and never
 * completed: before this rule the run ended as K29's hang naming only the writer, word for word
 * what a service that never answered DIRTY gets, with nothing pointing at the kernel.
 */
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "./kernel_invariants.ts";
import { makeKernel as firstPageDirty } from "../case/testdata/userS30a/first_page_dirty.ts";

const SCENARIO = "case/testdata/userS30a/dirty2.json";

Deno.test("K28 DIRTY: a two-page request an OP_DIRTY covered, left open by the variant, fails at the op's step", async () => {
  const scenario = await loadScenarioFile(SCENARIO);
  const model = runScenario(scenario, { seed: 1, monitors: kernelInvariants() });
  assert.equal(model.verdict.kind, "pass", JSON.stringify(model.verdict));
  const run = runScenario(scenario, {
    seed: 1,
    monitors: kernelInvariants(),
    makeKernel: firstPageDirty,
  });
  const v = run.verdict;
  assert.ok(v.kind === "invariant" && v.invariant === "single-supply", JSON.stringify(v));
  assert.match(
    v.message,
    /^K28: vmo\d+ DIRTY request #\d+ \[0,2\) had all 2 of its pages dirtied by t\d+ zx_pager_op_range\(DIRTY, 0x0, 0x80\) at step (\d+), which returned ZX_OK, and was not completed/,
  );
  // At the op's step, not at the hang's.
  const at = /at step (\d+)/.exec(v.message);
  assert.ok(at !== null, v.message);
  assert.equal(v.step, Number(at[1]), JSON.stringify(v));
});
