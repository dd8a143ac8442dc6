// A kill that lands inside a harness entry (a file's open or close, scenario/files.ts) waits for
// the entry's return (audit K-E1: the entry is the filesystem's work, done in its own context
// upstream, so a kill of its client cannot cut it). `zx_task_kill` with its `entries > 0` test
// made false (`kernel/kernel.ts:857:9` false, open since triage26b as db8cb50's `:847:9`) kills
// the thread at once, part-way through the open: the file's VMO made and never used, no
// `kill-deferred`, and the `killed` event comes from the kill call itself, so syscall-contract's
// other kill rules hold. The judge's kill_after_open scenario lands its kill inside the open
// under most seeds; syscall-contract's end-of-run `kill` rule (a thread never ends killed inside
// an entry, read from the harness's entry count) reports it. Before the rule every seed passed.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("kill_after_open: a kill inside the open that takes effect at once fails syscall-contract's kill rule", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const key = "kernel/kernel.ts:857:9:ConditionalExpression:false";
    let killed = 0;
    let message = "";
    for (let seed = 0; seed < 20; seed++) {
      assert.equal((run("kill_after_open", seed) as Any).kind, "pass", `seed ${seed} unmutated`);
      const v: Any = m.withMutant(key, () => run("kill_after_open", seed));
      if (v.kind === "invariant" && v.invariant === "syscall-contract") {
        killed++;
        message = v.message;
      } else assert.equal(v.kind, "pass", `seed ${seed} mutated: ${JSON.stringify(v)}`);
    }
    assert.ok(killed > 0, `no seed of 20 fails syscall-contract with ${key}`);
    assert.match(
      message,
      /^kill: t\d+ was killed inside a harness entry \(a file's open or close\)/,
    );
  } finally {
    m.dispose();
  }
});
