// writeback-served W3 (properties/writeback_served.ts, session 21): a writeback request a service
// thread takes is served, whoever serves it. The README-only user's write-back chunk cache
// (examples/testdata/chunk_cache/) hands every writeback packet to a dedicated writer thread
// through a CondVar; its lost wake-up variant clears the flag and waits without checking it, so a
// request taken while the writer is mid-pass is dropped and the page written in that pass stays
// Dirty. W1/W2 never judged it (the writer never parks in zx_port_wait).
import { strict as assert } from "node:assert";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadServiceModule } from "../case/store.ts";
import { withService } from "../scenario/bind.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import type { PagerService } from "../services/service.ts";
import type { Monitor, Verdict } from "../sim/world.ts";
import { settleVerdict } from "./check_case.ts";

const DIR = new URL("../examples/testdata/chunk_cache/", import.meta.url);
const BURST = parseScenario(JSON.parse(Deno.readTextFileSync(new URL("burst.json", DIR))));

function run(
  scenario: Scenario,
  seed: number,
  services: Record<string, PagerService> = {},
): { verdict: Verdict; monitors: Monitor[] } {
  const monitors = scenarioCheckers("kernel+service")();
  const raw = runScenario(scenario, { seed, services, monitors, keepTrace: false });
  return { verdict: settleVerdict(raw, monitors), monitors };
}

async function user(file: string): Promise<(seed: number) => Verdict> {
  const service = await loadServiceModule(new URL(file, DIR).pathname);
  const scenario = withService(BURST, "user");
  return (seed) => run(scenario, seed, { user: service }).verdict;
}

Deno.test("W3: the chunk cache's lost wake-up is found; the correct cache passes", async () => {
  const lost = await user("bug_lost_wakeup.ts");
  const v = lost(77) as Verdict & { invariant?: string; message?: string };
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "writeback-served");
  assert.match(v.message ?? "", /^W3: t1 took a writeback request .* page 0 was Dirty/);
  const correct = await user("chunk_cache.ts");
  for (let seed = 0; seed < 100; seed++) {
    assert.equal(correct(seed).kind, "pass", `seed ${seed}`);
  }
});

Deno.test("W3: a request folded into another thread's pass in flight is not flagged", () => {
  // The reference writeback service with two threads starts no pass while one runs: a request
  // the other thread takes then is folded into it, and a page written behind that pass stays
  // Dirty (its timer never fires here). Passes over three files are long enough that many seeds
  // end so: the checker's state shows a folded request with pages Dirty at it unlooked after it,
  // and the run passes.
  const scenario = parseScenario({
    ...JSON.parse(Deno.readTextFileSync(new URL("burst_three_files.json", DIR))),
    pagers: [{
      name: "fs",
      threads: 2,
      service: { kind: "writeback", writebackTicks: 1_000_000 },
    }],
  });
  let folded = 0;
  for (let seed = 0; seed < 100; seed++) {
    const { verdict, monitors } = run(scenario, seed);
    assert.equal(verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(verdict)}`);
    const wb = monitors.find((m) => m.name === "writeback-served") as Monitor & {
      stateKey(): string;
    };
    if (/\d+:f\d+=\d/.test(wb.stateKey())) folded++;
  }
  assert.ok(
    folded >= 10,
    `${folded} seeds folded a request into a pass and left its page unlooked`,
  );
});
