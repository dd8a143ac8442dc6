import { strict as assert } from "node:assert";
import { parseScenario, ScenarioError } from "./schema.ts";

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
