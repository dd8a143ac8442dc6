/**
 * P14 (`treats-bad-state-as-gone`) licenses one answer per dequeued packet: a
 * service that took two packets for one range before the detach (its reader
 * was suspended and asked again) answers each once and gets BAD_STATE twice,
 * which is no retry; a second answer to one packet still is.
 */
import { strict as assert } from "node:assert";
import { parseScenario, runScenario, type Scenario } from "../mod.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { ZX_ERR_BAD_STATE } from "../kernel/constants.ts";
import { settleVerdict } from "./check_case.ts";
import blobPager from "../examples/testdata/blob_pager.ts";
import { BUGGY_SERVICES } from "../zoo/buggy_services.ts";

/** A reader suspended (its request cancelled, asked again on resume), then a detach. */
function suspendThenDetach(service: string): Scenario {
  return parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: service } }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
    events: [
      { do: "suspend", target: "r", notBefore: 3 },
      { do: "detach", target: "a", notBefore: 6 },
    ],
  });
}

/** How many supplies each thread got BAD_STATE for, by thread and supply arguments. */
function badStateAnswers(run: ReturnType<typeof runScenario>): Map<string, number> {
  const out = new Map<string, number>();
  const args = new Map<number, string>();
  for (const { event: e } of run.trace.entries) {
    if (e.k === "call" && e.name === "zx_pager_supply_pages") {
      args.set(e.tid, `t${e.tid} ${e.args.slice(0, 4).join(",")}`);
    }
    if (e.k === "ret" && e.name === "zx_pager_supply_pages" && e.status === ZX_ERR_BAD_STATE) {
      const key = args.get(e.tid) ?? "";
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

Deno.test("P14: one thread answering two packets it took for one range before the detach does not retry", () => {
  const scenario = suspendThenDetach("blob");
  let twice = 0;
  for (let seed = 0; seed < 100; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const run = runScenario(scenario, {
      seed,
      strategy: "pct",
      monitors,
      keepTrace: true,
      services: { blob: blobPager },
    });
    const verdict = settleVerdict(run, monitors);
    assert.equal(verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(verdict)}`);
    if ([...badStateAnswers(run).values()].some((n) => n >= 2)) twice++;
  }
  // The schedule that the old P14 called a retry: the same supply, twice, BAD_STATE both times.
  assert.ok(twice > 0, "no seed had one thread answer two packets of one range after the detach");
});

Deno.test("P14: a second answer to the one packet it took is a retry", () => {
  const scenario = suspendThenDetach("retries-after-bad-state");
  for (let seed = 0; seed < 20; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const run = runScenario(scenario, {
      seed,
      strategy: "pct",
      monitors,
      services: { "retries-after-bad-state": BUGGY_SERVICES["retries-after-bad-state"] },
    });
    const verdict = settleVerdict(run, monitors);
    if (verdict.kind === "invariant" && verdict.invariant === "treats-bad-state-as-gone") {
      assert.match(verdict.message, /^P14: service t\d+ zx_pager_supply_pages\(.*\) retried/);
      return;
    }
  }
  assert.fail("no seed caught the retry");
});
