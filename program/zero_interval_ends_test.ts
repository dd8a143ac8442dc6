// The zero-interval and marker tail of the judge's pin-layout programs (program/generate.ts
// `zeroIntervalEnds`), judged by dirty-state and the contract's CommitCeiling: each mutant below passed every probe of the
// campaign judge in the full run on 212f0dc (shard 2, docs/mutation.md "(session 21, helper
// gapZ21)"). Some program drawn as the judge draws its programs passes unmutated and fails
// dirty-state with the mutant on; the search stops at the first, program 0 when this was written.
import { strict as assert } from "node:assert";
import { sharedProgramMirror } from "./testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const programVerdict = sharedProgramMirror(["kernel/dirty.ts"]);

const CASES: [key: string, what: string, invariant: string, message: RegExp][] = [
  [
    "kernel/dirty.ts:256:9:EqualityOperator:cut >= last",
    "WRITEBACK_END clipping a zero interval's front drops the rest's awaiting-clean length",
    "dirty-state",
    /^K17: /,
  ],
  [
    "kernel/dirty.ts:112:7:ConditionalExpression:false",
    "ZERO of part of a marker page dirties it (or asks a DIRTY request for it under TRAP_DIRTY)",
    "dirty-state",
    /^K17: /,
  ],
  [
    "kernel/dirty.ts:114:10:ConditionalExpression:false",
    "ZERO of part of an uncommitted page of a plain VMO commits it",
    "program-contract",
    /committed_bytes \d+, but a DECOMMIT left 2 of its pages absent/,
  ],
];

Deno.test("dirty-state and the program contract on the judge's programs: partial zero intervals, markers and uncommitted pages (gap list Z)", async (t) => {
  const { verdict } = await programVerdict();
  for (const [key, what, invariant, message] of CASES) {
    await t.step(what, () => {
      let killer: Any;
      for (let k = 0; k < 300 && killer === undefined; k++) {
        const v = verdict(k, key);
        if (v.kind !== "invariant" || v.invariant !== invariant) continue;
        assert.equal(verdict(k).kind, "pass", `program ${k} passes unmutated`);
        killer = v;
      }
      assert.ok(killer !== undefined, `no judge program fails ${invariant} with ${key}`);
      assert.match(killer.message, message);
    });
  }
});
