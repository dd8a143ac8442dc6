// trial32 (session 32, findings 3/4): a service whose READ handler grows a cache every step while
// it keeps yielding (case/testdata/userS32a_hog/wb_hog.ts) filled its worker's heap, went silent,
// and was stopped by the clock: every command signed it `service-hang: no yield (t3 at step 694
// never yielded ...)`, at a thread and step that changed with timing, and only repro and explore
// noted the growth. Each worker now samples its own heap as the run goes (sim/stuck.ts
// `heapSampler`), and a stop by the clock with the heap at half its limit or more is out-of-memory,
// naming the thread that was running and where, in sim, repro, fuzz and explore alike.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { RunRecord } from "../fuzz/engine.ts";
import { findingOf, guardBuffers, workerGuard } from "../explore/guard.ts";
import { atHeapLimit, heapFullWords, heapGrowing, heapRunningOut } from "../sim/stuck.ts";
import { runGuarded } from "./_guard.ts";

const DIR = "case/testdata/userS32a_hog";

// The one subprocess test: the CLI's verdict is the thing tested (sim's guard, cli/_guard.ts).
Deno.test("sim: a service that yields every step while it fills the heap is out-of-memory, naming the thread and step, not `never yielded`", async () => {
  const r = await denoOutput([
    "run",
    "-A",
    "cli/sim.ts",
    "--service",
    `${DIR}/wb_hog.ts`,
    "--scenario",
    `${DIR}/small.json`,
    "--seed",
    "1",
    "--memory",
    "64",
    // The heap's growth stops the hog at three quarters of the limit (sim/stuck.ts
    // heapRunningOut), in ~3 s on an idle machine; a 2 s clock stopped it first under load
    // (session 33: the heap below half the limit then, so a hang, and this test failed).
    "--run-timeout",
    "120",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^signature: out-of-memory$/m);
  assert.match(
    r.out,
    /^verdict: out-of-memory \(the worker's heap held \d+ MiB of the --memory 64 MiB limit with t\d+ running at step \d+, in the service's body .*the run was still yielding, not stuck/m,
  );
  assert.doesNotMatch(r.out + r.err, /never yielded|had not yielded/);
  // No confirmation run: the heap would fill again (the user's sim took 1m51s for a verdict).
  assert.doesNotMatch(r.err, /running it again/);
});

Deno.test("a campaign's run record and an exploration worker's cells carry the worker's heap, sampled by their watch", () => {
  const record = RunRecord.create();
  assert.equal(record.heapMiB(), 0);
  for (let i = 0; i < 16; i++) record.watch(i, 1, 1);
  assert.ok(record.heapMiB() > 0, `sampled: ${record.heapMiB()} MiB`);
  const buffers = guardBuffers(2);
  const { hooks } = workerGuard(buffers, 1);
  for (let i = 0; i < 16; i++) hooks.watch?.(i, 2, 1);
  // The sample sits after the step, tid and entry cells, which the finding still reads right.
  assert.deepEqual(findingOf(buffers, 1, "out-of-memory", 0, "").at, {
    step: 15,
    tid: 2,
    entry: 1,
  });
  assert.ok(new Int32Array(buffers.cells)[7 * 1 + 5] > 0);
  assert.equal(new Int32Array(buffers.cells)[5], 0, "worker 0's cells untouched");
  // A new run starts its samples over: the first sample is the new run's.
  record.begin();
  assert.equal(record.heapMiB(), 0);
  assert.equal(record.firstHeapMiB(), 0);
  for (let i = 0; i < 16; i++) record.watch(i, 1, 1);
  assert.equal(record.firstHeapMiB(), record.heapMiB());
});

Deno.test("out-of-memory words: half the limit decides, and the verdict names where the heap ran out", () => {
  assert.ok(atHeapLimit(256, 512, 128) && !atHeapLimit(255, 512, 1) && !atHeapLimit(0, 0, 0));
  // Grown by a quarter of the limit since the run's first sample, or not out of memory.
  assert.ok(!atHeapLimit(400, 512, 300) && atHeapLimit(400, 512, 272) && !atHeapLimit(400, 512, 0));
  // Growing by a quarter (not counted spinning); running out at three quarters, grown.
  assert.ok(heapGrowing(200, 512, 72) && !heapGrowing(200, 512, 73));
  assert.ok(heapRunningOut(384, 512, 20) && !heapRunningOut(383, 512, 20));
  const w = heapFullWords({ step: 694, tid: 3, entry: 1 }, 480, 512);
  assert.match(w, /with t3 running at step 694, in the service's body/);
  assert.doesNotMatch(w, /never yielded/);
  assert.match(heapFullWords(null, 300, 512), /limit before any thread ran/);
});

// Session 33 (fix33a): the rule above read half the limit in the last sample as out of memory,
// so a service that built a large table, then spun without yielding, was called out-of-memory
// and not counted as spinning. Out of memory now needs the heap to have grown during the run.
Deno.test("the guard: a spinner whose heap is large but flat is a hang; a heap that grows to the limit is out-of-memory", async () => {
  const limits = { runTimeout: 1, memoryMb: 64, confirmTimeout: 1 };
  // 3 s for the spinner (its spin lasts 5 s): under load its worker had not built its table and
  // reached the spin at step 48 within 1 s, so the stop named no step (session 33).
  const spin = await runGuarded(
    new URL("./testdata/flat_heap_spin_command.ts", import.meta.url).href,
    { ...limits, runTimeout: 3, confirmTimeout: 3 },
  );
  assert.equal(spin.kind, "service-hang", JSON.stringify(spin));
  assert.deepEqual(spin.kind === "service-hang" ? spin.at : null, { step: 48, tid: 1, entry: 1 });
  // A heap running out stops the run at once (sim/stuck.ts `heapRunningOut`), not at its run
  // limit: a 60 s limit would have held the verdict 60 s.
  const t0 = performance.now();
  const hog = await runGuarded(
    new URL("./testdata/heap_hog_command.ts", import.meta.url).href,
    { ...limits, runTimeout: 60 },
  );
  assert.ok(performance.now() - t0 < 30_000, `${performance.now() - t0} ms`);
  assert.equal(hog.kind, "out-of-memory", JSON.stringify(hog));
  assert.ok(
    hog.kind === "out-of-memory" && hog.heapMiB !== undefined && hog.heapMiB >= 32,
    JSON.stringify(hog),
  );
});
