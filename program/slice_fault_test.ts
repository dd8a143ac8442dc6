// The campaign judge's `program:slice-fault` probe (`sliceFaultProgram`): loads through a mapped
// slice that starts a page into its supplied pager VMO. It passes unmutated (each load finds its
// root page present), and a fault that looks the root up at `p - off` instead of `p + off`
// (`vmo_pages.ts:557:33`, a blind spot of the fresh shard 1 of 8 on db8cb50 and gapX22's open
// reach; docs/mutation.md, helper triage25) asks the pager for a page that is there (page-state
// K2).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("sliceFaultProgram passes unmutated; a fault through a slice at the wrong root page fails", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { sliceFaultProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(sliceFaultProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:583:33:ArithmeticOperator:p - off",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "page-state", JSON.stringify(v));
    assert.match(v.message, /^K2: vmo\d+ READ #\d+ covers page 1, which is clean/);
  } finally {
    m.dispose();
  }
});
