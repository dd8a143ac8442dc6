// The campaign judge's kill_after_open scenario (mutate/scenarios/kill_after_open.json): a thread
// opens a file (a harness entry, scenario/files.ts) and reads it while a kill event targets it.
// A kill deferred only inside an open or close (`KernelObjects.leaveEntry` counts the entries the
// thread is inside) takes effect at once once the open returned. Every seed passes unmutated; a
// `leaveEntry` that never counts an entry down (`kernel_objects.ts:407:9` false `@end+0:24`, open
// since triage33d) leaves the thread "inside" for good, so a later kill is deferred and the thread
// reads on and exits normally, which syscall-contract's `kill` rule reports. Before it no probe of
// the judge killed a thread after it had opened a file.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("kill_after_open passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("kill_after_open"), 100);
});

Deno.test("kill_after_open: a leaveEntry that never counts down defers a kill outside any entry", async () => {
  const m = await mutantMirror("kernel/kernel_objects.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const key = "kernel/kernel_objects.ts:407:9:ConditionalExpression:false @end+0:24";
    const seeds = Array.from({ length: 100 }, (_, k) => k);
    let message = "";
    const killer = seeds.find((seed) => {
      assert.equal((run("kill_after_open", seed) as Any).kind, "pass", `seed ${seed} unmutated`);
      const v: Any = m.withMutant(key, () => run("kill_after_open", seed));
      message = v.message ?? "";
      return v.kind === "invariant" && v.invariant === "syscall-contract";
    });
    assert.ok(killer !== undefined, `no seed fails syscall-contract with ${key}`);
    assert.match(message, /^kill: t\d+ exited normally after its kill was deferred/);
  } finally {
    m.dispose();
  }
});
