import { strict as assert } from "node:assert";
import { ZX_OK, ZX_PAGER_OP_DIRTY, ZX_PAGER_OP_WRITEBACK_END } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { contractExcludes, SometimesMonitor } from "./sometimes.ts";
import { parseContract } from "../scenario/service_contract.ts";
import { executePlan, planRun } from "./campaign.ts";
import { campaignScenario } from "./engine.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { loadServiceModule } from "../case/store.ts";
import { contractOf } from "../scenario/service_contract.ts";

const supply = (page: number): KernelEvent => ({
  k: "supply",
  vmo: 1005,
  page,
  inserted: true,
  before: "absent",
});
const op = (tid: number, o: number): KernelEvent[] => [
  { k: "call", tid, name: "zx_pager_op_range", args: [0x30, o, 0x60, 0, 64, 0] },
  { k: "ret", tid, name: "zx_pager_op_range", status: ZX_OK },
];
const evict: KernelEvent[] = [
  { k: "call", tid: 5, name: "kernel_evict", args: [0x50, 0] },
  { k: "ret", tid: 5, name: "kernel_evict", status: ZX_OK },
];

function hits(events: KernelEvent[]): string[] {
  const m = new SometimesMonitor();
  for (const e of events) m.onEvent(e);
  return [...m.hit].filter((h) => h.startsWith("resupply") || h === "page-supplied-again").sort();
}

Deno.test("a page supplied again after a WRITEBACK_END and then an eviction has its own counter; evicted without a writeback, or written back before its last supply, only page-supplied-again", () => {
  assert.deepEqual(hits([supply(0), ...op(4, ZX_PAGER_OP_WRITEBACK_END), ...evict, supply(0)]), [
    "page-supplied-again",
    "resupply-after-writeback-evict",
  ]);
  // No END (a DIRTY ack is another op): evicted clean pages read again.
  assert.deepEqual(hits([supply(0), ...op(1, ZX_PAGER_OP_DIRTY), ...evict, supply(0)]), [
    "page-supplied-again",
  ]);
  // The END and the eviction came before the page's last supply.
  assert.deepEqual(
    hits([...op(4, ZX_PAGER_OP_WRITEBACK_END), ...evict, supply(0), supply(0)]),
    ["page-supplied-again"],
  );
});

Deno.test("a contract without writeback or without evictions rules the counter out", () => {
  assert.equal(
    contractExcludes(parseContract({ writeback: false })).get("resupply-after-writeback-evict"),
    "writeback false",
  );
  assert.equal(
    contractExcludes(parseContract({ writeback: { entry: "flush" }, events: ["detach"] }))
      .get("resupply-after-writeback-evict"),
    "events: no evict",
  );
});

// The sequence a log-structured service reads back from its log on: user trial S22 saw its
// read-back path reached in no run of 20 s (the counter above: 11 runs in 6000, two seeds).
Deno.test("a campaign under a contract taking writeback and evictions writes, writes back, evicts and re-reads a page in many runs", async () => {
  const svc = await loadServiceModule("examples/fxfs_pager.ts");
  const contract = contractOf(svc)?.contract;
  assert.ok(contract !== undefined);
  const checkers = scenarioCheckers("kernel+service");
  let reached = 0;
  const RUNS = 60;
  for (let k = 0; k < RUNS; k++) {
    const plan = planRun(1, k);
    const counter = new SometimesMonitor();
    executePlan(
      plan,
      campaignScenario(plan, "user", contract),
      {
        monitors: () => [...checkers(), counter],
        services: { user: svc },
      },
      undefined,
      false,
    );
    if (counter.hit.has("resupply-after-writeback-evict")) reached++;
  }
  assert.ok(reached >= 3, `${reached} of ${RUNS} runs`);
});
