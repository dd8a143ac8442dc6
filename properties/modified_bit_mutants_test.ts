// dirty-state K25's must-set rule: a successful `zx_vmo_set_size` of a root pager VMO, and a
// `zx_vmo_write` of at least one byte to one, leave it modified (spec 2.7, 2.8.3: "any successful
// resize" and a write that wrote a byte call `mark_modified_locked`). K25 judged only what may
// set the flag and that a query reports it, so a kernel that never set it on a resize passed.
// The mutant is switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts)
// and judged by the kernel checkers on one campaign run of the mutate judge (campaign seed 1),
// which passes unmutated. It survived the campaign before (fresh shard 5 of 8 on 2e0fdd0;
// docs/mutation.md, the open class "the stats MODIFIED bit", closed by helper lever24).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/vmo_pages.ts");

Deno.test("dirty-state K25: a resize of a pager VMO that does not mark it modified fails", async () => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  assert.equal(run(5).kind, "pass", "run 5 unmutated");
  const v: Any = m.withMutant(
    "kernel/vmo_pages.ts:1341:9:ConditionalExpression:false",
    () => run(5),
  );
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "dirty-state", JSON.stringify(v));
  assert.match(v.message, /^K25: vmo\d+ is not modified after a successful zx_vmo_set_size/);
});

// The other way: a ZERO whose first whole page is pinned raises a DIRTY request for it before it
// zeroes anything, so that step cannot mark the VMO (spec 2.7: a ZERO "that zeroed something"
// does). `vmo_pages.ts:866:11` (`to >= from`) ran the unpinned-run zeroing on an empty run first,
// which marked it; it only showed in a stats query after a failed ZERO. The judge's
// `program:zero-pinned-first-page` probe reaches it.
Deno.test("dirty-state K25: a ZERO waiting on its pinned first page has not marked the VMO modified", async () => {
  const m = await mirror();
  const { zeroPinnedFirstPageProgram } = await m.load("program/generate.ts") as Any;
  const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
  const run = () =>
    runProgram(zeroPinnedFirstPageProgram(), { seed: 0, monitors: programMonitors });
  const base = run();
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  for (
    const key of [
      "kernel/vmo_pages.ts:892:11:EqualityOperator:to >= from",
      "kernel/vmo_pages.ts:892:11:ConditionalExpression:true",
    ]
  ) {
    const v: Any = m.withMutant(key, () => run().verdict);
    assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
    assert.equal(v.invariant, "dirty-state", JSON.stringify(v));
    assert.match(
      v.message,
      /^K25: vmo\d+ became modified in the step its ZERO from page 0 raised DIRTY/,
    );
  }
});
