// userS25b's fxfs-like port (case/testdata/userS25b): with `opens` and a writeback clause, every
// campaign crashed its worker and reported `runs 0`, exit 0; now the campaign finds their bug.
import { strict as assert } from "node:assert";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { campaignScenario } from "../fuzz/engine.ts";
import { contractOf } from "../scenario/service_contract.ts";
import { scenarioCheckers } from "./kinds.ts";
import { loadServiceModule, projectRoot, readCorpus, replayCase } from "./store.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/userS25b/corpus", import.meta.url).pathname;
const SERVICE = "case/testdata/userS25b/close_nopersist.ts";
const LOST_WRITE = "invariant:data-integrity";
/** Its signature: the verdict and data-integrity's check, `lost-write` (trial32b: word checks sign their word). */
const LOST_WRITE_SIGNATURE = "invariant:data-integrity:lost-write";

Deno.test("userS25b close path that ENDs without persisting: campaign seed 1 finds the lost write at run 6", async () => {
  const service = await loadServiceModule(SERVICE);
  const contract = contractOf(service)?.contract;
  assert.ok(contract !== undefined && contract.opens !== false && contract.writeback !== false);
  const signatures = [];
  for (let k = 0; k <= 6; k++) {
    const plan = planRun(1, k);
    const o = executePlan(
      plan,
      campaignScenario(plan, "user", contract),
      {
        monitors: scenarioCheckers("kernel+service"),
        services: { user: service },
      },
      undefined,
      false,
    );
    signatures.push(o.signature);
  }
  assert.deepEqual(signatures, [null, null, null, null, null, null, LOST_WRITE_SIGNATURE]);
});

Deno.test("userS25b close path that ENDs without persisting: the campaign's shrunk case replays as a lost write", async () => {
  const { cases, errors } = await readCorpus(DIR);
  assert.deepEqual(errors, []);
  assert.equal(cases.length, 1);
  const [{ file, case: c }] = cases;
  const r = await replayCase(c, file, TREE);
  assert.equal(r.verdict, LOST_WRITE, `${file}: ${r.verdict}`);
});
