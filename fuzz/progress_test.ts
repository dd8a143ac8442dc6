import { strict as assert } from "node:assert";
import { progressLine, type ProgressState } from "./orchestrate.ts";

function assertIncludes(text: string, part: string): void {
  assert.ok(text.includes(part), `${JSON.stringify(part)} not in ${JSON.stringify(text)}`);
}

const at: ProgressState = {
  runs: 1200,
  ofRuns: null,
  elapsed: 12,
  budgetSeconds: 30,
  states: null,
  failures: 4,
  distinct: 2,
  shrinking: 0,
  rssMiB: 140.4,
};

Deno.test("progress line: runs, rate, failures, distinct, time left and memory", () => {
  assert.equal(
    progressLine(at),
    "runs 1200  100 runs/s  failing runs 4  distinct 2  elapsed 12s left 18s  rss 140 MiB",
  );
});

Deno.test("progress line: findings being shrunk are counted, so a pause in runs has a reason", () => {
  assertIncludes(progressLine({ ...at, shrinking: 2 }), "distinct 2 (shrinking 2)  elapsed");
  assert.equal(progressLine({ ...at, shrinking: 0 }).includes("shrinking"), false);
});

Deno.test("progress line: a run budget and program states", () => {
  assertIncludes(
    progressLine({ ...at, ofRuns: 5000, states: 77, budgetSeconds: null }),
    "runs 1200 of 5000  100 runs/s  states 77  failing runs 4",
  );
});
