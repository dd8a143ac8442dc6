import { strict as assert } from "node:assert";
import { contractExcludes, neverReachedLines } from "./sometimes.ts";
import { parseContract } from "../scenario/service_contract.ts";

// A contract with trapDirty false never gets a DIRTY request, so the summary lists those counters
// as ruled out by the contract, not as "never reached" (user trial friction 9).
Deno.test("trapDirty false rules out the DIRTY counters; the default contract does not", () => {
  const off = contractExcludes(parseContract({ vmoOptions: { trapDirty: false } }));
  assert.equal(off.get("dirty-request"), "trapDirty false");
  assert.equal(off.get("op-dirty-not-found"), "trapDirty false");
  const on = contractExcludes(parseContract({}));
  assert.equal(on.has("dirty-request"), false);
  assert.equal(on.has("op-dirty-not-found"), false);
  const noDirty = contractExcludes(
    parseContract({ dirty: false, vmoOptions: { trapDirty: false } }),
  );
  assert.equal(noDirty.get("dirty-request"), "dirty false");
});

// A user's service that does OP_FAIL read "some need what a service may never do, e.g. opfail-*
// an OP_FAIL" under opfail-hits-early-wake-reader: the hint claimed what the run contradicted. It
// now says what each interleaving needed, nothing about the service.
Deno.test("the never-reached hint says what each interleaving needed, not what the service never does", () => {
  const lines = neverReachedLines(["opfail-hits-early-wake-reader", "overtime-timeout"]);
  assert.deepEqual(lines, [
    "  (coverage, not failures: interleavings no run made; what each needed to happen once:)",
    "    opfail-hits-early-wake-reader: OP_FAIL woke an early-wake reader with the error before its request completed",
    "    overtime-timeout: a pager wait hit the overtime timeout",
  ]);
  assert.doesNotMatch(lines.join("\n"), /may never do/);
  assert.deepEqual(neverReachedLines([]), []);
});
