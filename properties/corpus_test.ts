// Every corpus case replays to its recorded verdict and trace hash; bad files are named, not fatal.
import { strict as assert } from "node:assert";
import { parseScenario } from "../scenario/schema.ts";
import { BUGGY_SERVICES } from "../zoo/buggy_services.ts";
import { checkCase } from "./check_case.ts";
import {
  checkersOf,
  type CorpusCase,
  loadCorpus,
  replayCase,
  toCorpusCase,
  writeCase,
} from "./corpus.ts";

const CORPUS = new URL("../corpus", import.meta.url).pathname;

Deno.test("every corpus case replays to its recorded verdict and trace hash", async (t) => {
  const { cases, errors } = await loadCorpus(CORPUS);
  assert.ok(cases.length > 0, `no cases in ${CORPUS}`);
  for (const { file, case: kase } of cases) {
    await t.step(file.slice(CORPUS.length + 1), () => {
      const r = replayCase(kase, BUGGY_SERVICES);
      assert.equal(r.verdict, kase.expected, `${file}: verdict`);
      assert.equal(r.traceHash, kase.traceHash, `${file}: trace hash`);
    });
  }
  assert.deepEqual(errors, [], errors.map((e) => `${e.file}: ${e.field}: ${e.message}`).join("\n"));
});

function goodCase(): CorpusCase {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const r = checkCase({ scenario, decisions: [1], seed: 2 }, { monitors: checkersOf("kernel") });
  return toCorpusCase(r, "kernel", "a reader and the eager service");
}

Deno.test("a malformed corpus file is reported by file and field and the others still run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const good = goodCase();
    await writeCase(dir, good, "a-good.json");
    const badSeed = { ...good, seed: "seven" };
    await Deno.writeTextFile(`${dir}/b-bad-seed.json`, JSON.stringify(badSeed));
    const badPages = structuredClone(good) as { scenario: { vmos: { pages: number }[] } };
    badPages.scenario.vmos[0].pages = 0;
    await Deno.writeTextFile(`${dir}/c-bad-pages.json`, JSON.stringify(badPages));
    await Deno.writeTextFile(`${dir}/d-not-json.json`, "{ nope");
    const { cases, errors } = await loadCorpus(dir);
    assert.deepEqual(cases.map((c) => c.file), [`${dir}/a-good.json`]);
    const where = errors.map((e) => `${e.file.slice(dir.length + 1)} ${e.field}`);
    assert.ok(where.includes("b-bad-seed.json seed"), where.join("; "));
    assert.ok(where.includes("c-bad-pages.json scenario.vmos.0.pages"), where.join("; "));
    assert.ok(where.includes("d-not-json.json (json)"), where.join("; "));
    const r = replayCase(cases[0].case);
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
    const { cases } = await loadCorpus(dir);
    assert.deepEqual(cases[0].case, good);
    await assert.rejects(() => writeCase(dir, { ...good, traceHash: "xyz" }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a replay that diverges from its recorded hash is reported as not ok", () => {
  const good = goodCase();
  const r = replayCase({ ...good, traceHash: "0000000000000000" });
  assert.equal(r.ok, false);
  assert.equal(r.verdict, good.expected);
});
