// trial32b (session 32): a kernel variant with two independent bugs, g_combo_b_f.ts (a copy in
// case/testdata/userS32b): (b) a detach never queues its COMPLETE, (f) a DIRTY request runs one
// page too far. Both are packet-discipline failures, reported by word-named checks (`complete`,
// `sizing`) that carried no sub-code into the signature: both signed
// `invariant:packet-discipline`, so a campaign wrote one case (the missing COMPLETE) and
// counted the oversized DIRTY as the same, known failure. Signatures now carry the word as
// they carry a rule ID (`invariant:packet-discipline:sizing`).
import { strict as assert } from "node:assert";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { makeKernel as combo } from "./testdata/userS32b/g_combo_b_f.ts";

const COMPLETE = "invariant:packet-discipline:complete";
const SIZING = "invariant:packet-discipline:sizing";

Deno.test("a campaign against two packet-discipline bugs reports two findings (userS32b g_combo_b_f)", () => {
  // `deno task fuzz --kernel g_combo_b_f.ts --seed 1 --workers 1`: run 154 is the user's sizing
  // run. (Bug (f) also signs K3 in some runs, a DIRTY past the VMO's end: trial32b's finding 9.)
  const seen = new Map<string, number>();
  for (let k = 0; k < 160 && !(seen.has(COMPLETE) && seen.has(SIZING)); k++) {
    const plan = planRun(1, k);
    const { signature } = executePlan(plan, generateScenario(plan), {
      monitors: kernelInvariants,
      makeKernel: combo,
    });
    if (signature !== null && !seen.has(signature)) seen.set(signature, k);
  }
  assert.ok(seen.has(COMPLETE) && seen.has(SIZING), JSON.stringify([...seen]));
  assert.ok(!seen.has("invariant:packet-discipline"), JSON.stringify([...seen]));
});
