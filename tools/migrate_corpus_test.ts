import { strict as assert } from "node:assert";
import { CASE_FORMAT } from "../case/envelope.ts";
import { readCorpus, replayCase } from "../case/store.ts";
import { campaignSignature, migrateCase } from "./migrate_corpus.ts";

const DIRS = ["corpus", "corpus/programs"];

Deno.test("every committed case is case@2 and records the signature the campaign engine gives its replay", async () => {
  let n = 0;
  for (const dir of DIRS) {
    const { cases, errors } = await readCorpus(dir);
    assert.deepEqual(errors, []);
    for (const { file, case: c } of cases) {
      n++;
      const raw = JSON.parse(await Deno.readTextFile(file));
      assert.equal(raw.format, CASE_FORMAT, file);
      const r = await replayCase(c, file);
      assert.ok(r.ok, `${file}: ${r.verdict} ${r.traceHash}`);
      assert.equal(c.signature ?? null, campaignSignature(c, r.run), file);
      assert.doesNotMatch(c.signature ?? "", /@/, `${file}: an old @<syscall> signature`);
    }
  }
  assert.ok(n >= 26, `${n} cases`);
});

Deno.test("migrateCase re-signs an old @<syscall> signature and keeps verdict and trace hash", async () => {
  const file = "corpus/zoo-duplicate-read.json";
  const { cases } = await readCorpus("corpus");
  const c = cases.find((x) => x.file === file)?.case;
  assert.ok(c !== undefined);
  const old = { ...c, signature: "invariant:packet-discipline@zx_pager_supply_pages" };
  const m = await migrateCase(old, file);
  assert.equal(m.signature, "invariant:packet-discipline:K4");
  assert.equal(m.expected, c.expected);
  assert.equal(m.traceHash, c.traceHash);
  await assert.rejects(
    () => migrateCase({ ...c, traceHash: "0123456789abcdef" }, file),
    /replay gives .* the case records/,
  );
});
