import { strict as assert } from "node:assert";
import { exploreFirst, type Recorded, rerun } from "./explore_replay_cost.ts";
import { parseScenario } from "../scenario/schema.ts";

const scenario = parseScenario(
  JSON.parse(
    Deno.readTextFileSync(new URL("../explore/testdata/default_small.json", import.meta.url)),
  ),
  "default_small",
);

Deno.test("explore_replay_cost: the re-run runs the search's executions, cut ones included, step for step", () => {
  const runs: Recorded[] = [];
  const r = exploreFirst(scenario, 2, 120, runs);
  assert.equal(r.outcome, "limit");
  assert.equal(runs.length, 120);
  const cut = r.bounds.reduce((n, b) => n + b.prunedByState + b.prunedBySleep, 0);
  assert.ok(cut > 0, "some executions were cut");
  const steps = r.bounds.reduce((n, b) => n + b.steps, 0);
  assert.equal(runs.reduce((n, x) => n + x.steps, 0), steps);
  assert.equal(rerun(scenario, runs), steps);
  // A decision list cut one short stops one choice sooner.
  const last = runs[runs.length - 1];
  const shorter = { decisions: last.decisions.slice(0, -1), steps: 0 };
  assert.ok(rerun(scenario, [shorter]) < rerun(scenario, [last]));
  // A sample of a later bound starts there, and re-runs the same way.
  const later: Recorded[] = [];
  const r1 = exploreFirst(scenario, 2, 60, later, 1);
  assert.deepEqual(r1.bounds.map((b) => b.bound), [1]);
  assert.equal(rerun(scenario, later), r1.bounds[0].steps);
});

Deno.test("explore_replay_cost: a bad flag is one line, no stack trace", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "tools/explore_replay_cost.ts", "--preemptions", "x"],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.notEqual(out.code, 0);
  const err = new TextDecoder().decode(out.stderr);
  assert.ok(err.includes("--preemptions"), err);
  assert.ok(!err.includes("    at "), err);
});
