// syscall-contract's kill rules, judged from the `call`/`ret` events and the `thread` events: a
// `zx_task_kill` that returns ZX_OK on a thread the trace has not named killed, exited or crashed
// has, by its return, made the trace name it `killed` or `kill-deferred`; and no `killed` event
// names a thread already dead. A kernel whose kill of a thread inside a harness entry neither
// defers nor kills (`kernel.ts:847:45` `;`, a blind spot of the fresh shard 1 of 8 on db8cb50;
// docs/mutation.md, helpers triage24, lever24c) fails it on campaign run 167 (campaign seed 1),
// and one whose kill of a dead thread kills it again (`kernel.ts:848:14` true) on run 32; both
// pass unmutated. Switched on in an instrumented mirror of the project
// (mutate/mutant_mirror.ts) and judged by the kernel checkers.
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/kernel.ts");

Deno.test("syscall-contract: a zx_task_kill that returns ZX_OK and takes no effect fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(167).kind, "pass", "run 167 unmutated");
  const v: Any = m.withMutant("kernel/kernel.ts:857:45:CallExpression:;", () => run(167));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
  assert.match(
    v.message,
    /^kill: t\d+ zx_task_kill of t\d+, alive at the call, returned ZX_OK and the trace names t\d+ neither killed nor kill-deferred/,
  );
});

Deno.test("syscall-contract: a kill of a dead thread that kills it again fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(32).kind, "pass", "run 32 unmutated");
  const v: Any = m.withMutant("kernel/kernel.ts:858:14:ConditionalExpression:true", () => run(32));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
  assert.match(
    v.message,
    /^kill: t\d+ killed again after the trace named it .*: a kill of a dead thread does nothing/,
  );
});
