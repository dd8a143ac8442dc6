// dirty-state's K17 obligations of a writeback (what WRITEBACK_BEGIN/END must do, not only what
// they may): the mutants of kernel/vmo_pages.ts's writebackBegin/writebackEnd they kill, each
// switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts) and judged by the
// kernel checkers on one campaign run of the mutate judge (campaign seed 1). Each run passes
// unmutated; with the mutant on it fails with the rule's message. Each mutant survived the
// campaign before the rules (fresh shard 4 of 8 on e0e43d2; docs/mutation.md, helper gapX22).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/vmo_pages.ts");

const CASES: [key: string, run: number, rule: RegExp, what: string][] = [
  [
    "kernel/vmo_pages.ts:1247:39:BlockStatement:{}",
    57,
    /^K17: .*still AwaitingClean after its WRITEBACK_END/,
    "END cleans nothing: its AwaitingClean pages stay AwaitingClean",
  ],
  [
    'kernel/vmo_pages.ts:1249:36:StringLiteral:""',
    57,
    /^K17: .*still AwaitingClean after its WRITEBACK_END/,
    "END looks for no AwaitingClean page",
  ],
  [
    "kernel/vmo_pages.ts:1231:39:BlockStatement:{}",
    57,
    /^K17: .*still Dirty after its WRITEBACK_BEGIN/,
    "BEGIN moves no Dirty page",
  ],
];

Deno.test("dirty-state K17 kills writeback mutants of kernel/vmo_pages.ts that move no page", async (t) => {
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
