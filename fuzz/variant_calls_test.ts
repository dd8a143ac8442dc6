/**
 * A `--kernel` campaign counts the calls of the variant's own methods and warns about one no run
 * called (fuzz/variant_calls.ts). userS27k's `--mode programs` campaigns on two variants never
 * reached the changed code (an OP_FAIL mid-request, a wake of another request type): the step
 * totals equalled the model's, and nothing in the summary said so.
 */
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { summaryText } from "../cli/fuzz.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { makeKernel as va } from "../case/testdata/userS27k/va_fail_midrange_ok.ts";
import { runCampaign } from "./orchestrate.ts";
import { RunRecord } from "./engine.ts";
import { variantCallLines, VariantCalls } from "./variant_calls.ts";

const data = (f: string) => new URL(`../case/testdata/userS27k/${f}`, import.meta.url).pathname;

Deno.test("a variant's own methods are counted, and counting changes no run", async () => {
  const half = await loadScenarioFile(data("fail_half_page1.json"));
  // First, before any counting wraps the variant's classes (a wrap is for the module instance).
  const plain = runScenario(half, { seed: 3, monitors: kernelInvariants(), makeKernel: va });
  const calls = new VariantCalls();
  const counted = runScenario(half, {
    seed: 3,
    monitors: kernelInvariants(),
    makeKernel: calls.wrap(va),
  });
  assert.equal(counted.traceHash, plain.traceHash);
  assert.deepEqual(counted.decisions, plain.decisions);
  const c = calls.drain();
  assert.deepEqual(Object.keys(c).sort(), [
    "MidFailKernel.createPageSource",
    "MidFailSource.onPagesFailed",
  ]);
  assert.equal(c["MidFailKernel.createPageSource"], 1);
  assert.ok(c["MidFailSource.onPagesFailed"] >= 1, JSON.stringify(c));
  // A drain resets the counts and keeps the names: a method never called still shows 0.
  assert.deepEqual(calls.drain(), {
    "MidFailKernel.createPageSource": 0,
    "MidFailSource.onPagesFailed": 0,
  });
  // A second kernel of the same variant counts into the same names (each class wrapped once).
  runScenario(half, { seed: 3, makeKernel: calls.wrap(va) });
  assert.equal(calls.drain()["MidFailKernel.createPageSource"], 1);
});

Deno.test("the summary lines name each count and warn about a method no run called", () => {
  const lines = variantCallLines(
    { "MidFailKernel.createPageSource": 2000, "MidFailSource.onPagesFailed": 0 },
    2000,
    "programs",
  );
  assert.equal(
    lines[0],
    "kernel variant, calls of its own methods in 2000 runs: MidFailKernel.createPageSource " +
      "2000, MidFailSource.onPagesFailed 0",
  );
  assert.equal(lines.length, 2);
  assert.match(
    lines[1],
    /^warning: your variant's MidFailSource\.onPagesFailed was never called in 2000 runs: this campaign did not test it; try --mode scenarios, or a scenario whose pager fails reads/,
  );
  assert.deepEqual(variantCallLines({ "K.x": 3 }, 5, "scenarios").length, 1);
});

// userS28c: after a hang inside a variant's method the watchdog stopped the worker, whose counts
// went with it, and the line said "none of its own methods was seen": the counts are incomplete.
Deno.test("after a worker was stopped the lines say the counts are incomplete, not that nothing was called", () => {
  const none = variantCallLines({}, 3, "scenarios", 3);
  assert.deepEqual(none, [
    "kernel variant, calls of its own methods in 3 runs: not known, counts incomplete: 3 " +
    "workers were stopped (at the run limit or the heap limit) before reporting their counts, " +
    "which went with them (no run that finished reported any)",
  ]);
  assert.doesNotMatch(none[0], /none of its own methods was seen/);
  const some = variantCallLines(
    { "K.createPageSource": 4, "S.onPagesSupplied": 0 },
    5,
    "scenarios",
    1,
  );
  assert.equal(
    some[0],
    "kernel variant, calls of its own methods in 5 runs: K.createPageSource 4, " +
      "S.onPagesSupplied 0 (counts incomplete: 1 worker was stopped (at the run limit or the " +
      "heap limit) before reporting its counts, which went with it)",
  );
  assert.match(
    some[1],
    /^warning: your variant's S\.onPagesSupplied had no call in the counts reported \(a stopped worker's may have had some\)/,
  );
  // No worker stopped: the words are as before.
  assert.match(variantCallLines({}, 3, "scenarios", 0)[0], /none of its own methods was seen/);
});

for (const kind of ["programs", "scenarios"] as const) {
  Deno.test(`a ${kind} campaign on a variant reports its methods' calls`, async () => {
    const s = await runCampaign({
      kind,
      seed: 1,
      workers: 1,
      seconds: null,
      runs: 40,
      servicePath: null,
      kernelPath: data("va_fail_midrange_ok.ts"),
      known: [],
      maxShrink: 5,
      checkers: "kernel",
      modules: {},
      persist: () => Promise.resolve("(not written)"),
      progress: () => {},
      progressEvery: 60,
    });
    assert.deepEqual(s.errors, []);
    const calls = s.variantCalls ?? {};
    assert.ok(calls["MidFailKernel.createPageSource"] > 0, JSON.stringify(calls));
    assert.ok("MidFailSource.onPagesFailed" in calls, JSON.stringify(calls));
    const text = summaryText(s);
    assert.match(text, /^kernel variant, calls of its own methods in \d+ runs: /m);
  });
}

// userS28c/sig29: a hang inside a variant's method was named only as "the kernel variant's code":
// a spinning worker cannot be asked for its stack, so each counted call tells the run's record
// which of the variant's methods it is inside, and the watchdog reads it at the stop.
Deno.test("a counted call tells the record the variant method it is inside, and nothing once it returns", async () => {
  const half = await loadScenarioFile(data("fail_half_page1.json"));
  const record = RunRecord.create();
  const seen: (string | null)[] = [];
  const calls = new VariantCalls((name) => {
    record.inMethod(name);
    seen.push(record.method());
  });
  const plain = runScenario(half, { seed: 3, monitors: kernelInvariants(), makeKernel: va });
  const told = runScenario(half, {
    seed: 3,
    monitors: kernelInvariants(),
    makeKernel: calls.wrap(va),
  });
  assert.equal(told.traceHash, plain.traceHash);
  assert.ok(seen.includes("MidFailSource.onPagesFailed"), JSON.stringify(seen));
  assert.ok(seen.includes("MidFailKernel.createPageSource"), JSON.stringify(seen));
  assert.equal(seen.at(-1), null);
  assert.equal(record.method(), null);
});
