import { strict as assert } from "node:assert";
import fc from "fast-check";
import { planRun } from "../fuzz/campaign.ts";
import { campaignScenario } from "../fuzz/engine.ts";
import { scenarioArbitrary } from "../properties/arbitraries.ts";
import { parseScenario } from "./schema.ts";
import { CONTRACT_EVENTS, parseContract } from "./service_contract.ts";

/** Campaign runs generated per contract: enough that each optional sequence is drawn. */
const RUNS_PER_CONTRACT = 24;

/** Every clause combination a contract can declare, ranges kept small (the draws are about the clauses). */
const contractInput = fc.record({
  vmoOptions: fc.record({
    trapDirty: fc.constantFrom(true, false, "always" as const),
    resizable: fc.boolean(),
  }),
  threads: fc.integer({ min: 1, max: 4 }).map((n) => ({ min: 1, max: n })),
  clones: fc.boolean(),
  dirty: fc.boolean(),
  writeback: fc.constantFrom(false as const, { entry: "flush" }, { packet: 99 }),
  reachable: fc.record({ port: fc.boolean(), pager: fc.boolean() }),
  events: fc.subarray([...CONTRACT_EVENTS]),
  opens: fc.constantFrom(false as const, { entry: "open", close: "close" }),
  lifecycle: fc.boolean(),
}, { requiredKeys: [] });

/** The contract `input` parses to, or null when parseContract refuses it (the generator never sees it). */
function accepted(input: unknown) {
  try {
    return parseContract(input);
  } catch {
    return null;
  }
}

Deno.test("every campaign scenario generated under an accepted contract passes the schema", () => {
  // userS25b: opens + writeback gave a second thread the writer's file open: the worker crashed.
  fc.assert(
    fc.property(contractInput, fc.integer({ min: 1, max: 1000 }), (input, seed) => {
      const contract = accepted(input);
      fc.pre(contract !== null);
      for (let k = 0; k < RUNS_PER_CONTRACT; k++) {
        const s = campaignScenario(planRun(seed, k), "user", contract!);
        assert.doesNotThrow(
          () => parseScenario(JSON.parse(JSON.stringify(s))),
          `seed ${seed} run ${k}`,
        );
      }
    }),
    { numRuns: 60, seed: 25 },
  );
});

Deno.test("the campaign under opens + writeback generates its writeback sequences and they pass", () => {
  for (const writeback of [{ entry: "flush" }, { packet: 99 }]) {
    const contract = parseContract({ opens: { entry: "open", close: "close" }, writeback });
    let extra = 0;
    for (let k = 0; k < 60; k++) {
      const s = campaignScenario(planRun(3, k), "user", contract);
      parseScenario(JSON.parse(JSON.stringify(s)));
      if (s.threads.some((t) => t.ops.length > 20)) extra++;
    }
    assert.ok(extra > 0, `${JSON.stringify(writeback)}: no write-evict-reread sequence in 60 runs`);
  }
});

Deno.test("every scenario the arbitrary draws under an accepted contract passes the schema", () => {
  fc.assert(
    fc.property(contractInput, fc.integer(), (input, seed) => {
      const contract = accepted(input);
      fc.pre(contract !== null);
      for (const s of fc.sample(scenarioArbitrary({ contract: contract! }), { numRuns: 5, seed })) {
        parseScenario(JSON.parse(JSON.stringify(s)));
      }
    }),
    { numRuns: 40, seed: 25 },
  );
});
