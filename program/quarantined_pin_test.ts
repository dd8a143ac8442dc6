// The campaign judge's `program:quarantined-pin` probe (`quarantinedPinProgram`): a pin token
// closed without an unpin is quarantined in its BTI, and a later pin on that BTI is BAD_STATE
// (BusTransactionInitiatorDispatcher::Pin). The contract left every pin after any token close
// undecided (`quarantinePossible`), so a kernel that pins through a quarantined BTI
// (`kernel_vmar.ts:439:9` false, `:439:71` its refusal emptied), keeps the pages of a pin it
// refused pinned (`:440:7`, the unpin dropped) or quarantines nothing
// (`kernel_objects.ts:259:32`, its PMT branch emptied) passed every campaign probe: blind spots
// of the fresh shard 2 of 8 on db8cb50 (docs/mutation.md, helper triage26b). Now the handle model
// records a token surely closed before any unpin (`HandleModel.quarantined`) and the contract
// predicts BAD_STATE on its BTI; a shrink past the page of the refused pin is ZX_OK (`PinHolds`
// drops a pin that returned an error).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const PIN = /t0#4 zx_bti_pin returned ZX_OK; the handle model says ZX_ERR_BAD_STATE/;
const SHRINK = /t0#7 zx_vmo_set_size returned ZX_ERR_BAD_STATE; the handle model says ZX_OK/;

for (
  const [file, keys] of [
    [
      "kernel/kernel_vmar.ts",
      [
        ["kernel/kernel_vmar.ts:439:9:ConditionalExpression:false @end+0:69", PIN],
        ["kernel/kernel_vmar.ts:439:71:BlockStatement:{}", PIN],
        // The refused pin keeps its page pinned: the shrink past it is BAD_STATE.
        ["kernel/kernel_vmar.ts:440:7:CallExpression:;", SHRINK],
      ],
    ],
    ["kernel/kernel_objects.ts", [["kernel/kernel_objects.ts:281:32:BlockStatement:{}", PIN]]],
  ] as const
) {
  Deno.test(`quarantinedPinProgram passes unmutated; ${file}: a pin through a quarantined BTI fails the contract`, async () => {
    const m = await mutantMirror([file]);
    try {
      const { quarantinedPinProgram } = await m.load("program/generate.ts") as Any;
      const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
      const run = () => runProgram(quarantinedPinProgram(), { seed: 0, monitors: programMonitors });
      const base = run();
      assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
      assert.deepEqual(base.results[0].map((r: Any) => r.status), [
        ZX_OK,
        ZX_OK,
        ZX_OK,
        ZX_OK,
        ZX_ERR_BAD_STATE,
        ZX_OK,
        ZX_ERR_BAD_STATE,
        ZX_OK,
        ZX_OK,
        ZX_OK,
        ZX_OK,
      ]);
      for (const [key, message] of keys) {
        const v: Any = m.withMutant(key, () => run().verdict);
        assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
        assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
        assert.match(v.message, message, key);
      }
    } finally {
      m.dispose();
    }
  });
}
