// A property and a campaign judge a service on the same universe: every feature of the scenarios
// a `fuzz --service` campaign runs is also drawn by the arbitrary the README's property uses.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { scenarioArbitrary } from "./arbitraries.ts";
import { planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { withService } from "../scenario/bind.ts";
import type { Scenario } from "../scenario/schema.ts";

const bucket = (n: number, edges: readonly number[]) => edges.filter((e) => n >= e).length;

/** What a scenario exercises, coarsely: kinds, flags, and sizes in buckets. */
function features(s: Scenario): Set<string> {
  const f = new Set<string>();
  f.add(`pageSize ${s.pageSize}`);
  f.add(`pagers ${s.pagers.length}`);
  f.add(`vmos ${s.vmos.length}`);
  f.add(`threads ${s.threads.length}`);
  f.add(`events ${bucket(s.events.length, [1, 3, 6])}`);
  if (s.overtimeTicks > 0) f.add("overtime");
  for (const p of s.pagers) {
    f.add(`service ${p.service.kind}`);
    f.add(`service threads ${p.threads}`);
    f.add(`closePager ${p.service.closePager}`);
  }
  const kindOf = new Map(s.pagers.map((p) => [p.name, p.service.kind]));
  for (const v of s.vmos) {
    // Exact up to 8 pages; past that, buckets (real sizes draw up to 1,024).
    f.add(v.pages <= 8 ? `pages ${v.pages}` : `pages bucket ${bucket(v.pages, [9, 65, 256, 513])}`);
    if (v.trapDirty) f.add(`trapDirty on ${kindOf.get(v.pager)}`);
    if (v.resizable) f.add("resizable");
    if ((v.key ?? 0) >= 2 ** 32) f.add("key past 32 bits");
  }
  for (const t of s.threads) {
    f.add(`ops ${bucket(t.ops.length, [1, 2, 4])}`);
    if (t.failInsteadOfBlock) f.add("failInsteadOfBlock");
    for (const o of t.ops) f.add(`op ${o.op}`);
  }
  for (const e of s.events) {
    f.add(`event ${e.do}`);
    f.add(`notBefore ${bucket(e.notBefore, [1, 50, 100])}`);
  }
  return f;
}

// Regression (issue 12): the arbitrary gave trap-dirty VMOs only to writeback pagers, never to a
// custom service, and never drew the overtime timeout or keys past 32 bits; a campaign does.
Deno.test("arbitraries: a custom service's property draws every feature its campaign runs", () => {
  const N = 3000;
  const campaign = new Set<string>();
  // The campaign's joined readers (scenario/generate.ts addJoinedReaders, session 28) included:
  // the arbitrary draws them too since session 29 (their 4 to 6 faulting threads had been a gap).
  for (let k = 0; k < N; k++) {
    const s = generateScenario(planRun(7, k));
    for (const x of features(withService(s, "user"))) campaign.add(x);
  }
  // The campaign's real-sizes runs (issue 13.4) are the arbitrary's `realSizes` universe.
  const property = new Set<string>();
  for (const realSizes of [false, true]) {
    const arb = scenarioArbitrary({ services: [], customServices: ["user"], realSizes });
    for (const s of fc.sample(arb, { numRuns: N, seed: 7 })) {
      for (const x of features(s)) property.add(x);
    }
  }
  const missing = [...campaign].filter((x) => !property.has(x)).sort();
  assert.deepEqual(missing, [], `the campaign runs what the property never draws: ${missing}`);
  assert.ok(campaign.has("trapDirty on custom"));
});
