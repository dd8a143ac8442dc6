// zx_port_cancel_key with options 0 and a u64 key, past its port lookup, answers ZX_OK or
// ZX_ERR_NOT_FOUND only (zx_port_cancel_key.md: INVALID_ARGS is for nonzero options). The
// contract predicted INVALID_ARGS for bad arguments and nothing otherwise, and the port model
// judges only an OK or NOT_FOUND, so `kernel.ts:354:26` (the u64 check inverted: every valid key
// refused) passed every campaign probe (fresh shard 1 of 8 on db8cb50, helper triage25,
// docs/mutation.md). Judged on the mutate judge's programs, drawn as the judge draws them.
import { strict as assert } from "node:assert";
import { firstContractKiller, sharedProgramMirror } from "./testdata/program_verdict.ts";

const judged = sharedProgramMirror(["kernel/kernel.ts"]);

Deno.test("zx_port_cancel_key that refuses a u64 key with options 0 fails the contract", async () => {
  const { verdict } = await judged();
  const key = "kernel/kernel.ts:363:26:BooleanLiteral:isU64(key)";
  const killer = firstContractKiller(verdict, key, 20);
  assert.ok(killer !== undefined, `no judge program among 20 fails the contract with ${key}`);
  assert.match(
    verdict(killer, key).message,
    /zx_port_cancel_key returned ZX_ERR_INVALID_ARGS; the handle model says one of ZX_OK, ZX_ERR_NOT_FOUND/,
  );
});
