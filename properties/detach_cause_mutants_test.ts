// page-state's K13 (after `zx_pager_detach_vmo` no unpinned Clean page or marker remains) judged
// by the call, not by the detach event's `why`: a kernel that detaches through the death path's
// reason (no decommit) emits `why: ""`, and page-state used to take that word and skip the rule.
// The mutant is switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts)
// and judged by the kernel checkers on one campaign run of the mutate judge (campaign seed 1),
// which passes unmutated. It survived the campaign before (fresh shard 5 of 8 on 2e0fdd0;
// docs/mutation.md, helper gap23).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/kernel.ts");

Deno.test("page-state K13: a zx_pager_detach_vmo whose detach keeps its Clean pages fails, whatever the event's why says", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(55).kind, "pass", "run 55 unmutated");
  const v: Any = m.withMutant('kernel/kernel.ts:225:28:StringLiteral:""', () => run(55));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "page-state", JSON.stringify(v));
  assert.match(v.message, /^K13: .* after detach/);
});
