/**
 * userS29a (session 29, helper shrink29): a campaign interrupted (SIGINT) while it shrank run 133
 * of seed 1 against their tinyfs wrote `shrunk to size 466 (from 382; 298 decisions from 168; cut
 * short…)`: a case larger than the unshrunk run. Input cuts are kept whenever they still fail,
 * and the run a cut records may have more decisions than it cut from the input (past the schedule
 * it follows, a run takes default picks): 214 + 168 became 213 + 166, then 212 + 322. A finished
 * shrink takes them back; a stop kept the last case kept. The driver now returns the smallest case
 * it met (the store's order, `caseSize`), so a case written after a stop is never larger than the
 * run it started from. tinyfs is the user's service, copied once into case/testdata/blame29/.
 */
import { strict as assert } from "node:assert";
import { investigate } from "./investigate.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { type CaseEnvelope, caseSize } from "./envelope.ts";
import { loadServiceModule } from "./store.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { campaignScenario, signScenarioRun } from "../fuzz/engine.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import { contractOf } from "../scenario/service_contract.ts";

Deno.test("a shrink stopped early keeps the smallest case it met, never one larger than the run", async () => {
  const user = await loadServiceModule(
    new URL("./testdata/blame29/tinyfs/tinyfs_bug.ts", import.meta.url).pathname,
  );
  const ctx = {
    monitors: scenarioCheckers("kernel+service"),
    services: { ...NAMED_SERVICES, user },
  };
  const plan = planRun(1, 133);
  const input = campaignScenario(plan, "user", contractOf(user)?.contract);
  const out = executePlan(plan, input, ctx);
  // Signed lost-wakeup since blame29 (the user saw dropped-after-error: a failed answer on
  // another pager's VMO with the same key was blamed); the shrink's shape is the same.
  assert.equal(out.signature, "lost-wakeup:condvar queue nonempty");
  assert.equal(out.decisions.length, 168);
  const written: CaseEnvelope<typeof input>[] = [];
  const sizes: number[] = [];
  let tried = 0;
  const r = await investigate(SCENARIO_KIND, input, out.decisions, {
    seed: plan.runSeed,
    ctx,
    sign: signScenarioRun,
    originalTraceHash: out.traceHash,
    meta: { checkers: "kernel+service", found: { by: "test" } },
    persist: (c) => Promise.resolve(String(written.push(c))),
    // The interrupt comes after 8 candidate runs: by then the last case kept was 209 + 335.
    abort: () => tried >= 8,
    shrinkProgress: (p) => {
      tried = p.attempts;
      sizes.push(p.size);
    },
  });
  assert.equal(r.status, "found");
  if (r.status !== "found") return;
  assert.equal(r.shrinkCut, true);
  const [unshrunk, settled] = written;
  assert.equal(caseSize(unshrunk), 382);
  assert.ok(caseSize(settled) <= caseSize(unshrunk), `${caseSize(settled)} > 382`);
  assert.equal(settled.found?.shrinkCut, true);
  // What the progress line shows is that case's size: it never grows.
  assert.ok(sizes.every((s, i) => s <= (i === 0 ? 382 : sizes[i - 1])), sizes.join(" "));
  assert.equal(sizes[sizes.length - 1], caseSize(settled));
  // The case replays as written.
  const again = SCENARIO_KIND.run(settled.input, {
    seed: plan.runSeed,
    decisions: settled.decisions,
  }, ctx);
  assert.equal(signScenarioRun(again), out.signature);
  assert.equal(again.traceHash, settled.traceHash);
});
