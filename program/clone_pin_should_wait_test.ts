// The campaign judge's `program:clone-pin-should-wait` probe (`clonePinShouldWaitProgram`): a
// fail-instead-of-block pin of a clone whose root page was never supplied sends a READ and must
// return SHOULD_WAIT. A clone pin that ignores its commit's failure and pins what is there, ZX_OK
// (`vmo_pages.ts:672:11` false, open since gapR22; docs/mutation.md, helper lever25), now fails
// fail-instead-of-block: the call sent a request it did not wait for, yet returned ZX_OK.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_SHOULD_WAIT } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("clonePinShouldWaitProgram passes unmutated; a clone pin that ignores its commit's SHOULD_WAIT fails", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { clonePinShouldWaitProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(clonePinShouldWaitProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.equal(base.results[0].at(-1).status, ZX_ERR_SHOULD_WAIT);
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:698:11:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.match(v.message, /fail-instead-of-block: .*sent READ .* zx_bti_pin .*returned ZX_OK/);
  } finally {
    m.dispose();
  }
});
