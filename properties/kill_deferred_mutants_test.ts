// syscall-contract's `kill` rule: a thread whose kill was deferred inside a harness entry
// (`kill-deferred`) is killed when it leaves the entry, so it never exits normally. A kernel that
// never lets the deferred kill take effect (`kernel_objects.ts:364:9` true, a blind spot of the
// fresh shard 5 of 8 on 2e0fdd0, open since gapX22; docs/mutation.md, helper gap23) fails it on
// campaign run 167 (campaign seed 1), which passes unmutated. Switched on in an instrumented
// mirror of the project (mutate/mutant_mirror.ts) and judged by the kernel checkers.
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/kernel_objects.ts");

Deno.test("syscall-contract: a thread whose deferred kill never takes effect and exits fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(167).kind, "pass", "run 167 unmutated");
  const v: Any = m.withMutant(
    "kernel/kernel_objects.ts:407:9:ConditionalExpression:true",
    () => run(167),
  );
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
  assert.match(v.message, /^kill: t\d+ exited normally after its kill was deferred/);
});

// The other side (a blind spot of the fresh shard 5 of 8 on db8cb50, helper triage30a): a thread
// dies by a kill only when one asked for it. `kernel_objects.ts:407:9` `&&` (db8cb50 `:364:9`)
// returns from `leaveEntry` only while the thread is still inside an entry with no kill deferred,
// so a thread leaving its last entry with no kill pending is killed: campaign run 10 (a file opened
// by a reader) fails `kill` with no zx_task_kill in sight, and passes unmutated.
Deno.test("syscall-contract: a thread killed with no zx_task_kill in flight and no kill deferred fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(10).kind, "pass", "run 10 unmutated");
  const v: Any = m.withMutant(
    "kernel/kernel_objects.ts:407:9:LogicalOperator:--t.entries > 0 && !t.killDeferred",
    () => run(10),
  );
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
  assert.match(
    v.message,
    /^kill: t\d+ killed, but no zx_task_kill naming it is in flight and no kill of it was deferred$/,
  );
});
