import { strict as assert } from "node:assert";
import { MEMORY_BUDGET_BYTES, parseScenario, ScenarioError, scenarioMemory } from "./schema.ts";

const base = () => ({
  pagers: [{ name: "fs" }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }],
  threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
});

function problems(input: unknown): string[] {
  try {
    parseScenario(input, "test.json");
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    assert.match(e.message, /^test\.json: invalid scenario:/);
    return [...e.problems];
  }
  assert.fail("expected the scenario to be rejected");
}

Deno.test("a valid scenario gets its defaults", () => {
  const s = parseScenario(base());
  assert.equal(s.pageSize, 4096);
  assert.equal(s.pagers[0].service.kind, "eager");
  assert.equal(s.pagers[0].threads, 1);
  assert.deepEqual(s.events, []);
});

Deno.test("every bad field is named by its path", () => {
  const cases: [unknown, string][] = [
    [{ ...base(), pageSize: 1000 }, "pageSize: must be a power of two"],
    [{ ...base(), pageSize: 4 }, "pageSize:"],
    [
      { ...base(), vmos: [{ name: "a", pager: "nope", pages: 2 }] },
      'vmos.0.pager: no pager named "nope"',
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }] }] },
      'threads.0.ops.0.vmo: no VMO named "b"',
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 1, pages: 2 }] }] },
      "threads.0.ops.0.pages: pages [1,3) go past the end",
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "fly", vmo: "a" }] }] },
      "threads.0.ops.0.op:",
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, extra: 1 }] }] },
      "threads.0.ops.0:",
    ],
    [{ ...base(), pagers: [{ name: "fs" }, { name: "fs" }] }, 'pagers.1.name: duplicate name "fs"'],
    [
      { ...base(), events: [{ do: "kill", target: "nobody" }] },
      'events.0.target: no thread named "nobody"',
    ],
    [
      { ...base(), events: [{ do: "closePort", target: "a" }] },
      'events.0.target: no pager named "a"',
    ],
    [{ ...base(), events: [{ do: "detach", target: "fs" }] }, 'events.0.target: no VMO named "fs"'],
    [
      { ...base(), pagers: [{ name: "fs", service: { kind: "custom" } }] },
      "pagers.0.service.name: a custom service needs",
    ],
    [
      { ...base(), pagers: [{ name: "fs", service: { kind: "eager", batch: 0 } }] },
      "pagers.0.service.batch:",
    ],
    [{ ...base(), threads: [] }, "threads:"],
    [{ ...base(), bogus: true }, "(root):"],
    ["not an object", "(root):"],
  ];
  for (const [input, expected] of cases) {
    const p = problems(input);
    assert.ok(p.some((x) => x.startsWith(expected)), `${expected}\n  got: ${p.join(" | ")}`);
  }
});

Deno.test("all problems are reported at once", () => {
  const p = problems({
    ...base(),
    vmos: [{ name: "a", pager: "nope", pages: 2 }],
    events: [{ do: "kill", target: "nobody" }],
  });
  assert.equal(p.length, 2, p.join(" | "));
});

// Regression (issue 12): 8 VMOs of 4,096 pages of 64 KiB passed the schema, then took over 6 GB.
const huge = () => ({
  pageSize: 65536,
  pagers: [{ name: "fs" }],
  vmos: Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, pager: "fs", pages: 4096 })),
  threads: [{ name: "r", ops: [{ op: "read", vmo: "v0", page: 0, pages: 4096 }] }],
});

Deno.test("memory budget: a scenario whose pages exceed it is rejected, naming the budget and the field", () => {
  const [p, ...rest] = problems(huge());
  assert.deepEqual(rest, []);
  assert.match(p, /^vmos\.0\.pages: /);
  assert.match(p, /need 2 GiB \(VMOs 2 GiB, clones 0 B at pageSize 65536\)/);
  assert.match(p, /memory budget of 256 MiB \(MEMORY_BUDGET_BYTES\)/);
  assert.equal(MEMORY_BUDGET_BYTES, 256 * 2 ** 20);
});

Deno.test("memory budget: resizes and clones count, and the costliest field is named", () => {
  const grown = {
    ...base(),
    pageSize: 65536,
    vmos: [{ name: "a", pager: "fs", pages: 2, resizable: true }],
    threads: [{ name: "r", ops: [{ op: "resize", vmo: "a", newPages: 4096 }] }],
  };
  // Grown to 4096 pages of 64 KiB: exactly the budget, accepted.
  assert.equal(scenarioMemory(parseScenario(grown)).totalBytes, MEMORY_BUDGET_BYTES);
  // One more page anywhere is over it; the resize costs the most and is named.
  grown.vmos.push({ name: "b", pager: "fs", pages: 1, resizable: false });
  assert.match(problems(grown)[0], /^threads\.0\.ops\.0\.newPages: .*need 256\.06 MiB/);
  const cloned = {
    ...base(),
    pageSize: 65536,
    vmos: [{ name: "a", pager: "fs", pages: 1000 }],
    threads: [{ name: "r", ops: [{ op: "cloneRead", vmo: "a", page: 0, pages: 1000 }] }],
  };
  assert.deepEqual(scenarioMemory(parseScenario(cloned)), {
    vmoBytes: 1000 * 65536,
    cloneBytes: 1000 * 65536,
    totalBytes: 2000 * 65536,
    largest: { path: ["vmos", 0, "pages"], bytes: 1000 * 65536 },
  });
  // Clone ranges add up: three clones of 1000 pages and the VMO are 250 MiB... and a fourth is over.
  cloned.threads[0].ops.push(cloned.threads[0].ops[0], cloned.threads[0].ops[0]);
  assert.equal(scenarioMemory(parseScenario(cloned)).totalBytes, 4000 * 65536);
  cloned.threads[0].ops.push({ op: "cloneRead", vmo: "a", page: 0, pages: 100 });
  const p = problems(cloned);
  assert.equal(p.length, 1);
  assert.match(p[0], /^vmos\.0\.pages: .*\(VMOs 62\.5 MiB, clones 193\.75 MiB at pageSize 65536\)/);
});

Deno.test("memory budget: `deno task sim` rejects the scenario at once with one error, exit 2", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(huge()));
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        new URL("../cli/sim.ts", import.meta.url).pathname,
        "--scenario",
        file,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, err);
    // One problem is one line (case@2 work); several are listed one per line.
    assert.match(err, /invalid scenario:(\n {2}- | )vmos\.0\.pages: .*memory budget of 256 MiB/);
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
    assert.ok(performance.now() - t0 < 20_000);
  } finally {
    await Deno.remove(file);
  }
});
