// The campaign judge probes written from the 58 untriaged blind keys of shards 5 and 6 on db8cb50
// (docs/mutation.md, helper triage31a): `program:triage31a-edges` (`triage31aEdgesProgram`: a
// child written through zx_vmo_write and closed, ChildCount; a lending VMO's two frames borrowed
// by a pager VMO that dies and then taken back, LoanPool's kernel assertions; a WRITEBACK_END
// over two zero intervals split by a committed page, dirty-state's K17 writeback-end row; a
// clone read after its parent shrank, read-content) and `program:dead-port-wait`
// (`deadPortWaitProgram`: the port model's rule that a port whose last handle closed hands no
// packet back), passing unmutated and failing on each of their mutants; and syscall-contract's
// end-of-run kill rule (a thread the world ended killed was named by a `killed` event). One
// mirror instruments the six files, so the suite pays for one copy of the tree.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";
import { deadPortWaitProgram, triage31aEdgesProgram } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("triage31aEdgesProgram passes: every call ZX_OK, no child left, the zero interval written back gone, the clone reads its parent's page", () => {
  const r = runProgram(triage31aEdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const calls = triage31aEdgesProgram().threads[0].calls.length;
  assert.deepEqual(r.results[0].map((x) => x?.status), new Array(calls).fill(ZX_OK));
});

Deno.test("deadPortWaitProgram passes: the READ's packet is dropped, the parked wait times out", () => {
  const r = runProgram(deadPortWaitProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  assert.deepEqual(r.results[1].map((x) => x?.status), [ZX_OK, ZX_ERR_TIMED_OUT, ZX_ERR_TIMED_OUT]);
});

/** Each mutant, the probe it fails, and what the verdict must say. */
const CASES: [string, string, string, RegExp][] = [
  // zx_vmo_write keeps holding its VMO: the closed child still counts on its parent (ChildCount).
  [
    "kernel/kernel.ts:739:5:CallExpression:;",
    "triage31aEdgesProgram",
    "invariant:program-contract",
    /zx_object_get_info reports 1 children; by the children made of it and of those of them that died, 0$/,
  ],
  // A reclaimed frame left in no state: its owner's COMMIT takes it back and trips #evict.
  [
    'kernel/loans.ts:153:21:StringLiteral:""',
    "triage31aEdgesProgram",
    "kernel-assertion",
    /^frame \d+ not borrowed$/,
  ],
  // WRITEBACK_END skips the interval after a committed page.
  [
    "kernel/dirty.ts:250:11:ArithmeticOperator:last + 1",
    "triage31aEdgesProgram",
    "invariant:dirty-state",
    /^K17: vmo\d+ page 3: WRITEBACK_END kept a zero slot its interval's awaiting-clean end covers/,
  ],
  // Every thread born killed: nothing runs, and no killed event names any of them.
  [
    "kernel/objects.ts:515:12:BooleanLiteral:true",
    "triage31aEdgesProgram",
    "invariant:syscall-contract",
    /^kill: t\d+ ended killed, but no killed event named it: a thread dies by a kill only when one asked for it$/,
  ],
  // A parent's shrink cuts its clones off whole: the clone's kept page reads zeros.
  [
    "kernel/vmo_pages.ts:1322:27:MethodExpression:Math.min(0, Math.min(c.parentLimit, pages - c.parentOffset))",
    "triage31aEdgesProgram",
    "invariant:read-content",
    /= 0x0; the model of its content says 0x61$/,
  ],
  // A dead port takes packets: the wait parked on it gets the READ.
  [
    "kernel/port.ts:113:9:ConditionalExpression:false",
    "deadPortWaitProgram",
    "invariant:program-contract",
    /^t1#2 zx_port_wait returned ZX_OK with a packet, but no handle of port \d+ was left when it returned: a port whose last handle closed takes no packet \(ZX_ERR_BAD_HANDLE\)$/,
  ],
];

Deno.test("each mutant fails its probe with the check that names it, the probes passing unmutated in the same mirror", async () => {
  const files = [...new Set(CASES.map(([key]) => key.split(":")[0]))];
  const m = await mutantMirror(files);
  try {
    const g: Any = await m.load("program/generate.ts");
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
