// The campaign judge's `program:size-edges` probe (`sizeEdgesProgram`): size arguments exactly at
// the bound a syscall checks. It passes unmutated, and a kernel that refuses a stats buffer of
// exactly sizeof(zx_pager_vmo_stats_t) (`kernel.ts:284:31` `<=`, a blind spot of the fresh shard
// 5 of 8 on 2e0fdd0; docs/mutation.md, helper gap23) fails the contract, as does one whose `isU64`
// takes a size past 2^64 (`vmo_pages.ts:99:68` true, shard 2 of 8 on db8cb50, helper triage26a),
// and (shard 3 of 8 on db8cb50, helper triage27b) one whose resize past the model's limit falls
// through to NO_MEMORY (`kernel.ts:776:9` false) or whose contiguous VMO ignores its size check
// (`kernel.ts:674:9` false).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import {
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("sizeEdgesProgram passes unmutated; a stats buffer of exactly the struct's size refused fails the contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { sizeEdgesProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(sizeEdgesProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.deepEqual(base.results[0].slice(3).map((r: Any) => r.status), [
      ZX_OK,
      ZX_ERR_BUFFER_TOO_SMALL,
      ZX_ERR_INVALID_ARGS,
      ZX_OK,
      ZX_ERR_OUT_OF_RANGE,
      ZX_OK,
      ZX_ERR_OUT_OF_RANGE,
    ]);
    const v = m.withMutant(
      "kernel/kernel.ts:293:31:EqualityOperator:bufferSize <= ZX_PAGER_VMO_STATS_SIZE",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(v.message, /zx_pager_query_vmo_stats/);
  } finally {
    m.dispose();
  }
});

Deno.test("sizeEdgesProgram: a kernel whose isU64 takes a size past 2^64 fails the contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { sizeEdgesProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(sizeEdgesProgram(), { seed: 0, monitors: programMonitors });
    assert.equal(run().verdict.kind, "pass");
    const v = m.withMutant(
      "kernel/vmo_pages.ts:99:68:ConditionalExpression:true",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_vmo_create returned ZX_ERR_OUT_OF_RANGE; the handle model says ZX_ERR_INVALID_ARGS/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("sizeEdgesProgram: a resize past upstream's largest VMO that is not OUT_OF_RANGE, and a contiguous VMO made past it, fail", async () => {
  const m = await mutantMirror(["kernel/kernel.ts"]);
  try {
    const { sizeEdgesProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(sizeEdgesProgram(), { seed: 0, monitors: programMonitors });
    assert.equal(run().verdict.kind, "pass");
    const resize = m.withMutant(
      "kernel/kernel.ts:786:9:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.equal(resize.kind, "invariant", JSON.stringify(resize));
    assert.equal(resize.invariant, "program-contract", JSON.stringify(resize));
    assert.match(
      resize.message,
      /zx_vmo_set_size returned ZX_ERR_NO_MEMORY; the handle model says ZX_ERR_OUT_OF_RANGE/,
    );
    const contiguous = m.withMutant(
      "kernel/kernel.ts:684:9:ConditionalExpression:false",
      () => run().verdict,
    );
    assert.notEqual(contiguous.kind, "pass", JSON.stringify(contiguous));
  } finally {
    m.dispose();
  }
});
