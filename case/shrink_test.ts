import { strict as assert } from "node:assert";
import { investigate } from "./investigate.ts";
import { bugContext, SCENARIO_KIND, serviceThreadsFollow } from "./kinds.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { campaignScenario, campaignServiceName, signScenarioRun } from "../fuzz/engine.ts";
import { bug } from "../zoo/registry.ts";
import { parseScenario } from "../scenario/schema.ts";
import type { CaseEnvelope } from "./envelope.ts";
import type { SchedulePick } from "../sim/strategy.ts";

/** Run `k` of campaign seed 1 against a zoo bug, as a campaign's worker makes it. */
function campaignRun(id: string, k: number) {
  const b = bug(id);
  const ctx = { ...bugContext(b), services: { ...b.services } };
  const plan = planRun(1, k);
  const input = campaignScenario(plan, campaignServiceName(null, id));
  const out = executePlan(plan, input, ctx);
  return { ctx, input, out, seed: plan.runSeed };
}

Deno.test("a campaign's zoo finding shrinks to a few decisions in a few dozen replays", async () => {
  // Run 133 of campaign 1 broke K26 against supply-overwrites-present with 15 decisions; the
  // shrinker before schedule following and non-restarting passes spent its whole budget (2000
  // replays) and kept 13 decisions and 21 steps. Since campaigns draw joined readers (session
  // 28, scenario/generate.ts addJoinedReaders) run 133 passes and run 327 is the first to break
  // K26, with 27 decisions.
  const { ctx, input, out, seed } = campaignRun("supply-overwrites-present", 327);
  assert.equal(out.signature, "invariant:page-state:K26");
  assert.equal(out.decisions.length, 27);
  const written: CaseEnvelope[] = [];
  const r = await investigate(SCENARIO_KIND, input, out.decisions, {
    seed,
    ctx,
    sign: signScenarioRun,
    originalTraceHash: out.traceHash,
    meta: { checkers: bug("supply-overwrites-present").checkers, found: { by: "test" } },
    persist: (c) => Promise.resolve(String(written.push(c))),
  });
  assert.equal(r.status, "found");
  if (r.status !== "found") return;
  // The unshrunk run is written first, whole.
  assert.equal(written[0].found?.unshrunk, true);
  assert.equal(written[0].decisions.length, 27);
  assert.ok(r.attempts <= 200, `${r.attempts} replays`);
  assert.ok(r.case.decisions.length <= 2, `${r.case.decisions.length} decisions`);
  const again = SCENARIO_KIND.run(r.case.input, { seed, decisions: r.case.decisions }, ctx);
  assert.equal(again.traceHash, r.case.traceHash);
  assert.equal(signScenarioRun(again), "invariant:page-state:K26");
  // (17 steps from run 133's scenario; 18 from run 327's.)
  assert.ok(again.steps <= 18, `${again.steps} steps`);
  // Deterministic: shrinking the same run again ends at the same case, after as many replays.
  const twice = await investigate(SCENARIO_KIND, input, out.decisions, {
    seed,
    ctx,
    sign: signScenarioRun,
    meta: { checkers: bug("supply-overwrites-present").checkers, found: { by: "test" } },
  });
  assert.equal(twice.status, "found");
  if (twice.status !== "found") return;
  assert.deepEqual(twice.case.decisions, r.case.decisions);
  assert.equal(twice.case.traceHash, r.case.traceHash);
  assert.equal(twice.attempts, r.attempts);
});

