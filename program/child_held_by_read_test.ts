// The campaign judge's `program:child-held-by-read` probe (`childHeldByReadProgram`): a clone
// whose handle is open while one read of it is parked and another ends, so its parent must not
// raise ZX_VMO_ZERO_CHILDREN. It passes unmutated; a kernel that lets a VMO go when its handles
// plus mappings *minus* its calls in flight reach 0 (`kernel_objects.ts:295:9` on db8cb50, a
// blind spot of the fresh shard 3 of 8; docs/mutation.md, helper triage27b) drops the clone as
// the second read ends and fails futex-discipline's `zero-children`.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("childHeldByReadProgram passes unmutated; a VMO let go while a handle and a read hold it fails zero-children", async () => {
  const m = await mutantMirror(["kernel/kernel_objects.ts"]);
  try {
    const { childHeldByReadProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(childHeldByReadProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    // The packet was taken (the read parked), page 0 read, ZERO_CHILDREN not seen.
    assert.deepEqual(base.results[0].slice(6, 9).map((r: Any) => r.status), [
      ZX_OK,
      ZX_OK,
      ZX_ERR_TIMED_OUT,
    ]);
    assert.ok(base.results[1].some((r: Any) => r.status === ZX_OK), "a read parked and returned");
    const v = m.withMutant(
      "kernel/kernel_objects.ts:338:9:ArithmeticOperator:vmo.handleCount + vmo.mappings - vmo.inflight",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.match(
      v.message,
      /zero-children: .*ZX_VMO_ZERO_CHILDREN on vmo\d+ while its child's handle/,
    );
  } finally {
    m.dispose();
  }
});
