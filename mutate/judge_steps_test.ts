import { strict as assert } from "node:assert";
import { testFileProbes } from "./judges.ts";
import { strykerNs } from "./ns.ts";

/** A test file whose first step fails and whose later steps record that they ran. */
const STEPS = `
const ran = (globalThis as unknown as { stepsRan: string[] }).stepsRan;
Deno.test("three steps, the first fails", async (t) => {
  await t.step("first", () => { ran.push("first"); throw new Error("the first failure"); });
  await t.step("second", () => { ran.push("second"); throw new Error("a later failure"); });
  await t.step("third", () => { ran.push("third"); });
  ran.push("body");
});
`;

Deno.test("judging a mutant, a test's steps after its first failure are not run; its verdict is that failure; the coverage run runs every step", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-judge-steps-" });
  const g = globalThis as unknown as { stepsRan: string[] };
  g.stepsRan = [];
  try {
    Deno.writeTextFileSync(`${dir}/steps_test.ts`, STEPS);
    const [probe] = await testFileProbes(new URL(`file://${dir}/`), ["steps_test.ts"]);
    const ctx = { serviceMutant: false, serviceExempt: new Set<string>() };
    const judged = await probe.run(ctx);
    assert.equal(judged, "three steps, the first fails: first: the first failure");
    assert.deepEqual(g.stepsRan, ["first", "body"]);

    g.stepsRan.length = 0; // the test file holds this array
    const ns = strykerNs();
    ns.hitsFor = () => new Uint8Array(1);
    try {
      assert.equal(await probe.run(ctx), judged, "the same verdict");
    } finally {
      ns.hitsFor = undefined;
    }
    assert.deepEqual(g.stepsRan, ["first", "second", "third", "body"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
