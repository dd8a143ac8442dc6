/**
 * Two campaigns writing one corpus directory at once, again and again: every
 * file parses and no finding of either campaign is missing. `deno task test`
 * runs 5 rounds; `deno task stress` runs the full 100
 * (`PAGERSIM_STRESS_ROUNDS=N` sets any count).
 */
import { strict as assert } from "node:assert";
import { runCampaign } from "./orchestrate.ts";
import { readCorpus, writeCase } from "../case/store.ts";
import { moduleRef } from "../case/store.ts";

const ROUNDS = Number(Deno.env.get("PAGERSIM_STRESS_ROUNDS") ?? "5");
const SERVICE = "fuzz/testdata/lossy_service.ts";

Deno.test(`two campaigns into one corpus directory, ${ROUNDS} rounds: every file parses, no finding is missing`, async () => {
  let files = 0, shared = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-stress-" });
    try {
      const service = await moduleRef(SERVICE, dir);
      const campaign = (seed: number) =>
        runCampaign({
          seed,
          workers: 1,
          seconds: null,
          runs: 40,
          servicePath: SERVICE,
          known: [],
          maxShrink: 30,
          checkers: "kernel+service",
          modules: { service },
          persist: (f) => writeCase(dir, f.case),
          progress: () => {},
          progressEvery: 60,
        });
      const [a, b] = await Promise.all([campaign(2 * round + 1), campaign(2 * round + 2)]);
      for (const s of [a, b]) assert.deepEqual(s.errors, [], `round ${round}: ${s.errors}`);
      const corpus = await readCorpus(dir);
      assert.deepEqual(corpus.errors, [], `round ${round}: files that do not parse`);
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.ok(names.every((n) => n.endsWith(".json")), `round ${round}: left over ${names}`);
      const inCorpus = new Set(corpus.cases.map((c) => c.case.signature));
      for (const s of [a, b]) {
        for (const f of s.findings) {
          assert.ok(inCorpus.has(f.signature), `round ${round}: ${f.signature} is missing`);
        }
      }
      const sa = new Set(a.findings.map((f) => f.signature));
      shared += b.findings.filter((f) => sa.has(f.signature)).length;
      files += corpus.cases.length;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  console.log(
    `${ROUNDS} rounds: ${files} case files, ${shared} signatures found by both campaigns`,
  );
  assert.ok(shared > 0, "the campaigns competed for at least one signature's file");
});
