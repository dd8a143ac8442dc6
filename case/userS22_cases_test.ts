// userS22's log-structured pager service (case/testdata/userS22): what its CORRECT service met.
// Each case replays through replayCase, as a user's corpus test does.
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";
import type { CaseEnvelope } from "./envelope.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/userS22/corpus", import.meta.url).pathname;

async function userCase(name: string): Promise<{ file: string; case: CaseEnvelope }> {
  const { cases, errors } = await readCorpus(DIR);
  assert.deepEqual(errors, []);
  const found = cases.find((c) => c.file.endsWith(name));
  assert.ok(found !== undefined, name);
  return found;
}

Deno.test("userS22 slow but correct: a READ its taker is still working toward at the liveness bound is no P1", async () => {
  // Campaign 277840 run 21655 (shrunk, cut): ~300 mapped faults served by a receiver + worker
  // per service thread; at the end of 4000 fair steps from step 400 the worker t3 that took the
  // READ for vmo1005 page 176 was still runnable (the same decisions pass after 4470 steps with
  // bound 8000: testdata/userS22/p1_bigbound.json). Unfinished is not "never answered".
  const { file, case: c } = await userCase("invariant-answers-every-read-logstore-b389fae5.json");
  const r = await replayCase(c, file, TREE);
  assert.notEqual(r.verdict, "invariant:answers-every-read", `${file}: ${r.verdict}`);
  assert.equal(r.verdict, "liveness-budget", `${file}: ${r.verdict}`);
});

Deno.test("userS22 slow but correct: campaign 277840 run 21655 gets a liveness bound that fits its workload, and passes", async () => {
  // The run as the campaign made it (476 units of work: ~300 mapped faults over 8 VMOs): with
  // the bound every generated run had (4000 fair steps) the receiver + worker service was cut at
  // step 4400 with READs still queued; it needs 4624 fair steps.
  const { planRun, executePlan } = await import("../fuzz/campaign.ts");
  const { campaignScenario } = await import("../fuzz/engine.ts");
  const { scenarioCheckers } = await import("./kinds.ts");
  const { loadServiceModule } = await import("./store.ts");
  const { contractOf } = await import("../scenario/service_contract.ts");
  const { LIVENESS_STEPS_PER_UNIT, workloadUnits } = await import("../scenario/generate.ts");
  const service = await loadServiceModule("case/testdata/userS22/logstore.ts");
  const plan = planRun(277840, 21655);
  const scenario = campaignScenario(plan, "user", contractOf(service)?.contract);
  assert.equal(workloadUnits(scenario), 476);
  assert.equal(scenario.liveness?.bound, LIVENESS_STEPS_PER_UNIT * 476);
  const o = executePlan(
    plan,
    scenario,
    {
      monitors: scenarioCheckers("kernel+service"),
      services: { user: service },
    },
    undefined,
    false,
  );
  assert.equal(o.signature, null, `run 21655: ${o.signature} after ${o.steps} steps`);
});

Deno.test("userS22 deadlock: P1 names the worker a receiver queued the READ for, not the receiver", async () => {
  // logstore_bug's receiver t1 took READ #2, queued it and woke the queue's condvar (step 11),
  // and went back to its port; its worker t2 is stuck on mutex log. The report said `t1 took a
  // READ ... and never answered it (t1 now waits on port 1004)`, as if t1 had dropped it.
  const { userS22Deadlock } = await import("./testdata/userS22/deadlock_case.ts");
  const result = await userS22Deadlock();
  assert.equal(result.verdict.kind, "invariant");
  const message = (result.verdict as { message: string }).message;
  assert.doesNotMatch(message, /never answered it \(t1 now waits on port/);
  assert.match(
    message,
    /^P1: t1 "p0\.svc" took a READ for vmo1006 page 0 \(READ #2 \[0,1\), taken at step 10\) and queued it through futex 0x40000004 \(condvar queue nonempty\) \(t1 now waits on port 1004\); nobody answered it: its waiters: t2 "ls\.worker1" \(now waits on futex 0x4000000c \(mutex log\) owned by t5\); t3 "w0" waits on it/,
  );
  // Still the same deadlock by its signature.
  assert.match(
    message,
    /; wait-for cycle: t2 "ls\.worker1" waits on futex 0x4000000c \(mutex log\)/,
  );
});

Deno.test("userS22: a liveness-budget finding is a valid case that replays as recorded", async () => {
  // The verdict a campaign now writes for a run cut with its workload still moving: before, the
  // envelope refused `expected: "liveness-budget"`, so such a finding could not be kept.
  const { readCaseFile, replayProblem } = await import("./store.ts");
  const file = "case/testdata/userS22/liveness_budget_case.json";
  const c = await readCaseFile(file);
  assert.equal(c.expected, "liveness-budget");
  assert.equal(await replayProblem(c, file, TREE), null);
});
