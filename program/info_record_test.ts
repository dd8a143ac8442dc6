// The contract's reading of the ZX_INFO_VMO record a zx_object_get_info copied out
// (program/info_record.ts): the reader's own edges (the mutant it kills, kernel.ts:607:70:
// program/oracle_gap_k_test.ts).
import { strict as assert } from "node:assert";
import { infoRecordProblem } from "./info_record.ts";

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
