// The campaign judge's arg_edges scenario (mutate/scenarios/arg_edges.json, service `arg-edges`
// in mutate/arg_edges_service.ts): a pager that checks garbage, misaligned and edge arguments
// against upstream's documented statuses before it serves its readers, with allocation failures
// injected. Every seed passes unmutated; a kernel that gets one of those checks wrong ends the
// run with the service's fault or a checker's verdict (session 20, helper gapA20,
// docs/mutation.md).
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";
import { judgeScenario } from "./_judge_scenario.ts";
import { checkCase } from "../properties/check_case.ts";
import { checkersOf } from "../case/kinds.ts";
import { SCENARIO_SERVICES } from "./scenario_services.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// Under the kernel checkers: its misaligned supplies break the service obligation P12 by design,
// so the judge runs it without them for a mutant of services/ (`serviceExempt`).
Deno.test("arg_edges passes every seed of the judge unmutated (kernel checkers)", () => {
  const scenario = judgeScenario("arg_edges");
  for (let seed = 0; seed < 100; seed++) {
    const v = checkCase({ scenario, decisions: [], seed }, {
      monitors: checkersOf("kernel"),
      services: SCENARIO_SERVICES,
    }).verdict;
    assert.equal(v.kind, "pass", `seed ${seed}: ${JSON.stringify(v)}`);
  }
});

Deno.test("arg_edges: a garbage packet or deadline, a futex owner or pointer unchecked, a pinned aux page taken, each fails seed 0", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("arg_edges", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const [key, want] of [
        // A null or undefined packet read as one (the kernel throws), a valid one refused.
        ["kernel/kernel.ts:320:9:ConditionalExpression:false @end+0:35", /reading 'key'/],
        [
          'kernel/kernel.ts:320:27:StringLiteral:""',
          /a user packet\) returned ZX_ERR_INVALID_ARGS/,
        ],
        // A port wait whose deadline is NaN.
        [
          "kernel/kernel.ts:339:9:ConditionalExpression:false @end+0:63",
          /zx_port_wait\(port, NaN\)/,
        ],
        // A closed owner handle, the caller as owner.
        [
          "kernel/kernel.ts:491:9:ConditionalExpression:false",
          /a closed owner handle, 0\) returned ZX_ERR_TIMED_OUT/,
        ],
        [
          "kernel/kernel.ts:492:9:ConditionalExpression:false",
          /the caller as owner, 0\) returned ZX_ERR_TIMED_OUT/,
        ],
        // A wake of a pointer into a word (futex-args).
        ["kernel/kernel.ts:529:9:ConditionalExpression:false", /futex-args/],
        // A NaN alignment_log2.
        [
          "kernel/kernel.ts:678:9:LogicalOperator:!Number.isInteger(alignmentLog2) && alignmentLog2 < 0",
          /zx_vmo_create_contiguous\(bti, 64, NaN\)/,
        ],
        // A requeue with a NaN count; a wait_one whose deadline is NaN parks (nothing signals).
        ["kernel/kernel.ts:563:9:ConditionalExpression:false", /a NaN wake count\) returned ZX_OK/],
        [
          "kernel/kernel.ts:417:9:ConditionalExpression:false @end+0:63",
          /fs\.svc" waits on signals 0x1000000 of event/,
        ],
        // A pinned aux page taken (K26 sees the page become clean with no supply it allowed).
        ["kernel/kernel.ts:252:11:ConditionalExpression:false", /K26|ZX_ERR_BAD_STATE/],
      ] as const
    ) {
      const v: Any = m.withMutant(key, verdict);
      assert.notEqual(v.kind, "pass", key);
      assert.match(String(v.message), want, `${key}: ${JSON.stringify(v).slice(0, 300)}`);
    }
  } finally {
    m.dispose();
  }
});

Deno.test("arg_edges: an injected allocation failure before a supply's alignment checks fails one of seeds 0-9 (K27)", async () => {
  const m = await mutantMirror("kernel/syscalls.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("arg_edges", 0);
    assert.equal(verdict().kind, "pass");
    for (
      const key of [
        "kernel/syscalls.ts:1289:9:ConditionalExpression:false",
        "kernel/syscalls.ts:1289:63:EqualityOperator:a < 0",
      ]
    ) {
      // An injection is a draw (one call in five): the first of seeds 0-9 that fails.
      const v: Any = m.withMutant(key, () => {
        for (let seed = 0; seed < 10; seed++) {
          const r: Any = run("arg_edges", seed);
          if (r.kind !== "pass") return r;
        }
        return { kind: "pass" };
      });
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v).slice(0, 300)}`);
      assert.match(v.message, /^K27: t\d+ zx_pager_supply_pages returned ZX_ERR_NO_MEMORY/);
    }
  } finally {
    m.dispose();
  }
});

Deno.test("arg_edges: a zx_vmar_op_range whose op names no VMAR operation, let past the op check, fails seed 0", async () => {
  // A blind spot of the fresh shard 5 of 8 on 2e0fdd0 (docs/mutation.md, helper gap23): programs
  // draw only the ops the model knows, so nothing made the call with another.
  const m = await mutantMirror("kernel/kernel_vmar.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("arg_edges", 0);
    assert.equal(verdict().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel_vmar.ts:324:9:ConditionalExpression:false", verdict);
    assert.equal(v.kind, "thread-fault", JSON.stringify(v).slice(0, 300));
    assert.match(
      String(v.message),
      /zx_vmar_op_range\(root, op 0\) returned ZX_ERR_(?!INVALID_ARGS)/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("arg_edges: a zx_vmo_write whose buffer is undefined, traced without its optional chain, fails seed 0", async () => {
  // One of the 58 untriaged blind keys of shards 5 and 6 on db8cb50 (docs/mutation.md, helper
  // triage31a): programs always pass a buffer, so no probe made the call with none.
  const m = await mutantMirror("kernel/syscalls.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    const verdict = (): Any => run("arg_edges", 0);
    assert.equal(verdict().kind, "pass");
    const v: Any = m.withMutant("kernel/syscalls.ts:1268:30:OptionalChaining:x.length", verdict);
    assert.notEqual(v.kind, "pass", JSON.stringify(v).slice(0, 300));
    assert.match(String(v.message), /Cannot read properties of undefined \(reading 'length'\)/);
  } finally {
    m.dispose();
  }
});
