// The campaign's wall-clock run limit only suspects a hang (a user trial under load ~16 got a
// "service-hang" finding that replayed as a pass): a run it stops is run again in a worker of its own with the
// confirmation limit, and only a run stopped again is a finding; the others are slow runs.
import { strict as assert } from "node:assert";
import { type CampaignFinding, runCampaign } from "./orchestrate.ts";
import { SERVICE_HANG } from "./signature.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("a slow run past the run limit is no finding: confirmed with the larger limit, it passes", async () => {
  const written: CampaignFinding[] = [];
  const summary = await runCampaign({
    seed: 1,
    workers: 1,
    seconds: null,
    runs: 2,
    // Each service thread computes ~30M iterations before it serves: tens of ms on an idle
    // machine, seconds under load; the run limit is far below, the confirmation limit far above.
    servicePath: `${root}fuzz/testdata/slow_service.ts`,
    known: [],
    maxShrink: 50,
    checkers: "kernel",
    runTimeout: 0.01,
    confirmTimeout: 300,
    persist: (f) => {
      written.push(f);
      return Promise.resolve("(not written)");
    },
    progress: () => {},
    progressEvery: 60,
  });
  assert.equal(summary.runs, 2);
  assert.equal(summary.stopped, 0, JSON.stringify(summary.errors));
  assert.deepEqual(written.filter((f) => f.signature === SERVICE_HANG), []);
  assert.ok(!summary.findings.some((f) => f.signature === SERVICE_HANG));
  assert.ok(summary.slowRuns.length >= 1, JSON.stringify(summary));
  for (const r of summary.slowRuns) {
    assert.ok(r.seconds !== null && r.outcome !== "unconfirmed", JSON.stringify(r));
    assert.match(
      r.replay ?? "",
      /^deno task repro --campaign 1 --run \d+ .*--run-timeout 300 --confirm-timeout 300$/,
    );
  }
  assert.equal(summary.confirmTimeout, 300);
  assert.deepEqual(summary.errors, []);
});

Deno.test("a --confirm-timeout equal to --run-timeout runs no stopped run again: the stop is the hang", async () => {
  const written: CampaignFinding[] = [];
  const summary = await runCampaign({
    seed: 1,
    workers: 1,
    seconds: null,
    runs: 1,
    servicePath: `${root}fuzz/testdata/slow_service.ts`,
    known: [],
    maxShrink: 50,
    checkers: "kernel",
    runTimeout: 0.01,
    confirmTimeout: 0.01,
    persist: (f) => {
      written.push(f);
      return Promise.resolve("(not written)");
    },
    progress: () => {},
    progressEvery: 60,
  });
  assert.equal(summary.stopped, 1, JSON.stringify(summary.errors));
  // Session 29: it was run again (in a worker of its own, with the equal limit) and written as
  // stopped "at the 0.01s run limit and again at the 0.01s confirmation limit".
  assert.deepEqual(summary.slowRuns, []);
  const hang = written.find((f) => f.signature === SERVICE_HANG);
  assert.ok(hang !== undefined, JSON.stringify(written.map((f) => f.signature)));
  assert.match(
    hang.case.description,
    /stopped at the 0\.01s run limit \(not run again: --confirm-timeout 0\.01 is not above it\)/,
  );
  assert.doesNotMatch(hang.case.description, /confirmation limit/);
});

Deno.test("a program campaign's stopped run names the thread and the kernel call it stood in, as repro does", async () => {
  const written: CampaignFinding[] = [];
  const summary = await runCampaign({
    kind: "programs",
    seed: 1,
    workers: 1,
    seconds: null,
    // One run: each stopped run's worker spins on to the end of its supply's loop in this process
    // (Deno cannot stop it); three runs left ~12 CPU-s behind the file under load (session 36).
    runs: 1,
    servicePath: null,
    // Each supply computes 1e9 iterations first (a second or more): stopped inside
    // zx_pager_supply_pages, where no step before it stands still half a second.
    kernelPath: `${root}fuzz/testdata/slow_kernel.ts`,
    known: [],
    maxShrink: 50,
    checkers: "kernel",
    runTimeout: 0.5,
    confirmTimeout: 0.5,
    persist: (f) => {
      written.push(f);
      return Promise.resolve("(not written)");
    },
    progress: () => {},
    progressEvery: 60,
  });
  assert.ok(summary.stopped >= 1, JSON.stringify(summary.errors));
  // Session 29: the program worker did not say where its run stood, so every program hang was
  // `service-hang: no yield` with no thread named, a case repro (which knows) did not reproduce.
  // The variant's method comes from the watchdog's record of the counted call it stood in (sig29).
  const hang = written.find((f) => f.case.expected === "kernel-hang");
  assert.ok(hang !== undefined, JSON.stringify(written.map((f) => f.case.description)));
  assert.equal(hang.signature, "kernel-hang: no yield");
  assert.match(
    hang.case.description,
    /: kernel-hang: no yield \(t\d+ at step \d+ never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel variant's code, .*fuzz\/testdata\/slow_kernel\.ts, in its SlowSource\.onPagesSupplied; called from a program thread \(a program runs no service\)\), not the caller's code; stopped at the 0\.5s run limit/,
  );
});
