import { strict as assert } from "node:assert";
import { cycles, offences, projectGraph } from "./check_structure.ts";

Deno.test("cycles finds folder and file cycles (as sim <-> services was)", () => {
  const edges = new Map([
    ["sim", new Set(["services", "kernel"])],
    ["services", new Set(["sim"])],
    ["kernel", new Set<string>()],
  ]);
  assert.deepEqual(cycles(edges), [["services", "sim"]]);
  const found = offences([
    { path: "sim/run.ts", imports: ["services/mod.ts"] },
    { path: "services/mod.ts", imports: ["sim/sys.ts"] },
    { path: "sim/sys.ts", imports: [] },
    { path: "fuzz/worker.ts", imports: ["cli/sim.ts"] },
    { path: "cli/sim.ts", imports: [] },
    { path: "properties/corpus.ts", imports: [] },
  ], new Map([["properties/corpus.ts", "await Deno.readTextFile(file);"]]));
  assert.ok(found.includes("folder cycle: services <-> sim"), found.join("\n"));
  assert.ok(found.some((f) => f.startsWith("fuzz/worker.ts imports cli/sim.ts")), found.join("\n"));
  assert.ok(found.some((f) => f.startsWith("properties/corpus.ts:1: file or process I/O")));
});

Deno.test("a file cycle of type-only imports is allowed; one with a value import is not", () => {
  const typeOnly = offences([
    { path: "kernel/a.ts", imports: ["kernel/b.ts"], codeImports: [] },
    { path: "kernel/b.ts", imports: ["kernel/a.ts"], codeImports: [] },
  ], new Map());
  assert.deepEqual(typeOnly, []);
  const mixed = offences([
    { path: "report/a.ts", imports: ["report/b.ts"], codeImports: ["report/b.ts"] },
    { path: "report/b.ts", imports: ["report/a.ts"], codeImports: [] },
  ], new Map());
  assert.deepEqual(mixed, ["file cycle: report/a.ts <-> report/b.ts"]);
});

Deno.test("the project has no import cycle, no CLI code outside cli/, no stray file I/O", async () => {
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const { modules, sources } = await projectGraph(root);
  assert.ok(modules.length > 100);
  assert.deepEqual(offences(modules, sources), []);
});
