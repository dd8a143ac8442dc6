// wake-discipline's kill rule: a thread the trace shows parked on a page request (a pager `block`
// and no `wake` since) that a `killed` event names is woken in the kill's step. A kernel whose kill
// leaves the pager wait alone (`kernel_objects.ts:332:5` `;`, a blind spot of the fresh shard 5 of
// 8 on 2e0fdd0, open since gap list E; docs/mutation.md, helpers gap23, lever24b) fails it on
// campaign run 8 (campaign seed 1), which passes unmutated. Switched on in an instrumented mirror
// of the project (mutate/mutant_mirror.ts) and judged by the kernel checkers.
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/kernel_objects.ts");

Deno.test("wake-discipline: a kill that leaves a parked reader's pager wait alone fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(8).kind, "pass", "run 8 unmutated");
  const v: Any = m.withMutant("kernel/kernel_objects.ts:375:5:CallExpression:;", () => run(8));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "wake-discipline", JSON.stringify(v));
  assert.match(
    v.message,
    /^K11: t\d+ was killed while parked on vmo \d+: .* and its wait went on: a kill interrupts a pager wait/,
  );
});
