// Bad corpus files are named by file and field, not fatal; cases round-trip; divergence is reported.
import { strict as assert } from "node:assert";
import { parseScenario } from "../scenario/schema.ts";
import type { CaseEnvelope } from "./envelope.ts";
import { toEnvelope } from "./investigate.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { readCorpus, replayCase, writeCase } from "./store.ts";

function goodCase(): CaseEnvelope {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = SCENARIO_KIND.run(scenario, { seed: 2, decisions: [1] }, {
    monitors: scenarioCheckers("kernel"),
  });
  return toEnvelope(SCENARIO_KIND, scenario, 2, run, {
    checkers: "kernel",
    found: { by: "test" },
    description: "a reader and the eager service",
  });
}

Deno.test("a malformed corpus file is reported by file and field and the others still run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const good = goodCase();
    await writeCase(dir, good, "a-good.json");
    const badSeed = { ...good, seed: "seven" };
    await Deno.writeTextFile(`${dir}/b-bad-seed.json`, JSON.stringify(badSeed));
    const badPages = structuredClone(good) as unknown as { input: { vmos: { pages: number }[] } };
    badPages.input.vmos[0].pages = 0;
    await Deno.writeTextFile(`${dir}/c-bad-pages.json`, JSON.stringify(badPages));
    await Deno.writeTextFile(`${dir}/d-not-json.json`, "{ nope");
    // The committed corpus is case@2 now (tools/migrate_corpus.ts): a case@1 file, rebuilt.
    const cur = JSON.parse(await Deno.readTextFile("corpus/pass-28f7bc306edc7624.json"));
    const old = {
      format: "pagersim/case@1",
      description: cur.description,
      scenario: cur.input,
      decisions: cur.decisions,
      seed: cur.seed,
      strategy: "replay",
      checkers: cur.checkers,
      expected: cur.expected,
      traceHash: cur.traceHash,
    };
    old.scenario.vmos[0].pages = 0;
    await Deno.writeTextFile(`${dir}/e-old-bad-pages.json`, JSON.stringify(old));
    const { cases, errors } = await readCorpus(dir);
    assert.deepEqual(cases.map((c) => c.file), [`${dir}/a-good.json`]);
    const where = errors.map((e) => `${e.file.slice(dir.length + 1)} ${e.field}`);
    assert.ok(where.includes("b-bad-seed.json seed"), where.join("; "));
    assert.ok(where.includes("c-bad-pages.json input.vmos.0.pages"), where.join("; "));
    assert.ok(where.includes("d-not-json.json (json)"), where.join("; "));
    assert.ok(where.includes("e-old-bad-pages.json scenario.vmos.0.pages"), where.join("; "));
    const r = await replayCase(cases[0].case);
    assert.ok(r.ok, `good case replayed to ${r.verdict} ${r.traceHash}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeCase writes atomically and the case round-trips", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const good = goodCase();
    const path = await writeCase(dir, good);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names, [path.slice(dir.length + 1)], "no temporary file left behind");
    const { cases } = await readCorpus(dir);
    assert.deepEqual(cases[0].case, good);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a replay that diverges from its recorded hash is reported as not ok", async () => {
  const good = goodCase();
  const r = await replayCase({ ...good, traceHash: "0000000000000000" });
  assert.equal(r.ok, false);
  assert.equal(r.verdict, good.expected);
});
