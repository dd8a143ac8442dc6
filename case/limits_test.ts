// A case records the limits its run had, and old cases without them still read (issue hC: a
// case found under --run-timeout 1 was replayed by `deno task repro` under the default 5 s).
import { strict as assert } from "node:assert";
import { parseCase } from "./envelope.ts";
import { toEnvelope } from "./investigate.ts";
import { SCENARIO_KIND } from "./kinds.ts";
import { readCaseFile } from "./store.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { parseScenario } from "../scenario/schema.ts";

Deno.test("a case records its limits: the input's step limit and the run's wall-clock and heap limits", () => {
  const input = parseScenario({
    maxSteps: 300,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = SCENARIO_KIND.run(input, { seed: 1 }, { monitors: kernelInvariants });
  const c = toEnvelope(SCENARIO_KIND, input, 1, run, {
    checkers: "kernel",
    limits: { runTimeout: 2, memoryMb: 256 },
    found: { by: "test" },
  });
  assert.deepEqual(c.limits, { maxSteps: 300, runTimeout: 2, memoryMb: 256 });
  const back = parseCase(JSON.parse(JSON.stringify(c)), "c.json");
  assert.ok("case" in back, JSON.stringify(back));
  assert.deepEqual(back.case.limits, c.limits);
  const bad = parseCase({ ...c, limits: { ...c.limits, runTimeout: 0 } }, "c.json");
  assert.ok("errors" in bad && bad.errors.some((e) => e.field === "limits.runTimeout"));
});

Deno.test("an old case without limits still reads (its replay uses the defaults)", async () => {
  const c = await readCaseFile("corpus/fxfs-no-page-in-barrier.json");
  assert.equal(c.limits, undefined);
});

Deno.test("a case records its confirmation limit, never below its run limit; a case without one still reads", () => {
  const input = parseScenario({
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = SCENARIO_KIND.run(input, { seed: 1 }, { monitors: kernelInvariants });
  const c = toEnvelope(SCENARIO_KIND, input, 1, run, {
    checkers: "kernel",
    limits: { runTimeout: 2, memoryMb: 256, confirmTimeout: 4 },
    found: { by: "test" },
  });
  const back = parseCase(JSON.parse(JSON.stringify(c)), "c.json");
  assert.ok("case" in back, JSON.stringify(back));
  assert.equal(back.case.limits?.confirmTimeout, 4);
  const { confirmTimeout: _, ...older } = c.limits ?? {};
  const old = parseCase({ ...c, limits: older }, "c.json");
  assert.ok("case" in old && old.case.limits?.confirmTimeout === undefined);
  const low = parseCase({ ...c, limits: { ...c.limits, confirmTimeout: 1 } }, "c.json");
  assert.ok("errors" in low && low.errors.some((e) => e.field === "limits.confirmTimeout"));
});
