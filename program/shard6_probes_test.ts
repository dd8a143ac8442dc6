// The campaign judge probe written from blind spots of the fresh shard 6 of 8 on db8cb50
// (docs/mutation.md, helper triage30b): `program:shard6-edges` (`shard6EdgesProgram`, run at page
// size 65536: a region without CAN_MAP_READ refuses a readable sub-region and a readable
// mapping; a load from a pager VMO detached before anything supplied it is a fatal page fault,
// the contract's `detachedAbsent`; a pager VMO supplied, pinned, unpinned and closed owes its
// COMPLETE, program/complete_model.ts), passing unmutated and failing on each of its mutants.
import { strict as assert } from "node:assert";
import { judgeProgram } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_ACCESS_DENIED, ZX_OK, ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";
import { shard6EdgesProgram } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** `shard6EdgesProgram` with `file` instrumented, unmutated and under each key (a throw as text). */
const judge = (file: string, keys: readonly string[]) =>
  judgeProgram(file, "shard6EdgesProgram", keys);

Deno.test("shard6EdgesProgram passes at page size 65536: the region without CAN_MAP_READ refuses a readable sub-region and mapping, and a load from a pager VMO detached unsupplied faults", () => {
  const r = runProgram(shard6EdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  // The port wait takes the COMPLETE of the VMO pinned, unpinned and closed; the last call, the
  // load from the detached VMO, is a fatal page fault: it returns nothing.
  const statuses = r.results[0].map((x) => x?.status);
  assert.deepEqual(statuses.slice(0, 4), [
    ZX_OK,
    ZX_ERR_ACCESS_DENIED,
    ZX_OK,
    ZX_ERR_ACCESS_DENIED,
  ]);
  assert.deepEqual(statuses.slice(4), new Array(13).fill(ZX_OK));
  const packet = r.results[0][13]?.packet;
  assert.ok(packet !== null && packet !== undefined && "command" in packet);
  assert.equal(packet.command, ZX_PAGER_VMO_COMPLETE);
  assert.equal(r.results[0][17], undefined);
});

Deno.test("a load whose page fault failed going on (vmo_pages.ts:630:11 false) fails the contract: a detached, never-supplied page faults", async () => {
  const { base, mutants } = await judge("kernel/vmo_pages.ts", [
    "kernel/vmo_pages.ts:630:11:ConditionalExpression:false",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "program-contract");
  assert.match(
    mutants[0].message,
    /^t0#17 mem_read at 0x[0-9a-f]+ returned; the mapping there is of a pager VMO detached before any page of it was supplied: a fatal page fault \(ZX_ERR_BAD_STATE\) was due$/,
  );
});

Deno.test("every region granted CAN_MAP_READ (kernel_vmar.ts:206:13 true) fails the program contract at the sub-region", async () => {
  const { base, mutants } = await judge("kernel/kernel_vmar.ts", [
    "kernel/kernel_vmar.ts:206:13:ConditionalExpression:true",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "program-contract");
  assert.match(
    mutants[0].message,
    /zx_vmar_allocate returned ZX_OK; the handle model says ZX_ERR_ACCESS_DENIED/,
  );
});

Deno.test("a page size of 65536 refused (kernel_objects.ts:124:48 `<`) throws the kernel's page-size assertion", async () => {
  const { base, mutants } = await judge("kernel/kernel_objects.ts", [
    "kernel/kernel_objects.ts:124:48:EqualityOperator:this.pageSize < LIMITS.maxPageSize",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "threw");
  assert.match(mutants[0].message, /page size 65536 is not a power of two in \[8, 65536\]/);
});

Deno.test("an unpin that counts the pin token up (kernel_objects.ts:312:5 `++`) keeps the VMO alive: its COMPLETE never comes", async () => {
  const { base, mutants } = await judge("kernel/kernel_objects.ts", [
    "kernel/kernel_objects.ts:312:5:UpdateOperator:pmt.vmo.pinTokens++",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "program-contract");
  assert.match(
    mutants[0].message,
    /^t0#13 zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ held 1 ZX_PAGER_VMO_COMPLETE packet\(s\) when it started/,
  );
});
