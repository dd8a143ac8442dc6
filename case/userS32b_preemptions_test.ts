// trial32b (session 32), variant (d): explore's counterexample line said 1 preemption, its shrink
// line "0 preemptions", and bound 0 (searched whole) had no failure. Both counts are right but
// count different things: shrinking halved the case's liveness.afterSteps (400, explore's, down to
// 12), and the fair phase's round-robin switches are no choices, so the shrinker does not count
// them. The shrink line and the case's description now say so (cli/explore.ts
// `shrunkPreemptions`; the explore run itself: `deno task explore --scenario
// case/testdata/userS32b/d_flaky_read3.json --kernel <trial32b's d_lost_pending_signal.ts>
// --preemptions 1 --workers 1`).
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { shrunkPreemptions } from "../cli/explore.ts";

Deno.test("a shrunk counterexample's preemptions say the fair phase's switches are not counted (userS32b d)", async () => {
  const s = await loadScenarioFile(
    new URL("./testdata/userS32b/d_flaky_read3.json", import.meta.url).pathname,
  );
  assert.equal(s.liveness.afterSteps, 12);
  // In trial37's plainer words (session 37): the same facts, one clause.
  assert.equal(
    shrunkPreemptions(0, s, 14),
    "0 preemptions before step 12, where shrinking moved the fair liveness phase, whose " +
      "round-robin switches go uncounted and may hold the found schedule's preemptions",
  );
  assert.equal(
    shrunkPreemptions(1, { ...s, liveness: { ...s.liveness, afterSteps: 400 } }, 14),
    "1 preemption",
  );
});
