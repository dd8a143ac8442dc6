// userS24k's kernel variants (case/testdata/userS24k, a kernel developer's README-only trial):
// k_m1_opfail_io.ts wakes every OP_FAIL waiter with ZX_ERR_IO whatever code the pager passed;
// conformance passed it 242/0 until PX9 FailErrorCode restated upstream's test that each accepted
// code reaches the blocked threads.
import { strict as assert } from "node:assert";
import { ALL_CASES } from "../conformance/cases.ts";
import { ConformanceFailure, isSkipped, useKernel } from "../conformance/harness.ts";
import { makeKernel as m1 } from "./testdata/userS24k/k_m1_opfail_io.ts";

/** Runs conformance case `id` on `make` (undefined: the model); the failure message, or null. */
function conformance(id: string, make?: typeof m1): string | null {
  const c = ALL_CASES.find((x) => x.id === id);
  assert.ok(c !== undefined && !isSkipped(c), id);
  useKernel(make);
  try {
    c.run();
    return null;
  } catch (e) {
    if (e instanceof ConformanceFailure) return e.message;
    throw e;
  } finally {
    useKernel(undefined);
  }
}

Deno.test("conformance PX9 FailErrorCode: the model passes, M1 (OP_FAIL always IO) fails", () => {
  assert.equal(conformance("PX9"), null);
  const m = conformance("PX9", m1);
  assert.ok(m !== null, "PX9 passes on k_m1_opfail_io.ts");
  assert.match(m, /got ZX_ERR_IO, want ZX_ERR_IO_DATA_INTEGRITY/);
});
