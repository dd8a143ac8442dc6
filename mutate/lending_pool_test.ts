// The campaign judge's lending_pool scenario (mutate/scenarios/lending_pool.json, service
// `lending-pool` in mutate/scenario_services.ts): a pager that lends one-page contiguous VMOs and
// takes them back (COMMIT, or close) while it serves three readers. Every seed passes unmutated
// under the kernel and service checkers, and lends and takes back in every run; the supplies
// borrow the lent frames. Before it, only conformance PX7 lent a frame: no probe took back a
// frame a page lived in, nor closed a lending VMO, and `LoanPool.unloan`'s and `retire`'s
// mutants were blind spots (docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const SCENARIO = judgeScenario("lending_pool");

Deno.test("lending_pool passes every seed of the judge unmutated, and every seed lends and borrows", () => {
  let commits = 0;
  let closes = 0;
  assertEverySeedPasses(SCENARIO, 100, (seed) => {
    const run = runScenario(SCENARIO, { seed, services: SCENARIO_SERVICES, keepTrace: true });
    const text = run.trace.text();
    assert.match(
      text,
      /zx_vmo_op_range\(0x[0-9a-f]+, ZX_VMO_OP_DECOMMIT/,
      `seed ${seed} lends nothing`,
    );
    assert.ok(
      run.world.kernel.pages.loans.borrowed > 0 || /ZX_VMO_OP_COMMIT/.test(text),
      `seed ${seed} borrows nothing`,
    );
    if (/ZX_VMO_OP_COMMIT/.test(text)) commits++;
    if (/zx_handle_close\(/.test(text)) closes++;
  });
  assert.ok(
    commits > 50 && closes > 50,
    `${commits} seeds take a frame back by COMMIT, ${closes} by close`,
  );
});

Deno.test("lending_pool: a frame taken back while a page lives in it, or a lending VMO that dies, trips the kernel's loan assertions", async () => {
  const m = await mutantMirror("kernel/loans.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    for (
      const [key, rule] of [
        // unloan of a borrowed frame treats it as free: unloan's own assertion that a free frame
        // is in the free list trips at once (before it, a later lend found the frame free with a
        // borrower: "free frame N is free").
        [
          "kernel/loans.ts:124:9:ConditionalExpression:true",
          /^free frame unpooled$/,
        ],
        // A dying contiguous VMO leaves its frames on loan.
        ["kernel/loans.ts:134:43:CallExpression:;", /frame \d+ of dead vmo \d+ still free/],
      ] as const
    ) {
      const seeds = Array.from({ length: 100 }, (_, k) => k);
      for (const seed of seeds.slice(0, 5)) {
        assert.equal((run("lending_pool", seed) as Any).kind, "pass");
      }
      const caught = seeds.map((seed) => m.withMutant(key, () => run("lending_pool", seed)) as Any)
        .filter((v) => v.kind !== "pass");
      assert.ok(caught.length > 0, `${key}: no seed fails`);
      assert.equal(caught[0].kind, "kernel-assertion", `${key}: ${JSON.stringify(caught[0])}`);
      assert.match(caught[0].message, rule, key);
    }
  } finally {
    m.dispose();
  }
});
