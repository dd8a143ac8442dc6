// The campaign judge runs Zircon's pager tests (conformance/) as workloads with their expectations
// left out (`runChecked`): a case whose check fails ends its run there as a pass. The step the
// check failed in is still judged by the checkers: the world ends a run at a thread's fault
// before the monitors' `afterStep`, and a violation in that step was lost. With the mutant below
// (zx_futex_requeue skips its current-value check), F9 RequeueValueMismatch's requeue returns OK
// and the case's own check of that fails in the same step; futex-discipline sees the OK with the
// word at 100, not 101 (docs/mutation.md, "C (masked)").
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("runChecked judges the step a case's failed check ends the run in", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const { ALL_CASES } = await m.load("conformance/cases.ts") as Any;
    const { runChecked } = await m.load("conformance/harness.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const f9 = ALL_CASES.find((c: Any) => c.id === "F9" && c.name === "RequeueValueMismatch");
    assert.ok(f9 !== undefined);
    const run = () => runChecked(f9.body, 1, checkersOf("kernel")()).verdict;
    assert.equal(run().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel.ts:536:9:ConditionalExpression:false", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "futex-discipline");
    assert.match(v.message, /held 100, yet it returned ZX_OK/);
  } finally {
    m.dispose();
  }
});

Deno.test("dirty-state K25: a stats query without RESET that clears modified fails (W79 ModifiedNoReset)", async () => {
  // Spec 2.7: only ZX_PAGER_RESET_VMO_STATS clears the flag; the mutant clears it on every query.
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const { ALL_CASES } = await m.load("conformance/cases.ts") as Any;
    const { runChecked } = await m.load("conformance/harness.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const w79 = ALL_CASES.find((c: Any) => c.id === "W79" && c.name === "ModifiedNoResetTrapDirty");
    assert.ok(w79 !== undefined);
    const run = () => runChecked(w79.body, 1, checkersOf("kernel")()).verdict;
    assert.equal(run().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel.ts:286:9:ConditionalExpression:true", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "dirty-state");
    assert.match(v.message, /^K25: vmo\d+ lost modified .* \(no query of it with RESET\)$/);
  } finally {
    m.dispose();
  }
});

Deno.test("dirty-state K25: a stats query that reports no MODIFIED flag of a modified VMO fails", async () => {
  // The mutant hands back stats with no `modified` field at all.
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const { ALL_CASES } = await m.load("conformance/cases.ts") as Any;
    const { runChecked } = await m.load("conformance/harness.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    const w79 = ALL_CASES.find((c: Any) => c.id === "W79" && c.name === "ModifiedNoResetTrapDirty");
    const run = () => runChecked(w79.body, 1, checkersOf("kernel")()).verdict;
    assert.equal(run().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel.ts:285:19:ObjectLiteral:{}", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "dirty-state");
    assert.match(v.message, /^K25: zx_pager_query_vmo_stats of vmo\d+ reported flags undefined$/);
  } finally {
    m.dispose();
  }
});
