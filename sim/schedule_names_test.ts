// A recorded schedule names every thread uniquely, so following it on the same input replays the
// run (issue hC: the trial service, two threads of one pager each spawning "svc-2", recorded two
// threads as "svc-2" and shrinking followed the wrong one: 36 of 40 seeds diverged).
import { strict as assert } from "node:assert";
import { SCENARIO_KIND } from "../case/kinds.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { parseScenario } from "../scenario/schema.ts";
import type { SchedulePick } from "./strategy.ts";
import trial from "../examples/testdata/trial/trial_service.ts";

Deno.test("threads of one name get unique schedule names, and a followed schedule replays the run", async () => {
  const raw = JSON.parse(
    await Deno.readTextFile(new URL("../examples/testdata/trial/trial.json", import.meta.url)),
  );
  raw.pagers[0].threads = 2;
  const input = parseScenario(raw);
  const ctx = { monitors: kernelInvariants, services: { user: trial } };
  const names = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const schedule: SchedulePick[] = [];
    const a = SCENARIO_KIND.run(input, { seed, schedule }, ctx);
    for (const p of schedule) if ("thread" in p) names.add(p.thread);
    const b = SCENARIO_KIND.run(input, { seed, follow: schedule }, ctx);
    assert.equal(b.traceHash, a.traceHash, `seed ${seed}`);
    assert.deepEqual(b.decisions, a.decisions, `seed ${seed}`);
  }
  assert.ok(names.has("fs.svc0/svc-2") && names.has("fs.svc1/svc-2"), [...names].join(", "));
});

Deno.test("a spawned thread keeps its schedule name when another pager's threads are cut", async () => {
  // trial_two.json: pager fs2 (a file nobody reads) comes first; both pagers' services spawn "svc-2".
  const raw = JSON.parse(
    await Deno.readTextFile(new URL("../examples/testdata/trial/trial_two.json", import.meta.url)),
  );
  const ctx = { monitors: kernelInvariants, services: { user: trial } };
  const threadNames = (input: unknown) => {
    const schedule: SchedulePick[] = [];
    SCENARIO_KIND.run(parseScenario(input), { seed: 1, schedule }, ctx);
    return new Set(schedule.flatMap((p) => "thread" in p ? [p.thread] : []));
  };
  const both = threadNames(raw);
  assert.ok(both.has("fs2.svc/svc-2") && both.has("fs.svc/svc-2"), [...both].join(", "));
  const cut = { ...raw, pagers: raw.pagers.slice(1), vmos: raw.vmos.slice(1) };
  const one = threadNames(cut);
  assert.ok(one.has("fs.svc/svc-2") && !one.has("fs2.svc/svc-2"), [...one].join(", "));
});
