// The campaign judge's unaligned_extents scenario (mutate/scenarios/unaligned_extents.json): a
// pager (mutate/scenario_services.ts `unalignedExtents`) that stitches each page from backing
// reads at byte offsets 3 and ps - 3, which no reference service makes (they read whole pages).
// An unaligned read must be the slice of the aligned content (services/backing.ts
// `backingRange`); a word store past the buffer's start faults the pager thread, and wrong bytes
// would fail data-integrity's own backing model. Before it the library's unaligned path had no
// campaign coverage (full run on 212f0dc, shard 2: gap list Z, docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { assertEverySeedPasses, judgeScenario } from "./_judge_scenario.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("unaligned_extents passes every seed of the judge unmutated", () => {
  assertEverySeedPasses(judgeScenario("unaligned_extents"), 100);
});

Deno.test("unaligned_extents: a backing read whose first word starts before the range faults the pager; bytes put at the wrong index fail data-integrity", async () => {
  const m = await mutantMirror("services/backing.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel+service");
    const key = "services/backing.ts:26:20:ConditionalExpression:true";
    assert.equal((run("unaligned_extents", 0) as Any).kind, "pass", "seed 0 unmutated");
    const v: Any = m.withMutant(key, () => run("unaligned_extents", 0));
    assert.equal(v.kind, "thread-fault");
    assert.match(v.message, /outside the bounds of the DataView/);
    // A partial word's bytes written at the wrong index: the page's byte 1 holds the pattern's
    // second byte only from word 256 on (page size 4096: page 1), and data-integrity sees it.
    const w: Any = m.withMutant(
      "services/backing.ts:32:17:ArithmeticOperator:at - b",
      () => run("unaligned_extents", 0),
    );
    assert.equal(w.kind, "invariant");
    assert.equal(w.invariant, "data-integrity");
    assert.match(w.message, /supplied with byte 0x0 at 0x1001, the backing store holds 0x2/);
    // The high half's bytes shifted wrongly: the VMO's key, 0x2a * 2 ** 32 + 5, has a high half.
    const h: Any = m.withMutant(
      "services/backing.ts:33:80:ArithmeticOperator:8 / (b - 4)",
      () => run("unaligned_extents", 0),
    );
    assert.equal(h.kind, "invariant");
    assert.equal(h.invariant, "data-integrity");
  } finally {
    m.dispose();
  }
});
