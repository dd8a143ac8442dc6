// userS29a (session 29): the first `deno task sim` in a user's project downloaded c8 and its
// istanbul packages although no --coverage was given (the README says the tasks use no network).
// The coverage module was in every command's module graph (a dynamic import of a literal is in
// the graph, so c8 went into the user's deno.lock and was fetched with it: 58 npm packages in a
// new project's lock, 4 now). It is loaded by a name Deno does not follow, only with --coverage.
import { strict as assert } from "node:assert";
import { fileURLToPath } from "node:url";
import type { CoverageModule } from "./_quality_hooks.ts";

const COMMANDS = ["sim", "fuzz", "repro", "explore", "conformance", "corpus"];

Deno.test("no command's static import graph holds the coverage tooling (c8, istanbul, ...)", async () => {
  // One `deno info` of a module that imports every command (its graph is theirs together).
  const dir = await Deno.makeTempDir({ prefix: "pagersim-graph-" });
  try {
    const root = `${dir}/commands.ts`;
    await Deno.writeTextFile(
      root,
      COMMANDS.map((c) => `import ${JSON.stringify(new URL(`./${c}.ts`, import.meta.url).href)};`)
        .join("\n") + "\n",
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "info",
        "--json",
        `--config=${fileURLToPath(new URL("../deno.json", import.meta.url))}`,
        root,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: { specifier: string; npmPackage?: string }[];
    };
    const specifiers = graph.modules.map((m) => m.npmPackage ?? m.specifier);
    // The graph is read: the commands' own modules and their npm packages are there.
    assert.ok(specifiers.some((s) => s.endsWith("/cli/sim.ts")), specifiers.join("\n"));
    assert.ok(specifiers.some((s) => s.startsWith("zod@")), specifiers.join("\n"));
    const coverage = specifiers.filter((s) =>
      /^(npm:\/?)?(c8|v8-to-istanbul|istanbul|@istanbuljs)/.test(s) || /coverage/.test(s)
    );
    assert.deepEqual(coverage, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the coverage module loaded by name has the exports the hook expects", async () => {
  const m: CoverageModule = await import("../quality/campaign_coverage.ts");
  assert.equal(typeof m.runUnderCoverage, "function");
  assert.ok(new m.CoverageError("x") instanceof Error);
});
