// Campaign judge probes written from blind spots of the fresh shard 2 of 8 on db8cb50
// (docs/mutation.md, helper triage26a), each passing unmutated and failing on its mutant:
// `program:clone-shrink-grow` (`cloneShrinkGrowProgram`: a resizable clone shrunk, grown and
// read), `program:slice-pin-zero` (`slicePinZeroProgram`: a write pin and a ZERO through a slice
// at a page offset), `program:hint-plain` (`hintPlainProgram`: eviction hints commit nothing of a
// plain VMO, CommitCeiling) and `program:read-only-store` (`readOnlyStoreProgram`: a store through
// a read-only mapping faults, the contract's `accessDenied`).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Runs `program` (a generate.ts export) unmutated, then under `key`; returns the verdicts. */
async function judge(program: string, key: string): Promise<{ base: Any; mutant: Any }> {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const g = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(g[program](), { seed: 0, monitors: programMonitors });
    const base = run();
    return { base, mutant: m.withMutant(key, () => run().verdict) };
  } finally {
    m.dispose();
  }
}

Deno.test("cloneShrinkGrowProgram passes unmutated; a clone whose shrink keeps its view of the parent reads the parent's bytes", async () => {
  const { base, mutant } = await judge(
    "cloneShrinkGrowProgram",
    'kernel/vmo_pages.ts:1325:11:EqualityOperator:vmo.childKind !== "clone"',
  );
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "read-content", JSON.stringify(mutant));
  assert.match(mutant.message, /^R1: .* = 0x5a; the model of its content says 0x0/);
});

Deno.test("slicePinZeroProgram passes unmutated; a write pin or a ZERO through a slice that finds the wrong root page fails", async () => {
  for (
    const [key, message] of [
      [
        "kernel/vmo_pages.ts:766:19:ArithmeticOperator:dirtied - off",
        /page -1: 1 write pins of 0 pins/,
      ],
      [
        "kernel/vmo_pages.ts:891:41:ArithmeticOperator:to - off",
        /page 1 is pinned but holds no page/,
      ],
    ] as const
  ) {
    const { base, mutant } = await judge("slicePinZeroProgram", key);
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
    assert.equal(mutant.kind, "kernel-assertion", `${key}: ${JSON.stringify(mutant)}`);
    assert.match(mutant.message, message);
  }
});

Deno.test("hintPlainProgram passes unmutated; a hint that commits a plain VMO's pages fails the commit ceiling", async () => {
  const { base, mutant } = await judge(
    "hintPlainProgram",
    "kernel/vmo_pages.ts:954:11:ConditionalExpression:true",
  );
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "program-contract", JSON.stringify(mutant));
  assert.match(mutant.message, /committed_bytes 8192, but a DECOMMIT left 2 of its pages absent/);
});

Deno.test("readOnlyStoreProgram passes unmutated (the store faults); a store the kernel lets through a read-only mapping fails", async () => {
  const { base, mutant } = await judge(
    "readOnlyStoreProgram",
    "kernel/vmo_pages.ts:618:11:ConditionalExpression:false",
  );
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  assert.equal(base.results[0].length, 3, "the store ended the thread: no result");
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "program-contract", JSON.stringify(mutant));
  assert.match(
    mutant.message,
    /mem_write at 0x[0-9a-f]+ returned; .* \(ZX_ERR_ACCESS_DENIED\) was due/,
  );
});
