// The campaign judge probe written from open keys of shards 7 and 8 on db8cb50 (docs/mutation.md,
// helper gap32a): `program:gap32a-edges` (`gap32aEdgesProgram`), passing unmutated with the
// statuses the contract predicts and failing on each of its twelve mutants, by the contract's
// rules (a PREFETCH of an anonymous VMO through a handle with READ is ZX_OK, a supply to a
// detached VMO BAD_STATE, a mapping cut in part keeps the rest: program/anon_op_range.ts,
// program/contract.ts `detachedSupply`, program/vmar_model.ts `unmapped`), read-content R1/R4 and
// the fail-instead-of-block rule; and `vmo_pages.ts:860:11` false (a ZERO that goes on past its
// pinned page's SHOULD_WAIT), which `program:zero-pinned-first-page` already killed on main and
// no test named. One mirror instruments the four kernel files.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
} from "../kernel/constants.ts";
import { gap32aEdgesProgram } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("gap32aEdgesProgram passes: each call returns what the contract predicts, the last load faults", () => {
  const program = gap32aEdgesProgram();
  const r = runProgram(program, { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const calls = program.threads[0].calls;
  const status = (n: number) => r.results[0][n]?.status;
  const at = (name: string, nth = 0) =>
    calls.map((c, i) => [c.call, i] as const).filter(([c]) => c === name)[nth][1];
  assert.equal(status(at("zx_vmo_op_range", 0)), ZX_OK); // PREFETCH through a read-only handle
  assert.equal(status(at("zx_object_signal")), ZX_OK); // 1 << 31
  assert.equal(status(at("zx_vmar_map", 0)), ZX_ERR_ACCESS_DENIED); // VMAR handle without WRITE
  assert.equal(status(at("zx_vmar_map", 1)), ZX_ERR_ACCESS_DENIED); // region without CAN_MAP_WRITE
  assert.equal(status(at("zx_vmar_map", 2)), ZX_ERR_INVALID_ARGS); // length 0
  assert.equal(status(at("zx_vmo_read", 0)), ZX_ERR_INVALID_ARGS); // a fractional buffer
  assert.equal(status(at("zx_pager_supply_pages", 1)), ZX_ERR_BAD_STATE); // after the detach
  assert.equal(status(at("zx_vmo_op_range", 1)), ZX_OK); // the slice's whole page
  assert.equal(status(at("zx_vmo_op_range", 2)), ZX_ERR_SHOULD_WAIT); // a partial absent page
  assert.equal(status(at("zx_vmar_unmap")), ZX_ERR_NOT_FOUND); // a part of a mapping
  assert.equal(status(at("zx_vmo_read", 2)), ZX_OK); // into the mapping's second page
  assert.equal(status(at("zx_vmar_protect")), ZX_OK); // to no permissions
  assert.equal(r.results[0][calls.length - 1], undefined); // the load faulted: no result
});

/**
 * Each mutant (main's key), the check it fails, what the verdict must say, and the probe it
 * fails (`gap32aEdgesProgram` unless named).
 */
const CASES: [string, string, RegExp, string?][] = [
  // PREFETCH asks WRITE: the read-only handle is refused.
  [
    "kernel/kernel.ts:759:41:ConditionalExpression:false",
    "invariant:program-contract",
    /zx_vmo_op_range returned ZX_ERR_ACCESS_DENIED; the handle model says ZX_OK$/,
  ],
  // A user buffer that is no u64 taken.
  [
    "kernel/kernel.ts:712:9:ConditionalExpression:false",
    "invariant:program-contract",
    /zx_vmo_read returned ZX_OK; the handle model says ZX_ERR_INVALID_ARGS$/,
  ],
  // A mask of exactly -2^31 (`1 << 31`) refused.
  [
    "kernel/kernel.ts:900:33:EqualityOperator:Number(x) > -(2 ** 31)",
    "invariant:program-contract",
    /zx_object_signal returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK$/,
  ],
  // The VMAR handle's WRITE right ignored, and writable mappings never refused.
  [
    "kernel/kernel_vmar.ts:113:59:ConditionalExpression:true",
    "invariant:program-contract",
    /t0#7 zx_vmar_map returned ZX_OK; the handle model says ZX_ERR_ACCESS_DENIED$/,
  ],
  [
    "kernel/kernel_vmar.ts:117:8:ConditionalExpression:false",
    "invariant:program-contract",
    /t0#7 zx_vmar_map returned ZX_OK; the handle model says ZX_ERR_ACCESS_DENIED$/,
  ],
  // A protect without PERM_READ leaves the mapping readable.
  [
    "kernel/kernel_vmar.ts:298:20:ConditionalExpression:true",
    "invariant:program-contract",
    /mem_read at 0x[0-9a-f]+ returned; the mapping the model holds there refuses the access: a fatal page fault \(ZX_ERR_ACCESS_DENIED\) was due$/,
  ],
  // A mapping of length 0 made.
  [
    "kernel/kernel_vmar.ts:105:52:ConditionalExpression:false",
    "invariant:program-contract",
    /zx_vmar_map returned ZX_OK; the handle model says ZX_ERR_INVALID_ARGS$/,
  ],
  // A detached VMO takes supplied pages.
  [
    "kernel/vmo_pages.ts:1133:9:ConditionalExpression:false",
    "invariant:program-contract",
    /zx_pager_supply_pages returned ZX_OK; the handle model says ZX_ERR_BAD_STATE$/,
  ],
  // A ZERO through a slice at an offset zeroes the wrong pages of its root.
  [
    "kernel/vmo_pages.ts:905:15:ArithmeticOperator:first - off",
    "invariant:read-content",
    /^R4: t\d+ ZERO of \[0x1000,0x2000\) stored zeros at vmo\d+ \[0x0,0x1000\), outside its range there$/,
  ],
  [
    "kernel/vmo_pages.ts:906:15:ArithmeticOperator:last - off",
    "invariant:read-content",
    /^R1: t\d+ read byte 0x2000 of its VMO \(the kernel says vmo\d+\) = 0x3e; the model of its content says 0x0$/,
  ],
  // A ZERO goes on past its partial first page's SHOULD_WAIT.
  [
    "kernel/vmo_pages.ts:856:11:ConditionalExpression:false",
    "invariant:syscall-contract",
    /^fail-instead-of-block: t\d+ runs in the fail-instead-of-block mode and sent READ #\d+ \[0,1\) of vmo\d+ in zx_vmo_op_range without waiting for it, yet the call returned ZX_OK/,
  ],
  // A ZERO goes on past its whole pinned page's SHOULD_WAIT (DIRTY under TRAP_DIRTY): the
  // campaign judge's `program:zero-pinned-first-page` already kills it (no test named it).
  [
    "kernel/vmo_pages.ts:860:11:ConditionalExpression:false",
    "invariant:syscall-contract",
    /^fail-instead-of-block: t\d+ runs in the fail-instead-of-block mode and sent DIRTY #\d+ \[0,1\) of vmo\d+ in zx_vmo_op_range without waiting for it, yet the call returned ZX_OK/,
    "zeroPinnedFirstPageProgram",
  ],
  // An unmap of a mapping's first page takes the whole mapping.
  [
    "kernel/objects.ts:778:65:ConditionalExpression:true",
    "invariant:program-contract",
    /zx_vmo_read returned ZX_ERR_INVALID_ARGS; the handle model says ZX_OK$/,
  ],
];

Deno.test("each mutant fails its probe with the check that names it, the probes passing unmutated in the same mirror", async () => {
  const files = [...new Set(CASES.map(([key]) => key.split(":")[0]))];
  const m = await mutantMirror(files);
  try {
    const g: Any = await m.load("program/generate.ts");
    const run: Any = await m.load("program/run.ts");
    const go = (program = "gap32aEdgesProgram") =>
      run.runProgram(g[program](), { seed: 0, monitors: run.programMonitors }).verdict;
    for (const program of new Set(CASES.map(([, , , p]) => p))) {
      assert.equal(go(program).kind, "pass", `${program ?? "gap32aEdgesProgram"} unmutated`);
    }
    for (const [key, kind, message, program] of CASES) {
      const v: Any = m.withMutant(key, () => go(program));
      const got = v.kind === "invariant" ? `invariant:${v.invariant}` : v.kind;
      assert.equal(got, kind, `${key}: ${JSON.stringify(v).slice(0, 300)}`);
      assert.match(v.message, message, key);
    }
  } finally {
    m.dispose();
  }
});
