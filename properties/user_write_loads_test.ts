// read-content's R6: a zx_vmo_write from a user buffer stores what it loaded from its own buffer,
// placed by the model's record of the mappings. At half a page, a user copy that starts at
// `pos + offset` instead of `pos - offset` (`vmo_pages.ts:440:63`, open since helper triage25's
// lever 7; docs/mutation.md, helper lever25) stays inside the mapping, so no call fails and the
// contract is silent: only where the load came from tells.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a user-buffer write that loads from the wrong place in its buffer fails read-content R6", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { userWriteOffsetProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(userWriteOffsetProgram(4096, 2048), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:459:63:ArithmeticOperator:pos + offset",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "read-content", JSON.stringify(v));
    assert.match(v.message, /R6: .*loaded 0x8 bytes at vmo\d+ 0x1000, which .* outside the buffer/);
  } finally {
    m.dispose();
  }
});

Deno.test("a user copy whose second part starts at the wrong buffer address fails read-content R6", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { userWriteOffsetProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(userWriteOffsetProgram(), { seed: 0, monitors: programMonitors });
    // `userCopy` walks the buffer from `user.addr + at + pos`; from `- pos` the part past the
    // buffer's page boundary is loaded from before the buffer, still inside the mapping.
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:662:17:ArithmeticOperator:user.addr + at - pos",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "read-content", JSON.stringify(v));
    assert.match(v.message, /R6: .*outside the buffer/);
  } finally {
    m.dispose();
  }
});
