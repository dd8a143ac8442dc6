/**
 * Real sizes (issue 13.4): a third of campaign runs draw VMOs up to 1,024 pages (half of them at
 * least 256), up to 12 VMOs, 1 to 4 service threads per pager and chunked ranges that reach the
 * last page; runs without the feature keep the scenario they always had; the "sometimes"
 * counters for these boundaries are reached by a short campaign's runs.
 */

import { strict as assert } from "node:assert";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { SometimesMonitor } from "../fuzz/sometimes.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { generateScenario, LARGE_VMO_MIN, MAX_CHUNK_PAGES } from "./generate.ts";
import { parseContract } from "./service_contract.ts";
import fc from "npm:fast-check@4.11.0";
import { scenarioArbitrary } from "../properties/arbitraries.ts";
import { runScenario } from "./interpreter.ts";

const PLANS = Array.from({ length: 300 }, (_, k) => planRun(1, k));

Deno.test("real sizes: a share of runs has VMOs past 64 pages, chunks reach the last page", () => {
  const real = PLANS.filter((p) => p.swarm.realSizes === true);
  assert(real.length > 60 && real.length < 140, `${real.length} of 300 runs with real sizes`);
  let large = 0, manyVmos = 0, fourThreads = 0, tail = 0;
  for (const plan of real) {
    const s = generateScenario(plan);
    if (s.vmos.some((v) => v.pages >= LARGE_VMO_MIN)) large++;
    const perPager = new Map<string, number>();
    for (const v of s.vmos) perPager.set(v.pager, (perPager.get(v.pager) ?? 0) + 1);
    if (Math.max(...perPager.values()) >= 8) manyVmos++;
    if (s.pagers.some((p) => p.threads === 4)) fourThreads++;
    for (const t of s.threads) {
      for (const op of t.ops) {
        if (!("page" in op)) continue;
        const v = s.vmos.find((x) => x.name === op.vmo);
        if (v === undefined || v.pages < LARGE_VMO_MIN) continue;
        assert(op.pages <= MAX_CHUNK_PAGES, `run ${plan.k}: a chunk of ${op.pages} pages`);
        if (op.page + op.pages === v.pages) tail++;
      }
    }
  }
  assert(large > real.length / 3, `${large} runs with a large VMO`);
  assert(manyVmos > 0 && fourThreads > 0 && tail > 0, `${manyVmos} ${fourThreads} ${tail}`);
  // Without the feature, nothing is large: the old universe.
  for (const plan of PLANS.filter((p) => p.swarm.realSizes !== true)) {
    assert(generateScenario(plan).vmos.every((v) => v.pages <= 6), `run ${plan.k}`);
  }
});

Deno.test("real sizes draw from a stream of their own: switched off, a run keeps its scenario", () => {
  for (const plan of PLANS.filter((p) => p.swarm.realSizes === true).slice(0, 20)) {
    const off = generateScenario({ ...plan, swarm: { ...plan.swarm, realSizes: false } });
    const { realSizes: _, ...before } = plan.swarm;
    assert.deepEqual(generateScenario({ ...plan, swarm: before }), off, `run ${plan.k}`);
    assert(off.vmos.length <= 3 && off.pagers.every((p) => p.threads <= 2));
  }
});

Deno.test("real sizes stay inside a contract's VMO and thread ranges", () => {
  const c = parseContract({ vmoPages: { min: 1, max: 256 }, threads: { min: 1, max: 2 } });
  for (const plan of PLANS.filter((p) => p.swarm.realSizes === true)) {
    const s = generateScenario(plan, c);
    for (const v of s.vmos) assert(v.pages <= 256, `run ${plan.k}: ${v.pages} pages`);
    for (const p of s.pagers) assert(p.threads <= 2, `run ${plan.k}: ${p.threads} threads`);
  }
});

Deno.test("the real-sizes sometimes counters are reached by a campaign's runs", () => {
  const hit = new Set<string>();
  // four-service-threads is the rarest (about 1 run in 100 of a campaign): 900 plans, not 300.
  const plans = Array.from({ length: 900 }, (_, k) => planRun(1, k));
  for (const plan of plans.filter((p) => p.swarm.realSizes === true)) {
    const counter = new SometimesMonitor();
    executePlan(plan, generateScenario(plan), { monitors: () => [...kernelInvariants(), counter] });
    for (const h of counter.hit) hit.add(h);
  }
  for (
    const c of [
      "large-vmo-request",
      "last-page-request",
      "many-vmos-per-pager",
      "four-service-threads",
    ]
  ) {
    assert(hit.has(c), `${c} never reached (${[...hit].join(", ")})`);
  }
});

Deno.test("the fast-check arbitraries draw real sizes on request, within a contract", () => {
  const draws = fc.sample(scenarioArbitrary({ realSizes: true }), { numRuns: 200, seed: 1 });
  assert(draws.some((s) => s.vmos.some((v) => v.pages >= LARGE_VMO_MIN)));
  assert(draws.some((s) => s.vmos.length >= 8 && s.pagers.some((p) => p.threads === 4)));
  assert(draws.some((s) =>
    s.threads.some((t) =>
      t.ops.some((o) => {
        const v = s.vmos.find((x) => x.name === o.vmo);
        return "page" in o && v !== undefined && v.pages >= LARGE_VMO_MIN &&
          o.page + o.pages === v.pages;
      })
    )
  ));
  // Without it: the small universe, as before.
  for (const s of fc.sample(scenarioArbitrary(), { numRuns: 200, seed: 1 })) {
    assert(s.vmos.length <= 3 && s.vmos.every((v) => v.pages <= 6));
  }
  const c = parseContract({ vmoPages: { min: 300, max: 400 }, threads: { min: 1, max: 2 } });
  for (const s of fc.sample(scenarioArbitrary({ realSizes: true, contract: c }), 100)) {
    assert(s.vmos.every((v) => v.pages >= 300 && v.pages <= 400));
    assert(s.pagers.every((p) => p.threads <= 2));
  }
});

Deno.test("a real-sizes property run passes under every kernel checker", () => {
  fc.assert(
    fc.property(
      scenarioArbitrary({ realSizes: true, services: ["eager", "batching"], events: [] }),
      (s) => {
        const r = runScenario(s, { seed: 1, keepTrace: false, monitors: kernelInvariants() });
        assert(r.verdict.kind === "pass", `${r.verdict.kind}`);
      },
    ),
    { numRuns: 30, seed: 2 },
  );
});

Deno.test("the share of a campaign's runs whose VMOs exceed 64 pages (issue 13's before/after figure)", () => {
  // `deno task fuzz --runs 2000 --seed 1` runs these 2,000 plans; before real sizes none had one.
  let over = 0;
  for (let k = 0; k < 2000; k++) {
    if (generateScenario(planRun(1, k)).vmos.some((v) => v.pages > 64)) over++;
  }
  console.log(`runs with a VMO over 64 pages: ${over} of 2000 (${(over / 20).toFixed(1)}%)`);
  assert(over > 400 && over < 800, `${over} of 2000`);
});
