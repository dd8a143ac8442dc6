// The campaign judge probe written from the open keys of set B (docs/mutation.md, "Open keys
// closed, set B", helper gap32b): `program:gap32b-edges` (`gap32bEdgesProgram`: a pinned pager
// VMO closed and unpinned, the contract's CompleteModel; a write pin, dirty-state K25's must-set
// rule; a COMMIT over a zero-page marker and one through two pager waits, the contract's
// RootCommitFloor) and `program:early-wake-end` (`earlyWakeEndProgram`: a clone's reader woken
// early runs past its root's open READ, `PageSource.rewait`'s kernel assertion), passing
// unmutated and failing on each of their mutants. One mirror instruments
// the files, so the suite pays for one copy of the tree.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";
import { earlyWakeEndProgram, gap32bEdgesProgram } from "./probes32b.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("gap32bEdgesProgram passes: every call ZX_OK, the COMPLETE taken, the commits' pages counted", () => {
  const r = runProgram(gap32bEdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const calls = gap32bEdgesProgram().threads[0].calls.length;
  assert.deepEqual(r.results[0].map((x) => x?.status), new Array(calls).fill(ZX_OK));
  assert.deepEqual(r.results[1].map((x) => x?.status), [
    ZX_OK,
    ZX_ERR_TIMED_OUT,
    ZX_OK,
    ZX_OK,
    ZX_OK,
    ZX_OK,
    ZX_OK,
    ZX_OK,
  ]);
});

Deno.test("earlyWakeEndProgram passes: every read and supply ZX_OK, the waits on the threads' own ports timing out", () => {
  const r = runProgram(earlyWakeEndProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  assert.deepEqual(r.results.map((calls) => calls.map((x) => x?.status)), [
    new Array(8).fill(ZX_OK),
    [ZX_OK, ZX_ERR_TIMED_OUT, ZX_OK],
    [ZX_OK, ZX_ERR_TIMED_OUT, ZX_OK, ZX_ERR_TIMED_OUT, ZX_OK],
  ]);
});

/** Each mutant, the probe it fails, and what the probe's verdict must say. */
const CASES: [string, string, string, RegExp][] = [
  // An unpin no longer destroys a VMO with no handle left: its COMPLETE never comes.
  [
    "kernel/kernel_objects.ts:313:5:CallExpression:;",
    "gap32bEdgesProgram",
    "invariant:program-contract",
    /zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ held 1 ZX_PAGER_VMO_COMPLETE packet/,
  ],
  // A write pin no longer marks the VMO modified.
  [
    "kernel/vmo_pages.ts:772:13:ConditionalExpression:false",
    "gap32bEdgesProgram",
    "invariant:dirty-state",
    /^K25: vmo\d+ is not modified after a successful write pin/,
  ],
  // COMMIT leaves a pager root's zero-page marker without memory.
  [
    "kernel/vmo_pages.ts:533:46:EqualityOperator:root.source === null",
    "gap32bEdgesProgram",
    "invariant:program-contract",
    /committed_bytes 0, but a COMMIT of the pager VMO left 1 pages \(4096 bytes\) committed$/,
  ],
  // COMMIT returns the suspend's internal retry status instead of waiting again.
  [
    "kernel/vmo_pages.ts:555:27:ConditionalExpression:true",
    "gap32bEdgesProgram",
    "invariant:program-contract",
    /^t0#\d+ zx_vmo_op_range returned ZX_ERR_INTERNAL_INTR_RETRY, which the spec does not allow$/,
  ],
  // committedPages counts a zero-page marker: populated_bytes past populated_scaled_bytes.
  [
    "kernel/objects.ts:479:30:ConditionalExpression:true",
    "gap32bEdgesProgram",
    "invariant:program-contract",
    /zx_object_get_info reports 0 populated scaled bytes of 4096 populated, of a root VMO never cloned$/,
  ],
  // A reader of a clone woken early re-waits on its root's READ at the page past its end.
  [
    "kernel/vmo_pages.ts:482:90:EqualityOperator:rp <= r.end",
    "earlyWakeEndProgram",
    "kernel-assertion",
    /^rewait outside request$/,
  ],
];

Deno.test("each mutant fails its probe with the check that names it, the probes passing unmutated in the same mirror", async () => {
  const files = [...new Set(CASES.map(([key]) => key.split(":")[0]))];
  const m = await mutantMirror(files);
  try {
    const g: Any = await m.load("program/probes32b.ts");
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
