// The contract's reading of the ZX_INFO_VMO record a zx_object_get_info copied out
// (program/info_record.ts): a record stored big-endian (kernel/kernel.ts:607:70, a seed-15 gap
// no checker saw) fails a judge program that passes unmutated; the reader's own edges.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "./run.ts";
import { infoRecordProblem } from "./info_record.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("info record: the koid is read little-endian across the copy's chunks", () => {
  const record = new Uint8Array(160);
  new DataView(record.buffer).setBigUint64(0, 0x1_0203n, true);
  assert.equal(infoRecordProblem([record.subarray(0, 3), record.subarray(3)], 0x1_0203), undefined);
  const big = new Uint8Array(160);
  new DataView(big.buffer).setBigUint64(0, 0x1_0203n, false);
  assert.match(infoRecordProblem([big], 0x1_0203)!, /little-endian/);
  assert.match(infoRecordProblem([record.subarray(0, 4)], 0x1_0203)!, /fewer than/);
  assert.match(infoRecordProblem([record, record], 0x1_0203)!, /more than/);
});

Deno.test("info record: a record stored big-endian fails a judge program", async () => {
  const key = "kernel/kernel.ts:607:70:BooleanLiteral:false";
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const judges = await m.load("mutate/judges.ts") as Any;
    const run = await m.load("program/run.ts") as Any;
    let killer: number | undefined;
    for (let k = 0; k < 100 && killer === undefined; k++) {
      const { program, ...how } = judges.judgeProgram(k);
      const v = m.withMutant(
        key,
        () => run.runProgram(program, { ...how, monitors: run.programMonitors }).verdict,
      );
      if (v.kind === "invariant" && v.invariant === "program-contract") killer = k;
    }
    assert.ok(killer !== undefined, `no judge program among 100 fails the contract with ${key}`);
    const { program, ...how } = judgeProgram(killer);
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  } finally {
    m.dispose();
  }
});
