// Seed-16 gap list A (docs/mutation.md, "Gap list A"): kernel mistakes the campaign judge let
// through and the program contract now predicts from upstream Zircon, each failing a program of
// the mutate judge that passes unmutated (one mirror; each program drawn afresh for every run, as
// the judge runs it: program/testdata/program_verdict.ts). Plus the model parts the predictions
// stand on.
import { strict as assert } from "node:assert";
import {
  ZX_ERR_NOT_SUPPORTED,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import { vmoOpRangeOutcome } from "./anon_op_range.ts";
import { HandleModel } from "./handle_model.ts";
import { firstContractKiller, sharedProgramMirror } from "./testdata/program_verdict.ts";

const PS = 4096;

Deno.test("vmoOpRangeOutcome: COMMIT and the hints of an anonymous VMO are ZX_OK, DECOMMIT of a pager VMO or clone NOT_SUPPORTED", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS);
  const h = m.get(5);
  for (const op of [ZX_VMO_OP_COMMIT, ZX_VMO_OP_ALWAYS_NEED, ZX_VMO_OP_DONT_NEED]) {
    assert.equal(vmoOpRangeOutcome(h, op, 1, PS, m, PS), ZX_OK, `op ${op}`);
  }
  assert.equal(vmoOpRangeOutcome(h, ZX_VMO_OP_ZERO, 0, PS, m, PS), null, "ZERO");
  // PREFETCH of a VMO no pager backs is ZX_OK too (gap32a: vm_object_dispatcher.cc @ misttech
  // 0f631c7d), where this test once left it undecided.
  assert.equal(vmoOpRangeOutcome(h, ZX_VMO_OP_PREFETCH, 0, PS, m, PS), ZX_OK, "PREFETCH");
  // A pager VMO's COMMIT waits on its pager: undecided; its DECOMMIT is NOT_SUPPORTED (a root
  // page source), as is a clone's (a parent), unless the range is empty.
  m.create(6, ZX_OBJ_TYPE_VMO, 0, 1, 4 * PS);
  assert.equal(vmoOpRangeOutcome(m.get(6), ZX_VMO_OP_COMMIT, 0, PS, m, PS), null);
  assert.equal(vmoOpRangeOutcome(m.get(6), ZX_VMO_OP_DECOMMIT, 0, PS, m, PS), ZX_ERR_NOT_SUPPORTED);
  assert.equal(vmoOpRangeOutcome(m.get(6), ZX_VMO_OP_DECOMMIT, PS, 0, m, PS), null);
  m.createWithRights(7, ZX_OBJ_TYPE_VMO, 0, false, true);
  assert.equal(vmoOpRangeOutcome(m.get(7), ZX_VMO_OP_DECOMMIT, 0, 1, m, PS), ZX_ERR_NOT_SUPPORTED);
  // A contiguous VMO commits and ignores hints like a plain one; with loaning on (as in every
  // program) its aligned DECOMMIT with no pin is ZX_OK (program/gap_v_test.ts).
  m.create(8, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS, "contiguous");
  assert.equal(vmoOpRangeOutcome(m.get(8), ZX_VMO_OP_COMMIT, 0, PS, m, PS), ZX_OK);
  assert.equal(vmoOpRangeOutcome(m.get(8), ZX_VMO_OP_DONT_NEED, 0, PS, m, PS), ZX_OK);
  assert.equal(vmoOpRangeOutcome(m.get(8), ZX_VMO_OP_DECOMMIT, 0, PS, m, PS), ZX_OK);
});

Deno.test("vmoOpRangeOutcome: DECOMMIT is ZX_OK aligned, with no pin that may hold and no child", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS);
  const h = m.get(5);
  const decommit = (offset: number, length: number) =>
    vmoOpRangeOutcome(h, ZX_VMO_OP_DECOMMIT, offset, length, m, PS);
  assert.equal(decommit(PS, 2 * PS), ZX_OK);
  assert.equal(decommit(PS / 2, PS), null, "unaligned: INVALID_ARGS upstream, rounded here");
  // A pin started: undecided until its unpin returns ZX_OK.
  m.pinHolds.start("zx_bti_pin", 5);
  assert.equal(decommit(0, PS), null);
  m.pinHolds.end("zx_bti_pin", [1, 0, 5, 0, PS], ZX_OK, 9, 5);
  assert.equal(decommit(0, PS), null);
  m.pinHolds.end("zx_pmt_unpin", [9], -1, 0, undefined); // a failed unpin leaves the pin
  assert.equal(decommit(0, PS), null);
  m.pinHolds.end("zx_pmt_unpin", [9], ZX_OK, 0, undefined);
  assert.equal(decommit(0, PS), ZX_OK);
  // A failed pin pins nothing.
  m.pinHolds.start("zx_bti_pin", 5);
  m.pinHolds.end("zx_bti_pin", [1, 0, 5, 0, PS], -10, 0, 5);
  assert.equal(decommit(0, PS), ZX_OK);
  // A PMT closed without an unpin is quarantined: its pin holds for good.
  m.pinHolds.start("zx_bti_pin", 5);
  m.pinHolds.end("zx_bti_pin", [1, 0, 5, 0, PS], ZX_OK, 11, 5);
  m.pinHolds.end("zx_handle_close", [11], ZX_OK, 0, undefined);
  m.pinHolds.end("zx_pmt_unpin", [11], ZX_OK, 0, undefined);
  assert.equal(decommit(0, PS), null);
  // A child made of it: undecided (a slice shares its pages; a snapshot hides a parent above).
  const n = new HandleModel();
  n.create(5, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS);
  n.childrenMade.set(5, [7]);
  assert.equal(vmoOpRangeOutcome(n.get(5), ZX_VMO_OP_DECOMMIT, 0, PS, n, PS), null);
});

const FILES = ["kernel/vmo_pages.ts"];

/** The one mirror of FILES and a verdict of the judge's program `k` from it. */
const judged = sharedProgramMirror(FILES);

const CASES: [key: string, what: string][] = [
  [
    "kernel/vmo_pages.ts:943:11:ConditionalExpression:false",
    "DECOMMIT of a pager VMO or a clone decommits instead of NOT_SUPPORTED",
  ],
  [
    "kernel/vmo_pages.ts:939:33:ConditionalExpression:true",
    "every op on a contiguous VMO taken as its DECOMMIT or ZERO",
  ],
  [
    "kernel/vmo_pages.ts:946:11:ConditionalExpression:true",
    "DECOMMIT of an unpinned plain anonymous VMO says BAD_STATE (anon_op_range.ts)",
  ],
];

for (const [key, what] of CASES) {
  Deno.test(`gap list A: ${what}`, async () => {
    const { verdict } = await judged();
    const killer = firstContractKiller(verdict, key, 50);
    assert.ok(killer !== undefined, `no judge program among 50 fails the contract with ${key}`);
  });
}
