// The campaign judge's empty_fail_at_wake scenario (mutate/scenarios/empty_fail_at_wake.json): a
// pager (mutate/scenario_services.ts `emptyFailNext`) that answers page by page and, on a coin,
// fails the empty range at the next page, `zx_pager_op_range(ZX_PAGER_OP_FAIL)` with length 0.
// Upstream takes that call all the way to `PageSource::ResolveRequestsLocked` (no layer returns
// early for length 0: docs/mutation.md, "A zero-length OP_FAIL"), which fails and early-wakes a
// reader waiting at that page strictly inside its request (page_source.cc @ misttech/mist-os
// 9da14a83). The model before kfid27 made the call a no-op (`if (length > 0)` in
// `VmoPages.pagerOp`, the :989:13 mutants of shards 2 and 3 on db8cb50); syscall-contract K14w
// judges such a kernel wrong, and no probe of the judge made the call before this scenario.
import { strict as assert } from "node:assert";
import { Kernel } from "../kernel/kernel.ts";
import { ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import { PageSource } from "../kernel/page_source.ts";
import type { KThread } from "../kernel/objects.ts";
import type { CallArgs } from "../kernel/syscalls.ts";
import { checkCase } from "../properties/check_case.ts";
import { checkersOf } from "../case/kinds.ts";
import { describeVerdict } from "../sim/world.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";

Deno.test("empty_fail_at_wake passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("empty_fail_at_wake"), 100);
});

/** The model before kfid27: an OP_FAIL of an empty range checks its arguments and fails nothing. */
class EmptyFailNoOpKernel extends Kernel {
  protected override pagerOpRange(t: KThread, ...args: CallArgs<"zx_pager_op_range">) {
    if (args[1] !== ZX_PAGER_OP_FAIL || args[4] !== 0) return super.pagerOpRange(t, ...args);
    const proto = PageSource.prototype;
    const fail = proto.onPagesFailed;
    proto.onPagesFailed = () => {};
    try {
      return super.pagerOpRange(t, ...args);
    } finally {
      proto.onPagesFailed = fail;
    }
  }
}

Deno.test("empty_fail_at_wake: a kernel whose empty OP_FAIL fails no reader is K14w's finding", () => {
  const scenario = judgeScenario("empty_fail_at_wake");
  const v = checkCase({ scenario, decisions: [], seed: 0 }, {
    monitors: checkersOf("kernel"),
    services: SCENARIO_SERVICES,
    makeKernel: (o) => new EmptyFailNoOpKernel(o),
  }).verdict;
  assert.equal(v.kind, "invariant", describeVerdict(v));
  assert.equal(v.invariant, "syscall-contract");
  assert.match(
    v.message,
    /^K14w: t\d+ zx_vmo_read of vmo\d+ parked at page (\d), which OP_FAIL \[\d+, \+0\) failed with ZX_ERR_IO \(the OP_FAIL returned ZX_OK\); it was not woken/,
  );
});
