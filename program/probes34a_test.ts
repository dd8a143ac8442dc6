// The campaign judge's probe of helper gap34a (program/probes34a.ts; docs/mutation.md, "Open keys
// of shard 3 on 237c931"): it passes unmutated and fails on the mutant it was written for.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("clonePartialZeroProgram passes unmutated; a partial ZERO that skips a clone's gap fails read-content", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { clonePartialZeroProgram } = await m.load("program/probes34a.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(clonePartialZeroProgram(), {
        seed: 0,
        monitors: mirrored.programMonitors,
      });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].slice(-3).map((r: Any) => r.status), [ZX_OK, ZX_OK, ZX_OK]);
    // `tgt.parent !== null` made false: a clone counts as not pager-backed, so its gap "reads as
    // zero" and the partial ZERO returns at once; the clone keeps showing the root's 0x11.
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:870:48:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "read-content", JSON.stringify(v));
    assert.match(
      v.message,
      /^R1: t\d+ read byte 0x800 of its VMO .* = 0x11; the model of its content says 0x0$/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("cloneTakenChildProgram passes unmutated; a child that hangs past the clone holding its page fails read-content", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { cloneTakenChildProgram } = await m.load("program/probes34a.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(cloneTakenChildProgram(), {
        seed: 0,
        monitors: mirrored.programMonitors,
      });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].map((r: Any) => r.status), new Array(12).fill(ZX_OK));
    // `some` made `every`: the clone's window [page 0 held, page 1 set to nothing] no longer
    // counts as holding a page, so the child hangs from the root and shows its 0x11.
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:1405:13:MethodExpression:seen.every(x => x !== undefined)",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "read-content", JSON.stringify(v));
    assert.match(
      v.message,
      /^R1: t\d+ read byte 0x0 of its VMO .* = 0x11; the model of its content says 0x22$/,
    );
  } finally {
    m.dispose();
  }
});
