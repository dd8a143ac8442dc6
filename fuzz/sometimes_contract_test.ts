import { strict as assert } from "node:assert";
import { contractExcludes } from "./sometimes.ts";
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
