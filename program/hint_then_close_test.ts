// The campaign judge's `program:hint-then-close` probe (`hintThenCloseProgram`): a pager VMO
// hinted DONT_NEED, its only handle closed, its port waited on. The hint holds the VMO only while
// it runs, so the COMPLETE is on the port at the wait (program/complete_model.ts, which now keeps
// such a VMO judged). A `zx_vmo_op_range` that never drops its hold (`kernel.ts:757:5`, a blind
// spot of the fresh shard 1 of 8 on db8cb50, gap list C's "op_range keeps its hold on the VMO";
// docs/mutation.md, helper triage25) keeps the VMO alive until its thread exits: the wait times out.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK, ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("hintThenCloseProgram passes unmutated; an op_range that keeps its hold fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { hintThenCloseProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(hintThenCloseProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const wait = base.results[0].at(-1);
    assert.equal(wait.status, ZX_OK);
    assert.equal(wait.packet.command, ZX_PAGER_VMO_COMPLETE);
    const v: Any = m.withMutant("kernel/kernel.ts:767:5:CallExpression:;", () => run().verdict);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ held 1 ZX_PAGER_VMO_COMPLETE/,
    );
  } finally {
    m.dispose();
  }
});
