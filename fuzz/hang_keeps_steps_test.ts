// Session 35, trial35 friction 5: after a hang ended a campaign, its summary said `0 steps`
// ("runs 4 in 22.7s (...), 0 steps" and "... ended the campaign after 4 runs (0 steps)") though
// runs 0 and 1 had passed. A worker sent its steps in a progress message at most every 200 ms,
// and the watchdog terminated it at the hang before it sent those of the runs it had finished;
// they now wait in its slot's cell (fuzz/engine.ts `CONTROL.steps`), which the campaign reads.
import { strict as assert } from "node:assert";
import { FUZZ, run, summaryOf } from "./testdata/fuzz_cli.ts";

// trial35's hostile/spins.ts as its blocking twin (properties/testdata/blocks.ts: the same
// finding, no core burned): runs 0 and 1 of seed 1 pass, run 2 never yields.
const SERVICE = "properties/testdata/blocks.ts";
const campaign = (runs: number, corpus: string, json: boolean) =>
  run([
    ...FUZZ,
    "--service",
    SERVICE,
    "--runs",
    `${runs}`,
    "--seed",
    "1",
    "--workers",
    "1",
    "--run-timeout",
    "1",
    "--confirm-timeout",
    "2",
    "--corpus",
    corpus,
    ...(json ? ["--json"] : []),
  ]);

Deno.test("a campaign a hang ended counts the steps of the runs that finished before it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-hang-steps-" });
  try {
    // Runs 0 and 1 alone: they pass, and their steps are the campaign's.
    const before = await campaign(2, `${dir}/two`, true);
    assert.equal(before.code, 0, before.err);
    const two = summaryOf(before.out);
    assert.equal(two.failingRuns, 0);
    assert.ok(two.steps > 0, `${two.steps} steps`);
    // Four runs: run 2 never yields (the hang), run 3 is stopped after it; runs 0 and 1 the same.
    const r = await campaign(4, `${dir}/four`, false);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /service-hang: no yield \(run 2\)/);
    assert.match(r.out, new RegExp(`^runs 4 in [\\d.]+s \\(.*\\), ${two.steps} steps$`, "m"));
    assert.match(r.out, new RegExp(`ended the campaign after 4 runs \\(${two.steps} steps\\)`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
