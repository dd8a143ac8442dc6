import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { CONTRACT_EVENTS, contractOf, parseContract, withContract } from "./service_contract.ts";
import { eagerService } from "../services/eager.ts";
import { writebackService } from "../services/writeback.ts";
import { contractViolations, excludes } from "./contract.ts";
import { parseScenario, type Scenario, type ScenarioInput } from "./schema.ts";
import { runScenario } from "./interpreter.ts";
import { contractSwarm, generateScenario } from "./generate.ts";
import { planRun } from "../fuzz/campaign.ts";
import { withService } from "./bind.ts";
import { scenarioArbitrary } from "../properties/arbitraries.ts";
import { pagerProperty } from "../properties/pager_property.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { SCENARIO_KIND, scenarioCheckers } from "../case/kinds.ts";
import { CaseFileError, loadServiceModule } from "../case/store.ts";
import entryService, { flush } from "../fuzz/testdata/writeback_entry_service.ts";

const NARROW = parseContract({ vmoOptions: { trapDirty: false, resizable: false } });

Deno.test("zod rejects a malformed contract in one line naming the field", () => {
  const bad: [unknown, RegExp][] = [
    [{ vmoOptions: { trapDirty: "no" } }, /^m\.ts: contract\.vmoOptions\.trapDirty: /],
    [{ events: ["closePort"] }, /^m\.ts: contract\.events\.0: closePort .*port is private/],
    [{ events: ["writeback"] }, /^m\.ts: contract\.events\.0: writeback .*no writeback path/],
    [{ vmoOptions: { resizable: false }, events: ["resize"] }, /contract\.events\.0: resize/],
    [{ dirty: false }, /^m\.ts: contract\.dirty: trap-dirty VMOs send DIRTY requests/],
    [{ threads: { min: 3, max: 2 } }, /^m\.ts: contract\.threads\.max: min is above max/],
    [{ pageSize: { min: 96, max: 128 } }, /^m\.ts: contract\.pageSize: .*powers of two/],
    [{ vmoPages: { min: 0, max: 2 } }, /^m\.ts: contract\.vmoPages\.min: /],
    [{ writeback: { entry: "not a name" } }, /^m\.ts: contract\.writeback/],
    [{ trapdirty: false }, /^m\.ts: contract\.\(root\): .*trapdirty/],
    [{ events: ["explode"] }, /^m\.ts: contract\.events\.0: /],
  ];
  for (const [input, want] of bad) {
    assert.throws(() => parseContract(input, "m.ts"), (e: Error) => {
      assert.match(e.message, want, JSON.stringify(input));
      assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
      return true;
    });
  }
});

Deno.test("a contract's defaults are the whole universe but private handles and no writeback", () => {
  const c = parseContract({});
  assert.deepEqual(
    [...c.events].sort(),
    ["closeVmo", "detach", "evict", "kill", "resize", "suspend"],
  );
  assert.equal(c.writeback, false);
  assert.deepEqual(c.reachable, { port: false, pager: false });
  const open = parseContract({ reachable: { port: true, pager: true }, writeback: { packet: 7 } });
  assert.deepEqual([...open.events].sort(), [...CONTRACT_EVENTS].sort());
  // Narrowing VMO options takes resize out of the events it allows.
  assert.ok(!NARROW.events.includes("resize"));
  assert.ok(excludes(NARROW, "trapDirtyVmo") && excludes(NARROW, "resize"));
  assert.ok(excludes(NARROW, "closePort") && excludes(NARROW, "writeback"));
});

Deno.test("a --service module's contract is loaded; a malformed one is one line naming the field", async () => {
  const s = await loadServiceModule("fuzz/testdata/contracted_writeback_service.ts");
  assert.deepEqual(contractOf(s)?.contract, NARROW);
  const plain = await loadServiceModule("fuzz/testdata/writeback_service.ts");
  assert.equal(contractOf(plain), undefined);
  await assert.rejects(
    () => loadServiceModule("fuzz/testdata/bad_contract_service.ts"),
    (e: Error) =>
      e instanceof CaseFileError && !e.message.includes("\n") &&
      /^--service fuzz\/testdata\/bad_contract_service\.ts: contract\.vmoOptions\.trapDirty: /
        .test(e.message),
  );
  const entry = await loadServiceModule("fuzz/testdata/writeback_entry_service.ts");
  assert.equal(contractOf(entry)?.writeback, flush);
  assert.throws(
    () => withContract(eagerService, { writeback: { entry: "flush" } }),
    /contract\.writeback\.entry: names "flush" but no writeback entry point was given/,
  );
});

