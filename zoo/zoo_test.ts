import { strict as assert } from "node:assert";
import { checkCase, verdictLabel } from "../properties/check_case.ts";
import { checkersOf } from "../case/kinds.ts";
import { readCorpus as loadCorpus, replayCase } from "../case/store.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { bug, ZOO } from "./registry.ts";
import { earlyWakeSkipsPage } from "./kernel_bugs.ts";

const CORPUS = new URL("../corpus", import.meta.url).pathname;

Deno.test("every zoo bug stays in the corpus, caught by the checker the zoo names", async () => {
  const { cases } = await loadCorpus(CORPUS);
  for (const bug of ZOO) {
    const found = cases.find((c) => c.case.bug === bug.id);
    assert.ok(found !== undefined, `no corpus case for zoo bug ${bug.id}`);
    assert.equal(found.case.expected, `invariant:${bug.caughtBy}`, bug.id);
    const r = await replayCase(found.case, found.file);
    assert.ok(r.ok, `${bug.id}: replayed to ${r.verdict} ${r.traceHash}`);
  }
});

Deno.test("each zoo case fails because of its bug: without it the same schedule passes", async () => {
  const { cases } = await loadCorpus(CORPUS);
  for (const { case: kase } of cases.filter((c) => c.case.bug !== undefined)) {
    const bug = ZOO.find((b) => b.id === kase.bug)!;
    // The correct counterpart: the model as specified, or the eager reference service.
    const input = kase.input as Scenario;
    const scenario: Scenario = bug.kind === "kernel" ? input : {
      ...input,
      pagers: input.pagers.map((p) => ({ ...p, service: { ...p.service, kind: "eager" } })),
    };
    const r = checkCase(
      { scenario, decisions: kase.decisions, seed: kase.seed },
      { monitors: checkersOf(kase.checkers as "kernel") },
    );
    assert.equal(verdictLabel(r.verdict), "pass", `${bug.id} without the bug`);
  }
});

Deno.test("bug() gives zoo kernel bugs a kernel variant and service bugs their service", () => {
  for (const zb of ZOO) {
    const b = bug(zb.id);
    if (zb.kind === "kernel") {
      assert.ok(b.kernel === zb.makeKernel && b.checkers === "kernel", zb.id);
    } else {
      assert.ok(b.services?.[zb.id] === zb.service && b.checkers === "kernel+service", zb.id);
    }
  }
  assert.throws(() => bug("no-such-bug"), /no seeded bug "no-such-bug"/);
});

Deno.test("the early-wake variant's read path is the model's when nothing wakes early", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 3 }],
    threads: [
      { name: "r0", ops: [{ op: "read", vmo: "a", page: 0, pages: 3 }] },
      { name: "r1", ops: [{ op: "read", vmo: "a", page: 1, pages: 2 }] },
    ],
    events: [{ do: "detach", target: "a" }],
  });
  for (let seed = 0; seed < 100; seed++) {
    const monitors = kernelInvariants();
    const run = runScenario(scenario, { seed, monitors, makeKernel: earlyWakeSkipsPage });
    assert.equal(settleVerdict(run, monitors).kind, "pass", `seed ${seed}`);
  }
});
