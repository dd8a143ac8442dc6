// dirty-state K19 and the K17 write rows: the mutants of kernel/dirty.ts they kill, each switched on
// in an instrumented mirror of the project (mutate/mutant_mirror.ts) and judged by the kernel
// checkers on one campaign run of the mutate judge (campaign seed 1). Every run passes unmutated;
// with the mutant on it fails with the rule's message. Each of these mutants survived the checkers
// before the rules (`deno task mutate --files kernel/dirty.ts`, docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, mirrorScenarioRun, sharedMirror } from "../mutate/mutant_mirror.ts";
import { NIGHTLY } from "../tools/nightly.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * The judge's seeds of a scenario each unmutated check runs: all 100 under `deno task nightly`,
 * the first 10 in CI (each mutant's own seed is run unmutated in its step all the same).
 */
const JUDGE_SEEDS = NIGHTLY ? 100 : 10;

const mirror = sharedMirror("kernel/dirty.ts");

const CASES: [key: string, run: number, rule: RegExp, what: string][] = [
  [
    "kernel/dirty.ts:82:18:ConditionalExpression:false",
    64,
    /^K19: /,
    "K19: a zero interval reported without IS_ZERO",
  ],
  [
    "kernel/dirty.ts:75:23:EqualityOperator:p < end",
    57,
    /^K19: /,
    "K19: the run reaching the range's end is not reported",
  ],
  [
    "kernel/dirty.ts:81:17:ArithmeticOperator:(p - runStart) / pageSize",
    57,
    /^K19: /,
    "K19: a range's length in pages, not bytes",
  ],
  [
    "kernel/dirty.ts:49:31:ConditionalExpression:false",
    246,
    /^K19: /,
    "K19: AwaitingClean pages not reported",
  ],
  [
    "kernel/dirty.ts:24:57:ConditionalExpression:true",
    57,
    /^K17: /,
    "K17: every committed page taken for Dirty (writes under TRAP_DIRTY need no request and leave pages Clean)",
  ],
];

Deno.test("dirty-state K19 and K17 kill the query and dirtying mutants of kernel/dirty.ts on campaign runs", async (t) => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  for (const [key, k, rule, what] of CASES) {
    await t.step(what, () => {
      assert.equal(run(k).kind, "pass", `run ${k} unmutated`);
      const v: Any = m.withMutant(key, () => run(k));
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      assert.equal(v.invariant, "dirty-state", JSON.stringify(v));
      assert.match(v.message, rule);
    });
  }
});

Deno.test("the judge's writeback_trap_zero scenario passes the judge's first seeds unmutated and shows DIRTY requests the kernel never resolves when dirtyInvalidationRanges finds nothing", async () => {
  const m = await mirror();
  const run = await mirrorScenarioRun(m, "kernel+service");
  const verdict = (seed: number): Any => run("writeback_trap_zero", seed);
  for (let seed = 0; seed < JUDGE_SEEDS; seed++) {
    assert.equal(verdict(seed).kind, "pass", `seed ${seed} unmutated`);
  }
  const v: Any = m.withMutant("kernel/dirty.ts:282:48:BlockStatement:{}", () => verdict(0));
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "no-lost-requests", JSON.stringify(v));
});

// dirty-state's own picture of zero intervals (properties/level2/_zero_intervals.ts): which zero
// slots WRITEBACK_END removes, against the awaiting-clean ends it followed itself.
const ZERO_CASES: [
  key: string,
  probe: ["run", number] | ["scenario", string, number],
  what: string,
][] = [
  [
    "kernel/dirty.ts:243:23:EqualityOperator:p >= end",
    ["run", 64],
    "K17: END walks no interval and removes nothing",
  ],
  [
    "kernel/dirty.ts:197:52:ConditionalExpression:false",
    ["scenario", "writeback_zero_split", 37],
    "K17: a write at an interval's first page drops the rest's awaiting-clean end",
  ],
];

Deno.test("dirty-state judges which zero slots WRITEBACK_END removes against its own awaiting-clean ends", async (t) => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  const scenario = await mirrorScenarioRun(m, "kernel+service");
  await t.step(
    `writeback_zero_split passes the judge's first ${JUDGE_SEEDS} seeds unmutated`,
    () => {
      for (let seed = 0; seed < JUDGE_SEEDS; seed++) {
        const v: Any = scenario("writeback_zero_split", seed);
        assert.equal(v.kind, "pass", `seed ${seed}: ${JSON.stringify(v)}`);
      }
    },
  );
  for (const [key, probe, what] of ZERO_CASES) {
    await t.step(what, () => {
      const verdict = (): Any => probe[0] === "run" ? run(probe[1]) : scenario(probe[1], probe[2]);
      assert.equal(verdict().kind, "pass", `${probe.join(":")} unmutated`);
      const v: Any = m.withMutant(key, verdict);
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      assert.equal(v.invariant, "dirty-state", JSON.stringify(v));
      assert.match(v.message, /WRITEBACK_END (kept|removed) a zero slot/);
      assert.match(v.message, new RegExp(`^${what.slice(0, 3)}`));
    });
  }
});
