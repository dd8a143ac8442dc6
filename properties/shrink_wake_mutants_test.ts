// wake-discipline's shrink rule (K11): a `zx_vmo_set_size` that shrinks a pager VMO resolves the
// READ requests of the range it cuts and no other (spec 2.8.3; `InvalidateReadRequestsLocked`
// over the cut range in `VmCowPages::ResizeLocked`), so a reader it wakes must wait on a request
// reaching past the new size. The mutant below resolves the READ of a page that stays; it survived
// the campaign before the rule (fresh shard 5 of 8 on 2e0fdd0; docs/mutation.md, helper gap23).
// Switched on in an instrumented mirror (mutate/mutant_mirror.ts), judged on the campaign judge's
// seeded scenario, as its `scenario:writeback_trap_zero:9` probe runs it.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, sharedMirror } from "../mutate/mutant_mirror.ts";
import { ZeroWakes } from "./_zero_wakes.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/vmo_pages.ts");

Deno.test("wake-discipline K11: a shrink that resolves the READ of a page that stays fails", async () => {
  const m = await mirror();
  const run = await mirrorScenarioRun(m, "kernel+service");
  for (let seed = 0; seed < 10; seed++) {
    const v: Any = run("writeback_trap_zero", seed);
    assert.equal(v.kind, "pass", `seed ${seed} unmutated: ${JSON.stringify(v)}`);
  }
  const v: Any = m.withMutant(
    "kernel/vmo_pages.ts:1309:15:ConditionalExpression:true",
    () => run("writeback_trap_zero", 9),
  );
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "wake-discipline", JSON.stringify(v));
  assert.match(v.message, /^K11: .*resolved by zx_vmo_set_size\(.*which cut none of it/);
});

Deno.test("ZeroWakes.strayShrinkWake: only a READ of the shrunk root reaching past the new size", () => {
  const z = new ZeroWakes(64);
  z.note({ k: "request", vmo: 5, id: 1, type: "READ", start: 1, end: 3, tid: 7 }, false);
  z.note({ k: "request", vmo: 5, id: 2, type: "READ", start: 0, end: 1, tid: 8 }, false);
  z.note({ k: "request", vmo: 6, id: 1, type: "READ", start: 4, end: 5, tid: 9 }, false);
  z.note({ k: "request", vmo: 5, id: 3, type: "DIRTY", start: 0, end: 1, tid: 10 }, false);
  assert.equal(z.strayShrinkWake(7, 5, 2), null, "[1,3) reaches past 2 pages");
  assert.equal(z.strayShrinkWake(7, 5, 3), "t7's READ [1,3) of vmo5", "all of [1,3) stays");
  assert.equal(z.strayShrinkWake(8, 5, 2), "t8's READ [0,1) of vmo5");
  assert.equal(z.strayShrinkWake(9, 5, 0), "t9's READ [4,5) of vmo6", "another VMO's reader");
  assert.equal(z.strayShrinkWake(10, 5, 2), null, "a DIRTY waiter is another rule's");
  assert.equal(z.strayShrinkWake(11, 5, 2), null, "a thread on no known request");
});
