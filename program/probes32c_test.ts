// The campaign judge probes of set C of the open keys of shards 5-8 on db8cb50 (docs/mutation.md,
// helper gap32c): `program:gap32c-edges` (`gap32cEdgesProgram`: two mappings of one region made
// high first and walked by zx_vmar_op_range; a clone of a clone at an offset PREFETCHed and
// committed; a clone read after its parent's detach) and `program:clone-pin-shrink`
// (`clonePinShrinkProgram`: a pin of a resizable clone parked on its READ while the clone
// shrinks), passing unmutated and failing on each of their mutants; and the two contract rules
// they needed (`PinShrink`, `CloneDetachRead`). One mirror instruments the two kernel files.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from "../kernel/constants.ts";
import { HandleModel } from "./handle_model.ts";
import { CloneDetachRead } from "./clone_detach_read.ts";
import { PinShrink } from "./pin_shrink.ts";
import { clonePinShrinkProgram, gap32cEdgesProgram } from "./probes32c.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("gap32cEdgesProgram passes: the walk ZX_OK, the clone chain read, the detached clone's read BAD_STATE", () => {
  const r = runProgram(gap32cEdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const calls = gap32cEdgesProgram().threads[0].calls.length;
  const want = new Array(calls).fill(ZX_OK);
  want[calls - 1] = ZX_ERR_BAD_STATE;
  assert.deepEqual(r.results[0].map((x) => x?.status), want);
});

Deno.test("clonePinShrinkProgram passes: the pin the shrink cut is OUT_OF_RANGE", () => {
  const r = runProgram(clonePinShrinkProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  assert.equal(r.results[1].at(-1)?.status, ZX_ERR_OUT_OF_RANGE);
});

Deno.test("PinShrink: a shrink grown back, or a resize of another VMO, before the pin returns leaves it unjudged", () => {
  const model = new HandleModel();
  model.create(5, ZX_OBJ_TYPE_VMO, 0, 0, 8192);
  model.create(6, ZX_OBJ_TYPE_VMO, 0, 0, 8192);
  const pin = [9, 1, 5, 0, 8192];
  for (const [again, size] of [[5, 8192], [6, 4096]] as const) {
    const p = new PinShrink();
    p.start("zx_bti_pin", pin, model, 1);
    p.start("zx_vmo_set_size", [5, 4096], model, 0);
    assert.equal(p.end("zx_vmo_set_size", [5, 4096], ZX_OK, 0), null);
    p.start("zx_vmo_set_size", [again, size], model, 0);
    assert.equal(p.end("zx_vmo_set_size", [again, size], ZX_OK, 0), null);
    assert.equal(p.end("zx_bti_pin", pin, ZX_OK, 1), null);
  }
  // A resize of the VMO still running as the pin returns: not judged either.
  const p = new PinShrink();
  p.start("zx_bti_pin", pin, model, 1);
  p.start("zx_vmo_set_size", [5, 4096], model, 0);
  p.end("zx_vmo_set_size", [5, 4096], ZX_OK, 0);
  p.start("zx_vmo_set_size", [5, 0], model, 2);
  assert.equal(p.end("zx_bti_pin", pin, ZX_OK, 1), null);
});

Deno.test("CloneDetachRead: a clone written, or a parent written, before the detach is not judged", () => {
  const judge = (taint: [string, unknown[]] | null) => {
    const model = new HandleModel();
    model.create(3, ZX_OBJ_TYPE_VMO, 0, 2, 8192);
    const r = new CloneDetachRead();
    const child = [3, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 8192];
    r.start("zx_vmo_create_child", child, model, true);
    r.end("zx_vmo_create_child", child, ZX_OK, 9, model);
    model.create(9, ZX_OBJ_TYPE_VMO, 0, 2);
    if (taint !== null) {
      r.start(taint[0], taint[1], model, true);
      r.end(taint[0], taint[1], ZX_OK, 0, model);
    }
    r.start("zx_pager_detach_vmo", [2, 3], model, true);
    r.end("zx_pager_detach_vmo", [2, 3], ZX_OK, 0, model);
    r.start("zx_vmo_read", [9, 0, 4096], model, true);
    return r.end("zx_vmo_read", [9, 0, 4096], ZX_OK, 0, model);
  };
  assert.match(judge(null) ?? "", /^returned ZX_OK, but the clone owns no page/);
  assert.equal(judge(["zx_vmo_write", [9, new Uint8Array(8), 0]]), null);
  assert.equal(judge(["zx_vmo_write", [3, new Uint8Array(8), 0]]), null);
  assert.equal(judge(["zx_vmo_create_child", [3, 1, 0, 4096]]), null);
});

/** Each mutant, the probe it fails, and what the verdict must say. */
const CASES: [string, string, string, RegExp][] = [
  // op_range's walk takes the first mapping listed, not the lowest: the lower one is skipped.
  [
    "kernel/objects.ts:666:74:ConditionalExpression:false",
    "gap32cEdgesProgram",
    "invariant:program-contract",
    /^t0#5 zx_vmar_op_range returned ZX_ERR_BAD_STATE; the handle model says ZX_OK$/,
  ],
  // A PREFETCH of a clone of a clone asks the root for a page a middle clone owns.
  [
    "kernel/vmo_pages.ts:540:31:ConditionalExpression:true",
    "gap32cEdgesProgram",
    "invariant:page-state",
    /^K2: vmo\d+ READ #\d+ covers page 1, which is clean$/,
  ],
  // A read forks the page into the clone: it still reads after the parent's detach.
  [
    "kernel/vmo_pages.ts:295:9:ConditionalExpression:false",
    "gap32cEdgesProgram",
    "invariant:program-contract",
    /^t0#24 zx_vmo_read returned ZX_OK, but the clone owns no page/,
  ],
  // A pin of a clone the shrink cut while it waited pins past the end and returns ZX_OK.
  [
    "kernel/vmo_pages.ts:700:9:ConditionalExpression:false",
    "clonePinShrinkProgram",
    "invariant:program-contract",
    /^t1#2 zx_bti_pin returned ZX_OK, but a zx_vmo_set_size of its VMO to 4096 bytes returned ZX_OK while it ran/,
  ],
];

Deno.test("each mutant fails its probe with the check that names it, the probes passing unmutated in the same mirror", async () => {
  const files = [...new Set(CASES.map(([key]) => key.split(":")[0]))];
  const m = await mutantMirror(files);
  try {
    const g: Any = await m.load("program/probes32c.ts");
    const run: Any = await m.load("program/run.ts");
    const go = (program: string) =>
      run.runProgram(g[program](), { seed: 0, monitors: run.programMonitors }).verdict;
    for (const program of new Set(CASES.map(([, p]) => p))) {
      assert.equal(go(program).kind, "pass", `${program} unmutated`);
    }
    for (const [key, program, kind, message] of CASES) {
      const v: Any = m.withMutant(key, () => go(program));
      const got = v.kind === "invariant" ? `invariant:${v.invariant}` : v.kind;
      assert.equal(got, kind, `${key}: ${JSON.stringify(v).slice(0, 300)}`);
      assert.match(v.message, message, key);
    }
  } finally {
    m.dispose();
  }
});

// The SHOULD_WAIT a PREFETCH returns under :540:31 true is the READ it asked (fail instead of
// block); unmutated it asks nothing.
Deno.test("the probe's clone chain PREFETCH asks no READ unmutated", () => {
  const r = runProgram(gap32cEdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.ok(!r.results[0].some((x) => x?.status === ZX_ERR_SHOULD_WAIT));
});
