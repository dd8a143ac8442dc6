import { strict as assert } from "node:assert";
import { runCampaign } from "./orchestrate.ts";
import type { CampaignFinding, CampaignSummary } from "./orchestrate.ts";
import { moduleRef, readCaseFile, replayCase, writeCase } from "../case/store.ts";
import type { Scenario } from "../scenario/schema.ts";

function campaign(
  servicePath: string,
  runs: number,
  persist: (f: CampaignFinding) => Promise<string>,
  modules = {},
): Promise<CampaignSummary> {
  return runCampaign({
    seed: 5,
    workers: 1,
    seconds: null,
    runs,
    servicePath,
    known: [],
    maxShrink: 300,
    checkers: "kernel+service",
    modules,
    persist,
    progress: () => {},
    progressEvery: 60,
  });
}

Deno.test("a service that keeps a key's VMO past its COMPLETE is found by files that come and go, and replays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-lifecycle-" });
  try {
    const path = "fuzz/testdata/stale_key_service.ts";
    const s = await campaign(
      path,
      300,
      (f) => writeCase(dir, f.case),
      { service: await moduleRef(path, dir) },
    );
    assert.ok(s.findings.length > 0, "the stale-key service is found");
    assert.ok((s.kind === "scenarios" ? s.sometimes["key-reused-after-complete"] ?? 0 : 0) > 0);
    let reopened = 0;
    for (const f of s.findings) {
      const c = await readCaseFile(f.file);
      const input = c.input as Scenario;
      const ops = input.threads.flatMap((t) => t.ops.map((o) => o.op));
      if (ops.includes("close") && ops.includes("open")) reopened++;
      const r = await replayCase(c, f.file);
      assert.ok(r.ok, `${f.file} replays`);
    }
    assert.ok(reopened > 0, "a shrunk finding closes and re-opens a file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
