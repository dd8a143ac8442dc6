import { strict as assert } from "node:assert";
import { investigate } from "./investigate.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { parseScenario } from "../scenario/schema.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import type { CaseEnvelope } from "./envelope.ts";
import type { PagerService } from "../services/service.ts";
import { eagerService } from "../services/mod.ts";
import type { KindRun } from "./kind.ts";

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

Deno.test("investigate persists the unshrunk case before shrinking, then the shrunk one", async () => {
  const run = SCENARIO_KIND.run(scenario, { seed: 3 }, ctx);
  assert.notEqual(run.verdict.kind, "pass");
  const written: CaseEnvelope[] = [];
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
  });
  assert.equal(r.status, "found");
  if (r.status !== "found") return;
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
