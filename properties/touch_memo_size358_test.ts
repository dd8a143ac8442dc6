// The touch memo's list of a step's touched pages (`PageTouches.size`, `pageAt`) is what
// page-state and dirty-state walk; `size` undefined (`kernel/objects.ts:79:22` `{}`, shard 8 of 8
// on 237c931, triage358) makes every walk empty while `before()` still finds each copy, so the
// TouchMemo oracle's copy checks held and only its made-in-the-step check (which walks the list)
// was blinded with the checkers. The oracle now also asks that every page the memo has a copy of
// be on the list.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("TouchMemo fails a memo whose size reads undefined: a copied page off the list the checkers walk", async () => {
  const m = await mutantMirror(["kernel/objects.ts"]);
  try {
    const { firstStepRun: first } = await m.load("properties/touch_memo.ts") as Any;
    assert.equal(first().kind, "pass");
    const v: Any = m.withMutant("kernel/objects.ts:79:22:BlockStatement:{}", first);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "touch-memo", JSON.stringify(v));
    assert.match(
      v.message,
      /^step \d+: the touch memo has a copy of vmo\d+ page \d+ \(as the step began\) but does not list it among the step's undefined touched pages/,
    );
  } finally {
    m.dispose();
  }
});
