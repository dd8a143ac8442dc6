/**
 * Files that end mid-page and holes of any size (issue 19 item 2): the
 * services' file reads and the checkers' own model agree byte for byte; the
 * reference services serve the partial-page zero fill and the zero tail past
 * end of file across generated scenarios; a service that ignores the layout,
 * or zero-fills the tail one byte late, is caught by data-integrity.
 */

import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { drawFileLayout, generateScenario } from "../scenario/generate.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario, type ScenarioInput } from "../scenario/schema.ts";
import { scenarioCuts } from "../scenario/cuts.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { scenarioArbitrary } from "../properties/arbitraries.ts";
import { expectedFilePage } from "../properties/_backing_model.ts";
import { makeRng } from "../sim/rng.ts";
import { present } from "../kernel/assert.ts";
import { backingRange, fileRange } from "./backing.ts";
import { serveReads, type ServiceContext, supplyBytes } from "./service.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { bug } from "../zoo/registry.ts";
import zeroFillsTailOffByOne from "../examples/testdata/zero_fills_tail_off_by_one_service.ts";

const kernel = present(checkerSet("kernel"), "the kernel checker set");
const kernelAndService = present(checkerSet("kernel+service"), "the kernel+service set");

/** A service that never heard of file layouts: whole pages of the backing pattern. */
function* ignoresLayout(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(
    sys,
    ctx,
    (p, vmo) => supplyBytes(sys, ctx, vmo, p.offset, backingRange(vmo.key, p.offset, p.length)),
  );
}

function judged(s: Scenario, seed: number, services?: Record<string, typeof ignoresLayout>) {
  const monitors = kernelAndService();
  const run = runScenario(s, { seed, monitors, services });
  return settleVerdict(run, monitors);
}

const FILE: ScenarioInput = {
  pageSize: 64,
  pagers: [{ name: "fs" }],
  vmos: [{
    name: "a",
    pager: "fs",
    pages: 3,
    bytes: 64 + 40,
    holes: [{ offset: 5, length: 3 }, { offset: 60, length: 10 }],
  }],
  threads: [{
    name: "r",
    ops: [{ op: "read", vmo: "a", page: 0, pages: 3 }, { op: "mapRead", vmo: "a", page: 1 }],
  }],
};

Deno.test("the services' file read and the checkers' model agree on every layout", () => {
  const rng = makeRng(7, "layouts");
  for (let i = 0; i < 300; i++) {
    const ps = [64, 128, 256][rng.int(3)];
    const pages = 1 + rng.int(4);
    const key = 1 + rng.int(1000) + (rng.int(2) === 0 ? 0x1_0000_0000 : 0);
    const layout = drawFileLayout((n) => rng.int(n), pages * ps, ps);
    const file = { bytes: layout.bytes ?? pages * ps, holes: layout.holes ?? [] };
    for (let p = 0; p < pages; p++) {
      assert.deepEqual(
        fileRange(key, p * ps, ps, file),
        expectedFilePage(key, p, ps, file),
        `layout ${JSON.stringify(file)} page ${p}`,
      );
    }
  }
});

Deno.test("a scenario's layout must fit its VMO: one line naming the field", () => {
  const bad = (v: Partial<ScenarioInput["vmos"][number]>) => () =>
    parseScenario({ ...FILE, vmos: [{ name: "a", pager: "fs", pages: 1, ...v }] });
  assert.throws(bad({ bytes: 65 }), /vmos\.0\.bytes: 65 bytes do not fit in 1 pages of 64/);
  assert.throws(bad({ holes: [{ offset: 60, length: 5 }] }), /vmos\.0\.holes\.0: hole \[60,65\)/);
  // Without the new fields a VMO parses exactly as before: no layout fields appear.
  const plain = parseScenario({ ...FILE, vmos: [{ name: "a", pager: "fs", pages: 3 }] });
  assert.ok(!("bytes" in plain.vmos[0]) && !("holes" in plain.vmos[0]));
});

Deno.test("reads past end of file and in sub-page holes are zero: every reference service", () => {
  for (const kind of ["eager", "batching", "flaky", "detacher", "writeback"] as const) {
    const s = parseScenario({ ...FILE, pagers: [{ name: "fs", service: { kind } }] });
    for (let seed = 0; seed < 20; seed++) {
      const monitors = kernel();
      const run = runScenario(s, { seed, monitors });
      assert.equal(settleVerdict(run, monitors).kind, "pass", `${kind} seed ${seed}`);
    }
  }
});

Deno.test("a service that ignores the file layout fails data-integrity", () => {
  const s = parseScenario({
    ...FILE,
    pagers: [{ name: "fs", service: { kind: "custom", name: "ignoresLayout" } }],
  });
  const v = judged(s, 1, { ignoresLayout });
  assert.equal(v.kind, "invariant");
  assert.equal(v.kind === "invariant" ? v.invariant : "", "data-integrity");
  // The same service is right about a file without a layout.
  const whole = parseScenario({ ...s, vmos: [{ name: "a", pager: "fs", pages: 3 }] });
  assert.equal(judged(whole, 1, { ignoresLayout }).kind, "pass");
});