function contracted(input: ScenarioInput): Scenario {
  return withService(parseScenario(input), "mine");
}

Deno.test("every clause names what leaves it", () => {
  const c = parseContract({
    pageSize: { min: 64, max: 128 },
    vmoPages: { min: 2, max: 4 },
    vmoOptions: { trapDirty: false, resizable: false },
    threads: { min: 1, max: 1 },
    clones: false,
    events: ["kill"],
  });
  const s = contracted({
    pageSize: 256,
    pagers: [{ name: "fs", threads: 2 }],
    vmos: [{ name: "a", pager: "fs", pages: 1, trapDirty: true, resizable: true }],
    threads: [{
      name: "t",
      ops: [{ op: "resize", vmo: "a", newPages: 1 }, { op: "cloneRead", vmo: "a", page: 0 }],
    }],
    events: [
      { do: "closePort", target: "fs" },
      { do: "closePager", target: "fs" },
      { do: "writeback", target: "fs" },
      { do: "detach", target: "a" },
      { do: "suspend", target: "t" },
      { do: "kill", target: "t" },
    ],
  });
  const v = contractViolations(s, (n) => (n === "mine" ? c : undefined));
  assert.deepEqual(v.map((x) => `${x.clause} @ ${x.path.join(".")}`), [
    "pageSize @ pageSize",
    "threads @ pagers.0.threads",
    "vmoPages @ vmos.0.pages",
    "vmoOptions.trapDirty @ vmos.0.trapDirty",
    "vmoOptions.resizable @ vmos.0.resizable",
    "vmoOptions.resizable @ threads.0.ops.0",
    "clones @ threads.0.ops.1",
    "reachable.port @ events.0",
    "reachable.pager @ events.1",
    "writeback @ events.2",
    "events @ events.3",
    "events @ events.4",
  ]);
  // A service without a contract, and reference services, are never bound by one.
  assert.deepEqual(contractViolations(s, () => undefined), []);
  assert.deepEqual(
    contractViolations(parseScenario({ ...s, pagers: [{ name: "fs" }] }), () => c),
    [],
  );
});

