import { strict as assert } from "node:assert";
import {
  addCoverage,
  coverageRun,
  emptyCoverage,
  type ProbeSets,
  probesOfMutant,
  startsAProcess,
} from "./probe_run.ts";
import type { Probe } from "./judges.ts";
import { strykerNs } from "./ns.ts";

Deno.test("a test that starts a process is left out of the tests judge, named, not a failure", () => {
  const c = emptyCoverage();
  addCoverage(c, "tests", {
    perTest: {
      "a_test.ts::spawns": ["3"],
      "a_test.ts::spawns::step": ["4"],
      "a_test.ts::plain": ["3"],
    },
    failures: {
      "a_test.ts::spawns":
        'Requires run access to "/usr/bin/deno", run again with the --allow-run flag',
    },
    broken: {},
    ms: {},
  });
  assert.deepEqual(c.childTests, ["a_test.ts::spawns"]);
  assert.deepEqual(c.failures, []);
  // The mutant it reached is judged by the other test alone; the step's mutant by none.
  const probes = ["a_test.ts::spawns", "a_test.ts::spawns::step", "a_test.ts::plain"]
    .filter((p) => !startsAProcess(c, p)); // as cli/mutate.ts leaves them out
  assert.deepEqual(probes, ["a_test.ts::plain"]);
  assert.deepEqual(probesOfMutant(c, "tests", probes, "3", false), ["a_test.ts::plain"]);
  assert.deepEqual(probesOfMutant(c, "tests", probes, "4", false), []);
});

Deno.test("any other unmutated test failure still stops the run", () => {
  const c = emptyCoverage();
  addCoverage(c, "tests", {
    perTest: { "a_test.ts::t": ["1"] },
    failures: { "a_test.ts::t": "t: expected 1, got 2" },
    broken: {},
    ms: {},
  });
  assert.deepEqual(c.childTests, []);
  assert.deepEqual(c.failures, ["a_test.ts::t: t: expected 1, got 2"]);
});

// A campaign probe that breaks a service obligation by design (arg_edges' misaligned supplies,
// P12) is run again by the kernel checkers alone, and a kernel mutant is judged by that run: what
// it reaches after the obligation's failure must count (session 20, helper gapA20).
Deno.test("coverageRun: an exempt campaign probe's kernel-only run adds its coverage", async () => {
  const probe: Probe = {
    id: "scenario:x:0",
    run(ctx) {
      const hits = strykerNs().hits!;
      hits[1] = 1;
      if (ctx.serviceMutant) return "invariant:supplies-valid-ranges";
      hits[2] = 1;
      return null;
    },
  };
  const probes: ProbeSets = {
    campaign: new Map([[probe.id, probe]]),
    tests: new Map(),
  } as unknown as ProbeSets;
  const r = await coverageRun(probes, "campaign", [probe.id], 3);
  assert.deepEqual(r.perTest[probe.id], ["1", "2"]);
  assert.deepEqual(r.broken, {});
  assert.equal(r.failures[probe.id], "invariant:supplies-valid-ranges");
});
