// The campaign judge's `program:user-write-offset` probe (`userWriteOffsetProgram`): zx_vmo_write
// at a page offset from a user buffer at the start of a 2-page mapping. It passes unmutated, and
// a write whose user copy starts at `pos + offset` instead of `pos - offset` (`vmo_pages.ts:440:63`,
// a blind spot of the fresh shard 1 of 8 on db8cb50; docs/mutation.md, helper triage25) reads past
// the mapping and fails the copy, where the contract predicts ZX_OK (the buffer is mapped).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("userWriteOffsetProgram passes unmutated; a user copy from the wrong place fails the contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { userWriteOffsetProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(userWriteOffsetProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:459:63:ArithmeticOperator:pos + offset",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_vmo_write returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK/,
    );
  } finally {
    m.dispose();
  }
});