Deno.test("a run following a schedule keeps each thread's place when a thread is cut", () => {
  const three = parseScenario({
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: ["x", "y", "z"].map((name) => ({ name, ops: [{ op: "read", vmo: "a", page: 0 }] })),
  });
  const two = { ...three, threads: three.threads.slice(1) };
  const ctx = { monitors: () => [] };
  const threadsOf = (picks: SchedulePick[]) =>
    picks.flatMap((p) => "thread" in p ? [p.thread] : []);
  const schedule: SchedulePick[] = [];
  SCENARIO_KIND.run(three, { seed: 1, decisions: [3, 2], schedule }, ctx);
  // The service thread has the lowest id: 3 picks z of [fs.svc, x, y, z], then 2 picks y.
  assert.deepEqual(threadsOf(schedule).slice(0, 2), ["z", "y"]);
  // The same indices on the input without x pick the service thread (3 mod 3)...
  const replayed: SchedulePick[] = [];
  SCENARIO_KIND.run(two, { seed: 1, decisions: [3, 2], schedule: replayed }, ctx);
  assert.equal(threadsOf(replayed)[0], "fs.svc");
  // ...following the schedule by name keeps z first, and its recorded decisions replay it.
  const followed: SchedulePick[] = [];
  const f = SCENARIO_KIND.run(two, { seed: 1, follow: schedule, schedule: followed }, ctx);
  assert.deepEqual(threadsOf(followed).slice(0, 2), ["z", "y"]);
  const again = SCENARIO_KIND.run(two, { seed: 1, decisions: f.decisions }, ctx);
  assert.equal(again.traceHash, f.traceHash);
});

/** A pager of four service threads with the zoo's supplies-after-complete service, two readers. */
function fourThreads() {
  return parseScenario({
    pageSize: 64,
    pagers: [{
      name: "fs",
      service: { kind: "custom", name: "supplies-after-complete" },
      threads: 4,
    }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }, { name: "b", pager: "fs", pages: 2 }],
    threads: [
      { name: "r0", ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "b", page: 0 }] },
      { name: "r1", ops: [{ op: "read", vmo: "a", page: 1 }, { op: "read", vmo: "b", page: 1 }] },
    ],
    events: [{ do: "detach", target: "a" }, { do: "detach", target: "b" }],
  });
}

Deno.test("a shrunk case keeps no more service threads than its failure needs", async () => {
  // A user trial's shrunk case kept `threads: 4` where one thread fails the same way: a cut to one
  // thread followed a schedule naming fs.svc0..fs.svc3, none of which exists beside one fs.svc.
  // Before the picks of the removed threads went to the one left, 7 of these 12 failures kept 4.
  const input = fourThreads();
  const b = bug("supplies-after-complete");
  const ctx = { ...bugContext(b), services: { ...b.services } };
  const kept: number[] = [];
  for (let seed = 0; kept.length < 12; seed++) {
    const r = SCENARIO_KIND.run(input, { seed }, ctx);
    const signature = signScenarioRun(r);
    if (signature === null) continue;
    const found = await investigate(SCENARIO_KIND, input, r.decisions, {
      seed,
      ctx,
      sign: signScenarioRun,
      originalTraceHash: r.traceHash,
      meta: { checkers: b.checkers, found: { by: "test" } },
    });
    assert.equal(found.status, "found");
    if (found.status !== "found") return;
    const shrunk = found.case.input as typeof input;
    kept.push(shrunk.pagers[0].threads);
    const again = SCENARIO_KIND.run(shrunk, { seed, decisions: found.case.decisions }, ctx);
    assert.equal(signScenarioRun(again), signature, `seed ${seed}`);
  }
  assert.ok(kept.every((n) => n <= 2), kept.join(","));
  assert.ok(kept.filter((n) => n === 1).length >= 10, kept.join(","));
});

Deno.test("a cut to fewer service threads follows the schedule with their picks given to those left", () => {
  const four = fourThreads();
  const picks = ["fs.svc0", "r0", "fs.svc3", "fs.svc2", "r1"].map((thread) => ({ thread }));
  const one = { ...four, pagers: [{ ...four.pagers[0], threads: 1 }] };
  const two = { ...four, pagers: [{ ...four.pagers[0], threads: 2 }] };
  const names = (s: readonly SchedulePick[]) => s.map((p) => "thread" in p ? p.thread : p.draw);
  assert.deepEqual(
    names(serviceThreadsFollow([...picks, { draw: 3 }], four, one)),
    ["fs.svc", "r0", "fs.svc", "fs.svc", "r1", 3],
  );
  assert.deepEqual(
    names(serviceThreadsFollow(picks, four, two)),
    ["fs.svc0", "r0", "fs.svc1", "fs.svc0", "r1"],
  );
  assert.equal(serviceThreadsFollow(picks, four, four), picks);
});
