import { strict as assert } from "node:assert";
import { cause } from "./explore_race_causes.ts";

Deno.test("explore_race_causes: a race's cause is the tokens the two steps conflict on, or * for the run's end", () => {
  assert.equal(cause(new Set(["o1", "t2", "rp1.0"]), new Set(["ro1", "t3", "rp1.0"])), "o1");
  assert.equal(cause(new Set(["ro1", "p1.2", "w1"]), new Set(["w1", "rp1.2", "t3"])), "p1.2,w1");
  assert.equal(cause(new Set(["ro1"]), new Set(["ro1"])), "", "two reads do not conflict");
  assert.equal(cause(new Set(["*", "t2"]), new Set(["t3"])), "*");
});
