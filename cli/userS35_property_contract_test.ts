// trial35 (friction 2): the README's property example, `services: { mine: svc }` with
// `serviceModule`, over a module that exports a contract (case/testdata/userS35/chunkstore.ts:
// not resizable, one service thread). The property drew resizable VMOs the contract excludes,
// failed the correct service on one (`dropped-after-error:zx_pager_supply_pages:
// ZX_ERR_OUT_OF_RANGE`), and its printed `replay:` line exited 2, `out of the contract`. Now the
// property refuses at construction, naming `withContract`; held to the contract, its replay line
// runs as printed.
import { shellOutput } from "./_deno_output.ts";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf } from "../case/kinds.ts";
import { pagerProperty, PagerPropertyFailure } from "../properties/pager_property.ts";
import { describeVerdict } from "../sim/world.ts";
import { withContract } from "../scenario/service_contract.ts";
import chunkStore, { contract } from "../case/testdata/userS35/chunkstore.ts";
import chunkStorePartial from "../case/testdata/userS35/chunkstore_partial.ts";

const root = new URL("../", import.meta.url).pathname;
const module = (name: string) => new URL(`../case/testdata/userS35/${name}`, import.meta.url);

Deno.test("a property over a module's service not held to the contract the module exports is refused at construction", () => {
  assert.throws(
    () =>
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: chunkStore },
        serviceModule: module("chunkstore.ts"),
      }),
    (e: Error) => {
      assert.match(
        e.message,
        /^pagerProperty: case\/testdata\/userS35\/chunkstore\.ts exports a contract, but services\.mine is not held to it, .*out of the contract.*services: \{ mine: withContract\(svc, contract\) \}/,
      );
      return true;
    },
  );
  // Held to it, or drawn inside a contract the test names, the property is built.
  pagerProperty(checkersOf("kernel+service"), {
    scenario: { services: [], customServices: ["mine"] },
    services: { mine: withContract(chunkStore, contract) },
    serviceModule: module("chunkstore.ts"),
  });
  // A module that exports no contract: as before.
  pagerProperty(checkersOf("kernel+service"), {
    scenario: { services: [], customServices: ["mine"] },
    services: { mine: chunkStore },
    serviceModule: new URL("../fuzz/testdata/lossy_service.ts", import.meta.url),
  });
});

Deno.test("held to its module's contract, the trial's property passes the correct store and its failure replays as printed", async () => {
  const property = (svc: typeof chunkStore, name: string) =>
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: withContract(svc, contract) },
      serviceModule: module(name),
    });
  fc.assert(property(chunkStore, "chunkstore.ts"), { numRuns: 60, seed: 1 });
  let failure: PagerPropertyFailure | null = null;
  try {
    fc.assert(property(chunkStorePartial, "chunkstore_partial.ts"), { numRuns: 200, seed: 1 });
  } catch (e) {
    const cause = (e as Error).cause;
    assert.ok(cause instanceof PagerPropertyFailure, String(e));
    failure = cause;
  }
  assert.ok(failure !== null, "the partial-supply store passed 200 runs");
  const line = /^replay: (.+)$/m.exec(failure.message)![1];
  assert.match(line, / --service 'case\/testdata\/userS35\/chunkstore_partial\.ts' /, line);
  const r = await shellOutput(line, root);
  assert.doesNotMatch(r.out, /out of the contract/);
  assert.equal(r.code, 1, `${line}\n${r.out}`);
  assert.equal(/^verdict: (.+)$/m.exec(r.out)?.[1], describeVerdict(failure.result.verdict));
  assert.match(r.out, new RegExp(`^trace-hash: ${failure.result.run.traceHash}$`, "m"));
});
