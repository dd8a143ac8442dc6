import { strict as assert } from "node:assert";
import { runScenario } from "./interpreter.ts";
import { parseScenario } from "./schema.ts";

// An environment event counts as delivered to the services (ScenarioRun.delivered, which the
// campaign's contract counters read) only when its thread ran to the end.
const scenario = (notBefore: number) =>
  parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
    events: [{ do: "suspend", target: "r", notBefore }],
  });

Deno.test("an environment event that ran is delivered once; one that never started is not", () => {
  const ran = runScenario(scenario(0), { seed: 1 });
  assert.equal(ran.verdict.kind, "pass");
  const env = ran.world.threads.find((t) => t.role === "env");
  assert.equal(env?.end.kind, "exited");
  assert.equal(ran.delivered.suspend, 1);
  assert.equal(ran.delivered.plainVmo, 1);

  const late = runScenario(scenario(10_000), { seed: 1 });
  assert.equal(late.verdict.kind, "pass");
  assert.notEqual(late.world.threads.find((t) => t.role === "env")?.end.kind, "exited");
  assert.equal(late.delivered.suspend, undefined);
});
