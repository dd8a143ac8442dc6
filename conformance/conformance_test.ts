import { strict as assert } from "node:assert";
import { ALL_CASES } from "./cases.ts";
import { AREAS, isSkipped, pagerCase } from "./harness.ts";
import { runConformance } from "./run.ts";

Deno.test("conformance: every runnable case passes under every seed", async (t) => {
  for (const c of ALL_CASES) {
    if (isSkipped(c)) continue;
    await t.step(`${c.id} ${c.name}`, () => c.run());
  }
});

Deno.test("conformance: case ids and names are unique and every skip has a reason", () => {
  const seen = new Set<string>();
  for (const c of ALL_CASES) {
    const key = `${c.id} ${c.name}`;
    assert(!seen.has(key), `duplicate case ${key}`);
    seen.add(key);
    if (isSkipped(c)) assert(c.skip.length > 0, `${key} has no skip reason`);
    else assert((AREAS as readonly string[]).includes(c.area), `${key} runs outside a known area`);
  }
});

Deno.test("conformance: a case whose expectation the model does not meet fails", () => {
  const wrong = pagerCase("X1", "ExpectsATwoPageRead", "read-fault", function* (t) {
    const vmo = yield* t.vmo(2);
    t.reader(vmo, 0, 1, "vmo");
    yield* t.waitForPageRead(vmo, 0, 2);
  });
  let failed = false;
  try {
    wrong.run();
  } catch {
    failed = true;
  }
  assert(failed, "a hanging expectation passed");
});

// The command line (unknown flags, --help) is cli/conformance.ts's, checked with every command's
// in cli/help_test.ts.
Deno.test("conformance: a filter selects the cases", () => {
  const log = console.log;
  const error = console.error;
  const out: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => out.push(a.join(" "));
  try {
    assert.equal(runConformance({ filter: "P1 SinglePage", verbose: false, kernel: null }), 0);
    assert.equal(out.at(-1)?.trim(), "conformance: 2 passed, 0 failed, 0 skipped");
  } finally {
    console.log = log;
    console.error = error;
  }
});

Deno.test("conformance: every level-2 row runs or is skipped with a reason naming what is missing", () => {
  const level2 = ["dirty/writeback", "clone", "resize", "decommit/evict", "query-stats"];
  const rows = ALL_CASES.filter((c) => level2.includes(c.area));
  assert(rows.filter((c) => !isSkipped(c)).length >= 96, "fewer than 96 level-2 cases run");
  for (const c of rows) {
    if (isSkipped(c)) assert(!c.skip.includes("issue 8"), `${c.id} still waits for level 2`);
  }
});
