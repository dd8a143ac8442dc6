// futex_garbage's owner round requeues naming a gate waiter and the bystander as the new owner
// (INVALID_ARGS upstream: the owner waits on one of the two futexes), and futex-args holds such
// a requeue to never ZX_OK: a kernel that skips the owner's check (kernel/kernel.ts:541:7, a
// seed-15 gap no checker saw) fails the run; unmutated it passes.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("futex_garbage: a requeue whose new owner waits on one of its futexes is refused", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("futex_garbage", 0);
    assert.equal(verdict().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel.ts:570:7:ConditionalExpression:false", verdict);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "futex-discipline", JSON.stringify(v));
    assert.match(v.message, /new owner waits on one of the two futexes/);
  } finally {
    m.dispose();
  }
});
