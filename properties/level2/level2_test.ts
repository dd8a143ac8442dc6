// Level-2 checkers are not vacuous, and the kernel set raises no false alarm on level-2 runs.
import { strict as assert } from "node:assert";
import { parseScenario } from "../../scenario/schema.ts";
import type { Monitor } from "../../sim/world.ts";
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
