// A user trial (user19): a service that never yields, `--seconds 20 --run-timeout 2`, ran 27 s,
// because the first suspect's confirmation run (20 s) went on past the budget; and the runs stopped
// at the run limit after the hang was found were each listed as a "slow run" with a replay line.
import { strict as assert } from "node:assert";
import { type CampaignFinding, runCampaign } from "./orchestrate.ts";
import { SERVICE_HANG } from "./signature.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("the budget bounds a campaign whose confirmation run would outlast it: the suspect is written as an unconfirmed hang", async () => {
  // A worker's first start under `deno test` type-checks its module (tens of seconds under
  // load): one run first, so the budget below measures the campaign, not the check.
  await runCampaign({
    seed: 5,
    workers: 1,
    seconds: null,
    runs: 1,
    servicePath: null,
    known: [],
    maxShrink: 10,
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  const written: CampaignFinding[] = [];
  const summary = await runCampaign({
    seed: 5,
    workers: 1,
    seconds: 3,
    runs: null,
    servicePath: `${root}fuzz/testdata/never_yields_service.ts`,
    known: [],
    maxShrink: 10,
    checkers: "kernel",
    runTimeout: 1,
    // Far past the budget: before the fix the campaign waited for it (~3 + 60 s).
    confirmTimeout: 60,
    persist: (f) => {
      written.push(f);
      return Promise.resolve(`/nowhere/${f.k}.json`);
    },
    progress: () => {},
    progressEvery: 60,
  });
  // The budget, then at most the run limit again for the confirmation run in flight, and
  // worker start-up and termination on a loaded machine.
  assert.ok(summary.seconds < 3 + 1 + 6, `the campaign took ${summary.seconds.toFixed(1)}s`);
  const hang = written.find((f) => f.signature === SERVICE_HANG);
  assert.ok(hang !== undefined, JSON.stringify(summary.errors));
  assert.equal(hang.case.found?.unconfirmed, true);
  assert.match(hang.case.description, /when the campaign's budget ended \(not confirmed\)/);
  const finding = summary.findings.find((f) => f.signature === SERVICE_HANG);
  assert.ok(finding !== undefined && finding.unconfirmed, JSON.stringify(summary.findings));
  // A run reported as the (suspected) hang is not also a slow run.
  assert.ok(!summary.slowRuns.some((r) => r.k === hang.k), JSON.stringify(summary.slowRuns));
});

Deno.test("runs stopped at the run limit once a hang was found are counted with it, not listed as slow runs", async () => {
  const summary = await runCampaign({
    seed: 5,
    workers: 2,
    seconds: null,
    runs: 8,
    servicePath: `${root}fuzz/testdata/never_yields_service.ts`,
    known: [],
    maxShrink: 10,
    checkers: "kernel",
    runTimeout: 1,
    confirmTimeout: 2,
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  const hang = summary.findings.find((f) => f.signature === SERVICE_HANG);
  assert.ok(hang !== undefined, JSON.stringify(summary.findings));
  assert.ok(!hang.unconfirmed);
  assert.deepEqual(
    summary.slowRuns.filter((r) => r.outcome === "unconfirmed"),
    [],
    "runs stopped after the hang was confirmed are no slow runs",
  );
  assert.ok(summary.afterHang.length >= 1, JSON.stringify(summary));
  assert.ok(!summary.afterHang.includes(hang.k));
  assert.equal(summary.runs, 8);
});
