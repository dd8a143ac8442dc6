// The campaign judge's probes of helper gap33 (program/probes33.ts; docs/mutation.md, "Open keys
// of shards 1-2 on 237c931"): each passes unmutated and fails on the mutant it was written for.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_TIMED_OUT, ZX_OK, ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";
import { CompleteModel } from "./complete_model.ts";
import { HandleModel } from "./handle_model.ts";
import { PinShrink } from "./pin_shrink.ts";
import { ZX_ERR_OUT_OF_RANGE, ZX_OBJ_TYPE_VMO, ZX_VMO_OP_ZERO } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("vmarOpThenCloseProgram passes unmutated; a zx_vmar_op_range that keeps its hold fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel_vmar.ts"]);
  try {
    const { vmarOpThenCloseProgram } = await m.load("program/probes33.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(vmarOpThenCloseProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const wait = base.results[0].at(-1);
    assert.equal(wait.status, ZX_OK);
    assert.equal(wait.packet.command, ZX_PAGER_VMO_COMPLETE);
    // `this.release(t, m.vmo)` dropped: the thread holds the VMO until it exits.
    const v: Any = m.withMutant(
      "kernel/kernel_vmar.ts:349:11:CallExpression:;",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /t0#10 zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ held 1 ZX_PAGER_VMO_COMPLETE/,
    );
  } finally {
    m.dispose();
  }
});

/** A model given a picture in which object 3 is mapped while `mapped[0]`, pager 1, port 2. */
function mappedSetup(mapped: boolean[]) {
  const m = new CompleteModel({
    objectOf: (h) => h,
    mapsObject: (o) => o === 3 ? mapped[0] : false,
  });
  const run = (call: string, args: unknown[], status: number, tid = 0, packet: unknown = null) => {
    m.start(call as never, args, tid);
    return m.end(call as never, args, {
      status,
      value: call === "zx_pager_create_vmo" ? 3 : 0,
      packet,
    }, tid);
  };
  m.start("zx_pager_create", [0], 0);
  m.end("zx_pager_create", [0], { status: ZX_OK, value: 1, packet: null }, 0);
  m.start("zx_port_create", [0], 0);
  m.end("zx_port_create", [0], { status: ZX_OK, value: 2, packet: null }, 0);
  run("zx_pager_create_vmo", [1, 0, 2, 5, 8192], ZX_OK);
  run("zx_pager_supply_pages", [1, 3, 0, 8192, 9, 0], ZX_OK);
  return { m, run };
}

Deno.test("completes: a mapped VMO closed owes its COMPLETE once the picture maps it nowhere", () => {
  const mapped = [true];
  const { m, run } = mappedSetup(mapped);
  run("zx_vmar_map", [7, 0, 0, 3, 0, 8192], ZX_OK);
  run("zx_handle_close", [3], ZX_OK);
  // Still mapped: the VMO lives on, and a wait that times out is no contradiction.
  assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
  mapped[0] = false;
  // Another thread's memory access in flight may hold it: not judged yet.
  m.memory(1, false);
  assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
  m.memory(1, true);
  assert.match(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT) ?? "", /held 1 ZX_PAGER_VMO_COMPLETE/);
});

Deno.test("completes: a mapped VMO that may lose a page, or was not filled, is unjudged", () => {
  const cases: [string, (run: Any) => void][] = [
    ["a DECOMMIT (lent frames)", (run) => run("zx_vmo_op_range", [11, 2, 0, 4096], ZX_OK)],
    ["a VMAR DONT_NEED", (run) => run("zx_vmar_op_range", [7, 12, 0, 8192], ZX_OK)],
    ["a DONT_NEED hint of it", (run) => run("zx_vmo_op_range", [3, 12, 0, 8192], ZX_OK)],
  ];
  for (const [what, act] of cases) {
    const { run } = mappedSetup([false]);
    run("zx_vmar_map", [7, 0, 0, 3, 0, 8192], ZX_OK);
    act(run);
    run("zx_handle_close", [3], ZX_OK);
    assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined, what);
  }
  // A VMO not wholly supplied: an access through the mapping may ask the pager.
  const m = new CompleteModel({ objectOf: (h) => h, mapsObject: () => false });
  const run = (call: string, args: unknown[], status: number, value = 0) => {
    m.start(call as never, args, 0);
    return m.end(call as never, args, { status, value, packet: null }, 0);
  };
  run("zx_pager_create", [0], ZX_OK, 1);
  run("zx_port_create", [0], ZX_OK, 2);
  run("zx_pager_create_vmo", [1, 0, 2, 5, 8192], ZX_OK, 3);
  run("zx_pager_supply_pages", [1, 3, 0, 4096, 9, 0], ZX_OK);
  run("zx_vmar_map", [7, 0, 0, 3, 0, 8192], ZX_OK);
  run("zx_handle_close", [3], ZX_OK);
  assert.equal(run("zx_port_wait", [2, 0], ZX_ERR_TIMED_OUT), undefined);
});

Deno.test("zeroPinnedShrinkProgram passes unmutated (OUT_OF_RANGE); #zeroWhole without its size recheck fails the contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { zeroPinnedShrinkProgram } = await m.load("program/probes33.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(zeroPinnedShrinkProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.equal(base.results[1][2].status, ZX_ERR_OUT_OF_RANGE);
    // `if (last > vmo.pageCount) return ZX_ERR_OUT_OF_RANGE;` made `if (false)`.
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:888:11:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /t1#2 zx_vmo_op_range returned ZX_OK, but a zx_vmo_set_size of its VMO to 4096 bytes returned ZX_OK while it ran, below its range's end 12288: a ZERO a resize cut/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("PinShrink: a ZERO a shrink cut is judged; a resize rounded up past its end, or an empty ZERO, is not", () => {
  const model = new HandleModel();
  model.create(5, ZX_OBJ_TYPE_VMO, 0, 0, 8192);
  const judge = (zero: unknown[], size: number) => {
    const p = new PinShrink();
    p.start("zx_vmo_op_range", zero, model, 1);
    p.start("zx_vmo_set_size", [5, size], model, 0);
    assert.equal(p.end("zx_vmo_set_size", [5, size], ZX_OK, 0, 4096), null);
    return p.end("zx_vmo_op_range", zero, ZX_OK, 1, 4096);
  };
  assert.match(judge([5, ZX_VMO_OP_ZERO, 0, 8192], 4096) ?? "", /a ZERO a resize cut/);
  assert.match(judge([5, ZX_VMO_OP_ZERO, 100, 4000], 4096) ?? "", /below its range's end 4100/);
  // 4000 bytes make a page: a ZERO of [0, 4096) is not cut.
  assert.equal(judge([5, ZX_VMO_OP_ZERO, 0, 4096], 4000), null);
  assert.equal(judge([5, ZX_VMO_OP_ZERO, 8192, 0], 4096), null);
});
