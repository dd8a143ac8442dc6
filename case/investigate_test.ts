import { strict as assert } from "node:assert";
import { investigate } from "./investigate.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { parseScenario } from "../scenario/schema.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import type { CaseEnvelope } from "./envelope.ts";
import { parseCase } from "./envelope.ts";
import type { PagerService } from "../services/service.ts";
import { eagerService } from "../services/mod.ts";
import type { KindRun } from "./kind.ts";
import { knownCases, writeCase } from "./store.ts";

const scenario = parseScenario({
  pageSize: 64,
  pagers: [{ name: "fs", service: { kind: "custom", name: "drops-every-other-request" } }],
  vmos: [{ name: "a", pager: "fs", pages: 4 }],
  threads: [
    { name: "r0", ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }] },
    { name: "r1", ops: [{ op: "read", vmo: "a", page: 2 }, { op: "info", vmo: "a" }] },
  ],
});
const ctx = { monitors: scenarioCheckers("kernel"), services: NAMED_SERVICES };
const sign = (r: KindRun) => signatureOf(r.verdict, r.raw);

/** Investigates the fixture's failing run (seed 3), its shrinking aborted after `abortAfter` asks. */
async function investigated(abortAfter: number | null) {
  const run = SCENARIO_KIND.run(scenario, { seed: 3 }, ctx);
  assert.notEqual(run.verdict.kind, "pass");
  const written: CaseEnvelope[] = [];
  let asked = 0;
  const r = await investigate(SCENARIO_KIND, scenario, run.decisions, {
    seed: 3,
    ctx,
    sign,
    originalTraceHash: run.traceHash,
    meta: { checkers: "kernel", found: { by: "test" } },
    persist: (c) => {
      written.push(c);
      return Promise.resolve(`case-${written.length}`);
    },
    ...(abortAfter !== null ? { abort: () => ++asked > abortAfter } : {}),
  });
  assert.equal(r.status, "found");
  if (r.status !== "found") throw new Error("unreachable");
  return { run, r, written };
}

Deno.test("investigate persists the unshrunk case before shrinking, then the shrunk one", async () => {
  const { run, r, written } = await investigated(null);
  assert.equal(written.length, 2);
  assert.equal(written[0].found?.unshrunk, true);
  assert.equal(written[0].decisions.length, run.decisions.length);
  assert.ok(written[1].input !== scenario);
  assert.equal(r.case.signature, r.signature);
  assert.equal(r.file, "case-2");
  // The shrunk case replays to its recorded verdict and hash.
  const again = SCENARIO_KIND.run(r.case.input, { seed: 3, decisions: r.case.decisions }, ctx);
  assert.equal(again.traceHash, r.case.traceHash);
});

Deno.test("investigate skips a known signature without persisting", async () => {
  const run = SCENARIO_KIND.run(scenario, { seed: 3 }, ctx);
  let writes = 0;
  const r = await investigate(SCENARIO_KIND, scenario, run.decisions, {
    seed: 3,
    ctx,
    sign,
    known: () => true,
    meta: { checkers: "kernel", found: { by: "test" } },
    persist: () => Promise.resolve(`${++writes}`),
  });
  assert.equal(r.status, "known");
  assert.equal(writes, 0);
});

Deno.test("a run that does not replay the same way is nondeterminism, never a case", async () => {
  // A service that draws from host randomness: two replays of one decision list differ.
  let flips = 0;
  const flaky: PagerService = (sys, c) => {
    flips++;
    return flips % 2 === 0
      ? NAMED_SERVICES["drops-every-other-request"](sys, c)
      : eagerService(sys, c);
  };
  const nd = { ...ctx, services: { ...NAMED_SERVICES, "drops-every-other-request": flaky } };
  const run = SCENARIO_KIND.run(scenario, { seed: 3 }, ctx);
  let writes = 0;
  const r = await investigate(SCENARIO_KIND, scenario, run.decisions, {
    seed: 3,
    ctx: nd,
    sign,
    originalTraceHash: run.traceHash,
    meta: { checkers: "kernel", found: { by: "test" } },
    persist: () => Promise.resolve(`${++writes}`),
  });
  assert.equal(r.status, "nondeterministic");
  assert.equal(writes, 0);
  if (r.status === "nondeterministic") {
    assert.ok(r.divergence !== null, "names the first diverging step");
    assert.match(r.divergence.first + r.divergence.second, /thread \d+ in zx_/);
  }
});

