// What the program contract reads of a table call (kernel/syscalls.ts `tableCall`) besides its
// status: a failed `zx_vmo_read` hands back `[status, Uint8Array]` (`failed`'s "bytes" case);
// the trace's `call` event shows each argument the program gave, a buffer by its length
// (`traced`); and a call the injection hook failed returns ZX_ERR_NO_MEMORY (program/
// alloc_point.ts). A kernel that hands back `[status, null]` (`syscalls.ts:1252:5`) or a failed
// stats or record call's `[status, [], 0]` (`:1256:5`, found beside it), shows a
// buffer as the buffer itself (`:1358:30`, every parameter's kind lost) or asks the hook and goes
// on (`:1372:7`, the injected failure's block emptied) passed every campaign probe: blind spots
// of the fresh shard 2 of 8 on db8cb50 (docs/mutation.md, helper triage26b). The judge's program
// 0 fails each.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { mirrorProgramVerdict } from "./testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const FILE = "kernel/syscalls.ts";

Deno.test("a failed read's bytes, an injected failure: the judge's program 0 fails each syscalls.ts mutant", async () => {
  const m = await mutantMirror([FILE]);
  try {
    const verdict = await mirrorProgramVerdict(m);
    assert.equal(verdict(0).kind, "pass", JSON.stringify(verdict(0)));
    for (
      const [key, message] of [
        [
          'kernel/syscalls.ts:1252:5:ConditionalExpression:case "bytes":',
          /zx_vmo_read handed back \[-?\d+,null\], no bytes in its second slot/,
        ],
        [
          // The stats case falls into the ranges one: [status, [], 0].
          'kernel/syscalls.ts:1256:5:ConditionalExpression:case "stats":',
          /handed back \[-?\d+,\[\],0\], not the 2 slots of its kind/,
        ],
        [
          "kernel/syscalls.ts:1372:7:BlockStatement:{}",
          /returned ZX_OK, though the injected-failure hook failed it/,
        ],
      ] as const
    ) {
      const v: Any = verdict(0, key);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, message, key);
    }
  } finally {
    m.dispose();
  }
});

Deno.test("a call event that shows a buffer as itself, not its length: the judge's program 0 fails the syscalls.ts mutant", async () => {
  // The parameter kinds are read once, when the module loads (`tableCall` per syscall): the
  // mutant is on before the first load, as mutate gives a static mutant a fresh worker.
  const m = await mutantMirror([FILE]);
  try {
    m.activate("kernel/syscalls.ts:1358:30:ArrowFunction:() => undefined");
    const verdict = await mirrorProgramVerdict(m);
    const v: Any = verdict(0);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_vmo_write was given a buffer of length \d+ as argument 1; the trace's call shows an object \(Uint8Array\)/,
    );
  } finally {
    m.deactivate();
    m.dispose();
  }
});
