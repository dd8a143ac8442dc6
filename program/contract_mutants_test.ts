// The program contract's argument checks of the VMAR calls (zx_vmar_map's options, vmar_offset
// and lengths; zx_vmar_unmap's address and length; zx_vmar_protect's permissions;
// zx_vmar_op_range's op, rights and size): the mutants of kernel/kernel_vmar.ts they kill, each
// switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts) and judged on one
// program of the mutate judge (mutate/judges.ts `judgeProgram`). Every program passes unmutated;
// with the mutant on, the kernel returns another status the table allows, and only the contract's
// prediction tells. Each of these survived every checker before the predictions
// (`deno task mutate --files kernel/kernel_vmar.ts --only`: 189 of 542 killed, then 223).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const CASES: [key: string, program: number, what: string][] = [
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
  const m = await mutantMirror("kernel/kernel_vmar.ts");
  try {
    const { judgeProgram } = await m.load("mutate/judges.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const verdict = (k: number) => {
      const { program, seed, strategy } = judgeProgram(k);
      return runProgram(program, { seed, strategy, monitors: programMonitors }).verdict;
    };
    for (const [key, k, what] of CASES) {
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
});
