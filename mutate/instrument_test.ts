import { strict as assert } from "node:assert";
import { instrumentFiles } from "./instrument.ts";

Deno.test("a line under `// Stryker disable next-line all: reason` has no mutant, the line after it has", async () => {
  const text = [
    "export class C {",
    "  n = 0;",
    "  version = 0;",
    "  bump(x: number): number {",
    "    this.n += x;",
    "    // Stryker disable next-line all: bookkeeping, no behaviour",
    "    this.version++;",
    "    return this.n - 1;",
    "  }",
    "}",
  ].join("\n");
  const dir = await Deno.makeTempDir({ prefix: "pagersim-instrument-" });
  try {
    await Deno.mkdir(`${dir}/kernel`);
    await Deno.writeTextFile(`${dir}/kernel/c.ts`, text);
    const { mutants, contents } = await instrumentFiles(dir, ["kernel/c.ts"]);
    const lines = new Set(mutants.map((m) => m.location.start.line));
    assert.ok(!lines.has(6), `no mutant on the bookkeeping line: ${[...lines]}`);
    assert.ok(lines.has(4) && lines.has(7), `mutants on the lines around it: ${[...lines]}`);
    // The line is left as written in the instrumented copy (no mutant switch around it).
    assert.ok(contents.get("kernel/c.ts")?.includes("this.version++;"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
