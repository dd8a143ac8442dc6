import { strict as assert } from "node:assert";
import { inclusiveTimes, type Profile } from "./profile_inclusive.ts";

const frame = (functionName: string, lineNumber = 0) => ({
  functionName,
  url: "file:///x/properties/a.ts",
  lineNumber,
});

// root -> judge -> check -> check (recursion) -> leaf; root -> other.
const PROFILE: Profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 6] },
    { id: 2, callFrame: frame("judge", 1), children: [3] },
    { id: 3, callFrame: frame("check", 2), children: [4] },
    { id: 4, callFrame: frame("check", 2), children: [5] },
    { id: 5, callFrame: frame("leaf", 3) },
    { id: 6, callFrame: frame("other", 4) },
  ],
  // 1 ms in leaf, 2 ms in the inner check, 4 ms in other, 8 ms in judge itself.
  samples: [5, 4, 6, 2],
  timeDeltas: [1000, 2000, 4000, 8000],
};

Deno.test("inclusiveTimes counts a sample once per function on its stack, recursion included", () => {
  const { rows, totalMs } = inclusiveTimes(PROFILE);
  assert.equal(totalMs, 15);
  const ms = new Map(rows.map(([k, v]) => [k.split("  ")[0], v]));
  assert.equal(ms.get("(root)"), 15);
  assert.equal(ms.get("judge"), 11);
  assert.equal(ms.get("check"), 3); // not 1 + 1 + 2: the recursive frame counts once
  assert.equal(ms.get("leaf"), 1);
  assert.equal(ms.get("other"), 4);
  assert.deepEqual(rows.map(([k]) => k.split("  ")[0]), [
    "(root)",
    "judge",
    "other",
    "check",
    "leaf",
  ]);
});

Deno.test("inclusiveTimes --under gives the self time of what a function's stacks end in", () => {
  const { rows } = inclusiveTimes(PROFILE, "judge");
  assert.deepEqual(rows.map(([k, v]) => [k.split("  ")[0], v]), [["judge", 8], ["check", 2], [
    "leaf",
    1,
  ]]);
  assert.deepEqual(inclusiveTimes(PROFILE, "nowhere").rows, []);
  const byKey = inclusiveTimes(PROFILE, "check  properties/a.ts:3").rows;
  assert.deepEqual(byKey.map(([k, v]) => [k.split("  ")[0], v]), [["check", 2], ["leaf", 1]]);
});
