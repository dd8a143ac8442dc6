// The program contract's argument checks: the mutants of kernel/kernel_vmar.ts, kernel/kernel.ts
// and kernel/vmo_pages.ts they kill, each switched on in an instrumented mirror of the project
// (mutate/mutant_mirror.ts) and judged on one program of the mutate judge (mutate/judges.ts
// `judgeProgram`). Every program passes unmutated; with the mutant on, the kernel returns another
// status the call's table allows, and only the contract's prediction tells. Each of these survived
// every checker before the predictions (`deno task mutate --files FILE --only`, docs/mutation.md:
// kernel_vmar.ts 189 -> 223 of 542, kernel.ts 337 -> 381 of 849).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Mirrors `file`, then for each case: program `k` passes unmutated and fails the contract with `key` on. */
async function killsOnPrograms(
  t: Deno.TestContext,
  file: string,
  cases: readonly [key: string, program: number, what: string][],
): Promise<void> {
  const m = await mutantMirror(file);
  try {
    const { judgeProgram } = await m.load("mutate/judges.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const verdict = (k: number) => {
      const { program, seed, strategy } = judgeProgram(k);
      return runProgram(program, { seed, strategy, monitors: programMonitors }).verdict;
    };
    for (const [key, k, what] of cases) {
      await t.step(what, () => {
        assert.equal(verdict(k).kind, "pass", `program:${k} unmutated`);
        const v: Any = m.withMutant(key, () => verdict(k));
        assert.equal(v.kind, "invariant", JSON.stringify(v));
        assert.equal(v.invariant, "program-contract", JSON.stringify(v));
      });
    }
  } finally {
    m.dispose();
  }
}

const VMAR_CASES: [key: string, program: number, what: string][] = [
  [
    "kernel/kernel_vmar.ts:100:97:BlockStatement:{}",
    47,
    "zx_vmar_map: unknown options or no PERM_READ are not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:104:9:ConditionalExpression:false",
    19,
    "zx_vmar_map: a vmar_offset without SPECIFIC is not NOT_SUPPORTED",
  ],
  [
    "kernel/kernel_vmar.ts:105:92:BlockStatement:{}",
    158,
    "zx_vmar_map: an unaligned offset or an empty length is not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:155:9:LogicalOperator:!this.aligned(addr) && !isU64(len)",
    46,
    "zx_vmar_unmap: only an unaligned address that is also no length is INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:273:9:ConditionalExpression:false",
    38,
    "zx_vmar_protect: WRITE without READ is not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:328:9:EqualityOperator:(e.rights & need) === need",
    118,
    "zx_vmar_op_range: the rights check inverted",
  ],
  [
    "kernel/kernel_vmar.ts:329:9:ConditionalExpression:false",
    139,
    "zx_vmar_op_range: an unaligned address is not INVALID_ARGS",
  ],
];

Deno.test("the program contract's VMAR argument checks kill the kernel_vmar.ts mutants that return another allowed status", async (t) => {
  await killsOnPrograms(t, "kernel/kernel_vmar.ts", VMAR_CASES);
});

const KERNEL_CASES: [key: string, program: number, what: string][] = [
  [
    "kernel/kernel.ts:154:9:EqualityOperator:options === 0",
    0,
    "zx_pager_create: options other than 0 accepted",
  ],
  [
    "kernel/kernel.ts:171:99:BlockStatement:{}",
    13,
    "zx_pager_create_vmo: unknown options accepted",
  ],
  [
    "kernel/kernel.ts:283:31:EqualityOperator:bufferSize >= ZX_PAGER_VMO_STATS_SIZE",
    270,
    "zx_pager_query_vmo_stats: the buffer size check inverted",
  ],
  [
    "kernel/kernel.ts:353:9:EqualityOperator:options === 0",
    50,
    "zx_port_cancel_key: the options check inverted",
  ],
  [
    "kernel/kernel.ts:364:9:EqualityOperator:options === 0",
    124,
    "zx_event_create: the options check inverted",
  ],
  [
    "kernel/kernel.ts:386:75:BlockStatement:{}",
    85,
    "zx_object_signal: masks with bits the object does not take accepted",
  ],
  ["kernel/kernel.ts:621:99:BlockStatement:{}", 1, "zx_vmo_create: unknown options accepted"],
  [
    "kernel/kernel.ts:729:9:ConditionalExpression:false",
    79,
    "zx_vmo_op_range: an unknown op accepted",
  ],
];

Deno.test("the program contract's VMO, pager, port, event and signal argument checks kill the kernel.ts mutants that return another allowed status", async (t) => {
  await killsOnPrograms(t, "kernel/kernel.ts", KERNEL_CASES);
});

const PAGES_CASES: [key: string, program: number, what: string][] = [
  [
    "kernel/vmo_pages.ts:942:85:BlockStatement:{}",
    8,
    "zx_pager_op_range: WRITEBACK data other than 0 or IS_ZERO accepted",
  ],
  [
    "kernel/vmo_pages.ts:942:73:EqualityOperator:data === 0",
    13,
    "zx_pager_op_range: WRITEBACK_END's data check inverted",
  ],
  [
    "kernel/vmo_pages.ts:941:23:EqualityOperator:op !== ZX_PAGER_OP_WRITEBACK_BEGIN",
    231,
    "zx_pager_op_range: BEGIN and END swapped",
  ],
];

Deno.test("the program contract's zx_pager_op_range data checks kill the vmo_pages.ts mutants that return another allowed status", async (t) => {
  await killsOnPrograms(t, "kernel/vmo_pages.ts", PAGES_CASES);
});
