import { strict as assert } from "node:assert";
import {
  CONTROL,
  RunRecord,
  ScenarioRunner,
  SignatureTable,
  signScenarioRun,
  type WorkerStart,
} from "./engine.ts";
import { runWorker, type WorkerMessage } from "./worker.ts";
import { executePlan, planRun } from "./campaign.ts";
import { campaignScenario } from "./engine.ts";
import { signatureOf } from "./signature.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import type { Verdict } from "../sim/world.ts";
import mostlyFailing from "./testdata/mostly_failing_service.ts";

/**
 * A scenario worker of campaign seed 7 whose "user" service is `mostlyFailing`, and its count of
 * runs (the runner's beats: runs and replays).
 */
function mostlyFailingRunner(
  over: Pick<WorkerStart, "runs" | "control" | "signatures" | "maxShrink">,
) {
  const start: WorkerStart = {
    kind: "scenarios",
    seed: 7,
    shard: { index: 0, count: 1 },
    worker: 0,
    generation: 0,
    ...over,
    record: RunRecord.create().buffer,
    servicePath: null,
    kernelPath: null,
    bug: null,
    checkers: "kernel+service",
    guided: false,
    meta: { checkers: "kernel+service" },
  };
  let runs = 0;
  const runner = new ScenarioRunner(start, {
    service: mostlyFailing,
    makeKernel: undefined,
    services: NAMED_SERVICES,
    serviceName: "user",
    beat: () => void runs++,
  });
  return { start, runner, runs: () => runs };
}

Deno.test("one invariant rule broken at different syscalls is one signature", () => {
  const at = (tid: number, message: string): Verdict => ({
    kind: "invariant",
    invariant: "data-integrity",
    message,
    step: 40 + tid,
    tid,
  });
  // Before: invariant:data-integrity@zx_vmo_read, @zx_pager_supply_pages, @mem_read, ...: one each.
  const a = signatureOf(at(3, "D1: vmo 12 page 0 reads 0x41 where 0x00 was written"));
  const b = signatureOf(at(5, "D1: vmo 7 page 3 reads 0x00 where 0x13 was written"));
  assert.equal(a, "invariant:data-integrity:D1");
  assert.equal(a, b);
  assert.notEqual(a, signatureOf(at(3, "D2: another rule")));
});

Deno.test("a service's exception is a thread-fault finding, even where a checker judged it", () => {
  const ctx = {
    monitors: scenarioCheckers("kernel+service"),
    services: { ...NAMED_SERVICES, user: mostlyFailing },
  };
  for (let k = 0; k < 50; k++) {
    const plan = planRun(7, k);
    const o = executePlan(plan, campaignScenario(plan, "user"), ctx);
    if (o.raw.kind !== "thread-fault") continue;
    // The service checkers leave a crashed service's verdict as the fault it is (not as P3).
    assert.equal(o.verdict.kind, "thread-fault");
    assert.match(
      o.signature ?? "",
      /^thread-fault:Error@mostly_failing_service\.ts:mostlyFailingService$/,
    );
    return;
  }
  assert.fail("no run of the failing service faulted in 50 runs");
});

Deno.test("the signature table: the lowest run index wins a signature; known ones are never won", () => {
  const t = SignatureTable.create(["invariant:known"]);
  assert.equal(t.claim("invariant:known", 0), false);
  assert.equal(t.claim("hang:x", 7), true, "new");
  assert.equal(t.claim("hang:x", 9), false, "a later run of it");
  assert.equal(t.claim("hang:x", 3), true, "an earlier run of it wins");
  assert.equal(t.claim("hang:x", 3), false);
  const shared = new SignatureTable(t.buffer);
  assert.equal(shared.claim("hang:x", 5), false, "another worker sees the same table");
});

