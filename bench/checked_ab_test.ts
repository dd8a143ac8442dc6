import { strict as assert } from "node:assert";
import { quantile } from "./checked_ab.ts";

Deno.test("quantile: the nearest-rank median and quartiles of the per-round ratios", () => {
  // Unsorted on purpose: the median of five is the third smallest, not the third given.
  assert.equal(quantile([1.1, 1.2, 0.8, 1.0, 0.9], 0.5), 1.0);
  assert.equal(quantile([1.1, 1.2, 0.8, 1.0, 0.9], 0.25), 0.9);
  assert.equal(quantile([1.1, 1.2, 0.8, 1.0, 0.9], 0.75), 1.1);
  assert.equal(quantile([3, 1, 2], 0), 1);
  assert.equal(quantile([3, 1, 2], 1), 3);
  assert.equal(quantile([7], 0.5), 7);
});
