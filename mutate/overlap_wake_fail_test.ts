// K14w at an overlap waiter's wake page (properties/syscall_contract.ts `#hits`; docs/mutation.md,
// "Open keys of shard 3 on 237c931", helper gap34a). Upstream's `ResolveRequestsLocked` fails an
// overlap waiter when the OP_FAIL's range, clipped to the waiter's own range, starts at its first
// page or exactly at its wake page (page_source.cc @ misttech/fuchsia ce4be33a). K14w judged the
// first only: the wake page lies inside the waiter's own range, whose end the trace does not give.
// A parked overlap waiter's does (it waits on the request again only as `PopulateRequest`'s
// continuation), so K14w now judges a parked one there. The judge's empty_fail_at_wake scenario
// (mutate/scenarios/empty_fail_at_wake.json: r1 reads pages [0,4), r2 [1,4) as its overlap waiter,
// the pager supplies page by page and on a coin fails the empty range at the next page) fails r2
// at its wake page 2 or 3 while r1 is still the primary; page_source.ts:458:34 false drops that.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const KEY = "kernel/page_source.ts:458:34:ConditionalExpression:false";

Deno.test("K14w: an overlap waiter parked at its wake page, which an OP_FAIL starts at, returns the error (page_source.ts:458:34 false fails)", async () => {
  const m = await mutantMirror("kernel/page_source.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const seeds = Array.from({ length: 100 }, (_, seed) => seed);
    const failing = seeds.map((s) => run("empty_fail_at_wake", s) as Any)
      .filter((v) => v.kind !== "pass");
    assert.deepEqual(failing, [], "every seed passes unmutated");
    const found: Any[] = m.withMutant(
      KEY,
      () => seeds.map((s) => run("empty_fail_at_wake", s) as Any).filter((v) => v.kind !== "pass"),
    );
    assert.ok(found.length > 0, `${KEY}: every seed passes`);
    for (const v of found) {
      assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
      assert.match(
        v.message,
        /^K14w: t\d+ zx_vmo_read of vmo\d+ (parked|waited) at page \d, which OP_FAIL \[\d+, \+0\) failed with ZX_ERR_IO/,
      );
    }
  } finally {
    m.dispose();
  }
});
