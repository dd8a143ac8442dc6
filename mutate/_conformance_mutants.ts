/**
 * Test support: Zircon's pager tests (conformance/) run as the campaign judge runs them, with
 * their expectations left out (`runChecked`) and judged by the kernel checkers alone, on a mirror
 * of the project with one file instrumented: each named case must pass unmutated and, with its
 * mutant switched on, fail by the named checker with a message matching the rule.
 *
 * @module
 */
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";

/** One case and the mutant of the mirrored file a kernel checker must see in it. */
export interface ConformanceMutant {
  /** The test step's name. */
  readonly what: string;
  /** The case's id and name in `conformance/cases.ts`. */
  readonly id: string;
  readonly name: string;
  /** The mutant's key (`FILE:LINE:COL:MUTATOR:REPLACEMENT`). */
  readonly key: string;
  /** The checker that must fail the case, and what its message must say. */
  readonly checker: string;
  readonly rule: RegExp;
}

/**
 * Runs each row as a step of `t` on one mirror of `file` (instrumented), disposed at the end.
 *
 * @example
 * ```ts ignore
 * Deno.test("mutants", (t) => conformanceMutantSteps(t, "kernel/kernel.ts", [row]));
 * ```
 */
export async function conformanceMutantSteps(
  t: Deno.TestContext,
  file: string,
  rows: readonly ConformanceMutant[],
): Promise<void> {
  const m = await mutantMirror(file);
  try {
    // deno-lint-ignore no-explicit-any
    type Any = any;
    const { ALL_CASES } = await m.load("conformance/cases.ts") as Any;
    const { runChecked } = await m.load("conformance/harness.ts") as Any;
    const { checkersOf } = await m.load("case/kinds.ts") as Any;
    for (const { what, id, name, key, checker, rule } of rows) {
      await t.step(what, () => {
        const c = ALL_CASES.find((c: Any) => c.id === id && c.name === name);
        assert.ok(c !== undefined, `${id} ${name}`);
        const run = () => runChecked(c.body, 1, checkersOf("kernel")()).verdict;
        assert.equal(run().kind, "pass");
        const v: Any = m.withMutant(key, run);
        assert.equal(v.kind, "invariant", JSON.stringify(v));
        assert.equal(v.invariant, checker, JSON.stringify(v));
        assert.match(v.message, rule);
      });
    }
  } finally {
    m.dispose();
  }
}
