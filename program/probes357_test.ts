// The campaign judge's probe of helper triage357 (program/probes357.ts; docs/mutation.md, "Blind
// spots of shard 7 of 8 on 237c931"): it passes unmutated and fails on the mutant it was written for.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("emptyDirtyEndProgram passes unmutated; an empty OP_DIRTY at a VMO's end that is OUT_OF_RANGE fails the program contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { emptyDirtyEndProgram } = await m.load("program/probes357.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(emptyDirtyEndProgram(), { seed: 0, monitors: mirrored.programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(
      base.results[0].slice(3).map((r: Any) => r.status),
      [ZX_OK, ZX_OK, ZX_ERR_OUT_OF_RANGE, ZX_OK, ZX_ERR_BAD_STATE],
    );
    // OP_DIRTY's range check `offset > vmo.size` made `>=`: the empty range at the end is
    // OUT_OF_RANGE (shard 7's blind key; open since triage28a's row of db8cb50's `:1149:9`).
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:1191:9:EqualityOperator:offset >= vmo.size",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(v.message, /zx_pager_op_range.*ZX_ERR_OUT_OF_RANGE.*ZX_OK/);
  } finally {
    m.dispose();
  }
});

Deno.test("detachThenCloseProgram passes unmutated; a pager close that leaves a detached VMO's COMPLETE queued fails CompleteModel", async () => {
  const m = await mutantMirror(["kernel/kernel_objects.ts"]);
  try {
    const { detachThenCloseProgram } = await m.load("program/probes357.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(detachThenCloseProgram(), {
        seed: 0,
        monitors: mirrored.programMonitors,
      });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const statuses = base.results[0].map((r: Any) => r.status);
    assert.deepEqual(statuses.slice(4), [ZX_OK, ZX_OK, ZX_OK, ZX_OK, ZX_ERR_TIMED_OUT]);
    assert.equal(base.results[0][5].packet.key, 2); // the second VMO's COMPLETE, taken
    // closePager's `proxyOf(vmo).close()` dropped: the first VMO's COMPLETE, queued by its
    // detach, is not withdrawn by the pager's close and the last wait takes it (shard 7's blind
    // key; open since triage28a's row of db8cb50's `kernel_objects.ts:281:7`).
    const v: Any = m.withMutant(
      "kernel/kernel_objects.ts:324:7:CallExpression:;",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.match(
      v.message,
      /handed back .*"key":1.*held only the ZX_PAGER_VMO_COMPLETE packets of keys \[\]/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("btiClosedWhilePinningProgram passes unmutated; a pin that pins after its BTI's last handle closed and returns ZX_OK fails the program contract", async () => {
  const m = await mutantMirror(["kernel/kernel_vmar.ts"]);
  try {
    const { btiClosedWhilePinningProgram } = await m.load("program/probes357.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(btiClosedWhilePinningProgram(), {
        seed: 0,
        monitors: mirrored.programMonitors,
      });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.equal(base.results[0][6].status, ZX_ERR_BAD_STATE); // the pin
    assert.deepEqual(base.results[1].slice(2).map((r: Any) => r.status), [ZX_OK, ZX_OK]);
    // btiPin's `b.object.handleCount === 0` made false (the quarantine half kept): the pin
    // returns ZX_OK and a PMT (shard 7's blind key; left by triage26b, "a race no probe stages").
    const v: Any = m.withMutant(
      "kernel/kernel_vmar.ts:439:9:ConditionalExpression:false @end+0:35",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(v.message, /zx_bti_pin returned ZX_OK, but its BTI's last handle was closed/);
  } finally {
    m.dispose();
  }
});
