// `probe:suspended-usercopy-woken` (mutate/suspend_woken_probe.ts, helper gap30): passes under
// the kernel checkers unmutated; under `kernel/objects.ts:550:38` true (a thread held in a
// usercopy's fault wait counts as suspended) the woken worker stays parked while its waker
// sleeps, and wake-discipline's K11 run-on rule fails the run.
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a suspended worker woken out of a usercopy's fault wait runs on; held (objects.ts:550:38 true), it fails K11's run-on rule", async () => {
  const m = await mutantMirror(["kernel/objects.ts"]);
  try {
    const p = await m.load("mutate/suspend_woken_probe.ts") as Any;
    const h = await m.load("conformance/harness.ts") as Any;
    const sm = await m.load("properties/_step_monitor.ts") as Any;
    const kinds = await m.load("case/kinds.ts") as Any;
    const go = () => {
      const monitors = sm.shareJournal(kinds.checkersOf("kernel")());
      return h.runChecked(p.suspendedUsercopyWoken, 1, monitors).verdict;
    };
    const base = go();
    assert.equal(base.kind, "pass", JSON.stringify(base));
    const held = m.withMutant("kernel/objects.ts:550:38:ConditionalExpression:true", go);
    assert.equal(held.kind, "invariant", JSON.stringify(held));
    assert.equal(held.invariant, "wake-discipline");
    assert.match(
      held.message,
      /^K11: t\d+ was woken with ZX_OK from a pager wait at tick \d+ and has not run since, now tick \d+: a woken thread runs again/,
    );
  } finally {
    m.dispose();
  }
});
