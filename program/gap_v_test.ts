// Gap list V (full run, session 19): a DECOMMIT's pin check judged by page, and DECOMMIT of a
// contiguous VMO (program/anon_op_range.ts, program/pin_holds.ts): the model rules, then the
// kernel mutants the program contract now kills on the judge's programs (the
// `decommitBesidePin` tail of every pin layout); a contiguous VMO's partial ZERO, which
// read-content judges (the `contiguousPartialZero` tail); and a child's size, which a parent's
// resize leaves alone (run.ts `childFixedSize`, the `cloneKeepsSize` tail).

import { strict as assert } from "node:assert";
import { ZX_OBJ_TYPE_VMO, ZX_OK, ZX_VMO_OP_DECOMMIT } from "../kernel/constants.ts";
import { vmoOpRangeOutcome } from "./anon_op_range.ts";
import { HandleModel } from "./handle_model.ts";
import { pinPages } from "./pin_holds.ts";
import { CommitCeiling } from "./commit_ceiling.ts";
import { firstContractKiller, sharedProgramMirror } from "./testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const PS = 4096;

Deno.test("pinPages: a pin's pages, rounded out; every page when its arguments are unknown", () => {
  assert.deepEqual(pinPages("zx_bti_pin", [1, 1, 5, PS, PS], PS), [1, 2]);
  assert.deepEqual(pinPages("zx_bti_pin", [1, 1, 5, PS / 2, PS], PS), [0, 2]);
  assert.deepEqual(pinPages("zx_bti_pin", [1, 1, 5, "x", PS], PS), [0, Infinity]);
  assert.deepEqual(pinPages("zx_vmo_read", [1, 1, 5, PS, PS], PS), [0, Infinity]);
});

Deno.test("PinHolds: a pin holds only the pages it named, from its start to its unpin", () => {
  const m = new HandleModel();
  const pin = [1, 1, 5, PS, PS]; // page 1 of object 5
  const pages = pinPages("zx_bti_pin", pin, PS);
  m.pinHolds.start("zx_bti_pin", 5, pages);
  assert.equal(m.pinHolds.mayHold(5, 0, 1), false, "page 0 is beside the pin");
  assert.equal(m.pinHolds.mayHold(5, 1, 2), true, "in flight: counts from its start");
  assert.equal(m.pinHolds.mayHold(5), true);
  assert.equal(m.pinHolds.mayHold(6), false);
  m.pinHolds.end("zx_bti_pin", pin, ZX_OK, 9, 5, pages);
  assert.equal(m.pinHolds.mayHold(5, 0, 2), true);
  assert.equal(m.pinHolds.mayHold(5, 2, 4), false);
  // Two pins of the same pages: one unpin leaves the other.
  m.pinHolds.start("zx_bti_pin", 5, pages);
  m.pinHolds.end("zx_bti_pin", pin, ZX_OK, 10, 5, pages);
  m.pinHolds.end("zx_pmt_unpin", [9], ZX_OK, 0, undefined);
  assert.equal(m.pinHolds.mayHold(5, 1, 2), true);
  m.pinHolds.end("zx_pmt_unpin", [10], ZX_OK, 0, undefined);
  assert.equal(m.pinHolds.mayHold(5), false);
  // A failed pin takes back exactly its own start.
  m.pinHolds.start("zx_bti_pin", 5, [0, 1]);
  m.pinHolds.start("zx_bti_pin", 5, pages);
  m.pinHolds.end("zx_bti_pin", pin, -10, 0, 5, pages);
  assert.equal(m.pinHolds.mayHold(5, 1, 2), false);
  assert.equal(m.pinHolds.mayHold(5, 0, 1), true);
});

Deno.test("vmoOpRangeOutcome: DECOMMIT beside a pin is ZX_OK, of a plain or contiguous VMO", () => {
  for (const kind of [undefined, "contiguous"] as const) {
    const m = new HandleModel();
    m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS, kind);
    const decommit = (offset: number, length: number) =>
      vmoOpRangeOutcome(m.get(5), ZX_VMO_OP_DECOMMIT, offset, length, m, PS);
    assert.equal(decommit(0, 2 * PS), ZX_OK, `${kind}: no pin`);
    assert.equal(decommit(PS / 2, PS), null, `${kind}: unaligned is undecided`);
    m.pinHolds.start("zx_bti_pin", 5, [1, 2]);
    m.pinHolds.end("zx_bti_pin", [1, 1, 5, PS, PS], ZX_OK, 9, 5, [1, 2]);
    assert.equal(decommit(0, PS), ZX_OK, `${kind}: beside the pin`);
    assert.equal(decommit(PS, PS), null, `${kind}: over it (the contract's plainPins decides)`);
    assert.equal(decommit(0, 2 * PS), null, `${kind}: over it too`);
    m.childrenMade.set(5, [7]);
    assert.equal(decommit(0, PS), null, `${kind}: a child may pin through its own handle`);
  }
});

