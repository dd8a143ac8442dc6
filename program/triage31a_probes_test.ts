// The campaign judge probe written from the 58 untriaged blind keys of shards 5 and 6 on db8cb50
// (docs/mutation.md, helper triage31a): `program:triage31a-edges` (`triage31aEdgesProgram`: a
// child written through zx_vmo_write and closed, ChildCount; a lending VMO's two frames borrowed
// by a pager VMO that dies and then taken back, LoanPool's kernel assertions; a WRITEBACK_END
// over two zero intervals split by a committed page, dirty-state's K17 writeback-end row),
// passing unmutated and failing on each of its mutants; and syscall-contract's end-of-run kill
// rule (a thread the world ended killed was named by a `killed` event).
import { strict as assert } from "node:assert";
import { judgeProgram } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";
import { triage31aEdgesProgram } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

/** `triage31aEdgesProgram` with `file` instrumented, unmutated and under each key. */
const judge = (file: string, keys: readonly string[]) =>
  judgeProgram(file, "triage31aEdgesProgram", keys);

Deno.test("triage31aEdgesProgram passes: every call ZX_OK, no child left, the zero interval written back gone", () => {
  const r = runProgram(triage31aEdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const calls = triage31aEdgesProgram().threads[0].calls.length;
  assert.deepEqual(r.results[0].map((x) => x?.status), new Array(calls).fill(ZX_OK));
});

Deno.test("a zx_vmo_write that keeps holding its VMO (kernel.ts:738:5 `;`) fails the contract: the closed child still counts", async () => {
  const { base, mutants } = await judge("kernel/kernel.ts", [
    "kernel/kernel.ts:738:5:CallExpression:;",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "program-contract");
  assert.match(
    mutants[0].message,
    /zx_object_get_info reports 1 children; by the children made of it and of those of them that died, 0$/,
  );
});

Deno.test('a reclaimed loan frame left in no state (loans.ts:153:21 "") fails a kernel assertion when its owner takes it back', async () => {
  const { base, mutants } = await judge("kernel/loans.ts", [
    'kernel/loans.ts:153:21:StringLiteral:""',
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "kernel-assertion", JSON.stringify(mutants[0]));
  assert.match(mutants[0].message, /^frame \d+ not borrowed$/);
});

Deno.test("a WRITEBACK_END that skips the interval after a committed page (dirty.ts:250:11 `last + 1`) fails dirty-state K17", async () => {
  const { base, mutants } = await judge("kernel/dirty.ts", [
    "kernel/dirty.ts:250:11:ArithmeticOperator:last + 1",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "dirty-state");
  assert.match(
    mutants[0].message,
    /^K17: vmo\d+ page 3: WRITEBACK_END kept a zero slot its interval's awaiting-clean end covers/,
  );
});

Deno.test("a thread born killed (objects.ts:515:12 true) fails syscall-contract's kill rule at the end: no killed event named it", async () => {
  const { base, mutants } = await judge("kernel/objects.ts", [
    "kernel/objects.ts:515:12:BooleanLiteral:true",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "syscall-contract");
  assert.match(
    mutants[0].message,
    /^kill: t\d+ ended killed, but no killed event named it: a thread dies by a kill only when one asked for it$/,
  );
});
