import { strict as assert } from "node:assert";
import { stepBudgetLines, unrestedLines } from "./_output.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import type { ServiceContext, Sys, ThreadBody } from "../mod.ts";

// A user's service that loops through syscalls and never serves (user trial, friction 1): the run
// reaches its step limit, but no-lost-requests reports the unanswered READs first, so the verdict
// is that invariant's; the `stuck:` line must still name the looping thread (before: no line).
function* spins(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) yield* sys.vmoGetSize(ctx.vmos[0].handle);
}
const scenario = parseScenario({
  pageSize: 64,
  maxSteps: 400,
  pagers: [{ name: "fs", service: { kind: "custom", name: "spins" } }],
  vmos: [{ name: "blob", pager: "fs", pages: 4 }],
  threads: [
    { name: "r0", ops: [{ op: "read", vmo: "blob", page: 0 }] },
    { name: "r1", ops: [{ op: "read", vmo: "blob", page: 2 }] },
  ],
});

Deno.test("a run at its step limit names the looping thread whichever checker fired", () => {
  const run = runScenario(scenario, {
    seed: 0,
    services: { spins },
    monitors: scenarioCheckers("kernel+service")(),
  });
  assert.notEqual(run.verdict.kind, "pass");
  assert.equal(run.steps, 400);
  const lines = stepBudgetLines(run);
  assert.equal(lines.length, 1, `verdict ${run.verdict.kind}`);
  assert.match(
    lines[0],
    /^stuck: t1 "fs\.svc" took \d+ of the 400 steps and was still running at step 400, the step limit \(maxSteps\); parked: t2 "r0" waits on vmo \d+: READ request .*; t3 "r1" waits on vmo \d+: READ request/,
  );
});

Deno.test("a failing run that ends before its step limit gets no stuck line", () => {
  // deno-lint-ignore require-yield
  function* throws(): ThreadBody {
    throw new Error("bad service");
  }
  // The same scenario, its pager served by a service that throws at once.
  const run = runScenario(scenario, {
    seed: 0,
    services: { spins: throws },
    monitors: scenarioCheckers("kernel+service")(),
  });
  assert.notEqual(run.verdict.kind, "pass");
  assert.ok(run.steps < 400, `${run.steps}`);
  assert.deepEqual(stepBudgetLines(run), []);
});

Deno.test("a run ended by the liveness bound names the looping thread too", () => {
  // The user's case: the default maxSteps is far off; the fair phase ends the run first.
  const run = runScenario({
    ...scenario,
    maxSteps: 100_000,
    liveness: { afterSteps: 50, bound: 150 },
  }, {
    seed: 0,
    services: { spins },
    monitors: scenarioCheckers("kernel+service")(),
  });
  assert.notEqual(run.verdict.kind, "pass");
  assert.equal(run.steps, 200);
  const lines = stepBudgetLines(run);
  assert.equal(lines.length, 1, `verdict ${run.verdict.kind}`);
  assert.match(
    lines[0],
    /^stuck: t1 "fs\.svc" took \d+ of the 200 steps and was still running at step 200, the end of the liveness phase \(150 fair steps from step 50, and the workload had not finished\); parked: t2 "r0"/,
  );
});

// The same spinner when the workload needs nothing of it (a detach answers the read): the run
// passes, but never comes to rest (user19, friction 2: "verdict: pass" and nothing else). The
// note says so and names the spinning thread; a service that blocks gets no note.
Deno.test("a pass that never came to rest says so and names the thread still running", () => {
  const detached = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "spins" } }],
    vmos: [{ name: "blob", pager: "fs", pages: 2 }],
    threads: [{ name: "r0", ops: [{ op: "read", vmo: "blob", page: 0 }] }],
    events: [{ do: "detach", target: "blob" }],
  });
  const monitors = scenarioCheckers("kernel+service");
  const spun = runScenario(detached, { seed: 4, services: { spins }, monitors: monitors() });
  assert.equal(spun.verdict.kind, "pass");
  const lines = unrestedLines(spun);
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^note: the run never came to rest: the workload ended at step \d+ and the quiescent tail stopped at step \d+, its bound, with t1 "fs\.svc" \(service\) still running; /,
  );
  const rested = runScenario(
    parseScenario({
      pageSize: 64,
      pagers: [{ name: "fs", service: { kind: "eager" } }],
      vmos: [{ name: "blob", pager: "fs", pages: 2 }],
      threads: [{ name: "r0", ops: [{ op: "read", vmo: "blob", page: 0 }] }],
      events: [{ do: "detach", target: "blob" }],
    }),
    { seed: 4, monitors: monitors() },
  );
  assert.equal(rested.verdict.kind, "pass");
  assert.deepEqual(unrestedLines(rested), []);
});
