// dirty-state K25 at a pager VMO's first look: a new VMO is not modified (upstream
// `VmCowPages::pager_stats_modified_` starts false, vm_cow_pages.h @ gnoliyil/fuchsia 1aa74e42),
// so only a modifying call of the step that made it may have set the flag. DirtyState took the
// flag from the kernel at its first look and judged only its changes after, so a kernel whose
// VMOs were born modified (`objects.ts:333:14` true, fresh shard 4 of 8 on db8cb50;
// docs/mutation.md, helper triage28b) passed every campaign probe: a stats query reported the
// flag the checker had taken. The mutant is switched on in an instrumented mirror of the project
// and judged by the kernel checkers on campaign run 0 of the mutate judge, which passes unmutated.
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/objects.ts");

Deno.test("dirty-state K25: a pager VMO born modified fails at its first look", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(0).kind, "pass", "run 0 unmutated");
  const v: Any = m.withMutant("kernel/objects.ts:333:14:BooleanLiteral:true", () => run(0));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "dirty-state", JSON.stringify(v));
  assert.match(v.message, /^K25: vmo\d+ became modified in a step running /);
});
