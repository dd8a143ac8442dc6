// syscall-contract `event-form` of `call` and `ret` events (properties/_call_shape.ts): a call
// event shows a slot for every required argument, a successful call the out-values its trace
// text shows (session 20, helper gapA20, docs/mutation.md).
import { strict as assert } from "node:assert";
import { callShapeProblem } from "./_call_shape.ts";
import { ZX_ERR_INVALID_ARGS, ZX_OK } from "../kernel/constants.ts";
import { mirrorScenarioRun, mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("callShapeProblem: slots from the declaration, out-values of a successful ret", () => {
  const call = (name: string, args: unknown[]) =>
    callShapeProblem({ k: "call", tid: 1, name, args });
  assert.equal(call("zx_port_queue", [1, undefined]), undefined);
  assert.match(call("zx_port_queue", [1]) ?? "", /shows 1 of its 2 arguments \(2 required\)/);
  assert.match(call("zx_port_queue", [1, 2, 3]) ?? "", /shows 3 of its 2/);
  // An optional trailing user buffer may be left out, or shown.
  assert.equal(call("zx_vmo_write", [1, 16, 0]), undefined);
  assert.equal(call("zx_vmo_write", [1, 16, 0, 0x7ff0]), undefined);
  const ret = (name: string, status: number, more: object) =>
    callShapeProblem({ k: "ret", tid: 1, name, status, ...more });
  const q = "zx_pager_query_dirty_ranges";
  assert.equal(ret(q, ZX_OK, { ranges: [] }), undefined);
  assert.match(ret(q, ZX_OK, {}) ?? "", /shows no ranges/);
  assert.equal(ret(q, ZX_ERR_INVALID_ARGS, {}), undefined);
  assert.match(ret("zx_vmo_create", ZX_OK, {}) ?? "", /shows no handle/);
  assert.equal(ret("zx_vmo_create", ZX_OK, { handle: 5 }), undefined);
  assert.match(ret("zx_vmar_allocate", ZX_OK, { handle: 5 }) ?? "", /handle and address/);
});

Deno.test("event-form: a call event that drops a required undefined argument, a ret without its ranges, each fail a judge scenario", async () => {
  const m = await mutantMirror("kernel/syscalls.ts");
  try {
    const run = await mirrorScenarioRun(m, "kernel");
    for (
      const [key, scenario, want] of [
        [
          "kernel/syscalls.ts:1364:12:LogicalOperator:n > 0 || optional[n - 1]",
          "arg_edges",
          /^t\d+ zx_port_queue's call event shows 1 of its 2 arguments/,
        ],
        [
          'kernel/syscalls.ts:1323:5:ConditionalExpression:case "ranges":',
          "writeback_trap_zero",
          /^t\d+ zx_pager_query_dirty_ranges returned ZX_OK, but its ret event shows no ranges$/,
        ],
      ] as const
    ) {
      assert.equal((run(scenario, 0) as Any).kind, "pass", scenario);
      const v: Any = m.withMutant(key, () => run(scenario, 0));
      assert.equal(v.invariant, "syscall-contract", `${key}: ${JSON.stringify(v).slice(0, 300)}`);
      assert.match(v.message, /^event-form: /);
      assert.match(v.message.replace(/^event-form: /, ""), want);
    }
  } finally {
    m.dispose();
  }
});
