// The zero-interval and marker tail of the judge's pin-layout programs (program/generate.ts
// `zeroIntervalEnds`), judged by dirty-state alone: each mutant below passed every probe of the
// campaign judge in the full run on 212f0dc (shard 2, docs/mutation.md "(session 21, helper
// gapZ21)"). Some program drawn as the judge draws its programs passes unmutated and fails
// dirty-state with the mutant on; the search stops at the first, program 0 when this was written.
import { strict as assert } from "node:assert";
import { sharedProgramMirror } from "./testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const programVerdict = sharedProgramMirror(["kernel/dirty.ts"]);

const CASES: [key: string, what: string, code: string][] = [
  [
    "kernel/dirty.ts:256:9:EqualityOperator:cut >= last",
    "WRITEBACK_END clipping a zero interval's front drops the rest's awaiting-clean length",
    "K17",
  ],
  [
    "kernel/dirty.ts:112:7:ConditionalExpression:false",
    "ZERO of part of a marker page dirties it (or asks a DIRTY request for it under TRAP_DIRTY)",
    "K17",
  ],
];

Deno.test("dirty-state on the judge's programs: partial zero intervals and markers (gap list Z)", async (t) => {
  const { verdict } = await programVerdict();
  for (const [key, what, code] of CASES) {
    await t.step(what, () => {
      let killer: Any;
      for (let k = 0; k < 300 && killer === undefined; k++) {
        const v = verdict(k, key);
        if (v.kind !== "invariant" || v.invariant !== "dirty-state") continue;
        assert.equal(verdict(k).kind, "pass", `program ${k} passes unmutated`);
        killer = v;
      }
      assert.ok(killer !== undefined, `no judge program fails dirty-state with ${key}`);
      assert.match(killer.message, new RegExp(`^${code}: `));
    });
  }
});
