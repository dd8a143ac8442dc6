// The campaign judge's `program:destroyed-region-child` probe (`destroyedRegionChildProgram`),
// written from blind spots of the fresh shard 4 of 8 on db8cb50 (docs/mutation.md, helper
// triage28b): a wait on a region, a SPECIFIC sub-region flush before a mapping placed first, and
// a region destroyed over a child's only mapping, and a pin past a pager VMO's clone's end. It
// passes unmutated, and each mutant fails the program contract: `kernel_vmar.ts:428:9` false (a
// pin past the clone's end commits first: it asks for a page nobody supplies and ends
// BAD_STATE, not OUT_OF_RANGE at once), `kernel.ts:406:9` false (a wait on a VMAR goes on to time out: the contract's
// `unwaitable`), `objects.ts:750:35` true and `<=` (a sub-region ending where a mapping begins
// counted as overlapping it: ALREADY_EXISTS), `kernel_vmar.ts:345:13` false and `vo - n` (a
// COMMIT over a mapping past its shrunk VMO's end goes on: the contract's `pastVmoEnd`),
// `kernel_vmar.ts:248:41` `;` (a destroyed region's mappings keep their VMO: the closed child
// still counts as the root's child).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_NOT_SUPPORTED, ZX_ERR_OUT_OF_RANGE, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("destroyedRegionChildProgram passes unmutated; a waited region, a flush sub-region refused, a COMMIT past a shrunk end, a destroyed region's mapping kept each fail the contract", async () => {
  const m = await mutantMirror(["kernel/kernel.ts", "kernel/objects.ts", "kernel/kernel_vmar.ts"]);
  try {
    const { destroyedRegionChildProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(destroyedRegionChildProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const statuses = base.results[0].map((r: Any) => r.status);
    assert.equal(statuses[9], ZX_ERR_OUT_OF_RANGE, "the pin past the child's end");
    assert.equal(statuses[12], ZX_ERR_NOT_SUPPORTED, "the wait on the region");
    assert.equal(statuses[18], ZX_ERR_OUT_OF_RANGE, "the COMMIT past the shrunk VMO's end");
    assert.ok(
      statuses.every((s: number, i: number) => [9, 12, 18].includes(i) || s === ZX_OK),
      JSON.stringify(statuses),
    );
    const cases: [string, RegExp][] = [
      [
        "kernel/kernel_vmar.ts:428:9:ConditionalExpression:false",
        /zx_bti_pin returned ZX_ERR_BAD_STATE; the handle model says ZX_ERR_OUT_OF_RANGE/,
      ],
      [
        "kernel/kernel.ts:415:9:ConditionalExpression:false",
        /zx_object_wait_one returned ZX_ERR_TIMED_OUT; the handle model says ZX_ERR_NOT_SUPPORTED/,
      ],
      [
        "kernel/objects.ts:750:35:ConditionalExpression:true @end+0:53",
        /zx_vmar_allocate returned ZX_ERR_ALREADY_EXISTS; the handle model says ZX_OK/,
      ],
      [
        "kernel/objects.ts:750:35:EqualityOperator:m.addr <= at + size",
        /zx_vmar_allocate returned ZX_ERR_ALREADY_EXISTS; the handle model says ZX_OK/,
      ],
      [
        "kernel/kernel_vmar.ts:345:13:ConditionalExpression:false",
        /zx_vmar_op_range returned ZX_OK; the handle model says ZX_ERR_OUT_OF_RANGE/,
      ],
      [
        "kernel/kernel_vmar.ts:345:13:ArithmeticOperator:vo - n",
        /zx_vmar_op_range returned ZX_OK; the handle model says ZX_ERR_OUT_OF_RANGE/,
      ],
      [
        "kernel/kernel_vmar.ts:248:41:CallExpression:;",
        /zx_object_get_info reports 1 children; .*, 0$/,
      ],
    ];
    for (const [key, message] of cases) {
      const v = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, message, `${key}: ${v.message}`);
    }
  } finally {
    m.dispose();
  }
});
