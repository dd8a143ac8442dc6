import { strict as assert } from "node:assert";
import { timeoutStands } from "./mutate.ts";
import { TIMEOUT_BASE_MS, TIMEOUT_FACTOR } from "../mutate/probe_run.ts";

Deno.test("a time limit set by the coverage run stands when the unmutated probes are no slower now, and is retried when they are", () => {
  for (const coverageMs of [0, 500, 4_000, 20_000]) {
    const limit = TIMEOUT_BASE_MS + TIMEOUT_FACTOR * coverageMs;
    // An idle machine: the probes take what they took in the coverage run, or a little more.
    assert.ok(timeoutStands(limit, coverageMs), `${coverageMs} ms`);
    assert.ok(timeoutStands(limit, coverageMs + 1_000), `${coverageMs} ms + 1 s`);
    // Loaded: the same probes take twice as long and more: the limit was no fair measure.
    assert.ok(!timeoutStands(limit, 2 * coverageMs + TIMEOUT_BASE_MS), `${coverageMs} ms, x2`);
  }
  assert.ok(timeoutStands(1_500, 1_000));
  assert.ok(!timeoutStands(1_499, 1_000));
});
