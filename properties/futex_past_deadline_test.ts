// futex-discipline's `futex-value` for a deadline already past (blind spot of the fresh shard 6 of
// 8 on db8cb50, docs/mutation.md, helper triage30b): a `zx_futex_wait` whose deadline had passed
// when it began returns ZX_ERR_TIMED_OUT without parking (`WaitQueueBase::BlockEtcPreamble`,
// zircon/kernel/include/kernel/wait_queue_internal.h @ misttech/fuchsia 6b3127dc). The model's
// check (kernel.ts `futexWait`, `this.now >= deadline`) emptied let such a wait park, and a wake
// could take it: every checker passed it.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const KEY = "kernel/kernel.ts:494:31:BlockStatement:{}";

Deno.test("futex-value: a zx_futex_wait whose deadline has passed never parks; the model's past-deadline check emptied fails it", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const { World } = await m.load("sim/world.ts") as Any;
    const { kernelInvariants } = await m.load("properties/kernel_invariants.ts") as Any;
    const statuses: number[] = [];
    const run = () => {
      statuses.length = 0;
      const world = new World({ pageSize: 64, monitors: kernelInvariants() });
      world.spawn("waiter", "workload", function* (sys: Any) {
        const word = sys.futexWord(0);
        // A deadline already past (tick 0, at tick 0), then one a tick ahead: it parks, times out.
        statuses.push(yield* sys.futexWait(word, 0, 0, 0));
        statuses.push(yield* sys.futexWait(word, 0, 0, sys.now + 1));
      });
      return world.run().verdict;
    };
    const base = run();
    assert.equal(base.kind, "pass", JSON.stringify(base));
    assert.deepEqual(statuses, [ZX_ERR_TIMED_OUT, ZX_ERR_TIMED_OUT]);
    const mutant = m.withMutant(KEY, run);
    assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
    assert.equal(mutant.invariant, "futex-discipline");
    assert.match(
      mutant.message,
      /^futex-value: t1 zx_futex_wait\(0x[0-9a-f]+\) parked, but its deadline 0 had passed when it began \(tick 0\)/,
    );
    assert.notEqual(statuses[0], ZX_OK);
  } finally {
    m.dispose();
  }
});
