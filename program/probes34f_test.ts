// The campaign judge's probe of helper fast200 (program/probes34f.ts; docs/mutation.md, "The CI
// sample at 200 under two minutes"): it passes unmutated and fails on the mutant it was written for.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_INVALID_ARGS, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("userBufferU64Program passes unmutated; a zx_vmo_write or zx_vmo_read that takes a user buffer no u64 holds fails the program contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { userBufferU64Program } = await m.load("program/probes34f.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(userBufferU64Program(), { seed: 0, monitors: mirrored.programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(
      base.results[0].map((r: Any) => r.status),
      [ZX_OK, ZX_OK, ...new Array(6).fill(ZX_ERR_INVALID_ARGS)],
    );
    // zx_vmo_write's `buffer !== undefined && !isU64(buffer)` made false: the write half a byte
    // into the mapping copies in and returns ZX_OK.
    const w: Any = m.withMutant(
      "kernel/kernel.ts:731:9:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(w.kind, "invariant", JSON.stringify(w));
    assert.equal(w.invariant, "program-contract", JSON.stringify(w));
    assert.match(w.message, /zx_vmo_write.*ZX_OK.*ZX_ERR_INVALID_ARGS/);
    // zx_vmo_read's twin (gap32a's probe reads into a fractional buffer too).
    const r: Any = m.withMutant(
      "kernel/kernel.ts:712:9:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(r.kind, "invariant", JSON.stringify(r));
    assert.equal(r.invariant, "program-contract", JSON.stringify(r));
    assert.match(r.message, /zx_vmo_read.*ZX_OK.*ZX_ERR_INVALID_ARGS/);
  } finally {
    m.dispose();
  }
});