Deno.test("zoo zero-fills-tail-off-by-one: the byte at end of file is caught, its hint exposes it", () => {
  const zoo = bug("zero-fills-tail-off-by-one");
  const s = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "zero-fills-tail-off-by-one" } }],
    vmos: [{ name: "a", pager: "fs", pages: 2, bytes: 64 + 24 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 1 }] }],
  });
  const v = judged(s, 1, present(zoo.services, "the zoo bug's services"));
  assert.ok(v.kind === "invariant" && v.invariant === "data-integrity", JSON.stringify(v));
  assert.match(v.kind === "invariant" ? v.message : "", /at 0x58, the backing store holds 0x0/); // 64 + 24: EOF
  // The --service module is the same service.
  assert.equal(
    judged(s, 1, { "zero-fills-tail-off-by-one": zeroFillsTailOffByOne }).kind,
    "invariant",
  );
  // Off by one only at the end of the file: a whole file passes.
  const whole = parseScenario({ ...s, vmos: [{ name: "a", pager: "fs", pages: 2 }] });
  assert.equal(judged(whole, 1, present(zoo.services, "services")).kind, "pass");
});

Deno.test("campaign plans switch file layouts on for half the runs, from their own stream", () => {
  const on = Array.from({ length: 400 }, (_, k) => planRun(5, k).swarm.files === true);
  const n = on.filter(Boolean).length;
  assert.ok(n > 150 && n < 250, `${n} of 400 runs have file layouts`);
  let partial = 0, holes = 0;
  for (let k = 0; k < 60; k++) {
    const plan = planRun(5, k);
    const s = generateScenario(plan);
    const off = generateScenario({ ...plan, swarm: { ...plan.swarm, files: false } });
    // Everything else is what a plan without layouts gives.
    const strip = (x: Scenario) => ({
      ...x,
      vmos: x.vmos.map(({ bytes: _b, holes: _h, ...v }) => v),
    });
    assert.deepEqual(strip(s), off, `run ${k}`);
    assert.ok(off.vmos.every((v) => v.bytes === undefined && v.holes === undefined));
    for (const v of s.vmos) {
      if (v.bytes !== undefined && v.bytes % s.pageSize !== 0) partial++;
      holes += (v.holes ?? []).filter((h) => h.length < s.pageSize).length;
    }
  }
  assert.ok(partial > 10 && holes > 10, `${partial} mid-page ends, ${holes} sub-page holes`);
});

Deno.test("the reference services pass generated scenarios with byte sizes and sub-page holes", () => {
  let laidOut = 0;
  for (let k = 0; k < 300; k++) {
    const plan = planRun(31, k);
    const swarm = { ...plan.swarm, files: true };
    const scenario = generateScenario({ ...plan, swarm });
    laidOut += scenario.vmos.filter((v) => v.bytes !== undefined || v.holes !== undefined).length;
    const o = executePlan({ ...plan, swarm }, scenario, { monitors: kernel });
    assert.equal(o.verdict.kind, "pass", `run ${k} (${JSON.stringify(o.verdict)})`);
  }
  assert.ok(laidOut > 200, `only ${laidOut} VMOs with a layout`);
});

Deno.test("property: reference services serve drawn file layouts (fast-check)", () => {
  fc.assert(
    fc.property(scenarioArbitrary({ maxThreads: 2, maxOps: 4 }), fc.nat(1000), (s, seed) => {
      const monitors = kernel();
      const run = runScenario(s, { seed, monitors });
      const v = settleVerdict(run, monitors);
      return v.kind === "pass";
    }),
    { numRuns: 150, seed: 19 },
  );
  // The arbitrary does draw them: mid-page ends and sub-page holes.
  const drawn = fc.sample(scenarioArbitrary(), { numRuns: 100, seed: 3 }).flatMap((s) =>
    s.vmos.map((v) => ({ v, ps: s.pageSize }))
  );
  assert.ok(drawn.some(({ v, ps }) => v.bytes !== undefined && v.bytes % ps !== 0));
  assert.ok(drawn.some(({ v, ps }) => (v.holes ?? []).some((h) => h.length < ps)));
  assert.ok(
    fc.sample(scenarioArbitrary({ files: false }), { numRuns: 30, seed: 3 }).every((s) =>
      s.vmos.every((v) => v.bytes === undefined && v.holes === undefined)
    ),
  );
});

Deno.test("shrinking cuts a layout: all of it, a hole, the byte size; a smaller VMO clips it", () => {
  const s = parseScenario(FILE);
  const cuts = [...scenarioCuts(s)].map((c) => c.vmos[0]);
  assert.ok(cuts.some((v) => v.bytes === undefined && v.holes === undefined));
  assert.ok(cuts.some((v) => v.bytes === 104 && v.holes?.length === 1));
  assert.ok(cuts.some((v) => v.bytes === undefined && v.holes?.length === 2));
  const big = parseScenario({
    ...FILE,
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const clipped = [...scenarioCuts(big)].map((c) => c.vmos[0]).find((v) => v.pages === 1);
  assert.deepEqual(clipped?.bytes, 64);
  assert.deepEqual(clipped?.holes, [{ offset: 5, length: 3 }, { offset: 60, length: 4 }]);
});
