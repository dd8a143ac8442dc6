/**
 * userS31a (trial31): P1 at the overtime timeout. A service still answering a large READ page by
 * page when the scenario's overtime ended the reader's wait is slow, not unanswering (campaign 2
 * run 741 of the trial's blob pager: 55 of 57 pages supplied in steps 327-601, P1 at step 602);
 * a service that took the READ and stopped answering it still fails P1 at the overtime. And P1's
 * text claims no hand-off through a wake the trace does not show carried the packet (a mutex
 * unlock, or a broadcast by the thread that answered part of the READ itself).
 */
import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { scenarioCheckers } from "./kinds.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { type PagerService, parseScenario, type Scenario } from "../mod.ts";
import {
  droppingPager,
  partialPager,
  slowPager,
  stallingPager,
} from "./testdata/userS31a/slow_pager.ts";

const SCENARIO = parseScenario(
  JSON.parse(
    Deno.readTextFileSync(new URL("./testdata/userS31a/slow_read.json", import.meta.url)),
  ),
);

/** Each seed's signature (`pass` for a passing run) and message, random and PCT in turn. */
function runs(
  service: PagerService,
  seeds: number,
  scenario: Scenario = SCENARIO,
): { sig: string; message: string }[] {
  const out: { sig: string; message: string }[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const r = runScenario(scenario, {
      seed,
      strategy: seed % 2 === 0 ? "random" : "pct",
      monitors,
      services: { user: service },
    });
    const v = settleVerdict(r, monitors);
    out.push({
      sig: signatureOf(v, r.verdict) ?? "pass",
      message: v.kind === "invariant" ? v.message : "",
    });
  }
  return out;
}

Deno.test("a service still supplying a large READ page by page when the overtime hits passes P1", () => {
  // Before the fix 6 of these 10 runs failed P1 ("t1 took its READ (t1 now is runnable)").
  const r = runs(slowPager, 10);
  assert.deepEqual(r.filter((x) => x.sig !== "pass"), []);
  // The overtime did end the reader's wait: the scenario is the trial's shape, not a fast run.
  const monitors = scenarioCheckers("kernel+service")();
  const run = runScenario(SCENARIO, { seed: 0, monitors, services: { user: slowPager } });
  assert.match(run.trace.text(), /t2 wakes: ZX_ERR_TIMED_OUT \(overtime\)/);
});

Deno.test("a service that takes a READ and never answers it still fails P1 at the overtime", () => {
  for (const x of runs(droppingPager, 10)) {
    assert.equal(x.sig, "invariant:answers-every-read");
    assert.match(x.message, /^P1: t2 zx_vmo_op_range timed out waiting for the pager on READ #1/);
  }
});

Deno.test("a service that answers part of a READ and goes back to its port fails P1, claiming no hand-off", () => {
  for (const x of runs(partialPager, 10)) {
    assert.equal(x.sig, "invariant:answers-every-read");
    // It broadcast "chunk verified" after its own supply: no queue, nobody waits on it.
    assert.match(x.message, /took its READ \(t1 now waits on port \d+\)/);
    assert.doesNotMatch(x.message, /queued it through/);
  }
  // Two service threads sharing the lock: each broadcast after its own supply, still no hand-off
  // (before the fix: "queued it through futex 0x40000004 (condvar chunk verified) (t2 now waits
  // on port 1004) (no thread waited on that futex)"; a contended unlock is no hand-off either).
  const two = { ...SCENARIO, pagers: SCENARIO.pagers.map((p) => ({ ...p, threads: 2 })) };
  for (const x of runs(partialPager, 10, two)) {
    assert.equal(x.sig, "invariant:answers-every-read");
    assert.doesNotMatch(x.message, /queued it through/);
  }
});

Deno.test("a service that answers part of a READ and parks on a condition variable is a lost wake-up at the overtime", () => {
  for (const x of runs(stallingPager, 10)) {
    assert.equal(x.sig, "lost-wakeup:condvar chunk loaded");
  }
});