Deno.test("CommitCeiling: a DECOMMIT's pages stay absent until a call on the VMO starts", () => {
  const m = new HandleModel();
  m.create(5, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS);
  const c = new CommitCeiling();
  const call = (name: string, args: unknown[], status = ZX_OK, info?: Any) => {
    c.start(name, args, m);
    return c.end(name, args, status, info, m, PS);
  };
  const info = (committedBytes: number) => ({ committedBytes, sizeBytes: 2 * PS });
  assert.equal(call("zx_vmo_op_range", [5, ZX_VMO_OP_DECOMMIT, 0, 2 * PS]), null);
  assert.match(call("zx_object_get_info", [5, 0], ZX_OK, info(PS)) ?? "", /at most 0 bytes/);
  assert.equal(call("zx_object_get_info", [5, 0], ZX_OK, info(0)), null);
  // A read of a plain VMO commits nothing (an absent page reads as the zero page): kept
  // (helper triage30a; a contiguous VMO's read takes its page back).
  assert.equal(call("zx_vmo_read", [5, 0, PS]), null);
  assert.match(call("zx_object_get_info", [5, 0], ZX_OK, info(PS)) ?? "", /at most 0 bytes/);
  // A write may commit: forgotten.
  assert.equal(call("zx_vmo_write", [5, 0, 0]), null);
  assert.equal(call("zx_object_get_info", [5, 0], ZX_OK, info(2 * PS)), null);
  // A DECOMMIT that returns while another call on the VMO is in flight sets nothing.
  c.start("zx_vmo_write", [5, 0, 0], m);
  assert.equal(call("zx_vmo_op_range", [5, ZX_VMO_OP_DECOMMIT, 0, 2 * PS]), null);
  assert.equal(c.end("zx_vmo_write", [5, 0, 0], ZX_OK, undefined, m, PS), null);
  assert.equal(call("zx_object_get_info", [5, 0], ZX_OK, info(PS)), null);
  // Nor one of a VMO ever named by a map, whatever the map returned.
  assert.equal(call("zx_vmar_map", [1, 0, 0, 5, 0, PS], -10), null);
  assert.equal(call("zx_vmo_op_range", [5, ZX_VMO_OP_DECOMMIT, 0, 2 * PS]), null);
  assert.equal(call("zx_object_get_info", [5, 0], ZX_OK, info(PS)), null);
});

const FILES = ["kernel/vmo_pages.ts"];

/** The one mirror of FILES and a verdict of the judge's program `k` from it. */
const judged = sharedProgramMirror(FILES);

const CASES: [key: string, what: string][] = [
  [
    "kernel/vmo_pages.ts:1171:25:EqualityOperator:p <= end",
    "the pin check looks one page past the range: DECOMMIT beside a pin is BAD_STATE",
  ],
  [
    "kernel/vmo_pages.ts:993:9:ConditionalExpression:false",
    "DECOMMIT of a contiguous VMO over a pinned page lends it (ZX_OK, not BAD_STATE)",
  ],
  [
    'kernel/vmo_pages.ts:1336:39:EqualityOperator:c.childKind !== "reference"',
    "a clone follows its resizable parent's resize (ZX_INFO_VMO: a child keeps its size)",
  ],
  [
    "kernel/vmo_pages.ts:994:39:BlockStatement:{}",
    "a contiguous DECOMMIT keeps its pages (ZX_INFO_VMO: CommitCeiling)",
  ],
  [
    "kernel/vmo_pages.ts:946:11:ConditionalExpression:false",
    "DECOMMIT of a plain VMO over a pinned page frees it (ZX_OK, not BAD_STATE)",
  ],
];

Deno.test("gap list V (contiguous ZERO): a partial page's bounds past the range zero the next page", async () => {
  const { verdict } = await judged();
  const key = "kernel/vmo_pages.ts:983:27:EqualityOperator:p <= end";
  // Judge program 12 has a pin layout whose thread reaches `contiguousPartialZero` (found by
  // tools/program_kills.ts kernel/vmo_pages.ts 929 937 60; the first that fails with the mutant).
  assert.equal(verdict(12).kind, "pass");
  const v = verdict(12, key);
  assert.equal(`${v.kind} ${v.invariant}`, "invariant read-content");
});

for (const [key, what] of CASES) {
  Deno.test(`gap list V: ${what}`, async () => {
    const { verdict } = await judged();
    const killer = firstContractKiller(verdict, key, 30);
    assert.ok(killer !== undefined, `no judge program among 30 fails the contract with ${key}`);
  });
}