Deno.test("a contracted service is asked for a writeback through its entry point, never by a packet", () => {
  const scenario = contracted({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{
      name: "w",
      ops: [
        { op: "write", vmo: "a", page: 0, pages: 2 },
        { op: "read", vmo: "a", page: 0, pages: 2 },
        { op: "write", vmo: "a", page: 1 },
        { op: "read", vmo: "a", page: 0, pages: 2 },
      ],
    }],
    events: [{ do: "writeback", target: "fs" }],
  });
  const mine = withContract(entryService, { writeback: { entry: "flush" } }, { writeback: flush });
  let asked = 0;
  for (let seed = 0; seed < 20; seed++) {
    const run = runScenario(scenario, { seed, services: { mine } });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}`);
    if (run.delivered.writeback !== 1) continue; // the workload ended before the event ran
    asked++;
    const env = run.world.threads.find((t) => t.role === "env");
    assert.ok(env !== undefined);
    const calls = run.trace.entries.filter((e) => e.event.k === "call" && e.event.tid === env.tid)
      .map((e) => (e.event as { name: string }).name);
    assert.ok(calls.includes("zx_pager_query_dirty_ranges"), calls.join(" "));
    assert.ok(!calls.includes("zx_port_queue"));
  }
  assert.ok(asked >= 5, `${asked} of 20 runs asked for a writeback`);
  // Without the contract the harness asks with a user packet, which this service calls a fault.
  const faults = Array.from(
    { length: 20 },
    (_, seed) => runScenario(scenario, { seed, services: { mine: entryService } }),
  ).filter((r) => r.verdict.kind === "thread-fault");
  assert.ok(faults.length > 0);
  assert.match(JSON.stringify(faults[0].verdict), /user packet .* private port/);
});

Deno.test("a resolved contract is its own fixed point and withContract keeps the body", () => {
  assert.deepEqual(parseContract(NARROW), NARROW);
  const mine = withContract(writebackService, NARROW);
  assert.notEqual(mine, writebackService);
  assert.equal(contractOf(writebackService), undefined);
  assert.equal(mine.name, writebackService.name);
});

Deno.test("the campaign generator draws only inside a contract; without one it draws them all", () => {
  const c = parseContract({
    pageSize: { min: 128, max: 4096 },
    vmoPages: { min: 3, max: 5 },
    vmoOptions: { trapDirty: false, resizable: false },
    threads: { min: 2, max: 3 },
    clones: false,
  });
  const of = (n: string) => (n === "user" ? c : undefined);
  const clauses = new Set<string>();
  for (let k = 0; k < 600; k++) {
    const plan = planRun(5, k);
    const inside = withService(generateScenario(plan, c), "user");
    assert.deepEqual(contractViolations(inside, of), [], `run ${k}`);
    const anything = withService(generateScenario(plan), "user");
    for (const v of contractViolations(anything, of)) clauses.add(v.clause);
    // The contract only narrows the swarm.
    const sw = contractSwarm(plan.swarm, c);
    assert.ok(sw.events.every((e) => plan.swarm.events.includes(e)));
  }
  for (
    const clause of [
      "pageSize",
      "threads",
      "vmoPages",
      "vmoOptions.trapDirty",
      "vmoOptions.resizable",
      "clones",
      "reachable.port",
      "reachable.pager",
      "writeback",
    ]
  ) assert.ok(clauses.has(clause), `the uncontracted generator reaches ${clause}`);
});

Deno.test("the fast-check arbitrary honours a contract, and pagerProperty takes it from the service", () => {
  const c = parseContract({
    pageSize: { min: 64, max: 128 },
    vmoPages: { min: 2, max: 4 },
    vmoOptions: { trapDirty: false, resizable: false },
    threads: { min: 1, max: 1 },
    clones: false,
  });
  const of = (n: string) => (n === "mine" ? c : undefined);
  const drawn = fc.sample(scenarioArbitrary({ contract: c }), { numRuns: 300, seed: 7 });
  for (const s of drawn) assert.deepEqual(contractViolations(withService(s, "mine"), of), []);
  const free = fc.sample(scenarioArbitrary(), { numRuns: 300, seed: 7 });
  assert.ok(free.some((s) => contractViolations(withService(s, "mine"), of).length > 0));
  // A contracted custom service is never given a scenario outside its contract (the run would
  // refuse it with a ContractError, failing the property).
  const mine = withContract(eagerService, c);
  fc.assert(
    pagerProperty(kernelInvariants, {
      services: { mine },
      scenario: { services: [], customServices: ["mine"] },
    }),
    { numRuns: 60, seed: 3 },
  );
});

Deno.test("shrinking never cuts a case out of its service's contract", () => {
  const mine = withContract(eagerService, {
    vmoPages: { min: 2, max: 8 },
    threads: { min: 2, max: 2 },
  });
  const ctx = { monitors: scenarioCheckers("kernel"), services: { mine } };
  const s = contracted({
    pageSize: 64,
    pagers: [{ name: "fs", threads: 2 }],
    vmos: [{ name: "a", pager: "fs", pages: 4 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  assert.ok(SCENARIO_KIND.admits?.(s, ctx));
  const cuts = [...SCENARIO_KIND.cuts(s)];
  assert.ok(cuts.some((x) => x.vmos[0].pages === 1)); // the cut exists ...
  for (const x of cuts) {
    // ... and the contract refuses it, as it refuses one service thread.
    assert.equal(SCENARIO_KIND.admits?.(x, ctx), x.vmos[0].pages >= 2 && x.pagers[0].threads === 2);
  }
});

Deno.test('trapDirty "always": only trap-dirty VMOs are generated, drawn, shrunk to and run; a plain one is refused', () => {
  const always = parseContract({ vmoOptions: { trapDirty: "always", resizable: false } });
  const allowed = parseContract({ vmoOptions: { trapDirty: true, resizable: false } });
  assert.equal(always.vmoOptions.trapDirty, "always");
  assert.throws(
    () => parseContract({ vmoOptions: { trapDirty: "always" }, dirty: false }, "m.ts"),
    /^ContractSchemaError: m\.ts: contract\.dirty: trap-dirty VMOs send DIRTY requests/,
  );
  assert.ok(excludes(always, "plainVmo") && !excludes(always, "trapDirtyVmo"));
  assert.ok(!excludes(allowed, "plainVmo"));
  // The clause names a plain VMO; the same scenario is inside a contract that only allows them.
  const plain = contracted({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }, {
      name: "b",
      pager: "fs",
      pages: 1,
      trapDirty: true,
    }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const v = contractViolations(plain, (n) => (n === "mine" ? always : undefined));
  assert.deepEqual(v.map((x) => `${x.clause} @ ${x.path.join(".")}: ${x.message}`), [
    'vmoOptions.trapDirty @ vmos.0.trapDirty: VMO "a" is created without TRAP_DIRTY (the contract says always)',
  ]);
  assert.deepEqual(contractViolations(plain, (n) => (n === "mine" ? allowed : undefined)), []);
  const mine = withContract(writebackService, always);
  assert.throws(() => runScenario(plain, { services: { mine } }), /clause vmoOptions\.trapDirty/);
  // The campaign generator: every VMO trap-dirty under "always", not so when only allowed.
  const of = (n: string) => (n === "user" ? always : undefined);
  let vmos = 0, plainAllowed = 0;
  for (let k = 0; k < 300; k++) {
    const s = withService(generateScenario(planRun(5, k), always), "user");
    assert.deepEqual(contractViolations(s, of), [], `run ${k}`);
    vmos += s.vmos.length;
    plainAllowed += generateScenario(planRun(5, k), allowed).vmos.filter((x) => !x.trapDirty)
      .length;
  }
  assert.ok(vmos > 300 && plainAllowed > 100, `${vmos} VMOs, ${plainAllowed} plain when allowed`);
  // The arbitraries.
  const drawn = fc.sample(
    scenarioArbitrary({ contract: always, services: [], customServices: ["mine"] }),
    {
      numRuns: 200,
      seed: 7,
    },
  );
  for (const s of drawn) {
    assert.ok(s.vmos.every((x) => x.trapDirty), JSON.stringify(s.vmos));
    assert.deepEqual(contractViolations(s, (n) => (n === "mine" ? always : undefined)), []);
  }
  // Shrinking: the cut dropping TRAP_DIRTY exists, and the contract refuses it.
  const ctx = { monitors: scenarioCheckers("kernel"), services: { mine } };
  const s = contracted({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1, trapDirty: true }],
    threads: [{ name: "w", ops: [{ op: "write", vmo: "a", page: 0 }] }],
  });
  assert.ok(SCENARIO_KIND.admits?.(s, ctx));
  const cut = [...SCENARIO_KIND.cuts(s)].filter((x) => !x.vmos[0].trapDirty);
  assert.equal(cut.length, 1);
  assert.equal(SCENARIO_KIND.admits?.(cut[0], ctx), false);
  assert.equal(
    SCENARIO_KIND.admits?.(cut[0], {
      ...ctx,
      services: { mine: withContract(writebackService, allowed) },
    }),
    true,
  );
});

Deno.test("a scenario out of a contract on two clauses names both, one line each (no 'and 1 more')", async () => {
  const { parseScenario } = await import("./schema.ts");
  const { assertInContract } = await import("./contract.ts");
  const s = parseScenario({
    pageSize: 4096,
    pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1, trapDirty: true }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const mine = withContract(eagerService, {
    pageSize: { min: 64, max: 256 },
    vmoOptions: { trapDirty: false },
  });
  assert.throws(
    () => assertInContract(s, { mine }, "s.json"),
    (e: Error) => {
      const lines = e.message.split("\n");
      assert.equal(lines.length, 2, e.message);
      assert.match(lines[0], /^s\.json: out of the contract of service "mine": clause pageSize: /);
      assert.match(
        lines[1],
        /^ {2}also out of the contract of service "mine": clause vmoOptions\.trapDirty: /,
      );
      assert.doesNotMatch(e.message, /more\)/);
      return true;
    },
  );
});

Deno.test("a contract with several bad clauses names every one, a line each, with a scenario's did-you-mean (userS24: '(and 1 more)' hid events.1 \"evcit\")", () => {
  const message = (input: unknown) => {
    try {
      parseContract(input, "m.ts");
    } catch (e) {
      return (e as Error).message;
    }
    return "parsed";
  };
  assert.equal(
    message({ threads: { min: 1, max: "two" }, events: ["detach", "evcit"] }),
    "m.ts: invalid contract:\n" +
      "  - contract.threads.max: Invalid input: expected number, received string\n" +
      `  - contract.events.1: Invalid option: expected one of ${
        CONTRACT_EVENTS.map((e) => `"${e}"`).join("|")
      }; did you mean "evict"?`,
  );
  // A misspelled clause name, as a scenario's misspelled key; the checks between clauses still
  // run on the clauses that parse (closePort needs a reachable port).
  assert.equal(
    message({ evnets: ["detach"], events: ["closePort"] }),
    "m.ts: invalid contract:\n" +
      '  - contract.(root): Unrecognized key: "evnets"; did you mean "events"?\n' +
      "  - contract.events.0: closePort is in scope but the port is private (reachable.port)",
  );
  // ... but not on a clause that did not parse: its default would speak for it.
  assert.equal(
    message({ vmoOptions: { trapDirty: "x" }, dirty: false }),
    "m.ts: contract.vmoOptions.trapDirty: Invalid input",
  );
});
