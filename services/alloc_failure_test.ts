/**
 * Allocation-failure injection (kernel/alloc_fault.ts, issue 19 item 3): a
 * recorded, swarm-switched environment decision. The reference services
 * answer every READ through it; a service that passes ZX_ERR_NO_MEMORY on to
 * OP_FAIL is found by a short campaign.
 */

import { strict as assert } from "node:assert";
import { ZX_ERR_INVALID_ARGS, ZX_ERR_NO_MEMORY, ZX_OK } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { withService } from "../scenario/bind.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { AnswersEveryRead, FailsWithValidCodes } from "../properties/service_obligations.ts";
import { shareJournal } from "../properties/_step_monitor.ts";
import type { Monitor } from "../sim/world.ts";
import { bug } from "../zoo/registry.ts";
import forwardsNoMemory from "../examples/testdata/forwards_no_memory_service.ts";

/** Counts the calls the kernel failed with ZX_ERR_NO_MEMORY. */
class NoMemoryCounter implements Monitor {
  readonly name = "no-memory-counter";
  count = 0;
  onEvent(e: KernelEvent): void {
    if (e.k === "ret" && e.status === ZX_ERR_NO_MEMORY) this.count++;
  }
}

const kernelAndService = checkerSet("kernel+service")!;

Deno.test("campaign plans switch allocation failures on for some runs only, drawn last", () => {
  const on = Array.from({ length: 400 }, (_, k) => planRun(5, k).swarm.allocFailures === true);
  const n = on.filter(Boolean).length;
  assert.ok(n > 50 && n < 150, `${n} of 400 runs inject allocation failures`);
  // A run with the switch on has a scenario with the percentage; one without has none.
  for (let k = 0; k < 40; k++) {
    const plan = planRun(5, k);
    const s = generateScenario(plan);
    assert.equal(s.allocFailPercent !== undefined, plan.swarm.allocFailures === true, `run ${k}`);
    // Everything drawn before the switch is what a plan without it gives.
    const off = generateScenario({ ...plan, swarm: { ...plan.swarm, allocFailures: false } });
    assert.deepEqual({ ...s, allocFailPercent: undefined }, {
      ...off,
      allocFailPercent: undefined,
    });
  }
});

Deno.test("an injected allocation failure is a recorded decision: in the trace, and it replays", () => {
  const scenario = parseScenario({
    pageSize: 64,
    allocFailPercent: 50,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 4 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] }],
  });
  let injected = 0;
  for (let seed = 0; seed < 20; seed++) {
    const run = runScenario(scenario, { seed, strategy: "pct" });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}`);
    // Each injected failure shows in the trace text as the call's return.
    injected += run.trace.text().split("\n").filter((l) =>
      l.endsWith("-> ZX_ERR_NO_MEMORY")
    ).length;
    const again = runScenario(scenario, { decisions: run.decisions, seed });
    assert.equal(again.traceHash, run.traceHash, `seed ${seed}: the replay differs`);
  }
  assert.ok(injected > 5, `only ${injected} failures injected in 20 runs at 50%`);
  // Off (no percentage): no decisions are drawn for allocations, and none fail.
  const off = runScenario({ ...scenario, allocFailPercent: undefined }, { seed: 1 });
  assert.ok(
    !off.trace.entries.some((e) => e.event.k === "ret" && e.event.status === ZX_ERR_NO_MEMORY),
  );
});

Deno.test("the reference services handle injected allocation failures: every run passes", () => {
  let injected = 0, runs = 0;
  for (let k = 0; runs < 250; k++) {
    const plan = planRun(21, k);
    const swarm = { ...plan.swarm, allocFailures: true };
    const scenario = generateScenario({ ...plan, swarm });
    const counter = new NoMemoryCounter();
    // The kernel invariants, and the obligations a mishandled NO_MEMORY breaks (the detacher
    // closes its pager on purpose, so keeps-pager-open is not one of them).
    const o = executePlan({ ...plan, swarm }, scenario, {
      monitors: () => [
        ...shareJournal([new AnswersEveryRead(), new FailsWithValidCodes(), ...kernelInvariants()]),
        counter,
      ],
    });
    assert.equal(o.verdict.kind, "pass", `run ${k} (${JSON.stringify(o.verdict)})`);
    injected += counter.count;
    runs++;
  }
  assert.ok(injected > 100, `only ${injected} allocation failures in ${runs} runs`);
});

Deno.test("OP_FAIL refuses ZX_ERR_NO_MEMORY: the forwarding service strands its reader", () => {
  const zoo = bug("forwards-no-memory-to-op-fail");
  const scenario = parseScenario({
    pageSize: 64,
    allocFailPercent: 100,
    liveness: { afterSteps: 200, bound: 500 },
    pagers: [{ name: "fs", service: { kind: "custom", name: "forwards-no-memory-to-op-fail" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 1 }] }],
  });
  const run = runScenario(scenario, { seed: 1, services: zoo.services });
  const rets = run.trace.entries.flatMap((e) =>
    e.event.k === "ret" && e.event.name === "zx_pager_op_range" ? [e.event.status] : []
  );
  assert.deepEqual(rets, [ZX_ERR_INVALID_ARGS]);
  assert.equal(run.verdict.kind, "hang"); // the reader waits for ever
  assert.ok(run.outcomes.every((o) => o.status !== ZX_OK));
});

Deno.test("a short campaign finds the service that forwards NO_MEMORY to OP_FAIL", () => {
  const ctx = { monitors: kernelAndService, services: { user: forwardsNoMemory } };
  for (let k = 0; k < 200; k++) {
    const plan = planRun(1, k);
    const o = executePlan(plan, withService(generateScenario(plan), "user"), ctx);
    if (o.verdict.kind === "pass") continue;
    assert.equal(
      plan.swarm.allocFailures,
      true,
      `run ${k} failed without injection: ${o.signature}`,
    );
    assert.match(o.signature ?? "", /^invariant:fails-with-valid-codes/);
    return;
  }
  assert.fail("not found in 200 runs");
});
