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

// A VMO made by the service's own `open` (a contract's `opens` clause) counts as plain or
// trap-dirty like one the harness makes: campaigns of opens-services printed "plainVmo 0"
// while every run opened plain VMOs (trial friction 11).
Deno.test("a VMO the service's open makes is delivered as plainVmo or trapDirtyVmo", async () => {
  const { withContract } = await import("../mod.ts");
  const inode = await import("../examples/inode_pager.ts");
  const fs = withContract(inode.default, inode.contract, { open: inode.open, close: inode.close });
  const run = runScenario(
    parseScenario({
      pageSize: 64,
      pagers: [{ name: "fs", service: { kind: "custom", name: "fs" } }],
      vmos: [
        { name: "a", pager: "fs", pages: 2, startsClosed: true },
        { name: "b", pager: "fs", pages: 1, startsClosed: true, resizable: true },
      ],
      threads: [{
        name: "t",
        ops: [
          { op: "open", vmo: "a" },
          { op: "read", vmo: "a", page: 0, pages: 2 },
          { op: "close", vmo: "a" },
          { op: "open", vmo: "a" },
          { op: "open", vmo: "b" },
        ],
      }],
    }),
    { seed: 1, services: { fs } },
  );
  assert.equal(run.verdict.kind, "pass");
  assert.equal(run.delivered.fileOpen, 3);
  assert.equal(run.delivered.plainVmo, 3);
  assert.equal(run.delivered.resizableVmo, 1);
  assert.equal(run.delivered.trapDirtyVmo, undefined);
});
