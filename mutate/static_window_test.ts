// A mutate worker must load no instrumented module (kernel/, services/) before `loadProbes` opens
// the static coverage window: a value import of judges.ts from probe_run.ts (ae09c80) did, and the
// fresh full run on 0b52f78 judged every mutant of code run at load "no coverage" (kernel/
// constants.ts's status-name table: 23 mutants of shards 1-2, killed by the tests at db8cb50).
// This walks the worker's static imports (not the dynamic `import("./judges.ts")`, not type-only).
import { strict as assert } from "node:assert";

interface Dep {
  readonly code?: { readonly specifier: string };
  readonly isDynamic?: boolean;
}
interface Info {
  readonly roots: readonly string[];
  readonly modules: readonly {
    readonly specifier: string;
    readonly dependencies?: readonly Dep[];
  }[];
}

Deno.test("a mutate worker's static imports reach no instrumented module", async () => {
  const out = await new Deno.Command("deno", {
    args: ["info", "--json", new URL("./worker.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info: Info = JSON.parse(new TextDecoder().decode(out.stdout));
  const deps = new Map(info.modules.map((m) => [m.specifier, m.dependencies ?? []]));
  const seen = new Set<string>();
  const path = new Map<string, string>();
  const todo = [...info.roots];
  while (todo.length > 0) {
    const m = todo.pop() as string;
    if (seen.has(m)) continue;
    seen.add(m);
    for (const d of deps.get(m) ?? []) {
      if (d.code === undefined || d.isDynamic === true) continue;
      if (!path.has(d.code.specifier)) path.set(d.code.specifier, m);
      todo.push(d.code.specifier);
    }
  }
  const instrumented = [...seen].filter((m) => /\/(kernel|services)\/[^/]+\.ts$/.test(m));
  const chain = (m: string): string => path.has(m) ? `${chain(path.get(m) as string)} -> ${m}` : m;
  assert.deepEqual(
    instrumented.map(chain),
    [],
    "loaded before the static coverage window (import them type-only or inside loadProbes)",
  );
});
