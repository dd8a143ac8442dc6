// Level-2 checkers are not vacuous, and the kernel set raises no false alarm on level-2 runs.
import { strict as assert } from "node:assert";
import { parseScenario } from "../../scenario/schema.ts";
import { describeVerdict, type Monitor, World } from "../../sim/world.ts";
import { randomStrategy } from "../../sim/strategy.ts";
import { Kernel, type KernelOptions } from "../../kernel/kernel.ts";
import { ZX_PAGER_VMO_STATS_MODIFIED, ZX_VMO_RESIZABLE } from "../../kernel/constants.ts";
import { writebackService } from "../../services/writeback.ts";
import { BUGGY_SERVICES } from "../../zoo/buggy_services.ts";
import { checkCase } from "../check_case.ts";
import { parseCase } from "../../case/envelope.ts";
import type { Scenario } from "../../scenario/schema.ts";
import { kernelInvariants } from "../kernel_invariants.ts";
import { level2Invariants } from "./mod.ts";

const LOST_WRITE = new URL(
  "../../corpus/invariant-data-integrity-lost-write.json",
  import.meta.url,
);

/** The recorded lost-write case (END before persist), replayed under `monitors`. */
async function replayLostWrite(monitors: () => Monitor[], services = BUGGY_SERVICES) {
  const raw = JSON.parse(await Deno.readTextFile(LOST_WRITE));
  const parsed = parseCase(raw, LOST_WRITE.pathname);
  assert.ok("case" in parsed, "the lost-write corpus case does not parse");
  const { input, decisions, seed } = parsed.case;
  const scenario = input as Scenario;
  return checkCase({ scenario, decisions, seed }, { monitors, services });
}

Deno.test("data-integrity lost-write: a writeback service that ENDs before it persists", async () => {
  const r = await replayLostWrite(kernelInvariants);
  assert.equal(r.verdict.kind, "invariant", JSON.stringify(r.verdict));
  if (r.verdict.kind !== "invariant") return;
  assert.equal(r.verdict.invariant, "data-integrity");
  assert.ok(r.verdict.message.startsWith("lost-write:"), r.verdict.message);
  // The same schedule with the reference writeback service keeps every write.
  const fixed = { ...BUGGY_SERVICES, "writeback-end-before-persist": writebackService };
  const ok = await replayLostWrite(kernelInvariants, fixed);
  assert.equal(ok.verdict.kind, "pass", JSON.stringify(ok.verdict));
});

Deno.test("durable-data is data-integrity under its level-2 name", async () => {
  const r = await replayLostWrite(level2Invariants);
  assert.equal(r.verdict.kind, "invariant", JSON.stringify(r.verdict));
  if (r.verdict.kind !== "invariant") return;
  assert.equal(r.verdict.invariant, "durable-data");
  assert.ok(r.verdict.message.startsWith("lost-write:"), r.verdict.message);
});

Deno.test("kernel invariants hold on resize, OP_ZERO, clones, OP_DIRTY, writeback and eviction", () => {
  const scenario = parseScenario({
    pageSize: 64,
    maxSteps: 5000,
    pagers: [{ name: "fs", threads: 2, service: { kind: "writeback", writebackTicks: 5 } }],
    vmos: [
      { name: "a", pager: "fs", pages: 3, trapDirty: true, resizable: true },
      { name: "b", pager: "fs", pages: 2, resizable: true },
    ],
    threads: [
      {
        name: "t0",
        ops: [
          { op: "write", vmo: "a", page: 0, pages: 2 },
          { op: "resize", vmo: "a", newPages: 1 },
          { op: "resize", vmo: "a", newPages: 3 },
          { op: "read", vmo: "a", page: 0, pages: 3 },
        ],
      },
      {
        name: "t1",
        ops: [
          { op: "zero", vmo: "b", page: 0, pages: 1 },
          { op: "cloneWrite", vmo: "b", page: 1, pages: 1 },
          { op: "mapWrite", vmo: "b", page: 1, pages: 1 },
          { op: "read", vmo: "b", page: 0, pages: 2 },
        ],
      },
    ],
    events: [
      { do: "writeback", target: "fs", notBefore: 5 },
      { do: "evict", target: "a", notBefore: 20 },
      { do: "evict", target: "b", notBefore: 30 },
      { do: "writeback", target: "fs", notBefore: 40 },
    ],
  });
  for (let seed = 0; seed < 200; seed++) {
    const r = checkCase({ scenario, decisions: [], seed }, { monitors: kernelInvariants });
    assert.equal(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
  }
});

Deno.test("dirty-state K25: a stats query that reports a resized VMO unmodified fails", () => {
  class NeverModifiedKernel extends Kernel {
    protected override pagerQueryVmoStats(
      ...args: Parameters<Kernel["pagerQueryVmoStats"]>
    ): ReturnType<Kernel["pagerQueryVmoStats"]> {
      const r = super.pagerQueryVmoStats(...args);
      return typeof r === "number" ? r : [r[0], { modified: 0 }];
    }
  }
  const run = (makeKernel?: (o: KernelOptions) => Kernel) => {
    const world = new World({
      strategy: randomStrategy(1),
      pageSize: 64,
      monitors: kernelInvariants(),
      ...(makeKernel ? { makeKernel } : {}),
    });
    let reported = -1;
    world.spawn("t", "workload", function* (sys) {
      const [, pager] = yield* sys.pagerCreate(0);
      const [, port] = yield* sys.portCreate(0);
      const [, vmo] = yield* sys.pagerCreateVmo(pager, ZX_VMO_RESIZABLE, port, 1, 64);
      yield* sys.vmoSetSize(vmo, 128); // a grow marks the VMO modified (spec 2.7)
      const [, stats] = yield* sys.pagerQueryVmoStats(pager, vmo, 0, 64);
      reported = stats?.modified ?? -1;
    });
    return { verdict: world.run().verdict, reported };
  };
  const ok = run();
  assert.equal(ok.verdict.kind, "pass", describeVerdict(ok.verdict));
  assert.equal(ok.reported, ZX_PAGER_VMO_STATS_MODIFIED);
  const bad = run((o) => new NeverModifiedKernel(o)).verdict;
  assert.equal(bad.kind, "invariant", describeVerdict(bad));
  assert.match(
    describeVerdict(bad),
    /K25: zx_pager_query_vmo_stats of vmo\d+ reported not modified; the VMO was modified/,
  );
});
