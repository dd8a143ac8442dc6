import { strict as assert } from "node:assert";
import { runCampaign } from "./orchestrate.ts";
import type { CampaignFinding, CampaignSummary } from "./orchestrate.ts";
import { parseContract } from "../scenario/service_contract.ts";
import { contractViolations } from "../scenario/contract.ts";
import type { Scenario } from "../scenario/schema.ts";
import { moduleRef, readCaseFile, replayCase, writeCase } from "../case/store.ts";

const CONTRACTED = "fuzz/testdata/contracted_writeback_service.ts";
const PLAIN = "fuzz/testdata/writeback_service.ts";

function campaign(
  servicePath: string,
  runs: number,
  persist: (f: CampaignFinding) => Promise<string> = () => Promise.resolve("(not written)"),
  modules = {},
): Promise<CampaignSummary> {
  return runCampaign({
    seed: 11,
    workers: 1,
    seconds: null,
    runs,
    servicePath,
    known: [],
    maxShrink: 200,
    checkers: "kernel",
    modules,
    persist,
    progress: () => {},
    progressEvery: 60,
  });
}

Deno.test("a campaign under a contract excluding trap-dirty VMOs, resizes and writeback delivers none; without it the same campaign does", async () => {
  const held = await campaign(CONTRACTED, 400);
  assert.equal(held.runs, 400);
  assert.ok(held.contract !== null);
  assert.deepEqual(
    held.contract.contract,
    parseContract({
      vmoOptions: { trapDirty: false, resizable: false },
      writeback: false,
    }),
  );
  assert.equal(held.contract.outOfContract.total, 0);
  assert.deepEqual(held.contract.outOfContract.byKind, {
    trapDirtyVmo: 0,
    resizableVmo: 0,
    resize: 0,
    writeback: 0,
    closePort: 0,
    closePager: 0,
    fileOpen: 0, // a contract without `lifecycle`: no file is opened during the run
  });
  // What the contract allows is still delivered: the campaign is not empty.
  for (const k of ["detach", "closeVmo", "suspend", "kill", "evict", "clone"]) {
    assert.ok((held.delivered[k] ?? 0) > 0, `${k} delivered under the contract`);
  }
  // What the contract rules out is not listed as a gap, but apart, with its clause.
  assert.ok(held.excludedByContract.includes("shrink-fails-blocked-access (no resize)"));
  assert.ok(held.excludedByContract.includes("key-reused-after-complete (lifecycle false)"));
  for (const k of held.excludedByContract) {
    assert.ok(!held.neverReached.includes(k.split(" ")[0]), `${k} is not a gap`);
  }
  const free = await campaign(PLAIN, 400);
  assert.equal(free.contract, null);
  assert.deepEqual(free.excludedByContract, []);
  for (
    const k of [
      "trapDirtyVmo",
      "resizableVmo",
      "resize",
      "writeback",
      "closePort",
      "closePager",
      "fileOpen",
    ]
  ) {
    assert.ok((free.delivered[k] ?? 0) > 0, `${k} delivered without the contract`);
  }
});

Deno.test("a finding of a contracted service records its contract, shrinks inside it and replays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-contract-" });
  try {
    const path = "fuzz/testdata/contracted_lossy_service.ts";
    const s = await campaign(
      path,
      60,
      (f) => writeCase(dir, f.case),
      { service: await moduleRef(path, dir) },
    );
    assert.ok(s.findings.length > 0, "the lossy service is found");
    const contract = parseContract({
      vmoPages: { min: 2, max: 6 },
      vmoOptions: { trapDirty: false, resizable: false },
    });
    for (const f of s.findings) {
      const c = await readCaseFile(f.file);
      assert.deepEqual(c.contract, contract);
      const input = c.input as Scenario;
      assert.deepEqual(contractViolations(input, (n) => (n === "user" ? contract : undefined)), []);
      assert.ok(input.vmos.every((v) => v.pages >= 2), "no VMO shrunk below the contract");
      const r = await replayCase(c, f.file);
      assert.ok(r.ok, `${f.file} replays`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
