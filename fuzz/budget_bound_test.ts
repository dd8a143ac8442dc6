// A user trial (user19): a service that never yields, `--seconds 20 --run-timeout 2`, ran 27 s,
// because the first suspect's confirmation run (20 s) went on past the budget; and the runs stopped
// at the run limit after the hang was found were each listed as a "slow run" with a replay line.
//
// Both campaigns run as a user runs them, in a subprocess (fuzz/testdata/fuzz_cli.ts): their
// service never yields, and a stopped run's worker cannot be stopped in-process on Deno 2.9.6.
import { strict as assert } from "node:assert";
import { readCaseFile } from "../case/store.ts";
import { FUZZ, run, summaryOf } from "./testdata/fuzz_cli.ts";
import { SERVICE_HANG } from "./signature.ts";

const NEVER_YIELDS = ["--service", "fuzz/testdata/never_yields_service.ts", "--checkers", "kernel"];

Deno.test("the budget bounds a campaign whose confirmation run would outlast it: the suspect is written as an unconfirmed hang", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-budget-" });
  try {
    const r = await run([
      ...FUZZ,
      ...NEVER_YIELDS,
      "--seed",
      "5",
      "--workers",
      "1",
      "--seconds",
      "3",
      "--run-timeout",
      "1",
      // Far past the budget: before the fix the campaign waited for it (~3 + 60 s).
      "--confirm-timeout",
      "60",
      "--corpus",
      dir,
      "--json",
    ]);
    const summary = summaryOf(r.out);
    // The budget, then at most the run limit again for the confirmation run in flight, and
    // worker start-up and termination on a loaded machine.
    assert.ok(summary.seconds < 3 + 1 + 6, `the campaign took ${summary.seconds.toFixed(1)}s`);
    const finding = summary.findings.find((f) => f.signature === SERVICE_HANG);
    assert.ok(finding !== undefined && finding.unconfirmed, r.err + JSON.stringify(summary));
    const hang = await readCaseFile(finding.file);
    assert.equal(hang.found?.unconfirmed, true);
    assert.match(hang.description, /when the campaign's budget ended \(not confirmed\)/);
    // A run reported as the (suspected) hang is not also a slow run.
    assert.ok(!summary.slowRuns.some((s) => s.k === finding.k), JSON.stringify(summary.slowRuns));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runs stopped at the run limit once a hang was found are counted with it, not listed as slow runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-budget-" });
  try {
    const r = await run([
      ...FUZZ,
      ...NEVER_YIELDS,
      "--seed",
      "5",
      "--workers",
      "2",
      "--runs",
      "8",
      "--run-timeout",
      "1",
      "--confirm-timeout",
      "2",
      "--corpus",
      dir,
      "--json",
    ]);
    const summary = summaryOf(r.out);
    const hang = summary.findings.find((f) => f.signature === SERVICE_HANG);
    assert.ok(hang !== undefined, r.err + JSON.stringify(summary.findings));
    assert.ok(!hang.unconfirmed);
    assert.deepEqual(
      summary.slowRuns.filter((s) => s.outcome === "unconfirmed"),
      [],
      "runs stopped after the hang was confirmed are no slow runs",
    );
    assert.ok(summary.afterHang.length >= 1, JSON.stringify(summary));
    assert.ok(!summary.afterHang.includes(hang.k));
    // All eight, unless more stopped threads may still be spinning than there are workers: then
    // the campaign starts no more workers, and says so (fuzz/spinning_cap_test.ts).
    assert.ok(
      summary.runs === 8 || (summary.spinningCap && summary.spinning > 2),
      JSON.stringify(summary),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
