// userS31a: explore's progress off a terminal (a log) repeated one line 5-7 times in a row: the
// timer ticks every --progress-every seconds, the search reports every few hundred executions.
import { strict as assert } from "node:assert";
import { changedLineGate } from "./explore.ts";

Deno.test("explore's progress off a terminal prints a line only when its counts changed (userS31a)", async () => {
  const log = await Deno.readTextFile(
    new URL("./testdata/userS31a_explore_progress.txt", import.meta.url),
  );
  const ticks = log.split("\n").filter((l) => /^bound \d+: \d+ executions/.test(l));
  assert.ok(ticks.length > 20);
  const show = changedLineGate();
  const shown = ticks.filter(show);
  for (let i = 1; i < shown.length; i++) assert.notEqual(shown[i], shown[i - 1]);
  // Each distinct report is printed once, in order: the cadence otherwise is the timer's.
  const distinct = ticks.filter((l, i) => i === 0 || l !== ticks[i - 1]);
  assert.deepEqual(shown, distinct);
  assert.ok(shown.length < ticks.length);
});
