// fail-instead-of-block (properties/_fail_instead_of_block.ts) and the ALWAYS_NEED hint: the
// hint's commit is best effort and its errors are not reported (spec 2.8.2; kernel/vmo_pages.ts
// `rangeOp`), so a fail-instead-of-block thread's hint over an absent page of a pager VMO sends
// a READ, does not wait for it, and returns ZX_OK. The rule that such a call never returns ZX_OK
// (helper lever25) named it a failure: a false alarm, first met in the judge's program 1999
// (`tools/judge_programs.ts 0 2000`, helper triage26b). A COMMIT there still returns
// ZX_ERR_SHOULD_WAIT, and the contract still judges it.
import { strict as assert } from "node:assert";
import {
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
} from "../kernel/constants.ts";
import { probeThread } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";
import { judgeProgram } from "../mutate/judges.ts";

Deno.test("a fail-instead-of-block thread's ALWAYS_NEED hints return ZX_OK with their READ unwaited, and pass", () => {
  const ps = 4096;
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 3 * ps]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ALWAYS_NEED, ps, ps]);
  const map = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: vmo }, 0, 3 * ps]);
  emit("zx_vmar_op_range", [{ vmar: 0 }, ZX_VMAR_OP_ALWAYS_NEED, { addr: map, plus: 2 * ps }, ps]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_COMMIT, 0, ps]);
  const r = runProgram(
    { pageSize: ps, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] },
    { seed: 0, monitors: programMonitors },
  );
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  const statuses = r.results[0].map((x) => x?.status);
  assert.equal(statuses[3], ZX_OK);
  assert.equal(statuses[6], ZX_ERR_SHOULD_WAIT);
});

Deno.test("the judge's program 1999 (an ALWAYS_NEED hint in a fail-instead-of-block thread) passes", () => {
  const { program, ...how } = judgeProgram(1999);
  const v = runProgram(program, { ...how, monitors: programMonitors }).verdict;
  assert.equal(v.kind, "pass", JSON.stringify(v));
});