Deno.test("a persist failure is reported and the finding still comes back", async () => {
  const run = SCENARIO_KIND.run(scenario, { seed: 3 }, ctx);
  const r = await investigate(SCENARIO_KIND, scenario, run.decisions, {
    seed: 3,
    ctx,
    sign,
    meta: { checkers: "kernel", found: { by: "test" } },
    persist: () => Promise.reject(new Error("read-only")),
  });
  assert.equal(r.status, "found");
  if (r.status === "found") assert.equal(r.writeError, "read-only");
});

// A finding whose shrinking the campaign's end cut short (the user's Ctrl-C while it shrank) is
// written marked `found.shrinkCut`, and is not "known": the next campaign that meets it
// investigates it again and the smaller case stays (trial friction: a half-shrunk case was
// reported as "shrunk to size 37" and never shrunk again; uninterrupted it shrinks to 10).

Deno.test("a shrink cut short is written marked shrinkCut; a finished one is not", async () => {
  const whole = await investigated(null);
  assert.equal(whole.r.shrinkCut, false);
  assert.equal(whole.r.case.found?.shrinkCut, undefined);
  const cut = await investigated(2);
  assert.equal(cut.r.shrinkCut, true);
  assert.equal(cut.r.case.found?.shrinkCut, true);
  // The cut case still fails as recorded and is no smaller than the finished one.
  assert.equal(cut.r.case.signature, whole.r.case.signature);
  assert.ok(cut.r.case.decisions.length >= whole.r.case.decisions.length);
  // The mark survives the case schema (a corpus file round-trips it).
  const back = parseCase(JSON.parse(JSON.stringify(cut.r.case)), "cut.json");
  assert.ok("case" in back, JSON.stringify(back));
  if ("case" in back) assert.equal(back.case.found?.shrinkCut, true);
});

Deno.test("a corpus's cut-short case is not known, so the next campaign shrinks it again", async () => {
  const cut = await investigated(2);
  const whole = await investigated(null);
  const dir = await Deno.makeTempDir({ prefix: "pagersim-shrinkcut-" });
  try {
    await writeCase(dir, cut.r.case);
    assert.equal((await knownCases(dir)).size, 0, "a cut-short case must not count as known");
    await writeCase(dir, whole.r.case);
    const known = await knownCases(dir);
    assert.equal(known.size, 1);
    assert.ok(known.has(whole.r.case.signature!));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a finished shrink replaces a cut-short case of the same size, so it becomes known", async () => {
  const whole = await investigated(null);
  // A cut after the last candidate that would have helped: the same case, marked cut short.
  let cut = await investigated(0);
  for (let k = 1; !(cut.r.shrinkCut && cut.r.case.traceHash === whole.r.case.traceHash); k++) {
    assert.ok(k < 100, "no cut-short investigation ends on the finished case");
    cut = await investigated(k);
  }
  const dir = await Deno.makeTempDir({ prefix: "pagersim-shrinkcut-" });
  try {
    await writeCase(dir, cut.r.case);
    await writeCase(dir, whole.r.case);
    assert.ok((await knownCases(dir)).has(whole.r.case.signature!), "the cut mark stuck");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a finished shrink larger than a cut-short case leaves the smaller case, no longer marked cut", async () => {
  const whole = await investigated(null);
  const larger = await investigated(0);
  assert.ok(larger.r.case.decisions.length > whole.r.case.decisions.length, "no larger case");
  const { shrinkCut: _, ...finishedFound } = larger.r.case.found ?? { by: "test" };
  const finished = { ...larger.r.case, found: finishedFound };
  const dir = await Deno.makeTempDir({ prefix: "pagersim-shrinkcut-" });
  try {
    const smallCut = { ...whole.r.case, found: { ...whole.r.case.found!, shrinkCut: true } };
    const file = await writeCase(dir, smallCut);
    assert.equal((await knownCases(dir)).size, 0);
    await writeCase(dir, finished);
    const kept = JSON.parse(await Deno.readTextFile(file));
    assert.equal(kept.traceHash, whole.r.case.traceHash, "the smaller case must stay");
    assert.equal(kept.found.shrinkCut, undefined, "the cut mark must go once a shrink finished");
    assert.ok((await knownCases(dir)).has(whole.r.case.signature!));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corpus's unshrunk case (its campaign killed while shrinking) is not known", async () => {
  const whole = await investigated(null);
  const dir = await Deno.makeTempDir({ prefix: "pagersim-unshrunk-" });
  try {
    await writeCase(dir, { ...whole.r.case, found: { by: "fuzz", unshrunk: true } });
    assert.equal((await knownCases(dir)).size, 0, "an unshrunk case must not count as known");
    await writeCase(dir, whole.r.case);
    assert.ok((await knownCases(dir)).has(whole.r.case.signature!));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
