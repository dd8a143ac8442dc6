// examples/durable_service.ts, the README's DurableStore listing as a whole module: it keeps every
// pager invariant over scenarios drawn inside its contract, and a write survives writeback,
// eviction and a re-read (the re-read supplies the persisted bytes, not the file's).
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf, pagerProperty, parseScenario, runScenario, withContract } from "../mod.ts";
import { settleVerdict } from "../properties/check_case.ts";
import durableService, { contract, flush } from "./durable_service.ts";

const durable = withContract(durableService, contract, { writeback: flush });

Deno.test("durable service: kernel+service checkers hold over 150 scenarios drawn inside its contract", () => {
  fc.assert(
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["durable"] },
      services: { durable },
      serviceModule: new URL("./durable_service.ts", import.meta.url), // for the replay line
    }),
    { numRuns: 150, seed: 1 },
  );
});

Deno.test("durable service: a written page is written back, evicted and paged in with the written bytes", async () => {
  const json = JSON.parse(
    await Deno.readTextFile(new URL("./write_writeback_evict_reread.json", import.meta.url)),
  );
  json.pagers = [{ name: "fs", service: { kind: "custom", name: "durable" } }];
  const monitors = checkersOf("kernel+service")();
  const r = runScenario(parseScenario(json), { seed: 1, monitors, services: { durable } });
  assert.equal(settleVerdict(r, monitors).kind, "pass");
  const events = r.world.trace.entries.map((e) => e.event);
  const evicted = events.findIndex((e) =>
    e.k === "ret" && e.name === "kernel_evict" && e.status === 0
  );
  assert.ok(evicted > 0, "the written-back page was evicted");
  // Paged in after the eviction with what the writer wrote (0x4b), not the file's bytes.
  const pagedIn = events.slice(evicted).find((e) => e.k === "supply" && e.inserted);
  assert.ok(pagedIn?.k === "supply", "paged in again after the eviction");
  assert.match(pagedIn.content ?? "", /^4b4b4b4b/);
});
