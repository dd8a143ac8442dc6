// StepSet, the checkers' per-step set: a Set's answers (membership, size, insertion order, no
// duplicates) across clears that reuse its array.
import { strict as assert } from "node:assert";
import { StepSet } from "./_step_set.ts";

Deno.test("StepSet answers as a Set does, step after step, its array reused", () => {
  const s = new StepSet<number>();
  const ref = new Set<number>();
  // Steps of different sizes: a later, smaller step must not see an earlier step's values.
  for (const step of [[3, 1, 3, 2], [7], [], [1, 1, 5, 6, 7, 8, 9], [2]]) {
    s.clear();
    ref.clear();
    for (const v of step) {
      assert.equal(s.add(v), s);
      ref.add(v);
    }
    assert.equal(s.size, ref.size);
    assert.deepEqual([...s], [...ref]);
    for (let v = 0; v < 10; v++) assert.equal(s.has(v), ref.has(v), `has(${v}) after ${step}`);
  }
});

Deno.test("StepSet compares objects by identity", () => {
  const a = { koid: 1 };
  const s = new StepSet<{ koid: number }>();
  s.add(a).add({ koid: 1 }).add(a);
  assert.equal(s.size, 2);
  assert.ok(s.has(a));
  assert.ok(!s.has({ koid: 1 }));
});
