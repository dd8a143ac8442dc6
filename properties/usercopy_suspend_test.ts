// wake-discipline's suspend rule: a thread parked in a kernel usercopy's fault wait is not woken
// by a suspend (ZX_ERR_INTERNAL_INTR_RETRY). A kernel whose `interrupt` delivers the suspend to a
// non-suspendable wait too (`vmo_pages.ts:1074:9` false, a blind key of shard 2 of 8 on 237c931;
// docs/mutation.md, helper gap33) fails it on the conformance row PX5 SuspendInKernelTest, run
// as the campaign judge runs it (the kernel checkers alone, no expectations), which passes
// unmutated.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("wake-discipline: a suspend that interrupts a usercopy's fault wait fails", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { ALL_CASES } = await m.load("conformance/cases.ts") as Any;
    const { runChecked } = await m.load("conformance/harness.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const { settleVerdict } = await m.load("properties/check_case.ts") as Any;
    const { shareJournal } = await m.load("properties/_step_monitor.ts") as Any;
    const px5 = ALL_CASES.find((c: Any) => c.id === "PX5");
    assert.equal(px5.name, "SuspendInKernelTest");
    const run = () => {
      const monitors = shareJournal(checkersOf("kernel")());
      const { world, verdict } = runChecked(px5.body, 1, monitors);
      return settleVerdict({ world, verdict }, monitors);
    };
    assert.equal(run().kind, "pass", "PX5 unmutated");
    const v: Any = m.withMutant("kernel/vmo_pages.ts:1074:9:ConditionalExpression:false", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "wake-discipline", JSON.stringify(v));
    assert.match(
      v.message,
      /^K11: t\d+ woken \(ZX_ERR_INTERNAL_INTR_RETRY\) from its zx_object_get_info's user-buffer copy, parked on vmo \d+: a suspend does not interrupt/,
    );
  } finally {
    m.dispose();
  }
});
