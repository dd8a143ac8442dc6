import { strict as assert } from "node:assert";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { type RunOptions, runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";

/** Seeds per (scenario, strategy); each seed runs twice, then once more as a replay. */
const SEEDS = 200;

const SCENARIOS: Record<string, Scenario> = {
  default: parseScenario(DEFAULT_SCENARIO),
  flaky: parseScenario({
    pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 40 }, threads: 2 }],
    vmos: [{ name: "a", pager: "fs", pages: 6 }, { name: "b", pager: "fs", pages: 3 }],
    threads: [
      { name: "r1", ops: [{ op: "read", vmo: "a", page: 0, pages: 6 }] },
      { name: "r2", ops: [{ op: "mapRead", vmo: "a", page: 2, pages: 2 }] },
      {
        name: "w",
        ops: [{ op: "write", vmo: "b", page: 1, pages: 2 }, { op: "commit", vmo: "b", page: 0 }],
      },
    ],
  }),
  events: parseScenario({
    liveness: { afterSteps: 150, bound: 200 },
    pagers: [
      { name: "fs", service: { kind: "batching", batch: 2, readAhead: 1 } },
      { name: "db", service: { kind: "detacher", detachAfter: 1 } },
    ],
    vmos: [
      { name: "a", pager: "fs", pages: 4 },
      { name: "b", pager: "db", pages: 4 },
    ],
    threads: [
      { name: "ra", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] },
      { name: "rb", ops: [{ op: "read", vmo: "b", page: 0 }, { op: "read", vmo: "b", page: 1 }] },
      { name: "m", ops: [{ op: "mapRead", vmo: "a", page: 1, pages: 2 }] },
      { name: "k", ops: [{ op: "commit", vmo: "b", page: 2, pages: 2 }] },
    ],
    events: [
      { do: "suspend", target: "ra", notBefore: 3 },
      { do: "kill", target: "k", notBefore: 6 },
      { do: "closePort", target: "fs", notBefore: 12 },
      { do: "detach", target: "b", notBefore: 8 },
    ],
  }),
};

const STRATEGIES: Record<string, RunOptions> = {
  random: { strategy: "random" },
  "pct(d=1)": { strategy: "pct", pctDepth: 1 },
  "pct(d=2)": { strategy: "pct", pctDepth: 2 },
  "pct(d=3)": { strategy: "pct", pctDepth: 3 },
};

/** Everything a run decides, in comparable form. */
function fingerprint(r: ScenarioRun) {
  return {
    hash: r.traceHash,
    verdict: r.verdict,
    steps: r.steps,
    decisions: r.decisions,
    outcomes: r.outcomes.map((o) => [o.tid, o.index, o.status]),
  };
}

for (const [scenarioName, scenario] of Object.entries(SCENARIOS)) {
  Deno.test(`${scenarioName}: every strategy and seed runs the same twice, and its decisions replay it`, () => {
    for (const [strategyName, options] of Object.entries(STRATEGIES)) {
      const hashes = new Set<string>();
      const verdicts = new Set<string>();
      for (let seed = 0; seed < SEEDS; seed++) {
        const where = `${scenarioName} ${strategyName} seed ${seed}`;
        const first = runScenario(scenario, { ...options, seed, keepTrace: false });
        const again = runScenario(scenario, { ...options, seed, keepTrace: false });
        assert.deepEqual(fingerprint(again), fingerprint(first), where);
        const replay = runScenario(scenario, { decisions: first.decisions, keepTrace: false });
        assert.equal(replay.traceHash, first.traceHash, `${where}: replay`);
        assert.deepEqual(fingerprint(replay), fingerprint(first), `${where}: replay`);
        hashes.add(first.traceHash);
        verdicts.add(first.verdict.kind);
      }
      // A hash that ignored the schedule would pass the checks above trivially.
      if (strategyName !== "pct(d=1)") {
        assert.ok(hashes.size > 10, `${scenarioName} ${strategyName}: ${hashes.size} traces`);
      }
      assert.ok(!verdicts.has("kernel-assertion"), `${scenarioName} ${strategyName}`);
    }
  });
}

Deno.test("equal traces have equal hashes and text; the replay's text is the original's", () => {
  for (const scenario of Object.values(SCENARIOS)) {
    for (let seed = 0; seed < 20; seed++) {
      const a = runScenario(scenario, { seed });
      const b = runScenario(scenario, { decisions: a.decisions });
      assert.equal(b.trace.text(), a.trace.text());
      assert.equal(b.traceHash, a.traceHash);
      const kept = runScenario(scenario, { seed, keepTrace: false });
      assert.equal(kept.traceHash, a.traceHash, "keeping the trace does not change the hash");
    }
  }
});

Deno.test("different traces hash apart", () => {
  const byHash = new Map<string, string>();
  for (const scenario of Object.values(SCENARIOS)) {
    for (let seed = 0; seed < 60; seed++) {
      const r = runScenario(scenario, { seed });
      const text = r.trace.text() + "\n" + r.verdict.kind;
      const seen = byHash.get(r.traceHash);
      if (seen !== undefined) assert.equal(seen, text, `collision on ${r.traceHash}`);
      byHash.set(r.traceHash, text);
    }
  }
  assert.ok(byHash.size > 50);
});

Deno.test("replaying a failing run's decisions reproduces its verdict and hash", () => {
  let failing = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const r = runScenario(SCENARIOS.events, { seed, keepTrace: false });
    if (r.verdict.kind === "pass") continue;
    failing++;
    const replay = runScenario(SCENARIOS.events, { decisions: r.decisions, keepTrace: false });
    assert.deepEqual(replay.verdict, r.verdict, `seed ${seed}`);
    assert.equal(replay.traceHash, r.traceHash, `seed ${seed}`);
  }
  assert.ok(failing > 0, "the events scenario hangs under some schedules (closed port)");
});