Deno.test("a worker compares a failure's signature with the known ones before shrinking it", async () => {
  // The service fails ~73% of runs with one signature: one investigation, every failure counted.
  const workers = 1;
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size(workers)));
  const table = SignatureTable.create([]);
  const { start, runner, runs: beats } = mostlyFailingRunner({
    runs: 60,
    control: control.buffer as SharedArrayBuffer,
    signatures: table.buffer,
    maxShrink: 50,
  });
  const messages: WorkerMessage[] = [];
  const persisted: string[] = [];
  await runWorker(start, runner, (m) => messages.push(m), (_k, signature) => {
    persisted.push(signature);
    return Promise.resolve(`${signature}.json`);
  });
  const occurrences: Record<string, number> = {};
  let runs = 0;
  for (const m of messages) {
    if (m.type !== "progress") continue;
    runs += m.runs;
    for (const [s, n] of Object.entries(m.occurrences)) occurrences[s] = (occurrences[s] ?? 0) + n;
  }
  const fault = Object.keys(occurrences).find((s) => s.startsWith("thread-fault:"));
  assert.ok(fault !== undefined, JSON.stringify(occurrences));
  assert.equal(runs, 60);
  assert.ok(occurrences[fault] >= 30, `${occurrences[fault]} failing runs`);
  const findings = messages.filter((m) => m.type === "finding" && m.signature === fault);
  assert.equal(findings.length, 1, "investigated once");
  assert.equal(persisted.filter((s) => s === fault).length, 2, "unshrunk, then shrunk");
  // Runs plus the replays of one investigation: far fewer than shrinking every failure would take.
  assert.ok(beats() < 60 + 2 * 50 + 10, `${beats()} runs and replays`);
});

Deno.test("a run record keeps a stopped run's picks and input for its case", () => {
  const r = RunRecord.create();
  r.begin({ program: { threads: [] }, seed: 4 });
  for (const v of [1, 0, 2]) r.pick(v);
  const seen = new RunRecord(r.buffer); // the main thread's view of the worker's record
  assert.deepEqual(seen.picks(), { picks: [1, 0, 2], complete: true });
  assert.deepEqual(seen.input(), { program: { threads: [] }, seed: 4 });
  r.begin();
  assert.deepEqual(seen.picks().picks, []);
});

Deno.test("the campaign signs a scenario replay the same way it signed the run", () => {
  const ctx = { monitors: scenarioCheckers("kernel+service"), services: { user: mostlyFailing } };
  const plan = planRun(7, 1);
  const o = executePlan(plan, campaignScenario(plan, "user"), ctx);
  const replay = { verdict: o.verdict, raw: o.raw } as Parameters<typeof signScenarioRun>[0];
  assert.equal(signScenarioRun(replay), o.signature);
});

Deno.test("a campaign run is hashed only when it fails, and then has the hash a hashed run has", () => {
  const { runner, runs } = mostlyFailingRunner({
    runs: 40,
    control: new SharedArrayBuffer(4 * CONTROL.size(1)),
    signatures: SignatureTable.create([]).buffer,
    maxShrink: 0,
  });
  const record = RunRecord.create();
  const ctx = {
    monitors: scenarioCheckers("kernel+service"),
    services: { ...NAMED_SERVICES, user: mostlyFailing },
  };
  let failed = 0, passed = 0;
  for (let k = 0; k < 40; k++) {
    const before = runs();
    const r = runner.run(k, record);
    const plan = planRun(7, k);
    const hashed = executePlan(plan, campaignScenario(plan, "user"), ctx);
    const unhashed = executePlan(plan, campaignScenario(plan, "user"), ctx, undefined, false);
    assert.equal(unhashed.traceHash, "", "not hashed");
    assert.equal(unhashed.signature, hashed.signature);
    assert.equal(unhashed.steps, hashed.steps);
    assert.equal(runs() - before, 1, "one run, nothing replayed yet");
    const f = runner.failing();
    if (r.signature === null) {
      passed++;
      assert.equal(f, null);
      continue;
    }
    failed++;
    assert.match(hashed.traceHash, /^[0-9a-f]{16}$/);
    assert.equal(f?.traceHash, hashed.traceHash, `run ${k}`);
    assert.equal(f?.traceHash, hashed.traceHash, "asked again: the same, not run again");
    assert.equal(runs() - before, 2, "the hash cost one run again, once");
  }
  assert.ok(failed > 0 && passed > 0, `${failed} failing, ${passed} passing runs`);
});
