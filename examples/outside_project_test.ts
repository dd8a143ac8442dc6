// Regression (issue 12): importing mod.ts from a project outside the checkout failed with
// `Import "zod" not a dependency`, because library code used bare specifiers that only this
// repository's deno.json maps. Library code now names its npm packages in full.
import { strict as assert } from "node:assert";

const root = new URL("../", import.meta.url);
const mod = new URL("mod.ts", root).href;

Deno.test("a project in another directory imports mod.ts and runs a property on its own service", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-user-" });
  try {
    // The user's project, as the README shows it: its own deno.json maps fast-check and
    // pagersim, nothing of pagersim's own dependencies.
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ imports: { "fast-check": "npm:fast-check@4.11.0", "pagersim": mod } }),
    );
    await Deno.writeTextFile(
      `${dir}/service_test.ts`,
      `import fc from "fast-check";
import {
  checkersOf, isComplete, isDirty, isRead, pagerProperty, type ServiceContext, serveReads,
  supplyFromBacking, type Sys, type ThreadBody,
} from "pagersim";

function mine(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(sys, ctx, (p, vmo) => supplyFromBacking(sys, ctx, vmo, p.offset, p.length));
}

Deno.test("outside: my service keeps every pager invariant", () => {
  if (isRead(null) || isDirty(null) || isComplete(null)) throw new Error("guards");
  fc.assert(
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine },
    }),
    { numRuns: 20, seed: 3 },
  );
});
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      // Resolving the module graph is what failed; type-checking pagersim again from the other
      // project would only repeat `deno task check` (services/type_guards_test.ts types the guards).
      args: ["test", "--quiet", "--no-check", "service_test.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /outside: my service keeps every pager invariant \.\.\. ok/);
    assert.match(text, /ok \| 1 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("library code names its npm packages in full, at the versions deno.json maps", async () => {
  const imports: Record<string, string> = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ).imports;
  const bare: string[] = [];
  const stale: string[] = [];
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = rel + e.name;
      if (e.isDirectory) {
        if (![".git", "coverage", "scratch", "node_modules"].includes(e.name)) {
          await walk(new URL(`${e.name}/`, dir), `${path}/`);
        }
        continue;
      }
      if (!e.name.endsWith(".ts") || e.name.endsWith("_test.ts")) continue;
      const text = await Deno.readTextFile(new URL(e.name, dir));
      for (const m of text.matchAll(/^(?:import|export)\b[^;]*? from "([^"]+)"/gms)) {
        const spec = m[1];
        if (spec in imports) bare.push(`${path}: "${spec}"`);
        const pkg = spec.match(/^npm:((?:@[^/]+\/)?[^@/]+)@/)?.[1];
        if (pkg !== undefined && pkg in imports && imports[pkg] !== spec) {
          stale.push(`${path}: ${spec} (deno.json: ${imports[pkg]})`);
        }
      }
    }
  };
  await walk(root, "");
  assert.deepEqual(bare, [], "bare specifiers resolve only inside this repository");
  assert.deepEqual(stale, [], "one version of each package");
});
