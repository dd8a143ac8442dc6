// K14w, OP_FAIL per waiter (syscall-contract; readers, and writes of VMOs without TRAP_DIRTY):
// the mutants of kernel/page_source.ts it kills, each
// switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts), judged on the
// campaign judge's seeded scenarios (mutate/scenarios/). Every seed passes unmutated; with the
// mutant on, some seed fails with a K14w message.
import { strict as assert } from "node:assert";
import {
  mirrorCampaignRun,
  mirrorScenarioRun,
  type MutantMirror,
  mutantMirror,
} from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

let shared: Promise<MutantMirror> | undefined;

/**
 * One mirror of kernel/page_source.ts for both tests of the file (each made its own: the
 * instrumenting and the mirror's module loads), removed when the file unloads.
 */
function mirror(): Promise<MutantMirror> {
  shared ??= mutantMirror("kernel/page_source.ts").then((m) => {
    globalThis.addEventListener("unload", () => m.dispose());
    return m;
  });
  return shared;
}

const SEEDS = 100;

/** What each mutant changes (a seed of one of the scenarios shows it). */
const SCENARIOS = [
  "flaky_overlap_readers",
  "flaky_three_readers",
  "swapped_overlap_readers",
  "flaky_overlap_write",
];
const MUTANTS: [key: string, what: string][] = [
  [
    "kernel/page_source.ts:454:47:ConditionalExpression:false",
    "the primary is not failed when the range starts at its wake page (early-woken reader)",
  ],
  [
    "kernel/page_source.ts:454:28:ConditionalExpression:true",
    "the primary is failed by any range overlapping its request",
  ],
  [
    "kernel/page_source.ts:456:15:LogicalOperator:end <= o.start && start >= o.end",
    "an overlap waiter is failed by a range outside its own",
  ],
  [
    "kernel/page_source.ts:391:52:ArithmeticOperator:heir.wakePage + heir.start",
    "the heir of a cancelled request keeps a wrong wake page",
  ],
  [
    "kernel/page_source.ts:497:11:ConditionalExpression:false",
    "early-wake: an overlap waiter is not woken when the primary's early wake covers its page",
  ],
  [
    "kernel/page_source.ts:489:11:ConditionalExpression:false",
    "early-wake: an overlap waiter the primary's wake page passed is not woken",
  ],
  [
    "kernel/page_source.ts:375:43:ConditionalExpression:true",
    "a cancelled overlap waiter takes every overlap waiter off the request",
  ],
  [
    // A zx_vmo_write waits for its READ request without early wake (spec 3.8): K14w judges it
    // by its own first page, from its `store` events (flaky_overlap_write).
    "kernel/page_source.ts:458:15:ConditionalExpression:false @end+0:29",
    "an overlap waiter that never wakes early (a write) is not failed at its own first page",
  ],
];

Deno.test("K14w kills the OP_FAIL-per-waiter mutants of page_source.ts on the judge's seeded scenarios", async (t) => {
  const m = await mirror();
  const run = await mirrorScenarioRun(m, "kernel");
  const verdicts = (name: string): Any[] =>
    Array.from({ length: SEEDS }, (_, seed) => run(name, seed));
  for (const name of SCENARIOS) {
    const failing = verdicts(name).filter((v: Any) => v.kind !== "pass");
    assert.deepEqual(failing, [], `${name} passes every seed unmutated`);
  }
  for (const [key, what] of MUTANTS) {
    await t.step(what, () => {
      const found: Any = m.withMutant(key, () => {
        for (const name of SCENARIOS) {
          const v = verdicts(name).find((v: Any) => v.kind !== "pass");
          if (v !== undefined) return v;
        }
        return undefined;
      });
      assert.ok(found !== undefined, `${key}: every seed passes`);
      assert.equal(found.kind, "invariant", JSON.stringify(found));
      assert.equal(found.invariant, "syscall-contract", JSON.stringify(found));
      assert.match(found.message, /^(K14w|K11e): /);
    });
  }
});

Deno.test("coalesce, early-wake and suspend: a reader joins only a request covering its page, wakes when its page is supplied, and a suspend interrupts its wait (campaign runs 7, 11, 17, 124, 167)", async (t) => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  const cases: [key: string, run: number, what: string][] = [
    [
      "kernel/page_source.ts:196:31:EqualityOperator:list[i].end < start",
      7,
      "a request ending at the page is taken for the one after it",
    ],
    [
      "kernel/page_source.ts:202:31:ConditionalExpression:true",
      11,
      "a reader joins the next request even when it starts past the page",
    ],
  ];
  const early: [key: string, run: number, what: string][] = [
    [
      "kernel/page_source.ts:464:13:ConditionalExpression:false",
      17,
      "early-wake: a primary is never woken before its request completes",
    ],
    [
      "kernel/page_source.ts:482:60:BlockStatement:{}",
      17,
      "early-wake: the early wake of a request wakes nobody",
    ],
    [
      "kernel/page_source.ts:507:14:ConditionalExpression:false",
      167,
      "early-wake: a signal to a reader that is not parked is dropped, not kept for its next wait",
    ],
    [
      "kernel/page_source.ts:94:17:BooleanLiteral:false",
      124,
      "suspend: a reader's pager wait is not suspendable",
    ],
  ];
  // Each case: the rule's message, and (for coalesce) the checker that must name it.
  const judged: [key: string, run: number, what: string, rule: RegExp, by: string | null][] = [
    ...cases.map(([key, k, what]) =>
      [key, k, what, /^coalesce: /, "syscall-contract"] as [
        string,
        number,
        string,
        RegExp,
        string,
      ]
    ),
    ...early.map(([key, k, what]) =>
      [key, k, what, /^(K11e|suspend): /, null] as [string, number, string, RegExp, null]
    ),
  ];
  for (const [key, k, what, rule, by] of judged) {
    await t.step(what, () => {
      assert.equal(run(k).kind, "pass", `run ${k} unmutated`);
      const v: Any = m.withMutant(key, () => run(k));
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      if (by !== null) assert.equal(v.invariant, by, JSON.stringify(v));
      assert.match(v.message, rule);
    });
  }
});
