// page-state K26 when the environment's evictor was offered nothing: the evictor
// (scenario/interpreter.ts `envEvict`) asks `Kernel.evictablePages` right after its size query
// and ends in that step when no page is offered, so no `kernel_evict` step came for K26 to judge,
// and a kernel that never offers a page (`kernel_objects.ts:194:9` true, `:195:12` `[]` on
// db8cb50, blind spots of the fresh shard 3 of 8; docs/mutation.md, helper triage27b) passed
// every run. Now such a step must leave no page surely evictable (Clean, unpinned, no
// ALWAYS_NEED: spec 6.3, `EvictionOracle`).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const SCENARIO = {
  pageSize: 64,
  pagers: [{ name: "fs", service: { kind: "eager" } }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }],
  threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
  events: [{ do: "evict", target: "a", notBefore: 4 }],
};

Deno.test("K26: an evictor offered no page while one is surely evictable fails; every seed passes unmutated", async () => {
  const m = await mutantMirror(["kernel/kernel_objects.ts"]);
  try {
    const { checkCase } = await m.load("properties/check_case.ts") as Any;
    const { kernelInvariants } = await m.load("properties/kernel_invariants.ts") as Any;
    const { parseScenario } = await m.load("scenario/schema.ts") as Any;
    const scenario = parseScenario(SCENARIO);
    const run = (seed: number) =>
      checkCase({ scenario, decisions: [], seed }, { monitors: kernelInvariants }).verdict;
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    for (const seed of seeds) assert.equal(run(seed).kind, "pass", `seed ${seed}`);
    for (
      const key of [
        "kernel/kernel_objects.ts:237:9:ConditionalExpression:true",
        "kernel/kernel_objects.ts:238:12:ArrayDeclaration:[]",
      ]
    ) {
      const failed = m.withMutant(key, () => seeds.map(run).filter((v: Any) => v.kind !== "pass"));
      assert.ok(failed.length > 0, `${key}: every seed passed`);
      for (const v of failed) {
        assert.equal(v.invariant, "page-state", JSON.stringify(v));
        assert.match(
          v.message,
          /^K26: vmo\d+ page \d+ \(clean, unpinned, no ALWAYS_NEED\) is not offered for eviction/,
        );
      }
    }
  } finally {
    m.dispose();
  }
});
